"""Fault test: a node process killed with SIGKILL leaves its id in the embedded server's handle
list; the next ``ncen`` command must forget it, so that its own clean exit stops the server
(before the fix the server ran on forever)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

HOLDER = """
import sys, time
from pathlib import Path
from ncen.embedded import embedded_database
with embedded_database(Path(sys.argv[1])):
    print("ready", flush=True)
    time.sleep(600)
"""


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie of ours would still answer; the postmaster is not our child (pg_ctl detaches it).
    return True


def _env(instance: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NCEN_")}
    env["NCEN_INSTANCE_PATH"] = str(instance)
    return env


def test_a_killed_process_does_not_keep_the_embedded_server_running(tmp_path: Path) -> None:
    instance = tmp_path / "node"
    pgdata = instance / "pgdata"
    instance.mkdir()
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(pgdata)],
        stdout=subprocess.PIPE,
        env=_env(instance),
        start_new_session=True,
    )
    postmaster = 0
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline().strip() == b"ready"
        postmaster = int((pgdata / "postmaster.pid").read_text().split()[0])
        os.killpg(holder.pid, signal.SIGKILL)  # the node dies; the server, detached, does not
        holder.wait(timeout=30)
        assert _alive(postmaster)
        assert str(holder.pid) in (pgdata / ".handle_pids.json").read_text()

        # Any later command of the node joins the running server and, at its clean exit, is
        # the last user: it stops it.
        done = subprocess.run(
            [sys.executable, "-c", "from web.cli import main; main()", "db", "current"],
            env=_env(instance),
            capture_output=True,
            timeout=120,
            check=False,
        )
        assert done.returncode == 0, done.stderr.decode()
        deadline = time.monotonic() + 30
        while _alive(postmaster) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not _alive(postmaster), "the embedded server is still running"
        assert (pgdata / ".handle_pids.json").read_text().strip() == "[]"
    finally:
        if holder.poll() is None:
            os.killpg(holder.pid, signal.SIGKILL)
            holder.wait(timeout=30)
        if holder.stdout is not None:
            holder.stdout.close()
        if postmaster and _alive(postmaster):
            os.kill(postmaster, signal.SIGTERM)
