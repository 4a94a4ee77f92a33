"""Links between foreign records and national records, made by analysts.

A received record is never merged into a national one: an analyst who sees that a foreign
person is "our" person states it with a link (and a note), which both record pages can show.
`link_foreign` checks that one side is foreign and the other national, needs
``LINK_FOREIGN_RECORDS`` (analysts and supervisors) and audits ``exchange.link``.
"""

from __future__ import annotations

import uuid

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from exchange.errors import PolicyError
from exchange.netmodels import ForeignLink
from exchange.records.foreign import MODELS
from ncen.accounts.actor import Actor
from ncen.audit import record_event
from ncen.policy import Action, require


def link_foreign(
    session: Session,
    actor: Actor,
    *,
    record_type: str,
    foreign_id: uuid.UUID,
    national_id: uuid.UUID,
    note: str | None,
) -> ForeignLink:
    """Link a foreign record to a national record of the same type. Raises `PolicyError`."""
    require(actor, Action.LINK_FOREIGN_RECORDS)
    model = MODELS.get(record_type)
    if model is None:
        raise PolicyError(f"records of type {record_type!r} cannot be linked")
    foreign = session.get(model, foreign_id)
    national = session.get(model, national_id)
    if foreign is None or foreign.origin_node is None:
        raise PolicyError("the first record must be a received (foreign) record")
    if national is None or national.origin_node is not None:
        raise PolicyError("the second record must be a national record")
    link = ForeignLink(
        foreign_type=record_type,
        foreign_id=foreign_id,
        national_type=record_type,
        national_id=national_id,
        note=(note or "").strip()[:500] or None,
        created_by=actor.username[:64],
    )
    session.add(link)
    session.flush()
    record_event(
        session,
        actor,
        "exchange.link",
        record_type=record_type.removesuffix("s"),
        record_id=foreign_id,
        details={"national_id": str(national_id), "origin_node": foreign.origin_node},
    )
    return link


def links_of(session: Session, record_id: uuid.UUID) -> list[ForeignLink]:
    """Every link in which ``record_id`` takes part."""
    return list(
        session.execute(
            select(ForeignLink).where(
                or_(ForeignLink.foreign_id == record_id, ForeignLink.national_id == record_id)
            )
        ).scalars()
    )
