"""One SQLAlchemy session per request, kept on `flask.g` and closed at teardown.

Views own the transaction: they call `get_session()` and wrap their work in
``with session.begin():`` (DESIGN.md convention 3). Nothing here commits on the view's behalf;
a session still open at teardown is closed, which rolls back whatever was not committed.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask, current_app, g
from sqlalchemy.orm import Session

SessionFactory = Callable[[], Session]
_FACTORY_KEY = "ncen.session_factory"


def init_app(app: Flask, session_factory: SessionFactory) -> None:
    """Remember ``session_factory`` on ``app`` and close each request's session at teardown."""
    app.extensions[_FACTORY_KEY] = session_factory
    app.teardown_appcontext(close_session)


def get_session() -> Session:
    """The session of the current request (made on first use)."""
    if "db_session" not in g:
        factory: SessionFactory = current_app.extensions[_FACTORY_KEY]
        g.db_session = factory()
    session: Session = g.db_session
    return session


def close_session(_exc: BaseException | None = None) -> None:
    """Close the request's session, if one was made (uncommitted work is rolled back)."""
    session: Session | None = g.pop("db_session", None)
    if session is not None:
        session.close()
