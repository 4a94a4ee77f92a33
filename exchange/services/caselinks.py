"""Requests for information linked to investigations: the case's communications with peers.

The exchange officer links an RFI (sent or received) to the case it is about by the case's
reference, from the RFI list, and unlinks it there. Need to know holds on this side too:
`ncen.investigations.access.find_by_reference` finds only the cases the officer may know exist
(non-restricted ones, and restricted ones of their own team or as a supervisor), and answers a
restricted case of another team exactly like a missing one. The case's team reads the linked
RFIs, question and reply, on the case's page (`case_rfis`, audited).

Linking and unlinking are written to the case's history and the audit trail
(``investigation.rfi_link`` / ``investigation.rfi_unlink``). The caller owns the transaction.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from exchange.casemodels import InvestigationRfi
from exchange.netmodels import InformationRequest
from ncen.accounts.actor import Actor
from ncen.db import utcnow
from ncen.errors import NotFoundError, ValidationError
from ncen.investigations.access import find_by_reference, require_work, visible_condition
from ncen.investigations.history import log
from ncen.investigations.models import Investigation
from ncen.policy import Action, require
from ncen.reading import note_read
from ncen.validation import Checker

NOT_LINKABLE = "no investigation has this reference, or you may not link to it"


def _rfi(session: Session, rfi_id: object) -> InformationRequest:
    try:
        key = rfi_id if isinstance(rfi_id, uuid.UUID) else uuid.UUID(str(rfi_id))
    except ValueError:
        raise NotFoundError("rfi", rfi_id) from None
    rfi = session.get(InformationRequest, key)
    if rfi is None:
        raise NotFoundError("rfi", key)
    return rfi


def link_rfi(session: Session, actor: Actor, rfi_id: object, reference: object) -> Investigation:
    """Link RFI ``rfi_id`` to the case ``reference`` (INV-2026-K7M2-QX4P). Needs ``RUN_EXCHANGE``.

    Raises `NotFoundError` (no such RFI), `ValidationError` (a bad reference, or a case the
    actor may not know exists: one message for both). Linking twice changes nothing. Logged
    in the case's history as ``rfi_link``.
    """
    require(actor, Action.RUN_EXCHANGE)
    rfi = _rfi(session, rfi_id)
    checker = Checker(session, {"reference": reference})
    text = checker.text("reference", required=True, max_len=32)
    checker.raise_if_errors()
    assert text is not None
    case = find_by_reference(session, actor, text)
    if case is None:
        raise ValidationError({"reference": NOT_LINKABLE})
    if session.get(InvestigationRfi, (case.id, rfi.id)) is None:
        session.add(
            InvestigationRfi(
                investigation_id=case.id,
                rfi_id=rfi.id,
                linked_by_id=actor.user_id,
                linked_at=utcnow(),
            )
        )
        session.flush()
        log(
            session,
            actor,
            case,
            "rfi_link",
            rfi=str(rfi.id),
            direction=rfi.direction.value,
            peer=rfi.peer_node_id,
        )
    return case


def unlink_rfi(session: Session, actor: Actor, rfi_id: object, case_id: object) -> None:
    """Undo a link (``RUN_EXCHANGE``). `NotFoundError` for a link that does not exist or whose
    case the actor may not know of. Logged as ``rfi_unlink``."""
    require(actor, Action.RUN_EXCHANGE)
    rfi = _rfi(session, rfi_id)
    try:
        key = case_id if isinstance(case_id, uuid.UUID) else uuid.UUID(str(case_id))
    except ValueError:
        raise NotFoundError("investigation", case_id) from None
    case = session.execute(
        select(Investigation).where(Investigation.id == key, visible_condition(actor))
    ).scalar_one_or_none()
    link = session.get(InvestigationRfi, (key, rfi.id)) if case is not None else None
    if case is None or link is None:
        raise NotFoundError("investigation", key)
    session.delete(link)
    session.flush()
    log(session, actor, case, "rfi_unlink", rfi=str(rfi.id))


def linked_cases(
    session: Session, actor: Actor, rfi_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, list[Investigation]]:
    """For the RFI list: the cases each RFI is linked to, among those ``actor`` may know
    exist (a link to a restricted case of another team is not shown)."""
    require(actor, Action.RUN_EXCHANGE)
    if not rfi_ids:
        return {}
    rows = session.execute(
        select(InvestigationRfi.rfi_id, Investigation)
        .join(Investigation, Investigation.id == InvestigationRfi.investigation_id)
        .where(InvestigationRfi.rfi_id.in_(list(rfi_ids)), visible_condition(actor))
        .order_by(Investigation.reference)
    )
    linked: dict[uuid.UUID, list[Investigation]] = {}
    for rfi_id, case in rows:
        linked.setdefault(rfi_id, []).append(case)
    return linked


def case_rfis(session: Session, actor: Actor, case: Investigation) -> list[InformationRequest]:
    """The RFIs linked to ``case``, newest first, for its team (or a supervisor): raises
    `PermissionDeniedError` for anyone else. Audited as ``investigation_rfi.list`` with the
    RFIs shown (their subjects and replies may name people)."""
    require_work(session, case, actor)
    rfis = list(
        session.execute(
            select(InformationRequest)
            .join(InvestigationRfi, InvestigationRfi.rfi_id == InformationRequest.id)
            .where(InvestigationRfi.investigation_id == case.id)
            .order_by(InformationRequest.created_at.desc(), InformationRequest.id)
        ).scalars()
    )
    note_read(
        session,
        actor,
        "investigation_rfi",
        details={"investigation": str(case.id), "rfis": [str(rfi.id) for rfi in rfis]},
    )
    return rfis
