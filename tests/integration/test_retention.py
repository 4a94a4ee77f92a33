"""Retention review (issue 12, item 19): review dates by type and handling code, the queue of
due records, keep with a reason and a bounded new date, and delete leaving only a tombstone."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, text, update
from sqlalchemy.orm import Session

from ncen.accounts.actor import Actor
from ncen.audit import AuditEvent, flush_events
from ncen.companies.services import create_company
from ncen.conveyances.services import create_conveyance
from ncen.errors import PermissionDeniedError, ValidationError
from ncen.persons.models import Person
from ncen.persons.services import create_person, update_person
from ncen.pictures.models import Picture
from ncen.pictures.services import add_pictures
from ncen.pictures.store import Kind, PictureStore
from ncen.retention.dates import assign_missing
from ncen.retention.erasure import remove_picture_files
from ncen.retention.models import Decision, RetentionDecision
from ncen.retention.policy import add_years, latest_extension
from ncen.retention.services import delete_record, keep_record, read_queue
from ncen.seizures.services import link_entity, record_seizure, update_seizure
from ncen.settings import Settings
from tests.factories import company_data, conveyance_data, person_data, seizure_data
from tests.web_support import jpeg

# The date a test module was collected: for tests that pass it to the service as "today".
# Tests of dates the services take from the clock read the clock when they run (`_today`):
# a suite that crosses midnight UTC must not fail.
TODAY = datetime.now(UTC).date()


def _today() -> date:
    return datetime.now(UTC).date()


H3 = {"handling_code": "H3", "handling_restrictions": "Not to be shared outside customs"}


def _make_due(session: Session, record: Person, days: int = 1) -> None:
    session.execute(
        update(type(record))
        .where(type(record).id == record.id)
        .values(review_due=TODAY - timedelta(days=days))
    )
    session.expire(record)


def test_review_dates_follow_type_and_handling_code(session, investigator):
    occurred = datetime(2024, 3, 10, 23, 30, tzinfo=UTC)
    seizure = record_seizure(session, investigator, seizure_data(occurred_at=occurred.isoformat()))
    secret = record_seizure(
        session, investigator, seizure_data(occurred_at=occurred.isoformat(), **H3)
    )
    assert seizure.review_due == date(2029, 3, 10)
    assert secret.review_due == date(2027, 3, 10)
    today = _today()
    assert create_person(session, investigator, person_data()).review_due == add_years(today, 3)
    assert create_person(session, investigator, person_data(**H3)).review_due == add_years(today, 2)
    assert create_company(session, investigator, company_data()).review_due == add_years(today, 5)
    assert create_conveyance(session, investigator, conveyance_data(**H3)).review_due == add_years(
        today, 3
    )


def test_linking_moves_an_entity_review_later_and_sql_backfill_agrees(session, investigator):
    person = create_person(session, investigator, person_data())
    long_ago = datetime.now(UTC) - timedelta(days=400)
    session.execute(  # as if created long ago
        update(Person)
        .where(Person.id == person.id)
        .values(created_at=long_ago, review_due=add_years(long_ago.date(), 3))
    )
    seizure = record_seizure(session, investigator, seizure_data())
    link_entity(
        session,
        investigator,
        seizure.id,
        seizure.version,
        kind="person",
        target_id=person.id,
        role="courier",
    )
    session.refresh(person)
    seizure_day = seizure.occurred_at.astimezone(UTC).date()
    assert person.review_due == add_years(seizure_day, 3)
    # The migration's SQL (and `ncen retention assign`) computes the same dates.
    expected = {person.id: person.review_due, seizure.id: seizure.review_due}
    session.execute(text("UPDATE persons SET review_due = NULL"))
    session.execute(text("UPDATE seizures SET review_due = NULL"))
    counts = assign_missing(session)
    assert counts["person"] >= 1
    assert counts["seizure"] >= 1
    session.refresh(person)
    session.refresh(seizure)
    assert {person.id: person.review_due, seizure.id: seizure.review_due} == expected


def test_queue_lists_only_due_records_and_audits_the_read(session, investigator, supervisor):
    overdue = create_person(session, investigator, person_data())
    today = create_person(session, investigator, person_data())
    later = create_person(session, investigator, person_data())
    _make_due(session, overdue, days=10)
    _make_due(session, today, days=0)
    session.execute(
        update(Person).where(Person.id == later.id).values(review_due=TODAY + timedelta(days=1))
    )
    items, total = read_queue(session, supervisor, TODAY, record_type="person")
    assert [i.record_id for i in items] == [overdue.id, today.id]
    assert total == 2
    assert items[0].label == "Алиев Мухаммад Ибрагимович"
    flush_events(session)
    event = session.execute(
        select(AuditEvent).where(AuditEvent.action == "retention.list")
    ).scalar_one()
    assert event.actor_id == supervisor.user_id
    assert event.details["shown"] == [f"person:{overdue.id}", f"person:{today.id}"]
    with pytest.raises(ValidationError):
        read_queue(session, supervisor, TODAY, record_type="picture")


@pytest.mark.parametrize("role", ["investigator", "analyst"])
def test_only_supervisors_review(session, request, role):
    actor: Actor = request.getfixturevalue(role)
    with pytest.raises(PermissionDeniedError):
        read_queue(session, actor, TODAY)
    with pytest.raises(PermissionDeniedError):
        keep_record(session, actor, "person", uuid.uuid4(), {}, today=TODAY)


def test_keep_needs_a_reason_and_a_bounded_date_and_moves_the_date(
    session, investigator, supervisor
):
    person = create_person(session, investigator, person_data())
    _make_due(session, person)
    with pytest.raises(ValidationError) as refused:
        keep_record(session, supervisor, "person", person.id, {"reason": " "}, today=TODAY)
    assert set(refused.value.errors) == {"reason", "review_date"}
    for bad in (TODAY, latest_extension(TODAY) + timedelta(days=1)):
        with pytest.raises(ValidationError) as refused:
            keep_record(
                session,
                supervisor,
                "person",
                person.id,
                {"reason": "open case 2026/17", "review_date": bad.isoformat()},
                today=TODAY,
            )
        assert set(refused.value.errors) == {"review_date"}
    new_date = TODAY + timedelta(days=365)
    decision = keep_record(
        session,
        supervisor,
        "person",
        person.id,
        {"reason": "open case 2026/17", "review_date": new_date.isoformat()},
        today=TODAY,
    )
    assert decision.decision is Decision.KEEP
    assert person.review_due == new_date
    assert read_queue(session, supervisor, TODAY, record_type="person")[1] == 0
    flush_events(session)
    event = session.execute(
        select(AuditEvent).where(AuditEvent.action == "retention.keep")
    ).scalar_one()
    assert event.details["reason"] == "open case 2026/17"
    # Not due any more: a second decision is refused.
    with pytest.raises(ValidationError):
        delete_record(
            session, supervisor, "person", person.id, {"reason": "x", "confirm": "yes"}, today=TODAY
        )


def _database_holds(session: Session, needle: str) -> list[str]:
    """Every table whose rows contain ``needle`` anywhere (any column, as text)."""
    tables = session.execute(
        text("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1")
    ).scalars()
    found = []
    for table in tables:
        hit = session.execute(
            text(f'SELECT 1 FROM "{table}" t WHERE t::text ILIKE :needle LIMIT 1'),
            {"needle": f"%{needle}%"},
        ).first()
        if hit:
            found.append(table)
    return found


def test_delete_leaves_a_tombstone_and_no_nominal_string(
    session, investigator, supervisor, tmp_path: Path
):
    name = "Qwertyuiopska Zbigniewa"
    person = create_person(
        session,
        investigator,
        person_data(
            names=[{"full_name": name, "kind": "primary"}],
            documents=[{"doc_type": "passport", "number": "QX998877", "issuing_country": "PL"}],
            addresses=[{"line": "17 Ulica Xylofonowa", "city": "Gdansk", "country": "PL"}],
            description="Known as the Xylofon courier",
        ),
    )
    seizure = record_seizure(session, investigator, seizure_data())
    link_entity(
        session,
        investigator,
        seizure.id,
        seizure.version,
        kind="person",
        target_id=person.id,
        role="courier",
        note="Qwertyuiopska drove the truck",
    )
    settings = Settings(instance_path=tmp_path)
    store = PictureStore(settings.picture_path)
    add_pictures(
        session,
        investigator,
        store,
        settings,
        [("face.jpg", jpeg(7))],
        caption="Qwertyuiopska at the border",
        person_id=person.id,
    )
    sha256 = session.execute(select(Picture.sha256)).scalar_one()
    assert "person_names" in _database_holds(session, "Qwertyuiopska")
    _make_due(session, person)

    with pytest.raises(ValidationError) as refused:
        delete_record(session, supervisor, "person", person.id, {"reason": ""}, today=TODAY)
    assert set(refused.value.errors) == {"reason", "confirm"}
    deletion = delete_record(
        session,
        supervisor,
        "person",
        person.id,
        {"reason": "no longer needed after review", "confirm": "yes"},
        today=TODAY,
    )
    remove_picture_files(settings.picture_path, deletion.picture_hashes)

    for needle in ("Qwertyuiopska", "QX998877", "Xylofon"):
        assert _database_holds(session, needle) == [], needle
    assert deletion.picture_hashes == (sha256,)
    assert not store.exists(Kind.ORIGINAL, sha256)
    assert not store.exists(Kind.THUMBNAIL, sha256)
    tomb = session.execute(
        select(RetentionDecision).where(RetentionDecision.decision == Decision.DELETE)
    ).scalar_one()
    assert (tomb.record_type, tomb.record_id, tomb.decided_by_id) == (
        "person",
        person.id,
        supervisor.user_id,
    )
    assert tomb.reason == "no longer needed after review"
    session.refresh(person)
    assert person.deleted_at is not None
    assert person.review_due is None
    assert person.names == []
    flush_events(session)
    event = session.execute(
        select(AuditEvent).where(AuditEvent.action == "retention.delete")
    ).scalar_one()
    assert event.record_id == str(person.id)
    # The seizure stays, without its link to the erased person.
    session.refresh(seizure)
    assert seizure.deleted_at is None


def test_a_stricter_handling_code_brings_the_review_date_forward(session, investigator):
    """Made H3 later, a record falls under H3's shorter period at once, not at its next review;
    a looser code does not lengthen the period (only a supervisor's keep does)."""
    today = _today()
    person = create_person(session, investigator, person_data())
    assert person.review_due == add_years(today, 3)
    person = update_person(session, investigator, person.id, person.version, person_data(**H3))
    session.refresh(person)
    assert person.review_due == add_years(today, 2)
    person = update_person(session, investigator, person.id, person.version, person_data())
    session.refresh(person)
    assert person.review_due == add_years(today, 2)

    occurred = datetime(2024, 3, 10, 12, 0, tzinfo=UTC)
    seizure = record_seizure(session, investigator, seizure_data(occurred_at=occurred.isoformat()))
    assert seizure.review_due == date(2029, 3, 10)
    seizure = update_seizure(
        session,
        investigator,
        seizure.id,
        seizure.version,
        seizure_data(occurred_at=occurred.isoformat(), **H3),
    )
    session.refresh(seizure)
    assert seizure.review_due == date(2027, 3, 10)
