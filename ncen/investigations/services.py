"""Opening and changing case files: the case itself, its lead and its team.

Contract of every function here: it takes the session and the acting user, checks the policy
(`ncen.policy` actions, then the case-level rules of `ncen.investigations.access`), validates
every field at once with one `Checker` (`ValidationError` names each bad field), writes, logs
the act in the case's history and the audit trail (`ncen.investigations.history.log`), and
leaves the transaction to the caller: one call, one transaction.

`open_case` is also the entry point for other areas that open a case with records (a link
chart, a record page, a targeting hit): they pass ``items`` as ``(record_type, record_id)``
pairs and say where the case came from with ``source``/``source_ref``.
"""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from ncen.accounts.actor import Actor
from ncen.accounts.models import Role, User, UserRole
from ncen.db import utcnow
from ncen.errors import NotFoundError, ValidationError
from ncen.investigations.access import load_case, require_manage
from ncen.investigations.history import log
from ncen.investigations.items import MAX_ITEM_NOTE, attach_items, check_items
from ncen.investigations.models import (
    CASE_NUMBERS,
    MAX_SUMMARY,
    MAX_TITLE,
    Investigation,
    InvestigationMember,
)
from ncen.investigations.versions import check_version
from ncen.policy import Action, require
from ncen.validation import Checker

# Who can be put on a case: the roles that work on records and cases.
CASE_ROLES = frozenset({Role.INVESTIGATOR, Role.ANALYST, Role.SUPERVISOR})
SOURCES = ("manual", "chart", "record", "hit")
MAX_TEAM = 50
_TRUE = {"1", "on", "true", "yes", "y"}
_FALSE = {"", "0", "off", "false", "no", "n"}


@dataclass(frozen=True)
class Officer:
    """Someone who may be put on a case."""

    id: uuid.UUID
    username: str
    display_name: str


def officers(session: Session) -> list[Officer]:
    """Active users holding a role that works on cases, by display name (for the pickers)."""
    stmt = (
        select(User.id, User.username, User.display_name)
        .where(
            User.active.is_(True),
            User.id.in_(select(UserRole.user_id).where(UserRole.role.in_(CASE_ROLES))),
        )
        .order_by(User.display_name, User.username)
    )
    return [Officer(user_id, username, name) for user_id, username, name in session.execute(stmt)]


def _officer(checker: Checker, key: str, raw: object) -> uuid.UUID | None:
    if raw is None or raw == "":
        return None
    try:
        user_id = raw if isinstance(raw, uuid.UUID) else uuid.UUID(str(raw))
    except ValueError:
        checker.fail(key, "choose an officer from the list")
        return None
    user = checker.session.get(User, user_id)
    if user is None or not user.active or not user.roles & CASE_ROLES:
        checker.fail(key, "choose an active investigator, analyst or supervisor")
        return None
    return user_id


def _flag(checker: Checker, key: str, raw: object) -> bool:
    if isinstance(raw, bool):
        return raw
    text = "" if raw is None else str(raw).strip().lower()
    if text in _TRUE:
        return True
    if text not in _FALSE:
        checker.fail(key, "must be yes or no")
    return False


# Crockford's base 32: no I, L, O or U, so a reference read aloud or retyped is not misread.
_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def new_reference(session: Session, year: int) -> str:
    """A fresh case reference, ``INV-<year>-XXXX-XXXX`` with 40 random bits.

    References are random rather than counted: numbers from one sequence shared by every case
    would show a reader the gaps left by the restricted cases they may not see (and how many
    cases the node opens). Random references reveal neither; the internal ``number`` still
    comes from the sequence and is never shown. A collision (one in a trillion per pair) is
    drawn again; the unique key on ``reference`` stays the last guard.
    """
    while True:
        raw = "".join(secrets.choice(_ALPHABET) for _ in range(8))
        reference = f"INV-{year}-{raw[:4]}-{raw[4:]}"
        taken = session.execute(
            select(Investigation.id).where(Investigation.reference == reference)
        ).first()
        if taken is None:
            return reference


def open_case(
    session: Session,
    actor: Actor,
    *,
    title: object,
    summary: object = None,
    restricted: object = False,
    lead_id: object = None,
    members: Sequence[object] = (),
    items: Sequence[tuple[object, object]] = (),
    item_note: object = None,
    source: str = "manual",
    source_ref: object = None,
) -> Investigation:
    """Open a case file and return it (status ``opened``, version 1).

    ``lead_id`` defaults to the actor; ``members`` are the other assigned officers (user ids);
    ``items`` are ``(record_type, record_id)`` pairs carried over (`ncen.investigations.items`),
    each with ``item_note``. ``source`` is one of `SOURCES`, ``source_ref`` the id of the chart
    or hit it came from. Requires ``OPEN_INVESTIGATION`` (and ``READ_RECORDS`` with items).
    Raises `PermissionDeniedError`, `ValidationError`. Logged as ``opened`` (and
    ``item_add``).
    """
    require(actor, Action.OPEN_INVESTIGATION)
    if items:
        require(actor, Action.READ_RECORDS)
    data = {"title": title, "summary": summary, "source_ref": source_ref, "note": item_note}
    checker = Checker(session, data)
    clean_title = checker.text("title", required=True, max_len=MAX_TITLE)
    clean_summary = checker.text("summary", max_len=MAX_SUMMARY, multiline=True)
    clean_ref = checker.text("source_ref", max_len=64)
    note = checker.text("note", max_len=MAX_ITEM_NOTE, multiline=True)
    is_restricted = _flag(checker, "restricted", restricted)
    lead = _officer(checker, "lead_id", lead_id) if lead_id not in (None, "") else actor.user_id
    if lead is None and "lead_id" not in checker.errors:
        checker.fail("lead_id", "choose the lead officer")
    team = _team(checker, members, lead)
    if source not in SOURCES:
        checker.fail("source", "is not a known source")
    keys = []
    if items:
        try:
            keys = check_items(session, items, actor)
        except ValidationError as exc:
            checker.errors.update(exc.errors)
    checker.raise_if_errors()
    assert clean_title is not None
    assert lead is not None
    number = int(session.execute(select(CASE_NUMBERS.next_value())).scalar_one())
    case = Investigation(
        id=uuid.uuid4(),
        number=number,
        reference=new_reference(session, utcnow().year),
        title=clean_title,
        summary=clean_summary,
        restricted=is_restricted,
        lead_id=lead,
        opened_by_id=actor.user_id,
        source=source,
        source_ref=clean_ref,
        version=1,
    )
    session.add(case)
    session.flush()
    for user_id in team:
        session.add(_member(case, user_id, actor))
    session.flush()
    log(
        session,
        actor,
        case,
        "opened",
        lead=str(lead),
        members=[str(user_id) for user_id in team],
        restricted=is_restricted,
        source=source,
        **({"source_ref": clean_ref} if clean_ref else {}),
    )
    attach_items(session, actor, case, keys, note)
    return case


