"""Name search through HTTP for `bench_search`: the real app under waitress, in its own process.

`serve` starts ``web.create_app(settings)`` under waitress in a separate Python process (so that
its resident memory can be read from ``/proc``), bound to 127.0.0.1 on a free port. `Client`
signs in through the real sign-in form (CSRF token taken from the form, session cookie kept in
a cookie jar) with nothing but the standard library, and `http_latencies` sends each labelled
query to ``GET /search/persons?q=...``.
"""

from __future__ import annotations

import contextlib
import http.cookiejar
import re
import secrets
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

SERVER = """
import sys
from pathlib import Path

from waitress import serve

from ncen.settings import Settings
from web import create_app

url, port, instance, key = sys.argv[1:5]
settings = Settings(
    database_url=url, secret_key=key, secure_cookies=False, instance_path=Path(instance)
)
serve(create_app(settings), host="127.0.0.1", port=int(port), threads=8, ident="ncen")
"""
_CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def serve(database_url: str, instance: Path, timeout: float = 120) -> Iterator[tuple[int, str]]:
    """Run the app under waitress in a child process; yield its pid and base URL."""
    port = free_port()
    instance.mkdir(parents=True, exist_ok=True)
    args = [database_url, str(port), str(instance), secrets.token_hex(32)]
    proc = subprocess.Popen([sys.executable, "-c", SERVER, *args])
    try:
        deadline = time.monotonic() + timeout
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"web server exited with {proc.returncode}")
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 1):
                break
            if time.monotonic() > deadline:
                raise RuntimeError("web server did not start listening")
            time.sleep(0.2)
        yield proc.pid, f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def memory(pid: int) -> dict[str, int]:
    """VmHWM (peak resident set) and VmRSS of ``pid``, in kB."""
    values = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, rest = line.partition(":")
        if key in {"VmHWM", "VmRSS"}:
            values[key] = int(rest.split()[0])
    return values


class Client:
    """A signed-in browser without a browser: urllib, a cookie jar, no proxy, loopback only."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.ProxyHandler({}),
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()),
        )

    def get(self, path: str) -> tuple[int, str, bytes]:
        with self.opener.open(self.base + path, timeout=120) as response:
            return response.status, response.geturl(), response.read()

    def sign_in(self, username: str, password: str) -> None:
        _, _, form = self.get("/auth/sign-in")
        token = _CSRF.search(form.decode()).group(1)
        body = urllib.parse.urlencode(
            {"csrf_token": token, "username": username, "password": password}
        ).encode()
        with self.opener.open(self.base + "/auth/sign-in", body, timeout=120) as response:
            landed = response.geturl()
            response.read()
        if "/auth/" in landed:
            raise RuntimeError(f"sign-in over HTTP failed (landed on {landed})")


def http_latencies(client: Client, queries: list, warmup: int = 5) -> tuple[list[float], int]:
    """Seconds per ``GET /search/persons?q=...`` (whole request, body read); mean body bytes.

    One pass over ``queries`` after ``warmup`` unmeasured requests; each response must be a
    200 on the search page itself (not a redirect to sign-in).
    """

    def one(q) -> tuple[float, int]:
        path = "/search/persons?" + urllib.parse.urlencode({"q": q.text})
        started = time.perf_counter()
        status, landed, body = client.get(path)
        elapsed = time.perf_counter() - started
        if status != 200 or "/search/persons" not in landed:
            raise RuntimeError(f"{path}: {status} at {landed}")
        return elapsed, len(body)

    for q in queries[:warmup]:
        one(q)
    times, size = [], 0
    for q in queries:
        elapsed, length = one(q)
        times.append(elapsed)
        size += length
    return times, size // max(1, len(queries))
