"""Seizure services on real PostgreSQL: recording, validation of every field, links, workflow."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from ncen.audit import AuditEvent
from ncen.companies.services import create_company
from ncen.conveyances.services import create_conveyance
from ncen.errors import ConflictError, NotFoundError, PermissionDeniedError, ValidationError
from ncen.history import list_versions
from ncen.persons.services import create_person
from ncen.seizures.models import Seizure, SeizureItem, SeizureStatus
from ncen.seizures.services import (
    delete_seizure,
    link_entity,
    record_seizure,
    submit_seizure,
    unlink_entity,
    update_seizure,
    validate_seizure,
)
from tests.factories import company_data, conveyance_data, person_data, seizure_data


def count(session, model) -> int:
    """Rows in ``model``'s table; ends its read so the test's next ``begin()`` starts clean."""
    n = session.execute(select(func.count()).select_from(model)).scalar_one()
    session.commit()
    return n


def test_record_seizure_writes_items_route_history_and_audit(session, investigator):
    with session.begin():
        seizure = record_seizure(
            session,
            investigator,
            seizure_data(transit_countries=["kz", "UZ"], concealment_methods=["within_cargo"]),
        )
    assert seizure.version == 1
    assert seizure.status is SeizureStatus.DRAFT
    assert seizure.reference.startswith(f"SZ-{seizure.occurred_at:%Y}-")
    assert [t.country for t in seizure.transit_countries] == ["KZ", "UZ"]
    assert [m.method for m in seizure.concealment_methods] == ["within_cargo"]
    item = seizure.items[0]
    assert (item.hs_code, str(item.quantity), item.unit, item.currency) == (
        "240220",
        "12000.000",
        "pieces",
        "USD",
    )
    versions = list_versions(session, "seizure", seizure.id)
    assert [(v.version, v.kind.value) for v in versions] == [(1, "create")]
    assert versions[0].snapshot["items"][0]["hs_code"] == "240220"
    events = (
        session.execute(select(AuditEvent).where(AuditEvent.record_id == str(seizure.id)))
        .scalars()
        .all()
    )
    assert [e.action for e in events] == ["seizure.create"]


def test_references_are_unique_and_sequential(session, investigator):
    with session.begin():
        first = record_seizure(session, investigator, seizure_data())
        second = record_seizure(session, investigator, seizure_data())
    assert first.reference != second.reference
    assert int(second.reference.rsplit("-", 1)[1]) == int(first.reference.rsplit("-", 1)[1]) + 1


def test_every_bad_field_is_reported_at_once_and_nothing_written(session, investigator):
    before = count(session, Seizure), count(session, SeizureItem)
    bad = seizure_data(
        occurred_at=(datetime.now(UTC) + timedelta(days=3)).isoformat(),
        departure_country="ZZ",
        transit_countries=["KZ", "XQ"],
        transport_mode="teleport",
        information_grade=7,
        locode="DE-H1M",
        items=[
            {"commodity_group": "tobacco", "hs_code": "7701.00", "quantity": "-5", "unit": "kg"},
            {"commodity_group": "nonsense", "estimated_value": "10", "currency": "XYZ"},
        ],
    )
    with pytest.raises(ValidationError) as caught, session.begin():
        record_seizure(session, investigator, bad)
    errors = caught.value.errors
    assert "future" in errors["occurred_at"]
    assert "ZZ" in errors["departure_country"]
    assert "XQ" in errors["transit_countries.1"]
    assert "teleport" in errors["transport_mode"]
    assert "at most 4" in errors["information_grade"]
    assert "locode" in errors
    assert "77" in errors["items.0.hs_code"]
    assert "negative" in errors["items.0.quantity"]
    assert "nonsense" in errors["items.1.commodity_group"]
    assert "XYZ" in errors["items.1.currency"]
    assert (count(session, Seizure), count(session, SeizureItem)) == before


def test_seizure_needs_a_date_and_an_item(session, investigator):
    with pytest.raises(ValidationError) as caught, session.begin():
        record_seizure(session, investigator, seizure_data(occurred_at=None, items=[]))
    assert set(caught.value.errors) >= {"occurred_at", "items"}


def test_naive_datetime_refused(session, investigator):
    with pytest.raises(ValidationError) as caught, session.begin():
        record_seizure(session, investigator, seizure_data(occurred_at="2025-01-02T10:00:00"))
    assert "time zone" in caught.value.errors["occurred_at"]


def test_h3_requires_restrictions(session, investigator):
    with pytest.raises(ValidationError) as caught, session.begin():
        record_seizure(session, investigator, seizure_data(handling_code="H3"))
    assert "handling_restrictions" in caught.value.errors


def test_over_long_and_control_characters_refused(session, investigator):
    with pytest.raises(ValidationError) as caught, session.begin():
        record_seizure(
            session, investigator, seizure_data(place="x" * 201, narrative="bad\x00byte")
        )
    assert "too long" in caught.value.errors["place"]
    assert "control" in caught.value.errors["narrative"]


def test_duplicate_reference_refused(session, investigator):
    with session.begin():
        record_seizure(session, investigator, seizure_data(reference="KZ-2026-1"))
    with pytest.raises(ValidationError) as caught, session.begin():
        record_seizure(session, investigator, seizure_data(reference="KZ-2026-1"))
    assert "already used" in caught.value.errors["reference"]


def test_update_with_stale_version_is_refused_and_changes_nothing(session, investigator):
    with session.begin():
        seizure = record_seizure(session, investigator, seizure_data())
    with session.begin():
        update_seizure(session, investigator, seizure.id, 1, seizure_data(place="Dostyk"))
    assert seizure.version == 2
    with pytest.raises(ConflictError) as caught, session.begin():
        update_seizure(session, investigator, seizure.id, 1, seizure_data(place="Altynkol"))
    assert caught.value.expected == 1
    assert caught.value.actual == 2
    session.expire_all()
    assert session.get(Seizure, seizure.id).place == "Dostyk"


def test_update_records_field_level_diff(session, investigator):
    with session.begin():
        seizure = record_seizure(session, investigator, seizure_data())
    data = seizure_data(place="Dostyk")
    data["items"][0]["quantity"] = "13000"
    with session.begin():
        update_seizure(session, investigator, seizure.id, seizure.version, data)
    latest = list_versions(session, "seizure", seizure.id)[-1]
    assert latest.kind.value == "update"
    assert latest.changes["place"] == ["Khorgos border crossing", "Dostyk"]
    assert "items" in latest.changes
    assert "narrative" not in latest.changes


def test_links_with_roles_and_missing_targets(session, investigator):
    with session.begin():
        seizure = record_seizure(session, investigator, seizure_data())
        person = create_person(session, investigator, person_data())
        company = create_company(session, investigator, company_data())
        conveyance = create_conveyance(session, investigator, conveyance_data())
    with session.begin():
        link_entity(
            session,
            investigator,
            seizure.id,
            seizure.version,
            kind="person",
            target_id=person.id,
            role="courier",
        )
        link_entity(
            session,
            investigator,
            seizure.id,
            seizure.version,
            kind="company",
            target_id=company.id,
            role="importer",
        )
        link = link_entity(
            session,
            investigator,
            seizure.id,
            seizure.version,
            kind="conveyance",
            target_id=conveyance.id,
            role="container",
        )
    assert seizure.version == 4
    with pytest.raises(NotFoundError), session.begin():
        link_entity(
            session,
            investigator,
            seizure.id,
            seizure.version,
            kind="person",
            target_id=uuid.uuid4(),
            role="courier",
        )
    with pytest.raises(ValidationError) as caught, session.begin():
        link_entity(
            session,
            investigator,
            seizure.id,
            seizure.version,
            kind="person",
            target_id=person.id,
            role="cook",
        )
    assert "cook" in caught.value.errors["role"]
    with pytest.raises(ValidationError), session.begin():
        link_entity(
            session,
            investigator,
            seizure.id,
            seizure.version,
            kind="person",
            target_id=person.id,
            role="courier",
        )
    with session.begin():
        unlink_entity(
            session, investigator, seizure.id, seizure.version, kind="conveyance", link_id=link.id
        )
    snapshot = list_versions(session, "seizure", seizure.id)[-1].snapshot
    assert snapshot["persons"] == [{"id": str(person.id), "role": "courier", "note": None}]
    assert snapshot["conveyances"] == []


def test_link_to_missing_seizure(session, investigator):
    with pytest.raises(NotFoundError), session.begin():
        link_entity(
            session,
            investigator,
            uuid.uuid4(),
            1,
            kind="person",
            target_id=uuid.uuid4(),
            role="courier",
        )


def test_workflow_draft_submit_validate(session, investigator, supervisor):
    with session.begin():
        seizure = record_seizure(session, investigator, seizure_data())
    with pytest.raises(PermissionDeniedError), session.begin():
        validate_seizure(session, investigator, seizure.id, seizure.version)
    with pytest.raises(ValidationError), session.begin():
        validate_seizure(session, supervisor, seizure.id, seizure.version)  # still a draft
    with session.begin():
        submit_seizure(session, investigator, seizure.id, seizure.version)
    # Submitted: the investigator can no longer edit it; the supervisor can.
    with pytest.raises(PermissionDeniedError), session.begin():
        update_seizure(session, investigator, seizure.id, seizure.version, seizure_data())
    with session.begin():
        validate_seizure(session, supervisor, seizure.id, seizure.version)
    assert seizure.status is SeizureStatus.VALIDATED
    assert seizure.validated_by_id == supervisor.user_id


def test_investigator_cannot_edit_someone_elses_draft(session, investigator):
    from ncen.accounts.models import Role
    from tests.conftest import make_actor

    other = make_actor(session, Role.INVESTIGATOR)
    with session.begin():
        seizure = record_seizure(session, investigator, seizure_data())
    with pytest.raises(PermissionDeniedError), session.begin():
        update_seizure(session, other, seizure.id, seizure.version, seizure_data())


def test_analyst_cannot_record(session, analyst):
    with pytest.raises(PermissionDeniedError), session.begin():
        record_seizure(session, analyst, seizure_data())


def test_soft_delete_only_by_supervisor(session, investigator, supervisor):
    with session.begin():
        seizure = record_seizure(session, investigator, seizure_data())
    with pytest.raises(PermissionDeniedError), session.begin():
        delete_seizure(session, investigator, seizure.id, seizure.version)
    with session.begin():
        delete_seizure(session, supervisor, seizure.id, seizure.version)
    assert seizure.deleted_at is not None
    with pytest.raises(NotFoundError), session.begin():
        update_seizure(session, supervisor, seizure.id, seizure.version, seizure_data())


def test_hs_code_checked_against_loaded_nomenclature(session, investigator):
    from ncen.reference.models import HsSubheading

    with session.begin():
        session.add(HsSubheading(code="240220", chapter="24", description="Cigarettes"))
    with session.begin():
        record_seizure(session, investigator, seizure_data())  # 240220 exists
    data = seizure_data()
    data["items"][0]["hs_code"] = "240299"
    with pytest.raises(ValidationError) as caught, session.begin():
        record_seizure(session, investigator, data)
    assert "not an HS subheading" in caught.value.errors["items.0.hs_code"]


def test_loading_the_nomenclature_takes_effect_in_the_same_session(session, investigator, system):
    from pathlib import Path

    from ncen.reference.load import load_hs_file

    sample = Path(__file__).resolve().parents[1] / "assets" / "reference" / "hs_sample.csv"
    horses = seizure_data()
    horses["items"][0].update(commodity_group="cites", hs_code="0101.99")
    with session.begin():
        record_seizure(session, investigator, horses)  # chapter 01 not loaded: format only
    with session.begin():
        load_hs_file(session, system, sample)
    with pytest.raises(ValidationError) as caught, session.begin():
        record_seizure(session, investigator, horses)
    assert "not an HS subheading of chapter 01" in caught.value.errors["items.0.hs_code"]
    horses["items"][0]["hs_code"] = "0101.21"
    with session.begin():
        record_seizure(session, investigator, horses)
