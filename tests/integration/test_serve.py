"""``ncen serve`` as a real process: gunicorn's worker processes, SIGTERM, waitress's body limit.

Each test runs the real command on a free 127.0.0.1 port against a fresh database of the test
cluster (external-database mode, so no embedded server is started here) and talks HTTP to it.
"""

from __future__ import annotations

import contextlib
import http.client
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from exchange.network.node import exchange_config_from
from ncen.settings import load_settings
from web.exchange.api import server_body_limit

MIB = 1024 * 1024


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def descendants(pid: int) -> set[int]:
    """Every living process below ``pid`` (read from /proc, children of children too)."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            # pid (comm) state ppid ...: comm may hold spaces, so split after its ")".
            parents[int(entry.name)] = int(stat.rpartition(")")[2].split()[1])
    found: set[int] = set()
    frontier = {pid}
    while frontier:
        frontier = {child for child, parent in parents.items() if parent in frontier}
        found |= frontier
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0]
    except OSError:
        return False
    return state != "Z"


class Served:
    """A running ``ncen serve``: its process, port and log."""

    def __init__(self, process: subprocess.Popen[bytes], port: int, log: Path) -> None:
        self.process, self.port, self.log = process, port, log

    def get(self, path: str) -> int:
        with urllib.request.urlopen(f"http://127.0.0.1:{self.port}{path}", timeout=10) as r:
            return int(r.status)


@pytest.fixture
def serve(empty_database, tmp_path: Path) -> Iterator:
    """Start ``ncen serve ARGS`` with extra environment; wait until it answers; stop it after."""
    started: list[Served] = []

    def start(*args: str, **environ: str) -> Served:
        db = empty_database(f"ncen_serve_{len(started)}")
        port = free_port()
        env = {k: v for k, v in os.environ.items() if not k.startswith("NCEN_")}
        env.update(db.env)
        env.update(
            NCEN_INSTANCE_PATH=str(tmp_path / "instance"),
            NCEN_SECRET_KEY="serve-test-secret-" + "x" * 32,
            **environ,
        )
        log = tmp_path / f"serve-{len(started)}.log"
        command = [sys.executable, "-c", "from web.cli import main; main()", "serve"]
        command += ["--host", "127.0.0.1", "--port", str(port), "--insecure-cookies", *args]
        with log.open("wb") as out:
            process = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT)
        served = Served(process, port, log)
        started.append(served)
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                pytest.fail(f"ncen serve exited with {process.returncode}:\n{log.read_text()}")
            try:
                if served.get("/auth/sign-in") == 200:
                    return served
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"ncen serve did not answer:\n{log.read_text()}")
            time.sleep(0.2)

    yield start
    for served in started:
        below = descendants(served.process.pid)
        if served.process.poll() is None:
            served.process.send_signal(signal.SIGTERM)
            try:
                served.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                served.process.kill()
                served.process.wait()
        for pid in below:  # nothing may outlive the test, even when it failed half-way
            if alive(pid):
                os.kill(pid, signal.SIGKILL)


@pytest.mark.slow
def test_gunicorn_serves_from_worker_processes_and_stops_on_sigterm(serve) -> None:
    served = serve("--server", "gunicorn", "--workers", "2", "--threads", "2")
    below = descendants(served.process.pid)
    # The gunicorn master (a child of ncen serve) and its two workers.
    assert len(below) == 3, below
    assert all(served.get("/static/app.css") == 200 for _ in range(10))

    served.process.send_signal(signal.SIGTERM)  # what a service manager sends
    assert served.process.wait(timeout=60) == 0, served.log.read_text()
    assert "stopping" in served.log.read_text()
    assert not [pid for pid in below if alive(pid)]


@pytest.mark.slow
def test_waitress_refuses_a_body_over_the_largest_accepted_one_itself(serve) -> None:
    served = serve("--server", "waitress", NCEN_EXCHANGE_MAX_BUNDLE_MB="1", NCEN_MAX_UPLOAD_MB="1")
    limit = MIB + 1
    connection = http.client.HTTPConnection("127.0.0.1", served.port, timeout=30)
    try:
        connection.putrequest("POST", "/exchange/v1/bundles")
        connection.putheader("Content-Type", "application/octet-stream")
        connection.putheader("Content-Length", str(limit + 1))
        connection.endheaders()
        # The server may answer and close before reading it all.
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            connection.send(b"\0" * (limit + 1))
        response = connection.getresponse()
        body = response.read()
    finally:
        connection.close()
    # Refused by waitress itself before the application saw it (the app would answer 503
    # here: this node has no exchange keys).
    assert response.status == 413
    assert f"exceeds max_body of {limit}".encode() in body


def test_the_body_limit_is_the_largest_accepted_body_plus_one() -> None:
    settings = load_settings({"NCEN_MAX_UPLOAD_MB": "20"})

    def limit(environ: dict[str, str]) -> int:
        return server_body_limit(settings, exchange_config_from(environ))

    assert limit({"NCEN_EXCHANGE_MAX_BUNDLE_MB": "64"}) == 64 * MIB + 1
    assert limit({"NCEN_EXCHANGE_MAX_BUNDLE_MB": "5"}) == 20 * MIB + 1
    # The default bundle limit of the exchange applies when the variable is unset.
    assert limit({}) == 512 * MIB + 1
    with pytest.raises(ValueError, match="NCEN_EXCHANGE_MAX_BUNDLE_MB"):
        limit({"NCEN_EXCHANGE_MAX_BUNDLE_MB": "-1"})
