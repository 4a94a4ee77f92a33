"""The opt-in slow-request log (`web.requesttiming`) and the gunicorn workers' freezes."""

from __future__ import annotations

import gc
import json
import logging
import time
from collections.abc import Callable, Iterable
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from ncen.collector import thaw_process
from web.cli import FREEZE_AT, _freeze_warm_worker, _freezes, _with_slow_log
from web.requesttiming import SlowRequestLog


def _call(
    app: Callable[..., Iterable[bytes]], path: str, query: str = "", **headers: str
) -> tuple[str, bytes]:
    seen: list[str] = []
    environ = {"REQUEST_METHOD": "GET", "PATH_INFO": path, "QUERY_STRING": query, **headers}
    body = b"".join(app(environ, lambda status, _headers: seen.append(status)))
    return seen[0], body


def _lines(caplog: pytest.LogCaptureFixture) -> list[dict[str, Any]]:
    return [
        json.loads(r.getMessage().removeprefix("slow request "))
        for r in caplog.records
        if r.name == "ncen.slow"
    ]


def test_a_slow_request_is_logged_with_its_sql_and_commit_but_never_its_query(
    engine: Engine, caplog: pytest.LogCaptureFixture
) -> None:
    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
        with Session(engine) as session, session.begin():
            session.execute(text("SELECT pg_sleep(0.03)"))
        start_response("200 OK", [])
        return [b"page"]

    caplog.set_level(logging.WARNING, logger="ncen.slow")
    timed = SlowRequestLog(app, threshold_ms=20)
    status, body = _call(timed, "/search/persons", "q=Secret+Name", HTTP_X_LOAD_REQUEST="ab12")
    assert (status, body) == ("200 OK", b"page")
    (line,) = _lines(caplog)
    assert line["path"] == "/search/persons"
    assert line["status"] == "200"
    assert line["method"] == "GET"
    assert line["tag"] == "ab12"
    assert line["wall_ms"] >= 30
    assert line["sql_ms"] >= 30
    assert line["sql"] >= 1
    assert line["commit_ms"] >= 0
    assert line["in_flight"] == 1
    assert line["request_no"] == 1
    assert "Secret" not in caplog.text  # the query string (who was searched) is never logged


def test_a_fast_request_is_not_logged_and_a_forged_tag_is_dropped(
    caplog: pytest.LogCaptureFixture,
) -> None:
    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
        if environ["PATH_INFO"] == "/slow":
            time.sleep(0.03)
        start_response("404 NOT FOUND", [])
        return [b""]

    caplog.set_level(logging.WARNING, logger="ncen.slow")
    timed = SlowRequestLog(app, threshold_ms=20)
    _call(timed, "/fast")
    assert _lines(caplog) == []
    _call(timed, "/slow", HTTP_X_LOAD_REQUEST='x"}\nslow request {"forged')
    (line,) = _lines(caplog)
    assert line["status"] == "404"
    assert "tag" not in line
    assert line["request_no"] == 2  # every request is counted, logged or not


def test_the_slow_log_is_off_unless_a_positive_threshold_is_set(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    app = Flask(__name__)
    plain = app.wsgi_app
    for value in ("", "0", "-5", "soon"):
        monkeypatch.setenv("NCEN_SLOW_REQUEST_MS", value)
        assert _with_slow_log(app).wsgi_app == plain
    monkeypatch.setenv("NCEN_SLOW_REQUEST_MS", "250")
    wrapped = _with_slow_log(app).wsgi_app
    assert isinstance(wrapped, SlowRequestLog)
    assert wrapped.threshold == 250


def test_a_worker_freezes_its_objects_once_past_each_step() -> None:
    class Worker:
        nr = 0

    worker = Worker()
    _freezes.clear()
    before = gc.get_freeze_count()
    try:
        for served in (1, FREEZE_AT[0] - 1):
            worker.nr = served
            _freeze_warm_worker(worker, None, None, None)
        assert _freezes == []
        assert gc.get_freeze_count() == before
        kept = [[n] for n in range(1000)]  # lives on, as a worker's caches do
        worker.nr = FREEZE_AT[0]
        _freeze_warm_worker(worker, None, None, None)
        assert _freezes == [FREEZE_AT[0]]
        assert gc.get_freeze_count() >= before + len(kept)
        worker.nr = FREEZE_AT[0] + 1  # not again before the next step
        _freeze_warm_worker(worker, None, None, None)
        worker.nr = FREEZE_AT[-1] + 5  # past the last steps at once: one freeze, counted
        _freeze_warm_worker(worker, None, None, None)
        assert _freezes == [FREEZE_AT[0], FREEZE_AT[-1] + 5]
    finally:
        thaw_process()
        _freezes.clear()
