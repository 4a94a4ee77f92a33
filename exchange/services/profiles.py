"""Shared risk profiles: send one to peers, receive one as a foreign profile, adopt it.

An exchange officer (``RUN_EXCHANGE``) sends the current version of a national profile as a
``profile`` message with one ``ncen-profile/1`` record set (`exchange.records.profileschema`),
like a CENcomm warning, under one handling code that the sending policy checks per peer:

- every recipient's agreement must cover the handling code;
- **H2**: a profile adopted from a peer's H2 profile goes back to that peer only;
- **H3**: only with the officer's explicit confirmation that the restrictions allow it;
- a profile naming a lookup list is refused (lists are not shared: see the schema module).

The receiving node checks the same again (the agreement with the sender must cover the code;
the profile must come from the sender itself), then validates the expression with the local
`ncen.targeting` validation (fields, operators, reference codes) before it stores anything.
Any refusal raises `PolicyError` with the reason, so the bundle is rejected whole. A received
profile is read-only (`ForeignProfile`); an analyst (``MANAGE_PROFILES``) adopts it as a local
draft (`adopt_profile`), which keeps its provenance. Feedback travels in `exchange.services.
profile_feedback`. Every write is audited; the caller owns the transaction.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from exchange.crypto.bundle import RecordSet
from exchange.crypto.canonical import canonical_json
from exchange.crypto.opening import OpenedBundle
from exchange.errors import PolicyError
from exchange.models import Peer
from exchange.network.node import NodeContext
from exchange.network.outbox import QueuedBundle, queue_message
from exchange.profilemodels import ForeignProfile, ProfileShare
from exchange.records.profileschema import PROFILE_HANDLING_CODES, PROFILE_SCHEMA, PROFILE_SET
from exchange.services.trust import agreement_of, get_peer
from ncen.accounts.actor import Actor
from ncen.audit import record_event
from ncen.db import utcnow
from ncen.errors import NotFoundError, ValidationError
from ncen.policy import Action, is_allowed, require
from ncen.targeting.ast import criteria
from ncen.targeting.language import ExpressionError, parse_profile
from ncen.targeting.models import RiskProfile
from ncen.targeting.profiles import create_profile
from ncen.targeting.validation import validate_expression

INBOX = Actor.system("exchange-inbox")


def _names_a_list(expression: str) -> bool:
    return any(c.op == "lookup" for c in criteria(parse_profile(expression)))


def profile_record_set(profile: RiskProfile, handling_code: str) -> dict[str, Any]:
    """The ``ncen-profile/1`` value of ``profile``'s current version."""
    version = profile.current_version
    if version is None:
        raise PolicyError("the profile has no version to send")
    return {
        "schema": PROFILE_SCHEMA,
        "profile": {
            "id": str(profile.id),
            "version": version.number,
            "name": profile.name,
            "purpose": profile.purpose,
            "expression": version.expression,
            "lane": profile.lane.value,
            "score": profile.score,
            "starts_on": profile.starts_on.isoformat() if profile.starts_on else None,
            "ends_on": profile.ends_on.isoformat() if profile.ends_on else None,
            "handling_code": handling_code,
        },
    }


def sending_violations(
    session: Session,
    profile: RiskProfile,
    peers: list[Peer],
    handling_code: str,
    *,
    h3_confirmed: bool,
) -> list[str]:
    """Every reason the sending policy refuses ``profile`` for ``peers`` (empty: it may go)."""
    problems: list[str] = []
    if handling_code not in PROFILE_HANDLING_CODES:
        return [f"unknown handling code {handling_code!r}"]
    version = profile.current_version
    if version is not None and _names_a_list(version.expression):
        problems.append("the profile uses lookup lists, which are not shared: remove them first")
    source = session.execute(
        select(ForeignProfile).where(ForeignProfile.adopted_profile_id == profile.id)
    ).scalar_one_or_none()
    for peer in peers:
        if handling_code not in agreement_of(peer).handling_codes:
            problems.append(f"to {peer.node_id}: agreement does not cover {handling_code}")
        if (
            source is not None
            and source.handling_code == "H2"
            and peer.node_id != source.origin_node
        ):
            problems.append(
                f"to {peer.node_id}: adopted from an H2 profile of {source.origin_node}, "
                "no onward transmission without the originator's consent"
            )
    if handling_code == "H3" and not h3_confirmed:
        problems.append("H3: confirm that the restrictions allow these recipients")
    return problems