def _team(checker: Checker, members: Sequence[object], lead: uuid.UUID | None) -> list[uuid.UUID]:
    if len(members) > MAX_TEAM:
        checker.fail("members", "too many officers for one case")
        return []
    team: list[uuid.UUID] = []
    for n, raw in enumerate(members):
        user_id = _officer(checker, f"members.{n}", raw)
        if user_id is not None and user_id != lead and user_id not in team:
            team.append(user_id)
    return team


def _member(case: Investigation, user_id: uuid.UUID, actor: Actor) -> InvestigationMember:
    return InvestigationMember(
        investigation_id=case.id, user_id=user_id, added_by_id=actor.user_id, added_at=utcnow()
    )


def update_case(
    session: Session,
    actor: Actor,
    case_id: object,
    *,
    version: object,
    title: object,
    summary: object = None,
    restricted: object = None,
    lead_id: object = None,
) -> Investigation:
    """Change a case's title, summary, restriction (None: unchanged) and lead (None: unchanged),
    as of ``version``.

    Lead or supervisor. Raises `NotFoundError`, `PermissionDeniedError`, `ValidationError`,
    `ConflictError` (stale version). Logged as ``update`` with the fields that changed.
    """
    case = load_case(session, actor, case_id, lock=True)
    require_manage(case, actor)
    checker = Checker(session, {"title": title, "summary": summary})
    clean_title = checker.text("title", required=True, max_len=MAX_TITLE)
    clean_summary = checker.text("summary", max_len=MAX_SUMMARY, multiline=True)
    is_restricted = (
        case.restricted if restricted is None else _flag(checker, "restricted", restricted)
    )
    lead = _officer(checker, "lead_id", lead_id) if lead_id not in (None, "") else case.lead_id
    checker.raise_if_errors()
    check_version(case, version)
    assert clean_title is not None
    assert lead is not None
    new = {
        "title": clean_title,
        "summary": clean_summary,
        "restricted": is_restricted,
        "lead_id": lead,
    }
    changed = {key: value for key, value in new.items() if getattr(case, key) != value}
    if not changed:
        return case
    if "lead_id" in changed:
        # The new lead is no longer a plain member; the old lead stays on the team (they keep
        # seeing a restricted case they led).
        session.execute(
            delete(InvestigationMember).where(
                InvestigationMember.investigation_id == case.id,
                InvestigationMember.user_id == lead,
            )
        )
        session.add(_member(case, case.lead_id, actor))
    for key, value in changed.items():
        setattr(case, key, value)
    case.version += 1
    session.flush()
    log(
        session,
        actor,
        case,
        "update",
        fields=sorted(changed),
        **({"lead": str(lead)} if "lead_id" in changed else {}),
    )
    return case


def assign_officer(
    session: Session, actor: Actor, case_id: object, user_id: object
) -> InvestigationMember | None:
    """Put an officer on the case's team (lead or supervisor). Returns the new member row, or
    None when the officer is already the lead or on the team. Logged as ``assign``."""
    case = load_case(session, actor, case_id, lock=True)
    require_manage(case, actor)
    checker = Checker(session, {})
    officer = _officer(checker, "user_id", user_id)
    if officer is None and not checker.errors:
        checker.fail("user_id", "choose an officer from the list")
    checker.raise_if_errors()
    assert officer is not None
    if officer == case.lead_id:
        return None
    if session.get(InvestigationMember, (case.id, officer)) is not None:
        return None
    member = _member(case, officer, actor)
    session.add(member)
    session.flush()
    log(session, actor, case, "assign", user=str(officer))
    return member


def unassign_officer(session: Session, actor: Actor, case_id: object, user_id: object) -> None:
    """Take an officer off the case's team (lead or supervisor; the lead is changed with
    `update_case` instead). `NotFoundError` if they are not on it. Logged as ``unassign``."""
    case = load_case(session, actor, case_id, lock=True)
    require_manage(case, actor)
    try:
        key = uuid.UUID(str(user_id))
    except ValueError:
        raise NotFoundError("investigation_member", user_id) from None
    member = session.get(InvestigationMember, (case.id, key))
    if member is None:
        raise NotFoundError("investigation_member", key)
    session.delete(member)
    session.flush()
    log(session, actor, case, "unassign", user=str(key))
