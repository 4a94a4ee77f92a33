"""Notes and messages of a case: what the team writes on the file and to each other.

A note is written on the file; a message is addressed to the team, or to one officer of it
(``addressee_id``). Both are the case's communications: only the team and supervisors read
them. They are never edited nor deleted (the file keeps what was written, like the audit
trail); a correction is a new note.
"""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from ncen.accounts.actor import Actor
from ncen.db import utcnow
from ncen.investigations.access import load_case, require_work
from ncen.investigations.history import log
from ncen.investigations.models import Investigation, InvestigationNote, NoteKind
from ncen.investigations.tasks import team_ids
from ncen.validation import Checker

MAX_NOTE = 10_000


def add_note(
    session: Session,
    actor: Actor,
    case_id: object,
    *,
    body: object,
    kind: object = NoteKind.NOTE.value,
    addressee_id: object = None,
) -> InvestigationNote:
    """Write a note (``kind`` ``note``) or a message (``message``, to ``addressee_id`` on the
    team, or to the whole team when None) on case ``case_id``. Team or supervisor. Raises
    `NotFoundError`, `PermissionDeniedError`, `ValidationError` (empty, too long, control or
    text-direction characters). Logged as ``note_add`` without the text (it may be nominal)."""
    case = load_case(session, actor, case_id, lock=False)
    require_work(session, case, actor)
    checker = Checker(session, {"body": body, "kind": kind})
    text = checker.text("body", required=True, max_len=MAX_NOTE, multiline=True)
    note_kind = checker.choice("kind", NoteKind, required=True)
    addressee = None
    if addressee_id not in (None, ""):
        try:
            addressee = uuid.UUID(str(addressee_id))
        except ValueError:
            addressee = None
        if addressee is None or addressee not in team_ids(session, case):
            checker.fail("addressee_id", "choose an officer of the case's team")
        elif note_kind is NoteKind.NOTE:
            checker.fail("addressee_id", "a note is written on the file: send a message instead")
    checker.raise_if_errors()
    assert text is not None
    assert note_kind is not None
    note = InvestigationNote(
        id=uuid.uuid4(),
        investigation_id=case.id,
        kind=note_kind,
        body=text,
        author_id=actor.user_id,
        addressee_id=addressee,
        created_at=utcnow(),
    )
    session.add(note)
    session.flush()
    log(
        session,
        actor,
        case,
        "note_add",
        note=str(note.id),
        kind=note_kind.value,
        **({"addressee": str(addressee)} if addressee else {}),
    )
    return note


def case_notes(session: Session, case: Investigation) -> list[InvestigationNote]:
    """``case``'s notes and messages, newest first (the caller checked `can_work`)."""
    stmt = (
        select(InvestigationNote)
        .where(InvestigationNote.investigation_id == case.id)
        .order_by(InvestigationNote.created_at.desc(), InvestigationNote.id)
        .limit(500)
    )
    return list(session.execute(stmt).scalars())