def send_profile(
    session: Session,
    actor: Actor,
    node: NodeContext,
    *,
    profile_id: uuid.UUID,
    recipients: list[str],
    handling_code: str,
    legal_basis: str,
    purpose: str,
    now: datetime,
    h3_confirmed: bool = False,
) -> QueuedBundle:
    """Queue the current version of national profile ``profile_id`` for ``recipients``.

    Needs ``RUN_EXCHANGE``. Raises `NotFoundError`, `PolicyError` (every reason at once; a
    received profile is never sent on: adopt it first), `PeerError`, `SchemaError`. Writes one
    `ProfileShare` per recipient and audits ``exchange.profile.send``.
    """
    require(actor, Action.RUN_EXCHANGE)
    profile = session.get(RiskProfile, profile_id)
    if profile is None:
        raise NotFoundError("profile", profile_id)
    names = list(dict.fromkeys(r.strip() for r in recipients if r.strip()))
    if not names:
        raise PolicyError("choose at least one recipient")
    peers = [get_peer(session, name) for name in names]
    problems = sending_violations(session, profile, peers, handling_code, h3_confirmed=h3_confirmed)
    if problems:
        raise PolicyError("the sharing policy refuses this profile: " + "; ".join(problems))
    value = profile_record_set(profile, handling_code)
    number = value["profile"]["version"]
    queued = queue_message(
        session,
        actor,
        node,
        recipients=names,
        kind="profile",
        body={"profile_id": str(profile.id), "version": number},
        legal_basis=legal_basis.strip(),
        purpose=purpose.strip(),
        now=now,
        attached=[RecordSet(PROFILE_SET, canonical_json(value))],
        handling_codes=[handling_code],
    )
    for name in names:
        session.add(
            ProfileShare(
                profile_id=profile.id,
                version_number=number,
                peer_node_id=name,
                bundle_id=queued.bundle_id,
                handling_code=handling_code,
                sent_by=actor.username[:64],
                sent_at=now,
            )
        )
    session.flush()
    record_event(
        session,
        actor,
        "exchange.profile.send",
        record_type="profile",
        record_id=profile.id,
        details={
            "version": number,
            "peers": names,
            "handling_code": handling_code,
            "bundle_id": str(queued.bundle_id),
            "h3_confirmed": h3_confirmed if handling_code == "H3" else None,
        },
    )
    return queued


def _day(raw: str | None) -> date | None:
    return date.fromisoformat(raw) if raw else None


def receive_profile(
    session: Session, node: NodeContext, sender: Peer, opened: OpenedBundle, message: dict[str, Any]
) -> None:
    """Keep a received profile as a `ForeignProfile` (inside the import transaction), after
    checking its origin, handling code and expression; `PolicyError` refuses the bundle."""
    sets = [rs for rs in opened.record_sets if rs.name == PROFILE_SET]
    if len(sets) != 1:
        raise PolicyError("a profile message carries exactly one profile record set")
    if sets[0].originator.originator_node_id != sender.node_id:
        raise PolicyError("a profile is accepted from its originator only")
    value = sets[0].records["profile"]
    body = message["body"]
    if (value["id"], value["version"]) != (body["profile_id"], body["version"]):
        raise PolicyError("the profile message names another profile than the one carried")
    code = value["handling_code"]
    if code not in opened.header.handling_codes:
        raise PolicyError(f"handling code {code} is not stated in the bundle header")
    if code not in agreement_of(sender).handling_codes:
        raise PolicyError(f"handling code {code} is not in the agreement")
    try:
        if _names_a_list(value["expression"]):
            raise PolicyError("profile refused: it uses lookup lists, which are not shared")
        validate_expression(session, value["expression"])
    except ExpressionError as error:
        raise PolicyError(f"profile refused: {error.errors['expression']}") from error
    origin_id = uuid.UUID(value["id"])
    exists = session.execute(
        select(ForeignProfile.id).where(
            ForeignProfile.origin_node == sender.node_id,
            ForeignProfile.origin_profile_id == origin_id,
            ForeignProfile.origin_version == value["version"],
        )
    ).first()
    if exists is not None:
        raise PolicyError("this version of the profile was received already")
    try:
        starts_on, ends_on = _day(value["starts_on"]), _day(value["ends_on"])
    except ValueError as error:
        raise PolicyError("profile refused: a date is not a calendar date") from error
    foreign = ForeignProfile(
        id=uuid.uuid4(),
        origin_node=sender.node_id,
        origin_profile_id=origin_id,
        origin_version=value["version"],
        name=value["name"],
        purpose=value["purpose"],
        expression=value["expression"],
        lane=value["lane"],
        score=value["score"],
        starts_on=starts_on,
        ends_on=ends_on,
        handling_code=code,
        bundle_id=opened.header.bundle_id,
        received_at=utcnow(),
    )
    session.add(foreign)
    session.flush()
    record_event(
        session, INBOX, "exchange.profile.receive", record_type="foreign_profile",
        record_id=foreign.id,
        details={"peer": sender.node_id, "origin_profile_id": value["id"],
                 "version": value["version"], "handling_code": code},
    )  # fmt: skip


