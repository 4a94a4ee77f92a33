"""What a request works out once and reads many times (its language, time zone, catalogue,
code lists), kept where reading it is cheap.

Those values lived on `flask.g`, and a list page reads them hundreds of times (a code label, a
date, a translated string each), each read going through Werkzeug's context proxy (a few
microseconds: measured, a tenth of a list page's CPU). Here a request gets a plain dict, held by
a context variable (one C call to read), from its first ``before_request`` hook to its teardown.
Outside that span (an application context without a request, the error page of a URL that
matched no route, a test's ``test_request_context``) `request_memo` is `flask.g`'s own namespace,
so the values are kept for the context as before.

Only the modules that own a value read and write it, each under its own key.
"""

from __future__ import annotations

from contextvars import ContextVar

from flask import Flask, g

_MEMO: ContextVar[dict[str, object] | None] = ContextVar("ncen_request_memo", default=None)


def request_memo() -> dict[str, object]:
    """The current request's memo (see the module docstring); `flask.g`'s namespace when no
    request has opened one. Raises `RuntimeError` outside an application context."""
    memo = _MEMO.get()
    if memo is None:
        namespace: dict[str, object] = vars(g._get_current_object())
        return namespace
    return memo


def _open() -> None:
    _MEMO.set({})


def _close(_error: BaseException | None = None) -> None:
    _MEMO.set(None)


def init_app(app: Flask) -> None:
    """Open a memo before every other ``before_request`` hook of ``app`` and drop it at the
    request's teardown (which runs whatever happened)."""
    app.before_request_funcs.setdefault(None, []).insert(0, _open)
    app.teardown_request(_close)
