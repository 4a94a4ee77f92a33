"""Opening a node's database: the external server named by the settings, or the embedded one.

`open_database` is what every entry point (CLI commands, the web server, benchmarks) uses, so
the "embedded when NCEN_DATABASE_URL is unset" rule lives in one place.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack, contextmanager

from sqlalchemy import Engine

from ncen.db import make_engine
from ncen.embedded import embedded_database
from ncen.settings import Settings


@contextmanager
def open_database(settings: Settings) -> Iterator[tuple[Settings, Engine]]:
    """Yield settings (with ``database_url`` filled in) and an engine; clean up on exit.

    With no ``database_url`` the embedded PostgreSQL in ``settings.pgdata_path`` is started and
    stopped again when the block ends.
    """
    with ExitStack() as stack:
        url = settings.database_url
        if url is None:
            url = stack.enter_context(embedded_database(settings.pgdata_path))
            settings = settings.with_database(url)
        engine = make_engine(url)
        stack.callback(engine.dispose)
        yield settings, engine
