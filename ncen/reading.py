"""Reads of nominal data: checked against the policy and written to the audit trail.

Every page that shows a person, or a seizure with persons, or a list of them, goes through
`note_read` so that "who looked at whom, when" can be answered from the audit trail.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy.orm import Session

from ncen.accounts.actor import Actor
from ncen.audit import record_event
from ncen.policy import Action, require


def note_read(
    session: Session,
    actor: Actor,
    record_type: str,
    *,
    record_id: object = None,
    details: Mapping[str, Any] | None = None,
) -> None:
    """Require the right to read records and audit the read (``<record_type>.read``).

    For list pages pass no ``record_id`` and describe the filters in ``details``.
    """
    require(actor, Action.READ_RECORDS)
    action = f"{record_type}.read" if record_id is not None else f"{record_type}.list"
    record_event(
        session, actor, action, record_type=record_type, record_id=record_id, details=details
    )
