"""Helpers shared by every group of the ``ncen`` command line.

`database` opens the node's database for one command and `fail_on_ncen_errors` turns domain
errors into one-line messages with exit code 1. They live apart from `ncen.cli` so that the
command modules of each package (`ncen.search.cli`, ...) can use them while `ncen.cli`
gathers those modules into its ``COMMANDS``.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import click
from sqlalchemy import Engine

from ncen.errors import NcenError, ValidationError
from ncen.runtime import open_database
from ncen.settings import Settings, load_settings


def settings_from(ctx: click.Context) -> Settings:
    """The settings loaded once by the root command."""
    settings = ctx.find_object(Settings)
    if settings is None:
        settings = load_settings()
        ctx.obj = settings
    return settings


@contextmanager
def database(ctx: click.Context, *, check_role: bool = True) -> Iterator[Engine]:
    """Open the node's database for one command as the application's role.

    The role is checked first (`ncen.dbroles.check_least_privilege`) unless ``check_role`` is
    False. The settings with the database URLs filled in are left in ``ctx.meta`` under
    ``"ncen.settings"`` for commands that also need the owner role.
    """
    with open_database(settings_from(ctx), check_role=check_role) as (settings, engine):
        ctx.meta["ncen.settings"] = settings
        yield engine


def opened_settings(ctx: click.Context) -> Settings:
    """The settings of the database opened by `database` in this command (URLs filled in)."""
    settings: Settings = ctx.meta["ncen.settings"]
    return settings


def fail_on_ncen_errors(func_: Callable[..., Any]) -> Callable[..., Any]:
    """Print an `NcenError` as a one-line message with exit code 1 instead of a traceback."""

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func_(*args, **kwargs)
        except ValidationError as exc:
            for field, message in exc.errors.items():
                click.echo(f"error: {field}: {message}", err=True)
            sys.exit(1)
        except NcenError as exc:
            click.echo(f"error: {exc}", err=True)
            sys.exit(1)

    wrapper.__name__ = func_.__name__
    wrapper.__doc__ = func_.__doc__
    return wrapper
