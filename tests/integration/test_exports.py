"""Exports (ncen.exports): neutralised cells, the audit of who exported what, roles, handling
banners, FtM entities that validate against the FtM model, and the size cap."""

from __future__ import annotations

import csv
import io
import json

import pytest
from followthemoney import model
from openpyxl import load_workbook
from sqlalchemy import select

from ncen.accounts.models import Role
from ncen.audit import flush_events
from ncen.audit.events import AuditEvent
from ncen.companies.services import create_company, link_person_to_company
from ncen.conveyances.services import create_conveyance
from ncen.errors import PermissionDeniedError, ValidationError
from ncen.exports.cells import neutralise
from ncen.exports.cells_format import CellStyle
from ncen.exports.columns import Column, Table
from ncen.exports.csvfile import csv_bytes
from ncen.exports.ftm import ftm_lines
from ncen.exports.service import Exported, export_list
from ncen.exports.xlsxfile import xlsx_bytes
from ncen.persons.queries import PersonFilters
from ncen.persons.queries import list_statement as person_statement
from ncen.persons.services import create_person
from ncen.seizures.queries import SeizureFilters
from ncen.seizures.queries import list_statement as seizure_statement
from ncen.seizures.services import link_entity, record_seizure
from tests.conftest import make_actor
from tests.factories import company_data, conveyance_data, person_data, seizure_data

HOSTILE = '=HYPERLINK("http://x","y")'


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_neutralise_every_formula_start(start):
    assert neutralise(start + "1+1") == "'" + start + "1+1"


def test_neutralise_leaves_plain_text():
    assert neutralise("Алиев") == "Алиев"
    assert neutralise("") == ""
    assert neutralise("a=b") == "a=b"


def _network(session, actor):
    with session.begin():
        person = create_person(
            session,
            actor,
            person_data(
                names=[{"full_name": "Ivan Petrov", "kind": "primary"}],
                description=HOSTILE,
                handling_code="H3",
                handling_restrictions="Not for court without consent",
            ),
        )
        company = create_company(session, actor, company_data())
        conveyance = create_conveyance(session, actor, conveyance_data())
        seizure = record_seizure(session, actor, seizure_data(narrative="-5 boxes"))
    with session.begin():
        link_entity(session, actor, seizure.id, seizure.version, kind="person",
                    target_id=person.id, role="courier")  # fmt: skip
        link_entity(session, actor, seizure.id, seizure.version, kind="company",
                    target_id=company.id, role="importer")  # fmt: skip
        link_entity(session, actor, seizure.id, seizure.version, kind="conveyance",
                    target_id=conveyance.id, role="container")  # fmt: skip
        link_person_to_company(
            session, actor, person_id=person.id, company_id=company.id, role="director"
        )
    return person, company, conveyance, seizure


def _persons(session, actor, fmt="csv"):
    return export_list(
        session, actor, "person", person_statement(PersonFilters()), fmt=fmt, filters={}
    )


def test_csv_neutralises_and_carries_the_handling_banner(session, investigator):
    _person, *_ = _network(session, investigator)
    with session.begin():
        exported = _persons(session, investigator)
    text = csv_bytes(exported, CellStyle(decimal=",")).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0][0].startswith("HANDLING RESTRICTIONS APPLY")
    assert "Not for court without consent" in rows[1][0]
    header = rows[2]
    assert header[:3] == ["id", "full_name", "other_names"]
    assert "handling_code_code" in header
    assert "nationalities_code" in header
    row = dict(zip(header, rows[3], strict=True))
    assert row["description"] == "'" + HOSTILE
    assert row["nationalities_code"] == "KZ UZ"
    assert row["handling_code_code"] == "H3"


def test_xlsx_has_a_handling_sheet_and_inert_cells(session, investigator):
    _network(session, investigator)
    with session.begin():
        exported = _persons(session, investigator, "xlsx")
    book = load_workbook(io.BytesIO(xlsx_bytes(exported, CellStyle())))
    assert book.sheetnames == ["handling", "person"]
    assert "H3" in book["handling"]["A2"].value
    sheet = book["person"]
    header = [c.value for c in sheet[1]]
    description = sheet.cell(2, header.index("description") + 1)
    assert description.data_type == "s"
    assert description.value == "'" + HOSTILE


def test_export_is_audited_with_filters_and_ids(session, investigator):
    person, *_ = _network(session, investigator)
    with session.begin():
        export_list(
            session, investigator, "person", person_statement(PersonFilters(name="Petrov")),
            fmt="csv", filters=PersonFilters(name="Petrov").describe(),
        )  # fmt: skip
        flush_events(session)
        event = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "person.export")
        ).one()
    assert event.actor_id == investigator.user_id
    assert event.details["filters"] == {"name": "Petrov"}
    assert event.details["ids"] == [str(person.id)]
    assert event.details["format"] == "csv"


