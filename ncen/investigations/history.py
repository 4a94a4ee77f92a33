"""A case's history: every act on a case is written twice, in one call.

`log` adds an `InvestigationEvent` (the case's own history, shown on its page to the team) and
an audit event ``investigation.<action>`` (the node's tamper-evident trail), with the same
details. Both are written in the caller's transaction, so a refused change leaves neither.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ncen.accounts.actor import Actor
from ncen.audit import record_event
from ncen.db import utcnow
from ncen.investigations.access import RECORD_TYPE
from ncen.investigations.models import Investigation, InvestigationEvent


def log(session: Session, actor: Actor, case: Investigation, action: str, **details: Any) -> None:
    """Record that ``actor`` did ``action`` (opened, status, assign, item_add...) to ``case``."""
    session.add(
        InvestigationEvent(
            investigation_id=case.id,
            actor_id=actor.user_id,
            actor_name=actor.username[:64],
            action=action,
            details=details,
            occurred_at=utcnow(),
        )
    )
    record_event(
        session,
        actor,
        f"{RECORD_TYPE}.{action}",
        record_type=RECORD_TYPE,
        record_id=case.id,
        details={"reference": case.reference, **details},
    )


def case_history(session: Session, case: Investigation) -> Sequence[InvestigationEvent]:
    """``case``'s history, newest first (the caller has checked that the reader may see it)."""
    stmt = (
        select(InvestigationEvent)
        .where(InvestigationEvent.investigation_id == case.id)
        .order_by(InvestigationEvent.occurred_at.desc(), InvestigationEvent.id)
        .limit(500)
    )
    return list(session.execute(stmt).scalars())
