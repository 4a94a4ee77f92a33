"""Opt-in log of slow requests with where their time went (``NCEN_SLOW_REQUEST_MS``).

A WSGI middleware that ``ncen serve`` puts around the app when ``NCEN_SLOW_REQUEST_MS`` is set
(a whole number of milliseconds; unset or 0: no middleware at all, nothing measured). Each
request that took at least that long inside this process is logged on one line (logger
``ncen.slow``, gunicorn's error log) with its phases: wall time, the thread's own CPU time, the
time and number of its SQL statements and of its COMMITs, new database connections it opened,
cyclic garbage collections that ran meanwhile (they stop every thread of the process: wall time
and the collecting thread's CPU time; and how many objects are frozen, out of their reach), how
many requests this process was serving when it started, its start as a Unix time, and the load
test's id of the request (an alphanumeric ``X-Load-Request`` header, if any), so that a slow
request seen by a client can be matched with what the server did, and with what else ran at
that moment.

The line holds the method, the path and the status, never the query string, a form or a
cookie: a slow-request log must not become a second, unaudited record of who searched whom.

Wall time minus CPU, SQL and garbage collection is time the thread waited for something else:
the GIL (another thread of the process running Python), a lock, or the network.
"""

from __future__ import annotations

import gc
import itertools
import json
import logging
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

log = logging.getLogger("ncen.slow")

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]

_local = threading.local()
_gc_lock = threading.Lock()
_gc = dict.fromkeys(
    ("ms", "cpu_ms", "count", "started", "cpu_started", "freed", "full", "full_cpu_ms"), 0.0
)
_installed: list[bool] = []


def _on_gc(phase: str, info: dict[str, int]) -> None:
    """gc.callbacks hook: add up the process's collection pauses (they hold the GIL)."""
    now, cpu = time.perf_counter(), time.thread_time()
    if phase == "start":
        _gc["started"], _gc["cpu_started"] = now, cpu
        return
    with _gc_lock:
        _gc["ms"] += 1000 * (now - _gc["started"])
        _gc["cpu_ms"] += 1000 * (cpu - _gc["cpu_started"])
        _gc["count"] += 1
        _gc["freed"] += info.get("collected", 0)
        if info.get("generation") == 2:  # a full collection: it walks every unfrozen object
            _gc["full"] += 1
            _gc["full_cpu_ms"] += 1000 * (cpu - _gc["cpu_started"])


def _before_sql(*_args: object) -> None:
    _local.sql_started = time.perf_counter()


def _after_sql(*_args: object) -> None:
    started = getattr(_local, "sql_started", None)
    if started is not None and hasattr(_local, "sql_ms"):
        _local.sql_ms += 1000 * (time.perf_counter() - started)
        _local.sql_count += 1


def _before_commit(*_args: object) -> None:
    _local.commit_started = time.perf_counter()


def _after_commit(*_args: object) -> None:
    started = getattr(_local, "commit_started", None)
    if started is not None and hasattr(_local, "commit_ms"):
        _local.commit_ms += 1000 * (time.perf_counter() - started)
    _local.commit_started = None


def _on_connect(*_args: object) -> None:
    if hasattr(_local, "connects"):
        _local.connects += 1


def _install_hooks() -> None:
    """Hook the garbage collector and every SQLAlchemy engine once per process."""
    if _installed:
        return
    _installed.append(True)
    gc.callbacks.append(_on_gc)
    event.listen(Engine, "before_cursor_execute", _before_sql)
    event.listen(Engine, "after_cursor_execute", _after_sql)
    event.listen(Engine, "connect", _on_connect)
    # The engine's "commit" event comes just before the database's COMMIT, the session's
    # "after_commit" just after it: between them, PostgreSQL flushes the WAL.
    event.listen(Engine, "commit", _before_commit)
    event.listen(Session, "after_commit", _after_commit)


class SlowRequestLog:
    """Wraps ``app``; logs every request that took ``threshold_ms`` or more (see the module
    docstring for the fields)."""

    def __init__(self, app: WSGIApp, threshold_ms: int) -> None:
        _install_hooks()
        self.app = app
        self.threshold = threshold_ms
        self.in_flight = 0
        self.counter = itertools.count(1)
        self.lock = threading.Lock()

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        status: list[str] = []

        def recording_start_response(code: str, *args: Any) -> Any:
            status.append(code.split(" ", 1)[0])
            return start_response(code, *args)

        with self.lock:
            self.in_flight += 1
            busy = self.in_flight
        number = next(self.counter)
        _local.sql_ms, _local.sql_count, _local.connects = 0.0, 0, 0
        _local.commit_ms = 0.0
        gc_before = dict(_gc)
        began, cpu_began, unix = time.perf_counter(), time.thread_time(), time.time()
        try:
            body = self.app(environ, recording_start_response)
            # Flask has rendered the whole page by now; joining it keeps the sending out.
            return [b"".join(body)] if isinstance(body, list) else body
        finally:
            wall = 1000 * (time.perf_counter() - began)
            with self.lock:
                self.in_flight -= 1
            if wall >= self.threshold:
                self._log(environ, status, number, busy, wall, cpu_began, unix, gc_before)
            del _local.sql_ms

    def _log(  # noqa: PLR0917 - one log line's fields
        self,
        environ: dict[str, Any],
        status: list[str],
        number: int,
        busy: int,
        wall: float,
        cpu_began: float,
        unix: float,
        gc_before: dict[str, float],
    ) -> None:
        cpu = 1000 * (time.thread_time() - cpu_began)
        gc_ms = _gc["ms"] - gc_before["ms"]
        gc_delta = {k: _gc[k] - gc_before[k] for k in ("cpu_ms", "count", "freed", "full")}
        fields = {
            "start": round(unix, 3),
            "method": environ.get("REQUEST_METHOD", ""),
            "path": environ.get("PATH_INFO", ""),
            "status": status[0] if status else "",
            "wall_ms": round(wall, 1),
            "cpu_ms": round(cpu, 1),
            "sql_ms": round(_local.sql_ms, 1),
            "sql": _local.sql_count,
            "commit_ms": round(_local.commit_ms, 1),
            "new_connections": _local.connects,
            "gc_ms": round(gc_ms, 1),
            "gc_cpu_ms": round(gc_delta["cpu_ms"], 1),
            "gcs": int(gc_delta["count"]),
            "gc_full": int(gc_delta["full"]),
            "gc_freed": int(gc_delta["freed"]),
            "waited_ms": round(max(0.0, wall - cpu - _local.sql_ms - _local.commit_ms - gc_ms), 1),
            "in_flight": busy,
            "request_no": number,
            "frozen": gc.get_freeze_count(),
            "process_gc_cpu_ms": round(_gc["cpu_ms"]),  # since the process started
            "process_gc_full": int(_gc["full"]),
        }
        # A load test's id of the request (benchmarks/load_users.py), to match the client's
        # view of it; only letters and digits, so that a client cannot forge log lines.
        tag = str(environ.get("HTTP_X_LOAD_REQUEST", ""))[:32]
        if tag.isalnum():
            fields["tag"] = tag
        log.warning("slow request %s", json.dumps(fields))