@pytest.mark.parametrize("role", [Role.ADMINISTRATOR, Role.AUDITOR, Role.EXCHANGE_OFFICER])
def test_roles_without_export_are_refused(session, role):
    actor = make_actor(session, role)
    with pytest.raises(PermissionDeniedError), session.begin():
        _persons(session, actor)


def test_size_cap_refuses_with_a_clear_message(session, investigator):
    _network(session, investigator)
    with pytest.raises(ValidationError) as caught, session.begin():
        export_list(
            session, investigator, "person", person_statement(PersonFilters()),
            fmt="csv", filters={}, limit=0,
        )  # fmt: skip
    assert "narrow the filters" in caught.value.errors["export"]


def test_ftm_entities_validate_and_link_the_seizure(session, investigator):
    person, _company, conveyance, seizure = _network(session, investigator)
    with session.begin():
        exported = export_list(
            session, investigator, "seizure", seizure_statement(SeizureFilters()),
            fmt="ftm", filters={},
        )  # fmt: skip
        lines = [json.loads(line) for line in ftm_lines(session, exported.records)]
        flush_events(session)
        linked = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "person.export")
        ).one()
    assert linked.details["ids"] == [str(person.id)]
    by_id = {}
    for data in lines:
        proxy = model.get_proxy(data, cleaned=False)  # raises on unknown schema or property
        for prop, values in data["properties"].items():
            for value in values:
                assert proxy.schema.get(prop).type.clean(value) is not None, (prop, value)
        by_id[proxy.id] = proxy
    event = by_id[f"ncen-seizure-{seizure.id}"]
    assert event.schema.name == "Event"
    assert event.get("name") == [seizure.reference]
    assert by_id[f"ncen-person-{person.id}"].schema.name == "Person"
    assert "H3" in by_id[f"ncen-person-{person.id}"].get("notes")[0]
    assert by_id[f"ncen-conveyance-{conveyance.id}"].schema.name == "Vehicle"
    links = [p for p in by_id.values() if p.schema.name == "UnknownLink"]
    assert {(p.first("role"), p.first("object")) for p in links} == {
        (role, event.id) for role in ("courier", "importer", "container")
    }


def test_streamed_list_in_small_batches_matches_the_capped_export(
    session, investigator, monkeypatch
):
    from ncen.exports import streaming

    _network(session, investigator)
    with session.begin():
        create_person(session, investigator, person_data(description="+second"))
    monkeypatch.setattr(streaming, "BATCH", 1)
    with session.begin():
        whole = csv_bytes(_persons(session, investigator), CellStyle())
        exported, _ = streaming.stream_list(
            session, investigator, "person", person_statement(PersonFilters()), fmt="csv",
            filters={},
        )  # fmt: skip
        streamed = csv_bytes(exported, CellStyle())
        flush_events(session)
        events = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "person.export")
        ).all()
    assert streamed == whole
    assert exported.count == 2
    assert [e.details["count"] for e in events] == [2, 2]


def test_seizure_rows_name_their_links(session, investigator):
    _person, _company, _conveyance, seizure = _network(session, investigator)
    with session.begin():
        exported = export_list(
            session, investigator, "seizure", seizure_statement(SeizureFilters()),
            fmt="csv", filters={},
        )  # fmt: skip
    rows = list(csv.DictReader(io.StringIO(csv_bytes(exported, CellStyle()).decode("utf-8-sig"))))
    row = next(r for r in rows if r["id"] == str(seizure.id))
    assert row["persons"] == "Ivan Petrov (courier)"
    assert row["conveyances"] == "CONTAINER CSQU3054383 (container)"
    assert row["transit_countries_code"] == "KZ"
    assert row["narrative"] == "'-5 boxes"
    assert row["items"].startswith("tobacco 240220 12000")


def test_xlsx_cuts_what_excel_cannot_hold_visibly():
    # Record fields are shorter, but joined cells (items, links) have no such bound.
    table = Table("seizure", [Column("persons")], [["=" + "x" * 40_000]])
    book = load_workbook(io.BytesIO(xlsx_bytes(Exported("t", {}, [table], []), CellStyle())))
    text = book["seizure"].cell(2, 1).value
    assert len(text) == 32_767
    assert text.startswith("'=x")
    assert text.endswith(" [...]")
