"""``ncen import persons`` with source ids (issue 14, item 8; issue 11): re-import updates
instead of duplicating, stale and deleted records are refused per line, scripts are checked
against ISO 15924, genders and name parts are accepted on every name, unknown fields refused."""

from __future__ import annotations

import json
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from ncen.audit import AuditEvent, flush_events
from ncen.errors import ValidationError
from ncen.history import list_versions
from ncen.imports import ImportFailedError, import_persons
from ncen.persons.models import Gender, Person
from ncen.persons.services import create_person, delete_person
from ncen.search.persons import search_persons
from ncen.search.query import person_query
from tests.factories import person_data


def lines(*rows: dict[str, Any]) -> list[bytes]:
    return [json.dumps(r, ensure_ascii=False).encode() for r in rows]


def row(source_id: str | int = "P-1", **extra: Any) -> dict[str, Any]:
    return {
        "source": "legacy-ncen",
        "source_id": source_id,
        "names": [{"full_name": "Алиев Мухаммад", "script": "Cyrl"}],
        "gender": "M",
        "birth_year": 1984,
        **extra,
    }


def persons(session) -> list[Person]:
    return list(session.execute(select(Person).order_by(Person.created_at)).scalars())


def errors_of(exc: pytest.ExceptionInfo[ImportFailedError]) -> dict[tuple[int, str], str]:
    return {(e.line, e.field): e.message for e in exc.value.errors}


def test_reimport_updates_instead_of_duplicating(session, system):
    first = import_persons(session, system, lines(row(), row("P-2")))
    assert (first.created, first.updated, first.unchanged) == (2, 0, 0)
    again = import_persons(session, system, lines(row(), row("P-2")))
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    changed = import_persons(session, system, lines(row(birth_year=1985), row("P-2")))
    assert (changed.created, changed.updated, changed.unchanged) == (0, 1, 1)
    stored = persons(session)
    assert len(stored) == 2
    person = next(p for p in stored if p.source_id == "P-1")
    assert (person.source, person.birth_year, person.version) == ("legacy-ncen", 1985, 2)
    assert [v.version for v in list_versions(session, "person", person.id)][-1] == 2
    flush_events(session)
    outcomes = session.execute(
        select(AuditEvent.details["outcome"].astext).where(AuditEvent.action == "person.import")
    ).scalars()
    assert sorted(outcomes) == sorted(
        ["created"] * 2 + ["unchanged"] * 2 + ["updated", "unchanged"]
    )


def test_numeric_ids_and_the_default_source(session, system):
    import_persons(session, system, lines({**row(42), "source": None}), source="file-a")
    import_persons(session, system, lines({**row("42"), "source": None}), source="file-a")
    import_persons(session, system, lines({**row(42), "source": None}), source="file-b")
    keys = sorted((p.source, p.source_id) for p in persons(session))
    assert keys == [("file-a", "42"), ("file-b", "42")]


def test_source_id_needs_a_source_and_twice_in_a_file_is_refused(session, system):
    with pytest.raises(ImportFailedError) as exc:
        import_persons(session, system, lines({**row(), "source": None}, row("X"), row("X")))
    errors = errors_of(exc)
    assert "needs a source" in errors[(1, "source_id")]
    assert errors[(3, "source_id")] == "is given twice in the file (line 2)"


def test_stale_version_and_deleted_records_are_refused(session, system, supervisor):
    import_persons(session, system, lines(row()))
    [person] = persons(session)
    with pytest.raises(ImportFailedError) as exc:
        import_persons(session, system, lines(row(version=7, birth_year=1990)))
    assert "exported at version 7, the person is at version 1" in errors_of(exc)[(1, "version")]
    session.refresh(person)
    assert person.birth_year == 1984
    # The exported version is current: the update goes through.
    import_persons(session, system, lines(row(version=1, birth_year=1990)))
    session.refresh(person)
    assert (person.birth_year, person.version) == (1990, 2)
    delete_person(session, supervisor, person.id, person.version)
    with pytest.raises(ImportFailedError) as exc:
        import_persons(session, system, lines(row()))
    assert "was deleted or merged" in errors_of(exc)[(1, "source_id")]


