"""``ncen api-token create|list|revoke``: personal API tokens managed at the host's console.

The operator acts as the node (`Actor.system`), so it may make a token for any active user
(for example a service account of a national system that reads the API); every act is
audited like the account page's. ``create`` prints the token once: store it at once.
"""

from __future__ import annotations

import uuid

import click
from sqlalchemy.orm import Session

from ncen.accounts import services as accounts
from ncen.accounts.actor import Actor
from ncen.apitokens.models import TokenScope
from ncen.apitokens.services import create_token, is_usable, list_tokens, revoke_token
from ncen.clitools import database, fail_on_ncen_errors, settings_from
from ncen.db import utcnow


@click.group("api-token")
def api_token_group() -> None:
    """Personal API tokens for /api/v1: create, list, revoke."""


@api_token_group.command("create")
@click.argument("username")
@click.option("--name", required=True, help="What the token is for.")
@click.option(
    "--scope", type=click.Choice([s.value for s in TokenScope]), default=TokenScope.READ.value
)
@click.option("--days", type=int, default=90, show_default=True, help="Lifetime in days.")
@click.pass_context
@fail_on_ncen_errors
def api_token_create(ctx: click.Context, username: str, name: str, scope: str, days: int) -> None:
    """Create a token for USERNAME and print it (once)."""
    max_days = settings_from(ctx).api_token_max_days
    with database(ctx) as engine, Session(engine) as session, session.begin():
        user = accounts.find_user(session, username)
        issued = create_token(
            session,
            Actor.system("cli"),
            user_id=user.id,
            name=name,
            scope=scope,
            days=days,
            max_days=max_days,
        )
        click.echo(f"created token {issued.token.id} for {username} ({scope}, {days} days)")
        click.echo(f"token (shown once): {issued.text}")


@api_token_group.command("list")
@click.argument("username")
@click.pass_context
@fail_on_ncen_errors
def api_token_list(ctx: click.Context, username: str) -> None:
    """List USERNAME's tokens (never their text)."""
    now = utcnow()
    with database(ctx) as engine, Session(engine) as session:
        user = accounts.find_user(session, username)
        for token in list_tokens(session, user.id):
            state = (
                "active"
                if is_usable(token, now)
                else ("revoked" if token.revoked_at else "expired")
            )
            click.echo(
                f"{token.id}  ncen_{token.prefix}_…  {token.scope.value:<10} {state:<8} "
                f"expires {token.expires_at:%Y-%m-%d}  {token.name}"
            )


@api_token_group.command("revoke")
@click.argument("token_id", type=click.UUID)
@click.pass_context
@fail_on_ncen_errors
def api_token_revoke(ctx: click.Context, token_id: uuid.UUID) -> None:
    """Revoke a token by its id (as listed); it stops working at once."""
    with database(ctx) as engine, Session(engine) as session, session.begin():
        revoke_token(session, Actor.system("cli"), token_id)
    click.echo(f"revoked {token_id}")
