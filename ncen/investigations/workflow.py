"""The status workflow of a case: opened → active → suspended → closed, and reopening.

Allowed moves (`TRANSITIONS`): an opened case becomes active or is closed (opened in error, or
nothing to pursue); an active case is suspended or closed; a suspended case becomes active
again or is closed. A closed case is reopened (back to active) by a supervisor only
(``REOPEN_INVESTIGATION``); every other move is made by the lead or a supervisor. Suspending,
closing and reopening need a reason, kept on the case and in its history.

`change_status` checks the version the user saw: a move made on a stale page is refused with
`ConflictError`, so two officers cannot close and suspend the same case at once.
"""

from __future__ import annotations

from typing import Final

from sqlalchemy.orm import Session

from ncen.accounts.actor import Actor
from ncen.db import utcnow
from ncen.errors import Message, ValidationError
from ncen.investigations.access import load_case, require_manage
from ncen.investigations.history import log
from ncen.investigations.models import CaseStatus, Investigation
from ncen.investigations.versions import check_version
from ncen.policy import Action, require
from ncen.validation import Checker

S = CaseStatus
TRANSITIONS: Final[dict[CaseStatus, frozenset[CaseStatus]]] = {
    S.OPENED: frozenset({S.ACTIVE, S.CLOSED}),
    S.ACTIVE: frozenset({S.SUSPENDED, S.CLOSED}),
    S.SUSPENDED: frozenset({S.ACTIVE, S.CLOSED}),
    S.CLOSED: frozenset({S.ACTIVE}),  # reopening: supervisors only
}
NEEDS_REASON: Final = frozenset({S.SUSPENDED, S.CLOSED})
MAX_REASON = 2000


def next_statuses(status: CaseStatus) -> list[CaseStatus]:
    """The statuses a case in ``status`` may move to, in workflow order."""
    return [target for target in CaseStatus if target in TRANSITIONS[status]]


def is_reopening(current: CaseStatus, target: CaseStatus) -> bool:
    """True for the move from closed back to active."""
    return current is S.CLOSED and target is S.ACTIVE


def change_status(
    session: Session,
    actor: Actor,
    case_id: object,
    *,
    version: object,
    status: object,
    reason: object = None,
) -> Investigation:
    """Move case ``case_id`` to ``status`` (a `CaseStatus` value), as of ``version``.

    Raises `NotFoundError` (not visible), `PermissionDeniedError` (not the lead nor a
    supervisor; reopening: not a supervisor), `ValidationError` (unknown status, a move the
    workflow does not allow, a missing or bad reason) and `ConflictError` (stale version).
    Writes the case, its history and an audit event ``investigation.status``.
    """
    case = load_case(session, actor, case_id, lock=True)
    require_manage(case, actor)
    checker = Checker(session, {"status": status, "reason": reason})
    target = checker.choice("status", CaseStatus, required=True)
    text = checker.text("reason", max_len=MAX_REASON, multiline=True)
    checker.raise_if_errors()
    assert target is not None
    check_version(case, version)
    if target not in TRANSITIONS[case.status]:
        raise ValidationError(
            {
                "status": Message(
                    "a case that is %(current)s cannot become %(target)s",
                    current=case.status.value,
                    target=target.value,
                )
            }
        )
    reopening = is_reopening(case.status, target)
    if reopening:
        require(actor, Action.REOPEN_INVESTIGATION)
    if (target in NEEDS_REASON or reopening) and not text:
        raise ValidationError({"reason": "give the reason for this change"})
    previous = case.status
    case.status = target
    case.status_reason = text
    case.closed_at = utcnow() if target is S.CLOSED else None
    case.version += 1
    session.flush()
    log(
        session,
        actor,
        case,
        "reopen" if reopening else "status",
        **{"from": previous.value, "to": target.value, **({"reason": text} if text else {})},
    )
    return case