def test_the_database_refuses_a_second_record_with_the_same_source_id(session, system):
    import_persons(session, system, lines(row()))
    other = create_person(session, system, person_data())
    other.source, other.source_id = "legacy-ncen", "P-1"
    with pytest.raises(IntegrityError), session.begin_nested():
        session.flush()


@pytest.mark.parametrize(
    ("script", "stored"),
    [("Cyrl", "Cyrl"), ("latn", "Latn"), ("Hans", "Hans"), ("Hant", "Hant"), ("Hani", "Hani")],
)
def test_registered_scripts_are_stored_in_their_registered_form(session, system, script, stored):
    import_persons(session, system, lines(row(names=[{"full_name": "王磊", "script": script}])))
    [person] = persons(session)
    assert person.names[0].script == stored


def test_unknown_scripts_and_fields_are_refused_per_line(session, system):
    bad = [
        row("1", names=[{"full_name": "Anna Schmidt", "script": "Abcd"}]),
        row("2", names=[{"full_name": "Anna Schmidt", "script": "Qaab"}]),
        row("3", names=[{"full_name": "Anna Schmidt", "script": "Latin"}]),
        row("4", familyname="Schmidt"),
        row("5", names=[{"full_name": "Anna Schmidt", "surname": "Schmidt"}]),
    ]
    with pytest.raises(ImportFailedError) as exc:
        import_persons(session, system, lines(*bad))
    errors = errors_of(exc)
    assert "unknown ISO 15924 script code 'Abcd'" in errors[(1, "names.0.script")]
    assert "private-use" in errors[(2, "names.0.script")]
    assert "four-letter ISO 15924" in errors[(3, "names.0.script")]
    assert "is not a field of a person" in errors[(4, "familyname")]
    assert "is not a field of names" in errors[(5, "names.0.surname")]
    assert session.execute(select(func.count()).select_from(Person)).scalar_one() == 0


def test_gender_and_name_parts_on_every_name(session, system):
    parts = {
        "source": "eval",
        "source_id": "F-1",
        "names": [
            {"given_names": "Дана", "family_name": "Ахметова", "patronymic": "Ериковна",
             "gender": "F", "script": "Cyrl"},
            {"given_names": "Dana", "family_name": "Akhmetova", "gender": "F",
             "kind": "transliteration"},
        ],
    }  # fmt: skip
    import_persons(session, system, lines(parts))
    [person] = persons(session)
    assert person.gender is Gender.FEMALE
    assert [n.full_name for n in person.names] == ["Дана Ериковна Ахметова", "Dana Akhmetova"]
    assert person.names[0].patronymic == "Ериковна"
    conflicting = {
        **parts,
        "source_id": "F-2",
        "gender": "M",
        "names": [
            {"full_name": "Dana Akhmetova", "gender": "F"},
            {"full_name": "X Y", "gender": "Q"},
        ],
    }
    with pytest.raises(ImportFailedError) as exc:
        import_persons(session, system, lines(conflicting))
    errors = errors_of(exc)
    assert "conflicts with the gender M" in errors[(1, "names.0.gender")]
    assert (1, "names.1.gender") in errors


def test_the_person_service_checks_scripts_too(session, investigator):
    with pytest.raises(ValidationError) as exc:
        create_person(
            session, investigator, person_data(names=[{"full_name": "A B", "script": "Zz"}])
        )
    assert "names.0.script" in exc.value.errors


def test_keyed_lines_in_bulk_report_service_errors_by_line_and_path(session, system):
    good = [row(f"B-{n}") for n in range(1, 6)]
    bad = row("B-bad", nationalities=["ZZ"], names=[{"full_name": ""}])
    with pytest.raises(ImportFailedError) as exc:
        import_persons(session, system, lines(*good[:2], bad, *good[2:]))
    found = errors_of(exc)
    assert {line for line, _ in found} == {3}
    assert any(path.startswith("nationalities") for _, path in found), found
    assert any(path.startswith("names.0") for _, path in found), found
    session.rollback()
    summary = import_persons(session, system, lines(*good))
    assert (summary.created, summary.updated, summary.unchanged) == (5, 0, 0)
    assert {p.source_id for p in persons(session)} == {f"B-{n}" for n in range(1, 6)}
    # The bulk path indexes the names for search, as the service path does.
    hits = search_persons(session, system, person_query(name="Aliev Mukhammad")).hits
    assert len(hits) == 5
