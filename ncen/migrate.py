"""Programmatic Alembic: upgrade, downgrade and report the schema revision.

The migration scripts live in the top-level ``migrations`` package, so an installed node finds
them without an ``alembic.ini`` in the working directory.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, make_url

from ncen.db import make_engine
from ncen.dbroles import grant_app_privileges
from ncen.settings import Settings


def alembic_config(engine: Engine) -> Config:
    """An Alembic config bound to ``engine``'s URL, pointing at the ``migrations`` package."""
    import migrations

    config = Config()
    config.set_main_option("script_location", str(Path(migrations.__file__).parent))
    config.set_main_option(
        "sqlalchemy.url", engine.url.render_as_string(hide_password=False).replace("%", "%%")
    )
    return config


def upgrade(engine: Engine, revision: str = "heads", *, app_role: str | None = None) -> None:
    """Upgrade the schema to ``revision`` (default: the newest of every branch).

    ``engine`` connects as the schema owner. With ``app_role``, the application role's rights are
    set again in the same transaction (`ncen.dbroles.grant_app_privileges`), so new tables are
    granted and the audit trail stays append-only for it.
    """
    with engine.begin() as conn:
        config = alembic_config(engine)
        config.attributes["connection"] = conn
        command.upgrade(config, revision)
        if app_role:
            grant_app_privileges(conn, app_role)


def app_role_of(settings: Settings) -> str | None:
    """The application's role name when it differs from the owner's (two-role set-up), else None."""
    if not settings.database_url or not settings.database_owner_url:
        return None
    app = make_url(settings.database_url).username
    owner = make_url(settings.database_owner_url).username
    return app if app and app != owner else None


def upgrade_node(settings: Settings, revision: str = "heads") -> None:
    """Upgrade a node's database as its owner and re-grant the application role.

    ``settings`` must have its URLs filled in (`ncen.runtime.open_database`)."""
    if settings.migration_url is None:
        raise ValueError("upgrade_node needs settings from open_database")
    owner = make_engine(settings.migration_url)
    try:
        upgrade(owner, revision, app_role=app_role_of(settings))
    finally:
        owner.dispose()


def downgrade(engine: Engine, revision: str) -> None:
    """Downgrade the schema to ``revision`` (``base`` removes everything ncen made)."""
    with engine.begin() as conn:
        config = alembic_config(engine)
        config.attributes["connection"] = conn
        command.downgrade(config, revision)


def current_revision(engine: Engine) -> str | None:
    """The revision(s) the database is at (comma-separated), or None for an empty database."""
    with engine.connect() as conn:
        heads = MigrationContext.configure(conn).get_current_heads()
    return ",".join(sorted(heads)) or None


def head_revision(engine: Engine) -> str | None:
    """The newest revision(s) the code knows (comma-separated)."""
    heads = ScriptDirectory.from_config(alembic_config(engine)).get_heads()
    return ",".join(sorted(heads)) or None
