"""Real nodes for the network tests: ``ncen serve --with-worker`` subprocesses on loopback.

A `ServedNode` is a `CliNode` (own database in the test cluster, own instance folder and keys,
set up and driven through the command line in-process) that can also run as a separate
process on a free 127.0.0.1 port, be killed with SIGKILL and started again. Retry back-off
and polling are shortened through the ``NCEN_EXCHANGE_*`` settings so the tests run in
seconds; nothing else differs from production.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from exchange_nodes import CliNode
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from exchange.netmodels import Delivery, DeliveryState, InboxEntry, InboxOutcome

FAST_RETRIES = {
    "NCEN_EXCHANGE_RETRY_BASE_SECONDS": "0.3",
    "NCEN_EXCHANGE_RETRY_MAX_SECONDS": "1.5",
    "NCEN_EXCHANGE_POLL_SECONDS": "0.2",
    "NCEN_EXCHANGE_TIMEOUT_SECONDS": "20",
}


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_for(condition: Callable[[], bool], timeout: float = 60.0, what: str = "") -> None:
    """Poll ``condition`` until true; fail the test after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what or condition}")


@dataclass
class ServedNode(CliNode):
    """A `CliNode` that can run as a server process."""

    port: int = 0
    process: subprocess.Popen[bytes] | None = None
    log_path: Path | None = None
    extra_env: dict[str, str] = field(default_factory=dict)
    server_args: tuple[str, ...] = ()  # e.g. ("--server", "waitress", ...) for ``ncen serve``

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.port}/exchange"

    def register(self, other: ServedNode, folder: Path, *extra: str) -> str:
        """Register ``other`` as a peer with its real endpoint (nominal data, every code)."""
        return self.ok(
            "peers", "add", "--node-id", other.node_id, "--country", other.country,
            "--endpoint", other.endpoint, "--keyset", other.export_keys(folder),
            "--nominal", "--yes", *extra,
        )  # fmt: skip

    def start(self, *, worker: bool = True) -> None:
        """Start ``ncen serve`` (with the delivery worker) and wait until it answers."""
        if not self.port:
            self.port = free_port()
        env = {k: v for k, v in os.environ.items() if not k.startswith("NCEN_")}
        env.update({k: v for k, v in self.env.items() if v is not None})
        env.update(FAST_RETRIES)
        env.update(self.extra_env)
        env["NCEN_SECRET_KEY"] = "served-node-secret-" + "x" * 32
        self.log_path = self.instance / "serve.log"
        args = ["serve", "--host", "127.0.0.1", "--port", str(self.port), "--insecure-cookies"]
        if worker:
            args.append("--with-worker")
        args.extend(self.server_args)
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-c", "from web.cli import main; main()", *args],
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        wait_for(self._answers, 60, f"{self.node_id} to serve")

    def _answers(self) -> bool:
        if self.process is not None and self.process.poll() is not None:
            raise AssertionError(f"{self.node_id} exited:\n{self.log()}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/auth/sign-in", timeout=1):
                return True
        except OSError:
            return False

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path else ""

    def kill(self) -> None:
        """SIGKILL the server (no clean shutdown)."""
        if self.process is not None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=30)
            self.process = None

    def stop(self) -> None:
        """SIGTERM the server and wait for it."""
        if self.process is not None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=30)
            self.process = None

    def deliveries(self, state: DeliveryState | None = None) -> int:
        with Session(self.engine) as session:
            stmt = select(func.count()).select_from(Delivery)
            if state is not None:
                stmt = stmt.where(Delivery.state == state)
            return int(session.execute(stmt).scalar_one())

    def accepted_inbox(self) -> list[str]:
        with Session(self.engine) as session:
            rows = session.execute(
                select(InboxEntry.bundle_id).where(InboxEntry.outcome == InboxOutcome.ACCEPTED)
            ).scalars()
            return [str(row) for row in rows]
