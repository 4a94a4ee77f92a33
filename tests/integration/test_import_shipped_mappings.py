"""The mappings shipped in config/mappings/ read the node's own CSV list exports.

The files below are written with the columns the CSV export gives (named after the records'
fields, coded fields as ``<field>_code`` and ``<field>``; ncen.exports.tables), so a CSV
exported by one node imports into another, and importing it again changes nothing."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from ncen.accounts.actor import Actor
from ncen.conveyances.models import Conveyance
from ncen.imports.mapping import load_mapping
from ncen.imports.running import run_import
from ncen.persons.models import Person
from ncen.seizures.models import Seizure

MAPPINGS = Path(__file__).parents[2] / "config" / "mappings"


def _csv(rows: list[dict[str, str]]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8-sig")


PERSON = {
    "id": "2f1c7d0e-0000-4000-8000-000000000001",
    "full_name": "Ivan Petrov",
    "other_names": "Иван Петров | Vanya",
    "gender_code": "M",
    "gender": "male",
    "birth_date": "1980-06",
    "birth_place": "Omsk",
    "birth_country_code": "RU",
    "birth_country": "Russia",
    "nationalities_code": "RU KZ",
    "nationalities": "Russia; Kazakhstan",
    "documents": "passport P1234567 (RU) | national_id 4509 123456",
    "addresses": "",
    "contacts": "",
    "description": "",
    "handling_code_code": "H1",
    "handling_code": "H1",
    "handling_restrictions": "",
    "origin_node": "",
    "origin_id": "",
    "version": "3",
    "updated_at": "2026-11-02T10:00:00+00:00",
}
SEIZURE = {
    "id": "2f1c7d0e-0000-4000-8000-0000000000aa",
    "reference": "SZ-2026-000042",
    "occurred_at": "2026-03-01T14:30:00+00:00",
    "status_code": "draft",
    "status": "draft",
    "direction_code": "import",
    "direction": "import",
    "transport_mode_code": "road",
    "transport_mode": "Road transport",
    "transit_countries_code": "KZ",
    "transit_countries": "Kazakhstan",
    "departure_country_code": "CN",
    "departure_country": "China",
    "destination_country_code": "RU",
    "destination_country": "Russia",
    "commodity_groups_code": "tobacco",
    "commodity_groups": "Tobacco",
    "narrative": "Cigarettes behind tiles",
    "source_reliability_code": "B",
    "source_reliability": "B",
    "information_grade": "2",
    "handling_code_code": "H0",
    "handling_code": "H0",
    **dict.fromkeys(
        (
            "concealment_description",
            "concealment_methods_code",
            "detection_method_code",
            "detection_technique_code",
            "handling_restrictions",
            "location_type_code",
            "locode",
            "office_code_code",
            "place",
        ),
        "",
    ),
}


@pytest.mark.parametrize("name", ["persons", "companies", "conveyances", "seizures"])
def test_shipped_mappings_parse(name: str) -> None:
    mapping = load_mapping((MAPPINGS / f"ncen-{name}.yaml").read_text())
    assert mapping.main.id_columns == ("id",)


def test_person_export_imports_and_reimports(session: Session, supervisor: Actor) -> None:
    mapping = load_mapping((MAPPINGS / "ncen-persons.yaml").read_text())
    data = _csv([PERSON])
    report = run_import(session, supervisor, data, "persons.csv", mapping)
    assert report.created == {"person": 1}, report.problems
    person = session.execute(select(Person).where(Person.source_id == PERSON["id"])).scalar_one()
    assert (person.birth_year, person.birth_month, person.birth_day) == (1980, 6, None)
    assert sorted(n.country for n in person.nationalities) == ["KZ", "RU"]
    assert {d.doc_type.value for d in person.documents} == {"passport", "national_id"}
    assert len(person.names) == 3
    again = run_import(session, supervisor, data, "persons.csv", mapping)
    assert again.changed == 0


def test_seizure_and_conveyance_exports_import(session: Session, supervisor: Actor) -> None:
    mapping = load_mapping((MAPPINGS / "ncen-seizures.yaml").read_text())
    report = run_import(session, supervisor, _csv([SEIZURE]), "seizures.csv", mapping)
    assert report.created == {"seizure": 1}, report.problems
    seizure = session.execute(
        select(Seizure).where(Seizure.source_id == SEIZURE["id"])
    ).scalar_one()
    assert seizure.occurred_at.hour == 14
    assert [t.country for t in seizure.transit_countries] == ["KZ"]
    conveyances = load_mapping((MAPPINGS / "ncen-conveyances.yaml").read_text())
    row = {
        "id": "c-1",
        "kind_code": "container",
        "kind": "Container",
        "name": "",
        "flag_code": "",
        "flag": "",
        "identifiers": "container:CSQU3054383",
        "description": "",
        "handling_code_code": "H0",
        "handling_code": "H0",
        "handling_restrictions": "",
    }
    report = run_import(session, supervisor, _csv([row]), "conveyances.csv", conveyances)
    assert report.created == {"conveyance": 1}, report.problems
    stored = session.execute(select(Conveyance).where(Conveyance.source_id == "c-1")).scalar_one()
    assert stored.identifiers[0].value == "CSQU3054383"


@pytest.mark.parametrize(
    ("name", "columns"),
    [
        ("persons", "PERSON_COLUMNS"),
        ("companies", "COMPANY_COLUMNS"),
        ("conveyances", "CONVEYANCE_COLUMNS"),
        ("seizures", "SEIZURE_COLUMNS"),
    ],
)
def test_shipped_mappings_read_only_columns_the_export_writes(name: str, columns: str) -> None:
    # Runs once the exports (ncen.exports.tables) are merged: the contract between the two.
    tables = pytest.importorskip("ncen.exports.tables")
    header: list[str] = []
    for column in getattr(tables, columns):
        header += [f"{column.name}_code", column.name] if column.coded else [column.name]
    mapping = load_mapping((MAPPINGS / f"ncen-{name}.yaml").read_text())
    assert mapping.columns() <= set(header)
