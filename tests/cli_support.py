"""Tests of the ``ncen`` command line, each on a database of its own.

The commands read their settings from the environment, as an operator's shell would give them;
`cli_database` points that environment at a fresh, migrated database and `run_cli` invokes the
command group in-process.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from sqlalchemy import Engine

from ncen import migrate
from ncen.db import make_engine
from ncen.dbroles import APP_ROLE
from web.cli import cli


def cli_database(
    empty_database: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str
) -> Engine:
    """Create database ``name``, point ``NCEN_*`` at it (application and owner URLs, an
    instance folder under ``tmp_path``, no settings file), migrate it as the owner, and return
    an engine of the application role (the caller disposes of it)."""
    db = empty_database(name)
    for env_name, value in db.env.items():
        monkeypatch.setenv(env_name, value)
    monkeypatch.setenv("NCEN_INSTANCE_PATH", str(tmp_path / "instance"))
    monkeypatch.delenv("NCEN_CONFIG", raising=False)
    owner = make_engine(db.owner)
    try:
        migrate.upgrade(owner, app_role=APP_ROLE)
    finally:
        owner.dispose()
    return make_engine(db.app)


def run_cli(*args: str) -> tuple[int, str, str]:
    """Run ``ncen ARGS``; return its exit code, standard output and standard error."""
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr
