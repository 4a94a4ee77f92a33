"""The node's two database roles: an owner that migrates, and a least-privilege application role.

Migrations (and backups) connect as the **owner** role, which owns every table, the append-only
trigger on the audit trail and the schema. The web server, the exchange worker and every other
command connect as the **application** role, which is neither a superuser nor an owner:

- SELECT, INSERT, UPDATE, DELETE on the ordinary tables, and the sequences it needs;
- only INSERT and SELECT on the audit trail (`AUDIT_TABLES`), so it cannot rewrite, delete or
  truncate audit rows, and, not being the owner, cannot disable the trigger either;
- SELECT, INSERT and DELETE, not UPDATE, on the audit queue (`QUEUE_TABLES`), the outbox that
  events wait in for the chainer;
- no DDL (no CREATE on the schema), no superuser functions (``COPY … TO PROGRAM``,
  ``pg_read_file``) and no membership of the ``pg_*`` file or program roles.

`bootstrap_roles` (run as a superuser: the embedded set-up, or a DBA) creates both roles and hands
the database to the owner. `grant_app_privileges` (run as the owner after every upgrade) is
idempotent, so tables added by later migrations are granted too. `check_least_privilege` is the
fail-closed guard the node runs before it serves.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import psycopg
from psycopg import sql
from sqlalchemy import Connection, text

from ncen.errors import DatabaseRoleError

OWNER_ROLE = "ncen_owner"
APP_ROLE = "ncen_app"

# Tables the application may only append to and read: the audit trail, and the tombstones of
# retention deletions (the accountable record that nominal data was erased).
AUDIT_TABLES = ("audit_events", "retention_decisions")

# Outboxes the application appends to and empties, but never rewrites: the audit events of
# deferred sessions before the chainer moves them into the chain (`ncen.audit.queue`).
QUEUE_TABLES = ("audit_queue",)

# Tables whose rows the application may change only in these columns (an account alert is
# acknowledged, never rewritten or removed).
UPDATABLE_COLUMNS = {"account_alerts": ("acknowledged_at", "acknowledged_by_id")}

# The triggers that keep the audit trail append-only even for its owner; they must be enabled.
AUDIT_TRIGGERS = ("audit_events_no_update", "audit_events_no_truncate")

# Tables the application may read but never change (the schema's own bookkeeping).
READ_ONLY_TABLES = ("alembic_version",)


@dataclass(frozen=True)
class RoleNames:
    """The owner and application role names of one database."""

    owner: str = OWNER_ROLE
    app: str = APP_ROLE


def bootstrap_roles(conn: psycopg.Connection[Any], database: str, roles: RoleNames) -> None:
    """As a superuser (autocommit connection): create both roles and give ``database`` to the owner.

    Idempotent. An existing database whose objects belong to another role (a node created before
    the roles existed) has its schema objects handed to the owner, so that the owner can migrate
    and the application role is no longer the owner of anything. Both roles log in without a
    password: the embedded server listens only on a Unix socket inside the instance folder.
    """
    for role in (roles.owner, roles.app):
        exists = conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (role,)).fetchone()
        if not exists:
            conn.execute(
                sql.SQL(
                    "CREATE ROLE {} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION"
                ).format(sql.Identifier(role))
            )
    row = conn.execute(
        "SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = %s", (database,)
    ).fetchone()
    if row is None:
        conn.execute(
            sql.SQL("CREATE DATABASE {} OWNER {}").format(
                sql.Identifier(database), sql.Identifier(roles.owner)
            )
        )
        return
    if row[0] != roles.owner:
        conn.execute(
            sql.SQL("ALTER DATABASE {} OWNER TO {}").format(
                sql.Identifier(database), sql.Identifier(roles.owner)
            )
        )


_OBJECT_KEYWORDS = {
    "r": "TABLE",
    "p": "TABLE",
    "f": "FOREIGN TABLE",
    "v": "VIEW",
    "m": "MATERIALIZED VIEW",
    "S": "SEQUENCE",
}


def transfer_schema_objects(conn: psycopg.Connection[Any], roles: RoleNames) -> int:
    """As a superuser connected to the node's database: give the owner role every object of the
    ``public`` schema that belongs to another role. Returns how many objects moved.

    Needed once for a node whose schema was created before the owner role existed (then by the
    superuser): without it the owner could not migrate, and the old owner would keep rights.
    """
    moved = 0
    conn.execute(sql.SQL("ALTER SCHEMA public OWNER TO {}").format(sql.Identifier(roles.owner)))
    # Tables first: a sequence that belongs to a column follows its table and cannot be given
    # away on its own, so only sequences still owned by someone else are moved afterwards.
    for kinds in (("r", "p", "f", "v", "m"), ("S",)):
        rows = conn.execute(
            """
            SELECT c.relname, c.relkind
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = 'public' AND c.relkind = ANY(%s)
              AND pg_get_userbyid(c.relowner) <> %s
            """,
            (list(kinds), roles.owner),
        ).fetchall()
        for name, kind in rows:
            keyword = _OBJECT_KEYWORDS[str(kind)]
            conn.execute(
                sql.SQL("ALTER {} {} OWNER TO {}").format(
                    sql.SQL(keyword), sql.Identifier(str(name)), sql.Identifier(roles.owner)
                )
            )
            moved += 1
    functions = conn.execute(
        """
        SELECT p.oid::regprocedure::text
        FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
        WHERE n.nspname = 'public' AND pg_get_userbyid(p.proowner) <> %s
          AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e')
        """,
        (roles.owner,),
    ).fetchall()
    for (signature,) in functions:
        conn.execute(
            sql.SQL("ALTER FUNCTION {} OWNER TO {}").format(
                sql.SQL(str(signature)), sql.Identifier(roles.owner)
            )
        )
        moved += 1
    configs = conn.execute(
        """
        SELECT c.cfgname FROM pg_ts_config c JOIN pg_namespace n ON n.oid = c.cfgnamespace
        WHERE n.nspname = 'public' AND pg_get_userbyid(c.cfgowner) <> %s
        """,
        (roles.owner,),
    ).fetchall()
    for (name,) in configs:
        conn.execute(
            sql.SQL("ALTER TEXT SEARCH CONFIGURATION {} OWNER TO {}").format(
                sql.Identifier(str(name)), sql.Identifier(roles.owner)
            )
        )
        moved += 1
    return moved


def grant_app_privileges(conn: Connection, app_role: str) -> None:
    """As the owner, inside the migration transaction: grant ``app_role`` exactly what it needs.

    Idempotent: revokes everything first, then grants, so a table that became append-only loses
    its UPDATE/DELETE right. Default privileges cover nothing: every upgrade calls this again.
    """
    role = _quoted(conn, app_role)
    conn.execute(text(f"REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {role}"))
    conn.execute(text(f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM {role}"))
    conn.execute(text(f"REVOKE CREATE ON SCHEMA public FROM {role}"))
    conn.execute(text(f"GRANT USAGE ON SCHEMA public TO {role}"))
    conn.execute(
        text(f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role}")
    )
    conn.execute(text(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {role}"))
    for table in (*AUDIT_TABLES, *READ_ONLY_TABLES):
        if _table_exists(conn, table):
            conn.execute(text(f"REVOKE ALL ON {_quoted(conn, table)} FROM {role}"))
    for table in AUDIT_TABLES:
        if _table_exists(conn, table):
            conn.execute(text(f"GRANT SELECT, INSERT ON {_quoted(conn, table)} TO {role}"))
    for table in READ_ONLY_TABLES:
        if _table_exists(conn, table):
            conn.execute(text(f"GRANT SELECT ON {_quoted(conn, table)} TO {role}"))
    for table in QUEUE_TABLES:
        if _table_exists(conn, table):
            name = _quoted(conn, table)
            conn.execute(text(f"REVOKE ALL ON {name} FROM {role}"))
            conn.execute(text(f"GRANT SELECT, INSERT, DELETE ON {name} TO {role}"))
    for table, columns in UPDATABLE_COLUMNS.items():
        if _table_exists(conn, table):
            name = _quoted(conn, table)
            listed = ", ".join(_quoted(conn, column) for column in columns)
            conn.execute(text(f"REVOKE ALL ON {name} FROM {role}"))
            conn.execute(text(f"GRANT SELECT, INSERT, UPDATE ({listed}) ON {name} TO {role}"))


def check_least_privilege(conn: Connection) -> None:
    """Raise `DatabaseRoleError` unless the connected role is a least-privilege application role.

    Refused: a role that is, or may become (membership with or without INHERIT, so ``SET ROLE``
    counts), a superuser or the owner of the audit trail; one that owns the schema or its
    tables, or may create objects in the schema or the database; one with CREATEROLE,
    REPLICATION or BYPASSRLS; a member of ``pg_read_server_files``, ``pg_write_server_files`` or
    ``pg_execute_server_program``; one that may UPDATE (any column), DELETE, TRUNCATE or add
    triggers to an append-only table. Also refused: an audit trail whose append-only triggers
    are missing or disabled, and a server whose transactions default to an isolation level other
    than READ COMMITTED (the audit chain's writer relies on it).
    """
    row = conn.execute(
        text(
            """
            SELECT r.rolname, r.rolcreaterole OR r.rolreplication OR r.rolbypassrls AS powers,
                   EXISTS (SELECT 1 FROM pg_roles s WHERE s.rolsuper
                           AND pg_has_role(r.oid, s.oid, 'MEMBER')) AS superuser,
                   pg_get_userbyid(n.nspowner) = r.rolname AS owns_schema,
                   has_schema_privilege(r.rolname, 'public', 'CREATE')
                     OR has_database_privilege(r.rolname, current_database(), 'CREATE')
                     AS can_create,
                   EXISTS (SELECT 1 FROM pg_class c JOIN pg_namespace cn ON cn.oid = c.relnamespace
                           WHERE cn.nspname = 'public' AND c.relkind IN ('r', 'p')
                           AND pg_has_role(r.oid, c.relowner, 'MEMBER')) AS owns_tables,
                   EXISTS (SELECT 1 FROM pg_roles f WHERE f.rolname IN
                           ('pg_read_server_files', 'pg_write_server_files',
                            'pg_execute_server_program')
                           AND pg_has_role(r.oid, f.oid, 'MEMBER')) AS file_access
            FROM pg_roles r, pg_namespace n
            WHERE r.rolname = current_user AND n.nspname = 'public'
            """
        )
    ).one()
    problems = []
    if row.superuser:
        problems.append("it is, or may become, a superuser")
    if row.owns_schema or row.owns_tables:
        problems.append("it owns, or may act as the owner of, the schema or its tables")
    if row.can_create:
        problems.append("it may create objects in the schema or the database")
    if row.powers:
        problems.append("it has CREATEROLE, REPLICATION or BYPASSRLS")
    if row.file_access:
        problems.append("it may read or write server files or run programs")
    for table in AUDIT_TABLES:
        if not _table_exists(conn, table):
            continue
        may_change = conn.execute(
            text(
                "SELECT has_any_column_privilege(current_user, :t, 'UPDATE')"
                " OR has_table_privilege(current_user, :t, 'DELETE')"
                " OR has_table_privilege(current_user, :t, 'TRUNCATE')"
                " OR has_table_privilege(current_user, :t, 'TRIGGER')"
            ),
            {"t": table},
        ).scalar_one()
        if may_change:
            problems.append(f"it may change or remove rows of {table}")
    isolation = conn.execute(text("SHOW default_transaction_isolation")).scalar_one()
    if isolation != "read committed":
        # The audit chain reads its last hash after taking its lock: under a snapshot taken
        # before the lock (REPEATABLE READ, SERIALIZABLE) two writers would chain to one parent.
        problems.append(f"transactions default to {isolation}, not read committed")
    if _table_exists(conn, "audit_events"):
        enabled = conn.execute(
            text(
                "SELECT count(*) FROM pg_trigger WHERE tgrelid = 'audit_events'::regclass"
                " AND tgname = ANY(:names) AND tgenabled IN ('O', 'A')"
            ),
            {"names": list(AUDIT_TRIGGERS)},
        ).scalar_one()
        if enabled != len(AUDIT_TRIGGERS):
            problems.append("the append-only triggers of audit_events are missing or disabled")
    if problems:
        raise DatabaseRoleError(
            f"the database role {row.rolname!r} has more rights than the application may hold: "
            + "; ".join(problems)
            + ". Connect the application (NCEN_DATABASE_URL) as a least-privilege role and run "
            "migrations as the owner (NCEN_DATABASE_OWNER_URL); see docs/operations.md."
        )


def _table_exists(conn: Connection, table: str) -> bool:
    return bool(conn.execute(text("SELECT to_regclass(:t) IS NOT NULL"), {"t": table}).scalar())


def _quoted(conn: Connection, identifier: str) -> str:
    quoted: str = conn.execute(text("SELECT quote_ident(:i)"), {"i": identifier}).scalar_one()
    return quoted
