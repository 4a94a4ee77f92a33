"""Feedback on the hits of an adopted profile, returned to the profile's originator.

The receiving node's exchange officer (``RUN_EXCHANGE``) returns, for a profile it adopted, the
hit counts of the local copy: hits, confirmed, dismissed (a ``profile-feedback`` message, like a
CENcomm feedback). Only counts travel: no record, no person, no reference, whatever the handling
code, so the message always goes under H0. The originator accepts feedback only from a peer
it sent that profile version to (`ProfileShare`), keeps the latest report per peer and version
(`ProfileFeedback`; an older report never replaces a newer one) and shows it on the profile's
statistics (`peer_feedback`). Everything is audited; the caller owns the transaction.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from exchange.crypto.opening import OpenedBundle
from exchange.errors import PolicyError
from exchange.models import Peer
from exchange.network.node import NodeContext
from exchange.network.outbox import QueuedBundle, queue_message
from exchange.profilemodels import ForeignProfile, ProfileFeedback, ProfileShare
from ncen.accounts.actor import Actor
from ncen.audit import record_event
from ncen.errors import NotFoundError
from ncen.policy import Action, require
from ncen.targeting.models import Hit, HitStatus


@dataclass(frozen=True)
class HitCounts:
    """The triage counts of a profile's hits."""

    hits: int
    confirmed: int
    dismissed: int


def hit_counts(session: Session, profile_id: uuid.UUID) -> HitCounts:
    """Hits of every version of local profile ``profile_id``, by outcome."""
    rows = dict(
        session.execute(
            select(Hit.status, func.count())
            .where(Hit.profile_id == profile_id)
            .group_by(Hit.status)
        ).all()
    )
    return HitCounts(
        hits=sum(int(n) for n in rows.values()),
        confirmed=int(rows.get(HitStatus.CONFIRMED, 0)),
        dismissed=int(rows.get(HitStatus.DISMISSED, 0)),
    )


def send_feedback(
    session: Session,
    actor: Actor,
    node: NodeContext,
    *,
    foreign_id: uuid.UUID,
    legal_basis: str,
    now: datetime,
) -> QueuedBundle:
    """Queue the hit counts of the local copy of received profile ``foreign_id`` for its
    originator. Needs ``RUN_EXCHANGE``. Raises `NotFoundError`, `PolicyError` (not adopted),
    `PeerError`. Audits ``exchange.profile.feedback``."""
    require(actor, Action.RUN_EXCHANGE)
    foreign = session.get(ForeignProfile, foreign_id, with_for_update=True)
    if foreign is None:
        raise NotFoundError("foreign profile", foreign_id)
    if foreign.adopted_profile_id is None:
        raise PolicyError("adopt the profile first: feedback reports the hits of the local copy")
    counts = hit_counts(session, foreign.adopted_profile_id)
    queued = queue_message(
        session,
        actor,
        node,
        recipients=[foreign.origin_node],
        kind="profile-feedback",
        body={
            "profile_id": str(foreign.origin_profile_id),
            "version": foreign.origin_version,
            "hits": counts.hits,
            "confirmed": counts.confirmed,
            "dismissed": counts.dismissed,
        },
        legal_basis=legal_basis.strip(),
        purpose="feedback on a shared risk profile",
        now=now,
    )
    foreign.feedback_sent_at = now
    session.flush()
    record_event(
        session, actor, "exchange.profile.feedback", record_type="foreign_profile",
        record_id=foreign.id,
        details={"peer": foreign.origin_node, "hits": counts.hits,
                 "confirmed": counts.confirmed, "dismissed": counts.dismissed},
    )  # fmt: skip
    return queued


def receive_profile_feedback(
    session: Session, node: NodeContext, sender: Peer, opened: OpenedBundle, message: dict[str, Any]
) -> None:
    """Keep a peer's feedback on a profile this node sent it (inside the import transaction);
    `PolicyError` for a profile version never sent to that peer."""
    body = message["body"]
    profile_id = uuid.UUID(body["profile_id"])
    shared = session.execute(
        select(ProfileShare.id).where(
            ProfileShare.profile_id == profile_id,
            ProfileShare.peer_node_id == sender.node_id,
            ProfileShare.version_number == body["version"],
        )
    ).first()
    if shared is None:
        raise PolicyError("feedback on a profile this node did not send to this peer")
    row = session.execute(
        select(ProfileFeedback)
        .where(
            ProfileFeedback.profile_id == profile_id,
            ProfileFeedback.peer_node_id == sender.node_id,
            ProfileFeedback.version_number == body["version"],
        )
        .with_for_update()
    ).scalar_one_or_none()
    reported = opened.header.created
    if row is None:
        row = ProfileFeedback(
            profile_id=profile_id, peer_node_id=sender.node_id, version_number=body["version"]
        )
        session.add(row)
    elif row.reported_at >= reported:
        return  # an older report arriving late never replaces a newer one
    row.hits, row.confirmed, row.dismissed = body["hits"], body["confirmed"], body["dismissed"]
    row.reported_at, row.bundle_id = reported, opened.header.bundle_id
    session.flush()
    record_event(
        session, Actor.system("exchange-inbox"), "exchange.profile.feedback_received",
        record_type="profile", record_id=profile_id,
        details={"peer": sender.node_id, "version": body["version"], "hits": body["hits"],
                 "confirmed": body["confirmed"], "dismissed": body["dismissed"]},
    )  # fmt: skip


def peer_feedback(session: Session, profile_id: uuid.UUID) -> list[ProfileFeedback]:
    """The latest feedback per peer and version for a profile this node sent (for its
    statistics); reads no nominal data."""
    return list(
        session.execute(
            select(ProfileFeedback)
            .where(ProfileFeedback.profile_id == profile_id)
            .order_by(ProfileFeedback.peer_node_id, ProfileFeedback.version_number)
        ).scalars()
    )


def shares_of(session: Session, profile_id: uuid.UUID) -> list[ProfileShare]:
    """Where a profile was sent, newest first."""
    return list(
        session.execute(
            select(ProfileShare)
            .where(ProfileShare.profile_id == profile_id)
            .order_by(ProfileShare.sent_at.desc())
        ).scalars()
    )
