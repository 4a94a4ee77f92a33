"""Opening a node's database: the external server named by the settings, or the embedded one.

`open_database` is what every entry point (CLI commands, the web server, benchmarks) uses, so
the "embedded when NCEN_DATABASE_URL is unset" rule lives in one place.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack, contextmanager

from sqlalchemy import Engine

from ncen.db import make_engine
from ncen.dbroles import check_least_privilege
from ncen.embedded import embedded_database
from ncen.settings import Settings


@contextmanager
def open_database(
    settings: Settings, *, check_role: bool = True
) -> Iterator[tuple[Settings, Engine]]:
    """Yield settings (with the database URLs filled in) and the application's engine.

    With no ``database_url`` the embedded PostgreSQL in ``settings.pgdata_path`` is started (its
    two roles created) and stopped again when the block ends. With ``check_role`` (the default)
    the application's role is checked first and `DatabaseRoleError` raised if it could tamper
    with the audit trail or the schema (fail closed); only the schema commands, which may run on
    a single-role server before its roles are split, pass False.
    """
    with ExitStack() as stack:
        if settings.database_url is None:
            urls = stack.enter_context(embedded_database(settings.pgdata_path))
            settings = settings.with_database(urls.app, urls.owner)
        assert settings.database_url is not None
        engine = make_engine(settings.database_url)
        stack.callback(engine.dispose)
        if check_role:
            with engine.connect() as conn:
                check_least_privilege(conn)
        yield settings, engine


@contextmanager
def owner_engine(settings: Settings) -> Iterator[Engine]:
    """An engine connected as the schema owner (``migration_url``), for migrations and backups.

    ``settings`` must come from `open_database` (its URLs filled in)."""
    url = settings.migration_url
    if url is None:
        raise ValueError("owner_engine needs settings from open_database")
    engine = make_engine(url)
    try:
        yield engine
    finally:
        engine.dispose()
