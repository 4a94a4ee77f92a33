"""Sharing risk profiles at the console: ``ncen targeting profiles send|received|adopt|feedback``.

The commands mirror the web pages (`web.exchange.profiles`, `web.targeting.foreign_views`):

- ``send ID --peer P [--peer Q] --handling H1 --legal-basis .. --purpose .. [--confirm-h3]``
  queues the profile's current version for the peers, as a signed bundle (like a CENcomm
  warning), under the sharing policy of `exchange.services.profiles`;
- ``received`` lists the profiles peers sent, with what became of them;
- ``adopt FOREIGN_ID --owner USER [--name N]`` makes a local draft copy that ``USER`` (an
  analyst) owns, with its provenance;
- ``feedback FOREIGN_ID --legal-basis ..`` returns the hit counts of the adopted copy to the
  originator (like a CENcomm feedback).

They live in `exchange` (``ncen`` never imports it) and are attached to ``ncen targeting
profiles`` by the composition root (`web.cli`). The console acts as the node for sending and
feedback; adopting acts as ``--owner``. ``--json`` on each; errors print as one line, exit 1.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

import click
from sqlalchemy import select
from sqlalchemy.orm import Session

from exchange.network.node import load_node
from exchange.network.worker import utc_now
from exchange.records.profileschema import PROFILE_HANDLING_CODES
from exchange.services.profile_feedback import send_feedback
from exchange.services.profiles import adopt_profile, list_foreign_profiles, send_profile
from ncen.accounts.actor import Actor
from ncen.accounts.models import User
from ncen.clitools import database, settings_from
from ncen.errors import ValidationError

CONSOLE = Actor.system("exchange-cli")


def _emit(document: dict[str, Any], as_json: bool, text: str) -> None:
    click.echo(json.dumps(document, ensure_ascii=False, indent=2) if as_json else text)


def _json_option(func: Any) -> Any:
    return click.option("--json", "as_json", is_flag=True, help="Print one JSON document.")(func)


def _uuid(value: str, name: str) -> uuid.UUID:
    try:
        return uuid.UUID(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not an id", param_hint=name) from None


@click.command("send")
@click.argument("profile_id")
@click.option("--peer", "peers", multiple=True, required=True, help="A peer node id (repeatable).")
@click.option(
    "--handling",
    type=click.Choice(sorted(PROFILE_HANDLING_CODES), case_sensitive=False),
    required=True,
    help="The handling code the bundle carries.",
)
@click.option("--legal-basis", required=True, help="The legal basis of the transmission.")
@click.option("--purpose", required=True, help="Why the peers receive it.")
@click.option("--confirm-h3", is_flag=True, help="H3: the restrictions allow these recipients.")
@_json_option
@click.pass_context
def profiles_send(  # noqa: PLR0917 - click passes options by keyword
    ctx: click.Context,
    profile_id: str,
    peers: tuple[str, ...],
    handling: str,
    legal_basis: str,
    purpose: str,
    confirm_h3: bool,
    as_json: bool,
) -> None:
    """Send the current version of a national profile (PROFILE_ID) to peers, signed and
    sealed; the worker delivers it. The sharing policy refuses with every reason at once."""
    wanted = _uuid(profile_id, "PROFILE_ID")
    node = load_node(settings_from(ctx))
    with database(ctx) as engine, Session(engine) as session, session.begin():
        queued = send_profile(
            session, CONSOLE, node, profile_id=wanted, recipients=list(peers),
            handling_code=handling.upper(), legal_basis=legal_basis, purpose=purpose,
            now=utc_now(), h3_confirmed=confirm_h3,
        )  # fmt: skip
    document = {
        "bundle_id": str(queued.bundle_id),
        "recipients": [{"peer": peer, "sequence": seq} for peer, seq in queued.recipients],
    }
    _emit(document, as_json, f"queued bundle {queued.bundle_id} for {', '.join(peers)}")


@click.command("received")
@_json_option
@click.pass_context
def profiles_received(ctx: click.Context, as_json: bool) -> None:
    """The profiles peers sent this node, newest first, and whether they were adopted."""
    with database(ctx) as engine, Session(engine) as session, session.begin():
        rows = [
            {
                "id": str(f.id),
                "name": f.name,
                "origin_node": f.origin_node,
                "origin_version": f.origin_version,
                "handling_code": f.handling_code,
                "received_at": f.received_at.isoformat(),
                "adopted_profile_id": str(f.adopted_profile_id) if f.adopted_profile_id else None,
                "feedback_sent_at": f.feedback_sent_at.isoformat() if f.feedback_sent_at else None,
            }
            for f in list_foreign_profiles(session, CONSOLE)
        ]
    text = "\n".join(
        f"{r['id']}  {r['origin_node']:<12} v{r['origin_version']:<3} {r['handling_code']}  "
        f"{r['name']}" + ("  [adopted]" if r["adopted_profile_id"] else "")
        for r in rows
    )
    _emit({"received": rows}, as_json, text or "no profile received")


@click.command("adopt")
@click.argument("foreign_id")
@click.option("--owner", required=True, help="Username who owns the local copy (an analyst).")
@click.option("--name", default=None, help="A name for the copy (default: name and origin).")
@_json_option
@click.pass_context
def profiles_adopt(
    ctx: click.Context, foreign_id: str, owner: str, name: str | None, as_json: bool
) -> None:
    """Adopt a received profile (FOREIGN_ID, from ``received``): a local draft copy with its
    provenance, to back-test and activate like any other."""
    wanted = _uuid(foreign_id, "FOREIGN_ID")
    with database(ctx) as engine, Session(engine) as session, session.begin():
        user = session.execute(select(User).where(User.username == owner)).scalar_one_or_none()
        if user is None:
            raise ValidationError({"owner": f"no user named {owner}"})
        profile = adopt_profile(session, Actor.of(user), wanted, name=name)
        document = {"id": str(profile.id), "name": profile.name, "status": profile.status.value}
    _emit(document, as_json, f"adopted as {document['id']} {document['name']} (draft)")


@click.command("feedback")
@click.argument("foreign_id")
@click.option("--legal-basis", required=True, help="The legal basis of the transmission.")
@_json_option
@click.pass_context
def profiles_feedback(ctx: click.Context, foreign_id: str, legal_basis: str, as_json: bool) -> None:
    """Return the hit counts of an adopted profile's local copy to its originator."""
    wanted = _uuid(foreign_id, "FOREIGN_ID")
    node = load_node(settings_from(ctx))
    with database(ctx) as engine, Session(engine) as session, session.begin():
        queued = send_feedback(
            session, CONSOLE, node, foreign_id=wanted, legal_basis=legal_basis, now=utc_now()
        )
    _emit({"bundle_id": str(queued.bundle_id)}, as_json, f"queued feedback {queued.bundle_id}")


PROFILE_COMMANDS: tuple[click.Command, ...] = (
    profiles_send,
    profiles_received,
    profiles_adopt,
    profiles_feedback,
)


def attach_profile_commands(group: click.Group) -> None:
    """Add the commands above to ``group`` (``ncen targeting profiles``), each printing an
    `ExchangeError` or `NcenError` as one line with exit status 1."""
    from exchange.cli import fail_on_exchange_errors

    for command in PROFILE_COMMANDS:
        if command.callback is not None:
            command.callback = fail_on_exchange_errors(command.callback)
        group.add_command(command)
