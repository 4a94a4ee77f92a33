"""The domain commands of the ``ncen`` command line: db, demo, user, reference, audit, retention.

Commands are thin: they open the database (`ncen.runtime.open_database`), own the transaction,
call services, and print. The ``ncen`` entry point itself (with ``serve`` and ``exchange``) is
assembled in `web.cli`, the composition root.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import click
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from ncen import migrate
from ncen.accounts import services as accounts
from ncen.accounts.actor import Actor
from ncen.accounts.models import Role
from ncen.accounts.passwords import generate_password
from ncen.accounts.totp import seal_clear_secrets
from ncen.analysis.cli import analyse_group
from ncen.analysis.statistics_cli import stats_group
from ncen.apitokens.cli import api_token_group
from ncen.audit.cli import audit_group
from ncen.backup.cli import backup_command, restore_command
from ncen.clitools import database, fail_on_ncen_errors, opened_settings
from ncen.dbroles import check_least_privilege
from ncen.demo.cast import HINTS
from ncen.demo.load import DemoPlan, ensure_admin, ensure_demo_user, load_demo, picture_count
from ncen.demo.rings import planted_count
from ncen.exports.cli import export_command, import_ncen_command
from ncen.imports.cli import import_group
from ncen.investigations.cli import investigations_group
from ncen.merging.cli import duplicates_group
from ncen.persons.models import Person
from ncen.pictures.cli import pictures_group
from ncen.pictures.store import PictureStore
from ncen.reference.load import load_hs_file, load_locode_file
from ncen.reference.loaders import ENCODINGS
from ncen.retention.cli import retention_group
from ncen.retention.dates import assign_missing
from ncen.runtime import owner_engine
from ncen.search.cli import search_group
from ncen.secretbox import SecretBox
from ncen.seizures.cli import seizures_group
from ncen.settings import Settings
from ncen.targeting.cli import targeting_group
from ncen.watch.cli import watch_group


@click.group("db")
def db_group() -> None:
    """Database schema: upgrade, downgrade, current."""


@db_group.command("upgrade")
@click.option("--revision", default="heads", show_default=True)
@click.pass_context
@fail_on_ncen_errors
def db_upgrade(ctx: click.Context, revision: str) -> None:
    """Migrate the schema up to REVISION."""
    with database(ctx, check_role=False) as engine:
        settings = opened_settings(ctx)
        migrate.upgrade_node(settings, revision)
        click.echo(f"database at revision {migrate.current_revision(engine)}")
        if revision == "heads":
            with Session(engine) as session, session.begin():
                sealed = seal_clear_secrets(session, SecretBox.for_settings(settings))
            if sealed:
                click.echo(f"sealed {sealed} TOTP secrets stored in clear")


@db_group.command("downgrade")
@click.argument("revision")
@click.option("--yes", is_flag=True, help="Confirm that data in dropped tables is lost.")
@click.pass_context
@fail_on_ncen_errors
def db_downgrade(ctx: click.Context, revision: str, yes: bool) -> None:
    """Migrate the schema down to REVISION (``base`` removes every ncen table)."""
    if not yes:
        click.confirm(f"Downgrade to {revision}? Data in dropped tables is lost.", abort=True)
    with database(ctx, check_role=False) as engine, owner_engine(opened_settings(ctx)) as owner:
        migrate.downgrade(owner, revision)
        click.echo(f"database at revision {migrate.current_revision(engine) or 'base'}")


@db_group.command("current")
@click.pass_context
@fail_on_ncen_errors
def db_current(ctx: click.Context) -> None:
    """Print the schema revision of the database and of the code."""
    with database(ctx, check_role=False) as engine:
        current = migrate.current_revision(engine) or "base (empty)"
        click.echo(f"database: {current}\ncode head: {migrate.head_revision(engine)}")


def run_demo(
    settings: Settings, engine: Engine, plan: DemoPlan, *, force: bool = False
) -> tuple[str, str | None]:
    """Migrate (as the owner), create the demo administrator and analyst (the analyst's
    password printed), and load demo data unless there.

    ``settings`` come from `open_database`; ``engine`` is the application's. Returns the
    administrator's (username, one-time password), the password None when the account existed
    already (it keeps its password). Prints progress bars.
    """
    migrate.upgrade_node(settings)
    with engine.connect() as conn:
        check_least_privilege(conn)
    with Session(engine) as session, session.begin():
        credentials = ensure_admin(session)
        analyst, analyst_password = ensure_demo_user(
            session, "analyst", "Demo analyst", Role.ANALYST
        )
        has_data = session.execute(select(func.count()).select_from(Person)).scalar_one() > 0
    if analyst_password is None:
        click.echo(f"demo analyst: {analyst} (exists; its password is unchanged)")
    else:
        click.echo(
            f"demo analyst: {analyst}, first password {analyst_password} "
            "(statistics, link charts, timelines, pictures; no second factor needed)"
        )
    if has_data and not force:
        click.echo("demo data already loaded (use --force to add more)")
        echo_demo_hints()
        return credentials
    totals = {
        "planted": planted_count(),
        "pictures": picture_count(),
        "persons": plan.persons,
        "companies": plan.company_count,
        "conveyances": plan.conveyance_count,
        "seizures": plan.seizures,
    }
    bars: dict[str, Any] = {}
    started = time.perf_counter()

    def progress(kind: str, n: int) -> None:
        if kind not in bars:
            for bar in bars.values():
                bar.render_finish()
            bars[kind] = click.progressbar(length=totals[kind], label=f"{kind:<12}")
            bars[kind].__enter__()
        bars[kind].update(n)

    counts = load_demo(
        engine, plan, progress, pictures=PictureStore(settings.picture_path), limits=settings
    )
    for bar in bars.values():
        bar.__exit__(None, None, None)
    # The bulk loader writes around the services: give its rows their review dates.
    with Session(engine) as session, session.begin():
        assign_missing(session)
    elapsed = time.perf_counter() - started
    click.echo(f"loaded {counts['rows']:,} rows in {elapsed:.1f} s")
    echo_demo_hints()
    return credentials


def echo_demo_hints() -> None:
    """Print where to start exploring the planted networks (see ``ncen.demo.cast``)."""
    click.echo("Start with the planted networks (README, 'Demo data'):")
    for what, where in HINTS:
        click.echo(f"  {what:<34} {where}")


@click.command("demo")
@click.option("--persons", default=5_000, show_default=True, type=click.IntRange(0))
@click.option("--seizures", default=10_000, show_default=True, type=click.IntRange(0))
@click.option("--seed", default=2026, show_default=True, type=int)
@click.option("--force", is_flag=True, help="Load more data even if demo data exists.")
@click.pass_context
@fail_on_ncen_errors
def demo_command(ctx: click.Context, persons: int, seizures: int, seed: int, force: bool) -> None:
    """Create an administrator (one-time password printed) and load synthetic demo data."""
    with database(ctx, check_role=False) as engine:
        username, password = run_demo(
            opened_settings(ctx),
            engine,
            DemoPlan(persons=persons, seizures=seizures, seed=seed),
            force=force,
        )
    click.echo(administrator_text(username, password))


def administrator_text(username: str, password: str | None) -> str:
    """What to sign in with: the one-time password, or that the existing one still holds."""
    if password is None:
        return (
            f"administrator: {username} (exists; sign in with the password printed when it was "
            f"made, or set a new one: ncen user reset-password {username})"
        )
    return f"administrator: {username}\none-time password: {password}"


@click.group("user")
def user_group() -> None:
    """User accounts: add, list, disable, enable, reset-password."""


@user_group.command("add")
@click.argument("username")
@click.option("--name", "display_name", required=True, help="Full name shown in the UI.")
@click.option(
    "--role", "roles", multiple=True, required=True, type=click.Choice([r.value for r in Role])
)
@click.option("--email", default=None)
@click.option(
    "--locale", default="en", help="Language code (en, fr, ru...); checked by the service."
)
@click.pass_context
@fail_on_ncen_errors
def user_add(  # noqa: PLR0917 - click passes options by keyword
    ctx: click.Context,
    username: str,
    display_name: str,
    roles: tuple[str, ...],
    email: str | None,
    locale: str,
) -> None:
    """Create a user; prints a one-time password to change at first sign-in."""
    password = generate_password()
    with database(ctx) as engine, Session(engine) as session, session.begin():
        user = accounts.create_user(
            session,
            Actor.system("cli"),
            username=username,
            display_name=display_name,
            password=password,
            roles=roles,
            email=email,
            locale=locale,
        )
        click.echo(f"created {user.username} ({', '.join(sorted(roles))})")
    click.echo(f"one-time password: {password}")


@user_group.command("list")
@click.pass_context
@fail_on_ncen_errors
def user_list(ctx: click.Context) -> None:
    """List users with their roles and state."""
    with database(ctx) as engine, Session(engine) as session:
        for user in accounts.list_users(session, Actor.system("cli")):
            state = "active" if user.active else "disabled"
            roles = ",".join(sorted(r.value for r in user.roles))
            last = user.last_login_at.isoformat(timespec="minutes") if user.last_login_at else "-"
            click.echo(f"{user.username:<24} {state:<9} {roles:<40} last sign-in {last}")


def _set_active(ctx: click.Context, username: str, *, active: bool) -> None:
    with database(ctx) as engine, Session(engine) as session, session.begin():
        user = accounts.find_user(session, username)
        accounts.set_active(session, Actor.system("cli"), user.id, active=active)
    click.echo(f"{username} {'enabled' if active else 'disabled'}")


@user_group.command("disable")
@click.argument("username")
@click.pass_context
@fail_on_ncen_errors
def user_disable(ctx: click.Context, username: str) -> None:
    """Disable an account (it can no longer sign in)."""
    _set_active(ctx, username, active=False)


@user_group.command("enable")
@click.argument("username")
@click.pass_context
@fail_on_ncen_errors
def user_enable(ctx: click.Context, username: str) -> None:
    """Re-enable an account."""
    _set_active(ctx, username, active=True)


@user_group.command("reset-password")
@click.argument("username")
@click.pass_context
@fail_on_ncen_errors
def user_reset_password(ctx: click.Context, username: str) -> None:
    """Give a user a new one-time password."""
    password = generate_password()
    with database(ctx) as engine, Session(engine) as session, session.begin():
        user = accounts.find_user(session, username)
        accounts.reset_password(session, Actor.system("cli"), user.id, password)
    click.echo(f"one-time password for {username}: {password}")


@click.group("reference")
def reference_group() -> None:
    """Reference data: load the HS nomenclature and UN/LOCODE files."""


@reference_group.command("load")
@click.option("--hs", "hs_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--locode", "locode_file", type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@click.option(
    "--encoding",
    type=click.Choice(sorted(ENCODINGS), case_sensitive=False),
    default="utf-8",
    show_default=True,
    help="Encoding of the files; the official UN/LOCODE files are latin-1.",
)
@click.pass_context
@fail_on_ncen_errors
def reference_load(
    ctx: click.Context, hs_file: Path | None, locode_file: Path | None, encoding: str
) -> None:
    """Import HS headings/subheadings and UN/LOCODE locations from CSV files (see docs).

    Files are decoded strictly: a byte that is not valid in ENCODING is reported with its line
    and offset, and nothing is loaded. Load files of different encodings in separate runs.
    """
    if hs_file is None and locode_file is None:
        raise click.UsageError("give --hs FILE, --locode FILE, or both")
    with database(ctx) as engine, Session(engine) as session, session.begin():
        actor = Actor.system("cli")
        if hs_file is not None:
            count = load_hs_file(session, actor, hs_file, encoding)
            click.echo(f"HS nomenclature: {count} codes loaded from {hs_file}")
        if locode_file is not None:
            count = load_locode_file(session, actor, locode_file, encoding)
            click.echo(f"UN/LOCODE: {count} locations loaded from {locode_file}")


COMMANDS: tuple[click.Command, ...] = (
    db_group,
    demo_command,
    user_group,
    reference_group,
    audit_group,
    search_group,
    import_group,
    duplicates_group,
    watch_group,
    targeting_group,
    retention_group,
    pictures_group,
    stats_group,
    backup_command,
    restore_command,
    analyse_group,
    api_token_group,
    export_command,
    investigations_group,
    seizures_group,
)
# The node format's reader joins the import group: ``ncen import ncen FILE``.
import_group.add_command(import_ncen_command)
