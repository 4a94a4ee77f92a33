"""The CEN export carries no personal identifier, suppresses small counts, and is written by
``ncen exchange cen-export`` in both documented formats."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from exchange.services.cen_export import CSV_COLUMNS, FORMAT, age_band
from ncen.companies.models import Company, CompanyName
from ncen.conveyances.models import ConveyanceIdentifier
from ncen.persons.models import IdentityDocument, PersonAddress, PersonContact, PersonName
from ncen.seizures.models import Seizure


def _identifiers(session: Session) -> set[str]:
    """Every name, document number and other personal identifier held by the node."""
    values: set[str] = set()
    for row in session.execute(
        select(PersonName.full_name, PersonName.given_names, PersonName.family_name)
    ).all():
        values.update(v for v in row if v)
    values.update(session.execute(select(IdentityDocument.number)).scalars())
    values.update(session.execute(select(PersonAddress.line)).scalars())
    values.update(session.execute(select(PersonContact.value)).scalars())
    values.update(session.execute(select(CompanyName.name)).scalars())
    values.update(v for v in session.execute(select(Company.registration_number)).scalars() if v)
    values.update(session.execute(select(ConveyanceIdentifier.value)).scalars())
    values.update(session.execute(select(Seizure.reference)).scalars())
    return {v for v in values if len(v) >= 4}


def _variants(value: str) -> set[str]:
    compact = "".join(ch for ch in value if ch.isalnum())
    return {value, value.upper(), value.lower(), compact, compact.upper()}


def test_export_contains_no_personal_identifier(make_node, tmp_path: Path):
    fr = make_node("fr-ncen", "FR")
    for seed in range(5):
        fr.record_case(seed=seed, distribution="global_cen")
    with Session(fr.engine) as session, session.begin():
        session.execute(update(Seizure).values(status="validated"))
    outputs = {}
    for fmt in ("csv", "json"):
        path = tmp_path / f"cen.{fmt}"
        out = fr.ok("exchange", "cen-export", "--format", fmt, "-o", path)
        assert "5 seizures written" in out
        outputs[fmt] = path.read_text(encoding="utf-8")
    with Session(fr.engine) as session:
        identifiers = _identifiers(session)
    assert len(identifiers) > 10
    for fmt, text in outputs.items():
        folded = text.upper()
        for identifier in identifiers:
            for variant in _variants(identifier):
                assert variant.upper() not in folded, f"{identifier!r} leaks in the {fmt} export"

    document = json.loads(outputs["json"])
    assert document["format"] == FORMAT
    assert len(document["seizures"]) == 5
    person = document["seizures"][0]["persons"][0]
    assert set(person) == {"nationality", "gender", "age_band"}
    rows = list(csv.reader(io.StringIO(outputs["csv"])))
    assert tuple(rows[0]) == CSV_COLUMNS
    assert "audit trail verified" in fr.ok("audit", "verify")


def test_small_counts_are_suppressed(make_node, tmp_path: Path):
    fr = make_node("fr-ncen", "FR")
    fr.record_case(
        seed=1, distribution="global_cen"
    )  # a single person: every combination is rarer than 3
    with Session(fr.engine) as session, session.begin():
        session.execute(update(Seizure).values(status="submitted"))
    path = tmp_path / "cen.json"
    fr.ok("exchange", "cen-export", "--format", "json", "-o", path)
    document = json.loads(path.read_text())
    person = document["seizures"][0]["persons"][0]
    assert person["age_band"] == "*"
    assert person["nationality"] == "*"
    assert document["suppressed"]["age_band"] == 1
    big = tmp_path / "cen-k1.json"
    fr.ok("exchange", "cen-export", "--format", "json", "--min-count", "1", "-o", big)
    assert json.loads(big.read_text())["seizures"][0]["persons"][0]["age_band"] != "*"


def test_age_bands():
    from datetime import date

    assert age_band(1990, date(2026, 5, 1)) == "30-39"
    assert age_band(None, date(2026, 5, 1)) == "unknown"
    assert age_band(1920, date(2026, 5, 1)) == "80+"