def list_foreign_profiles(session: Session, actor: Actor) -> list[ForeignProfile]:
    """Received profiles, newest first (``MANAGE_PROFILES`` or ``RUN_EXCHANGE``)."""
    if not is_allowed(actor, Action.RUN_EXCHANGE):
        require(actor, Action.MANAGE_PROFILES)
    return list(
        session.execute(
            select(ForeignProfile)
            .order_by(ForeignProfile.received_at.desc(), ForeignProfile.id)
            .limit(500)
        ).scalars()
    )


def get_foreign_profile(session: Session, actor: Actor, foreign_id: uuid.UUID) -> ForeignProfile:
    """One received profile (``MANAGE_PROFILES``), or `NotFoundError`."""
    require(actor, Action.MANAGE_PROFILES)
    foreign = session.get(ForeignProfile, foreign_id)
    if foreign is None:
        raise NotFoundError("foreign profile", foreign_id)
    return foreign


def adopt_profile(
    session: Session, actor: Actor, foreign_id: uuid.UUID, *, name: str | None = None
) -> RiskProfile:
    """Make a local draft copy of received profile ``foreign_id``, owned by the actor, with its
    provenance (origin node, profile id and version) in its purpose and version note.

    Needs ``MANAGE_PROFILES``. The expression is validated again by `create_profile`. Raises
    `NotFoundError`, `ValidationError` (already adopted, a name taken: pass another ``name``).
    Audits ``targeting.profile.adopt``.
    """
    require(actor, Action.MANAGE_PROFILES)
    foreign = session.get(ForeignProfile, foreign_id, with_for_update=True)
    if foreign is None:
        raise NotFoundError("foreign profile", foreign_id)
    if foreign.adopted_profile_id is not None:
        raise ValidationError({"name": "this profile was adopted already"})
    origin = (
        f"{foreign.origin_node}, profile {foreign.origin_profile_id}, "
        f"version {foreign.origin_version}"
    )
    chosen = (name or "").strip() or f"{foreign.name} ({foreign.origin_node})"[:200]
    profile = create_profile(
        session,
        actor,
        {
            "name": chosen,
            "purpose": f"{foreign.purpose}\n\n[Adopted from {origin}]".strip()[:2000],
            "expression": foreign.expression,
            "lane": foreign.lane,
            "score": str(foreign.score),
            "starts_on": foreign.starts_on.isoformat() if foreign.starts_on else "",
            "ends_on": foreign.ends_on.isoformat() if foreign.ends_on else "",
            "review_on": "",
            "note": f"Adopted from {origin}"[:500],
        },
    )
    foreign.adopted_profile_id, foreign.adopted_by = profile.id, actor.username[:64]
    foreign.adopted_at = utcnow()
    session.flush()
    record_event(
        session, actor, "targeting.profile.adopt", record_type="profile", record_id=profile.id,
        details={"foreign_profile_id": str(foreign.id), "origin_node": foreign.origin_node,
                 "origin_profile_id": str(foreign.origin_profile_id),
                 "origin_version": foreign.origin_version},
    )  # fmt: skip
    return profile


def provenance_of(session: Session, profile_id: uuid.UUID) -> ForeignProfile | None:
    """The received profile a local profile was adopted from (None: written here)."""
    return session.execute(
        select(ForeignProfile).where(ForeignProfile.adopted_profile_id == profile_id)
    ).scalar_one_or_none()


def sendable_profiles(session: Session, actor: Actor) -> list[RiskProfile]:
    """National profiles an exchange officer may send (``RUN_EXCHANGE``): every one with a
    version, by name; the sending policy decides per peer. A profile holds no nominal data."""
    require(actor, Action.RUN_EXCHANGE)
    return list(
        session.execute(
            select(RiskProfile)
            .where(RiskProfile.current_version_id.is_not(None))
            .order_by(RiskProfile.name)
            .limit(500)
        ).scalars()
    )
