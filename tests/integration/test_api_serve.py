"""The API from a plain ``requests`` script against a real ``ncen serve`` on loopback.

The script is docs/api.md's example, run as it is written there: the documentation cannot
drift from what works. The user and its token are made with the command line
(``ncen user add``, ``ncen api-token create``) on the served node's own database.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import requests

from tests.import_support import MAPPING, awkward_csv
from tests.integration.test_serve import alive, descendants, free_port

DOCS = Path(__file__).parents[2] / "docs" / "api.md"
NCEN = [sys.executable, "-c", "from web.cli import main; main()"]


def example_script() -> str:
    """The Python block between the api-example markers of docs/api.md."""
    text = DOCS.read_text(encoding="utf-8")
    block = text.split("<!-- api-example:start -->")[1].split("<!-- api-example:end -->")[0]
    return block.split("```python\n", 1)[1].rsplit("```", 1)[0]


@pytest.fixture
def node(
    empty_database: Callable[[str], object], tmp_path: Path
) -> Iterator[tuple[str, dict[str, str]]]:
    """A served node (waitress, one process): its base URL and the environment of its CLI."""
    db = empty_database("ncen_api_serve")
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("NCEN_")}
    env.update(db.env)  # type: ignore[attr-defined]
    env.update(
        NCEN_INSTANCE_PATH=str(tmp_path / "instance"),
        NCEN_SECRET_KEY="api-serve-test-secret-" + "x" * 32,
    )
    log = tmp_path / "serve.log"
    command = [*NCEN, "serve", "--host", "127.0.0.1", "--port", str(port), "--insecure-cookies"]
    with log.open("wb") as out:
        process = subprocess.Popen(
            [*command, "--server", "waitress"], env=env, stdout=out, stderr=subprocess.STDOUT
        )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    try:
        while True:
            if process.poll() is not None:
                pytest.fail(f"ncen serve exited:\n{log.read_text()}")
            try:
                with urllib.request.urlopen(base + "/api/v1/openapi.json", timeout=5) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"ncen serve did not answer:\n{log.read_text()}")
            time.sleep(0.3)
        yield base, env
    finally:
        below = descendants(process.pid)
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        for pid in below:
            if alive(pid):
                os.kill(pid, signal.SIGKILL)


def _ncen(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [*NCEN, *args], check=False, env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


@pytest.mark.slow
def test_docs_example_script_runs_against_a_served_node(
    node: tuple[str, dict[str, str]], tmp_path: Path
) -> None:
    base, env = node
    _ncen(env, "user", "add", "scripter", "--name", "Script User", "--role", "investigator")
    out = _ncen(
        env, "api-token", "create", "scripter", "--name", "docs example", "--scope", "read_write"
    )
    token = re.search(r"token \(shown once\): (\S+)", out)
    assert token is not None, out
    listed = _ncen(env, "api-token", "list", "scripter")
    assert "active" in listed
    assert token[1] not in listed

    script = tmp_path / "example.py"
    script.write_text(example_script(), encoding="utf-8")
    ran = subprocess.run(
        [sys.executable, str(script)],
        check=False,
        env={**os.environ, "NCEN_API_URL": base, "NCEN_API_TOKEN": token[1]},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert ran.returncode == 0, ran.stdout + ran.stderr
    assert "stale update refused" in ran.stdout
    assert "found 1 person(s) named Aliev" in ran.stdout

    # A supervisor's import job over HTTP with requests: dry run, then the good rows.
    _ncen(env, "user", "add", "importer", "--name", "Import User", "--role", "supervisor")
    made = _ncen(
        env, "api-token", "create", "importer", "--name", "imports", "--scope", "read_write"
    )
    supervisor = re.search(r"token \(shown once\): (\S+)", made)
    assert supervisor is not None, made
    api = requests.Session()
    api.headers["Authorization"] = f"Bearer {supervisor[1]}"
    dry = api.post(
        base + "/api/v1/imports",
        files={"file": ("cases.csv", awkward_csv())},
        data={"mapping": MAPPING, "dry_run": "true", "mode": "good-rows"},
        timeout=120,
    )
    assert dry.status_code == 201, dry.text
    assert dry.json()["state"] == "dry-run"
    job = dry.headers["Location"]
    run = api.post(base + job + "/run", json={"mode": "good-rows"}, timeout=120)
    assert run.status_code == 200, run.text
    assert run.json()["result"]["created"]["seizure"] == 3
    assert api.get(base + job, timeout=30).json()["state"] == "imported"
    report = api.get(base + job + "/report.csv", timeout=30)
    assert report.content.decode("utf-8-sig").startswith("row,column,reason")

    # The same calls from this process with requests: the document validates, and a revoked
    # token stops at once.
    from openapi_spec_validator import validate

    validate(requests.get(base + "/api/v1/openapi.json", timeout=30).json())
    token_id = listed.split()[0]
    _ncen(env, "api-token", "revoke", token_id)
    refused = requests.get(
        base + "/api/v1/persons", headers={"Authorization": f"Bearer {token[1]}"}, timeout=30
    )
    assert refused.status_code == 401
    assert refused.headers["Content-Type"].startswith("application/problem+json")
