"""Opening a case from a targeting hit, or adding a hit to a case, carries its records over.

A hit names one seizure; the case gets the hit itself, the seizure, and the persons, companies
and conveyances linked to the seizure (live ones only: deleted records never appear). The hit
must be one the actor may see in the queue (`ncen.targeting.hits.get_hit`, which also audits
the read of the seizure), so a hit on a record the user may not see is never revealed: it is
`NotFoundError`, like a missing one. Everything else (policy, validation, history, audit) is
`open_case` and `add_items`; the caller owns the transaction.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from ncen.accounts.actor import Actor
from ncen.companies.models import Company
from ncen.conveyances.models import Conveyance
from ncen.investigations.items import add_items
from ncen.investigations.models import Investigation, InvestigationItem, ItemType
from ncen.investigations.services import open_case
from ncen.persons.models import Person
from ncen.seizures.models import SeizureCompany, SeizureConveyance, SeizurePerson
from ncen.targeting.hits import get_hit
from ncen.targeting.models import Hit


def hit_items(session: Session, hit: Hit) -> list[tuple[ItemType, uuid.UUID]]:
    """The hit, its seizure, and the seizure's live persons, companies and conveyances."""
    keys: list[tuple[ItemType, uuid.UUID]] = [
        (ItemType.HIT, hit.id),
        (ItemType.SEIZURE, hit.seizure_id),
    ]
    for kind, link, column, model in (
        (ItemType.PERSON, SeizurePerson, SeizurePerson.person_id, Person),
        (ItemType.COMPANY, SeizureCompany, SeizureCompany.company_id, Company),
        (ItemType.CONVEYANCE, SeizureConveyance, SeizureConveyance.conveyance_id, Conveyance),
    ):
        ids = session.execute(
            select(column)
            .join(model, model.id == column)
            .where(link.seizure_id == hit.seizure_id, model.deleted_at.is_(None))
            .order_by(column)
        ).scalars()
        keys.extend((kind, record_id) for record_id in dict.fromkeys(ids))
    return keys


def open_case_from_hit(
    session: Session,
    actor: Actor,
    hit_id: uuid.UUID,
    *,
    title: object,
    summary: object = None,
    restricted: object = False,
    lead_id: object = None,
    members: Sequence[object] = (),
) -> Investigation:
    """Open a case (source ``hit``) holding hit ``hit_id`` and its records.

    Raises `NotFoundError` (no such hit, or one the actor may not see), `PermissionDeniedError`,
    `ValidationError` (those of `open_case`). Audited by `get_hit` and `open_case`.
    """
    row = get_hit(session, actor, hit_id)
    return open_case(
        session,
        actor,
        title=title,
        summary=summary,
        restricted=restricted,
        lead_id=lead_id,
        members=members,
        items=hit_items(session, row.hit),
        item_note=f"{row.profile_name} → {row.reference}",
        source="hit",
        source_ref=str(hit_id),
    )


def add_hit_to_case(
    session: Session, actor: Actor, hit_id: uuid.UUID, case_id: object
) -> list[InvestigationItem]:
    """Add hit ``hit_id`` and its records to case ``case_id`` (those already on it are
    skipped); returns the items added. Raises what `get_hit` and `add_items` raise."""
    row = get_hit(session, actor, hit_id)
    return add_items(
        session,
        actor,
        case_id,
        hit_items(session, row.hit),
        note=f"{row.profile_name} → {row.reference}",
    )
