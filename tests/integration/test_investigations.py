"""Investigations at the service level: opening with records, the workflow, need to know,
stale edits, tasks and notes, bad input, and the audit of reads."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from ncen.accounts.actor import Actor
from ncen.accounts.models import Role, User
from ncen.audit import AuditEvent, flush_events
from ncen.errors import ConflictError, NotFoundError, PermissionDeniedError, ValidationError
from ncen.investigations import items, notes, queries, services, tasks, workflow
from ncen.investigations.models import CaseStatus, InvestigationEvent, ItemType
from ncen.persons.services import create_person, delete_person
from ncen.seizures.services import record_seizure
from tests.conftest import make_actor
from tests.factories import person_data, seizure_data


def _records(session: Session, actor: Actor) -> tuple[uuid.UUID, uuid.UUID]:
    seizure = record_seizure(session, actor, seizure_data())
    person = create_person(session, actor, person_data())
    session.commit()
    return seizure.id, person.id


def _open(session: Session, actor: Actor, **fields: object):  # type: ignore[no-untyped-def]
    fields.setdefault("title", "Tramadol parcels")
    case = services.open_case(session, actor, **fields)  # type: ignore[arg-type]
    session.commit()
    return case


def test_open_with_records_assign_and_read(session, analyst, investigator, supervisor):
    seizure_id, person_id = _records(session, investigator)
    case = _open(
        session,
        analyst,
        items=[("seizure", seizure_id), ("person", str(person_id)), ("seizure", seizure_id)],
        members=[str(investigator.user_id)],
        source="chart",
        source_ref="abc",
    )
    assert case.reference.startswith("INV-")
    assert case.status is CaseStatus.OPENED
    assert case.lead_id == analyst.user_id
    seen = queries.read_case(session, investigator, case.id)
    assert {v.item.record_type for v in seen.items} == {ItemType.SEIZURE, ItemType.PERSON}
    assert seen.team == [analyst.user_id, investigator.user_id]
    assert seen.team_side
    assert not seen.manage
    # The investigator sees it on the desk.
    mine, more = queries.my_open_cases(session, investigator)
    assert [row.case.id for row in mine] == [case.id]
    assert not more
    assert mine[0].items == 2
    # The read is audited with the records shown.
    flush_events(session)
    event = (
        session.execute(
            select(AuditEvent)
            .where(AuditEvent.action == "investigation.read")
            .order_by(AuditEvent.id.desc())
        )
        .scalars()
        .first()
    )
    assert event is not None
    assert event.actor_id == investigator.user_id
    assert f"person:{person_id}" in event.details["items"]
    opened = (
        session.execute(
            select(InvestigationEvent.action).where(InvestigationEvent.investigation_id == case.id)
        )
        .scalars()
        .all()
    )
    assert set(opened) == {"opened", "item_add"}


def test_restricted_case_is_invisible_to_others(session, analyst, investigator, supervisor):
    other = make_actor(session, Role.INVESTIGATOR)
    case = _open(session, analyst, restricted="on", members=[investigator.user_id])
    open_case = _open(session, analyst, title="Open case")
    with pytest.raises(NotFoundError):
        queries.read_case(session, other, case.id)
    rows, total = queries.list_cases(session, other, queries.CaseFilters())
    assert [row.case.id for row in rows] == [open_case.id]
    assert total == 1
    rows, total = queries.list_cases(session, other, queries.CaseFilters(text="Tramadol"))
    assert rows == []
    assert total == 0
    with pytest.raises(NotFoundError):
        items.add_items(session, other, case.id, [("person", uuid.uuid4())])
    # The team and supervisors see it.
    assert queries.read_case(session, investigator, case.id).case.id == case.id
    assert queries.read_case(session, supervisor, case.id).team_side
    # A non-restricted case of another team: visible, without its team side.
    seen = queries.read_case(session, other, open_case.id)
    assert not seen.team_side
    assert seen.notes == []
    assert seen.tasks == []
    with pytest.raises(PermissionDeniedError):
        notes.add_note(session, other, open_case.id, body="hello")


def test_administrator_never_sees_a_case(session, analyst):
    admin = make_actor(session, Role.ADMINISTRATOR)
    case = _open(session, analyst)
    with pytest.raises(PermissionDeniedError):
        queries.read_case(session, admin, case.id)
    with pytest.raises(PermissionDeniedError):
        queries.list_cases(session, admin, queries.CaseFilters())


def test_workflow_transitions_and_reopen(session, analyst, investigator, supervisor):
    case = _open(session, analyst, members=[investigator.user_id])
    with pytest.raises(PermissionDeniedError):  # a team member is not the lead
        workflow.change_status(session, investigator, case.id, version=1, status="active")
    with pytest.raises(ValidationError) as bad:
        workflow.change_status(session, analyst, case.id, version=1, status="suspended")
    assert "status" in bad.value.errors
    workflow.change_status(session, analyst, case.id, version=1, status="active")
    with pytest.raises(ValidationError) as bad:
        workflow.change_status(session, analyst, case.id, version=2, status="closed")
    assert "reason" in bad.value.errors
    workflow.change_status(session, analyst, case.id, version=2, status="closed", reason="done")
    session.commit()
    assert case.status is CaseStatus.CLOSED
    assert case.closed_at is not None
    with pytest.raises(PermissionDeniedError):  # only supervisors reopen
        workflow.change_status(
            session, analyst, case.id, version=3, status="active", reason="new facts"
        )
    workflow.change_status(
        session, supervisor, case.id, version=3, status="active", reason="new facts"
    )
    session.commit()
    assert case.status is CaseStatus.ACTIVE
    assert case.closed_at is None
    assert case.version == 4
    actions = (
        session.execute(
            select(InvestigationEvent.action).where(InvestigationEvent.investigation_id == case.id)
        )
        .scalars()
        .all()
    )
    assert actions.count("status") == 2
    assert actions.count("reopen") == 1


def test_stale_edits_are_refused(session, analyst, investigator):
    case = _open(session, analyst, members=[investigator.user_id])
    services.update_case(session, analyst, case.id, version=1, title="Renamed")
    session.commit()
    with pytest.raises(ConflictError):
        services.update_case(session, analyst, case.id, version=1, title="Again")
    with pytest.raises(ConflictError):
        workflow.change_status(session, analyst, case.id, version=1, status="active")
    task = tasks.add_task(
        session, investigator, case.id, title="Call the carrier", assignee_id=investigator.user_id
    )
    session.commit()
    tasks.set_task_done(session, investigator, case.id, task.id, done=True, version=1)
    session.commit()
    with pytest.raises(ConflictError):
        tasks.set_task_done(session, analyst, case.id, task.id, done=False, version=1)
    tasks.set_task_done(session, analyst, case.id, task.id, done=False, version=2)
    assert task.done_at is None
    assert task.version == 3


def test_tasks_notes_and_desk(session, analyst, investigator):
    case = _open(session, analyst, members=[investigator.user_id])
    tasks.add_task(session, analyst, case.id, title="Later", assignee_id=investigator.user_id)
    first = tasks.add_task(
        session, analyst, case.id, title="First", assignee_id=investigator.user_id,
        due_on="2026-01-02",
    )  # fmt: skip
    notes.add_note(session, investigator, case.id, body="Seen at the port.\nTwice.")
    notes.add_note(
        session, analyst, case.id, body="Check", kind="message", addressee_id=investigator.user_id
    )
    session.commit()
    due, _more = queries.my_open_tasks(session, investigator)
    assert next(row.task.id for row in due) == first.id
    seen = queries.read_case(session, investigator, case.id)
    assert [note.kind.value for note in seen.notes] == ["message", "note"]


@pytest.mark.parametrize(
    "fields",
    [
        {"title": "bad\x00title"},
        {"title": "evil \u202e name"},
        {"title": "x" * 5000},
        {"title": ""},
        {"summary": "y" * 100_000},
        {"restricted": "maybe"},
        {"lead_id": "not-a-uuid"},
        {"lead_id": str(uuid.uuid4())},
        {"items": [("hit", uuid.uuid4())]},
        {"items": [("person", "nope")]},
        {"items": [("person", uuid.uuid4())]},
        {"source": "elsewhere"},
    ],
)
def test_bad_input_is_refused_clearly(session, analyst, fields):
    data = {"title": "Case", **fields}
    with pytest.raises(ValidationError):
        services.open_case(session, analyst, **data)  # type: ignore[arg-type]


def test_bad_task_and_note_input(session, analyst):
    case = _open(session, analyst)
    with pytest.raises(ValidationError):
        tasks.add_task(session, analyst, case.id, title="a\u2066b")
    with pytest.raises(ValidationError):
        tasks.add_task(session, analyst, case.id, title="ok", due_on="2026-13-45")
    with pytest.raises(ValidationError):
        tasks.add_task(session, analyst, case.id, title="ok", assignee_id=uuid.uuid4())
    with pytest.raises(ValidationError):
        notes.add_note(session, analyst, case.id, body="z" * 20_000)
    with pytest.raises(ValidationError):
        notes.add_note(session, analyst, case.id, body="nul\x00")
    with pytest.raises(NotFoundError):
        tasks.set_task_done(session, analyst, case.id, uuid.uuid4(), done=True, version=1)
    with pytest.raises(NotFoundError):
        queries.read_case(session, analyst, "not-a-uuid")


def test_deleted_records_leave_the_case(session, analyst, investigator, supervisor):
    seizure_id, person_id = _records(session, investigator)
    case = _open(session, analyst, items=[("seizure", seizure_id), ("person", person_id)])
    delete_person(session, supervisor, person_id, 1)
    session.commit()
    seen = queries.read_case(session, analyst, case.id)
    assert [v.item.record_type for v in seen.items] == [ItemType.SEIZURE]
    with pytest.raises(ValidationError):
        items.add_items(session, analyst, case.id, [("person", person_id)])


def test_demo_load_opens_two_case_files_one_restricted(session: Session) -> None:
    from ncen.demo.load import DemoPlan, load_demo_into

    counts = load_demo_into(session, DemoPlan(persons=0, seizures=0, companies=0, conveyances=0))
    assert counts["investigations"] == 2
    console = Actor.system("test")
    rows, total = queries.list_cases(session, console, queries.CaseFilters())
    assert total == 2
    by_title = {row.case.title: row for row in rows}
    pamir = by_title["Pamir route: heroin and tramadol couriers"]
    assert pamir.items == 9
    assert pamir.open_tasks == 2
    assert pamir.case.status is CaseStatus.ACTIVE
    assert by_title["Silk Wind containers"].case.restricted
    # The demo analyst leads the open case and is not on the restricted one's team.
    analyst = Actor.of(session.execute(select(User).where(User.username == "analyst")).scalar_one())
    seen, _ = queries.list_cases(session, analyst, queries.CaseFilters())
    assert [row.case.title for row in seen] == [pamir.case.title]
    assert len(queries.read_case(session, analyst, pamir.case.id).notes) == 2


def test_a_new_lead_takes_over_and_the_old_lead_stays_on_the_team(session, analyst, investigator):
    case = _open(session, analyst, restricted=True, members=[investigator.user_id])
    services.update_case(
        session, analyst, case.id, version=1, title=case.title, restricted=True,
        lead_id=investigator.user_id,
    )  # fmt: skip
    session.commit()
    seen = queries.read_case(session, analyst, case.id)
    assert seen.team == [investigator.user_id, analyst.user_id]
    assert not seen.manage
    assert queries.read_case(session, investigator, case.id).manage


def test_a_merged_record_shows_its_survivor_until_unmerged(
    session, analyst, investigator, supervisor
):
    from ncen.merging.services import merge, unmerge

    first = create_person(session, investigator, person_data())
    second = create_person(session, investigator, person_data())
    session.commit()
    case = _open(session, analyst, items=[("person", first.id), ("person", second.id)])
    done = merge(
        session, supervisor, "person", second.id, first.id,
        survivor_version=second.version, merged_version=first.version,
    )  # fmt: skip
    session.commit()
    views = queries.read_case(session, analyst, case.id).items
    assert [view.record_id for view in views] == [second.id]  # once, though both were added
    alone = _open(session, analyst, title="Only the merged one", items=[("person", second.id)])
    other = _open(session, analyst, title="The loser", items=[])
    items.attach_items(session, analyst, other, [(ItemType.PERSON, first.id)], None)
    session.commit()
    (view,) = queries.read_case(session, analyst, other.id).items
    assert view.merged_into == second.id
    assert view.item.record_id == first.id
    assert len(queries.read_case(session, analyst, alone.id).items) == 1
    unmerge(session, supervisor, done.id)
    session.commit()
    (view,) = queries.read_case(session, analyst, other.id).items
    assert view.merged_into is None
    assert view.record_id == first.id


def test_references_reveal_no_count_and_no_restricted_case(session, analyst, investigator):
    """Counted references (INV-2026-00041, INV-2026-00043) would show the investigator that a
    case numbered 42 exists that they may not see: references are random instead."""
    import re

    from ncen.db import utcnow

    before = _open(session, analyst, title="Open before")
    hidden = _open(session, analyst, title="Need to know", restricted=True)
    after = _open(session, analyst, title="Open after")
    pattern = re.compile(rf"INV-{utcnow().year}-[0-9A-HJKMNP-TV-Z]{{4}}-[0-9A-HJKMNP-TV-Z]{{4}}")
    references = [case.reference for case in (before, hidden, after)]
    assert all(pattern.fullmatch(reference) for reference in references), references
    assert len(set(references)) == 3
    # The internal numbers do follow each other (and are never shown).
    assert after.number == hidden.number + 1 == before.number + 2
    listed = queries.list_cases(session, investigator, queries.CaseFilters())[0]
    seen = {row.case.reference for row in listed}
    assert seen >= {before.reference, after.reference}
    assert hidden.reference not in seen
