"""Alembic environment: runs migrations on the connection or URL that `ncen.migrate` passes in."""

from __future__ import annotations

from alembic import context
from sqlalchemy import engine_from_config, pool

import exchange.models  # noqa: F401 - exchange tables share ncen's metadata (ncen cannot import them)
from ncen.models import metadata

config = context.config


def run_migrations_online() -> None:
    """Migrate using a caller-provided connection, or an engine built from sqlalchemy.url."""
    connection = config.attributes.get("connection")
    if connection is not None:
        context.configure(connection=connection, target_metadata=metadata, compare_type=True)
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = engine_from_config(
        config.get_section(config.config_ini_section) or {},
        prefix="sqlalchemy.",
        poolclass=pool.NullPool,
    )
    with engine.connect() as conn:
        context.configure(connection=conn, target_metadata=metadata, compare_type=True)
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    raise SystemExit("ncen migrations run online only: use `ncen db upgrade`")
run_migrations_online()
