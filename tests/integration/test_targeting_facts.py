"""The facts loader built for the fields the profiles refer to (`ncen.targeting.factsql`)
reads what the single hand-written statement of session 5 read, field for field: that
statement is kept below as the reference, and both run on a seizure with every kind of link."""

from __future__ import annotations

import uuid
from collections import defaultdict

import pytest
from sqlalchemy import bindparam, text
from sqlalchemy.dialects.postgresql import ARRAY, UUID
from sqlalchemy.orm import Session

from ncen.accounts.actor import Actor
from ncen.companies.services import create_company
from ncen.conveyances.services import create_conveyance
from ncen.persons.services import create_person
from ncen.seizures.services import link_entity, record_seizure
from ncen.targeting.facts import load_facts
from ncen.targeting.factsql import ALL_FIELDS
from tests.factories import company_data, conveyance_data, person_data, seizure_data

# The statement before it was split into branches (verbatim): the reference.
_KEY = "regexp_replace(upper({0}), '[^[:alnum:]]', '', 'g')"
AGE_SQL = (
    "(extract(year from s.at)::int - p.birth_year - CASE WHEN p.birth_month IS NOT NULL AND "
    "(p.birth_month, coalesce(p.birth_day, 1)) > "
    "(extract(month from s.at)::int, extract(day from s.at)::int) THEN 1 ELSE 0 END)"
)
SEASON_SQL = (
    "CASE WHEN extract(month from s.at) IN (12, 1, 2) THEN 'winter' "
    "WHEN extract(month from s.at) IN (3, 4, 5) THEN 'spring' "
    "WHEN extract(month from s.at) IN (6, 7, 8) THEN 'summer' ELSE 'autumn' END"
)
AGE_BAND_SQL = (
    "CASE WHEN a.age IS NULL THEN NULL WHEN a.age < 18 THEN 'under_18' "
    "WHEN a.age <= 25 THEN '18_25' WHEN a.age <= 35 THEN '26_35' "
    "WHEN a.age <= 50 THEN '36_50' ELSE 'over_50' END"
)
_LIVE_PERSON = (
    "FROM seizure_persons sp JOIN s ON s.id = sp.seizure_id "
    "JOIN persons p ON p.id = sp.person_id AND p.deleted_at IS NULL "
)
_LIVE_CONVEYANCE = (
    "FROM seizure_conveyances sc JOIN s ON s.id = sc.seizure_id "
    "JOIN conveyances cv ON cv.id = sc.conveyance_id AND cv.deleted_at IS NULL "
)
# Built from the constants above only; the ids are a bound parameter.
FACTS_SQL = f"""
WITH s AS (
  SELECT id, version, office_code, transport_mode, departure_country, destination_country,
         direction, status, detection_method, occurred_at, timezone('UTC', occurred_at) AS at
  FROM seizures WHERE id = ANY(:ids) AND deleted_at IS NULL
)
SELECT s.id, v.name, v.t, v.n FROM s CROSS JOIN LATERAL (VALUES
  ('_version', NULL::text, s.version::numeric),
  ('office', s.office_code, NULL), ('transport_mode', s.transport_mode, NULL),
  ('departure_country', s.departure_country, NULL),
  ('destination_country', s.destination_country, NULL),
  ('route_country', s.departure_country, NULL), ('route_country', s.destination_country, NULL),
  ('direction', s.direction, NULL), ('status', s.status, NULL),
  ('detection_method', s.detection_method, NULL),
  ('hour', NULL, extract(hour from s.at)), ('month', NULL, extract(month from s.at)),
  ('weekday', NULL, extract(isodow from s.at)), ('season', {SEASON_SQL}, NULL)
) v(name, t, n)
UNION ALL
SELECT i.seizure_id, v.name, v.t, v.n FROM seizure_items i JOIN s ON s.id = i.seizure_id
CROSS JOIN LATERAL (VALUES
  ('commodity_group', i.commodity_group, NULL::numeric), ('hs_code', i.hs_code, NULL),
  ('hs_heading', substr(i.hs_code, 1, 4), NULL), ('hs_chapter', substr(i.hs_code, 1, 2), NULL),
  ('quantity', NULL, i.quantity), ('value', NULL, i.estimated_value)
) v(name, t, n)
UNION ALL
SELECT t.seizure_id, x.name, t.country, NULL FROM seizure_transit_countries t
JOIN s ON s.id = t.seizure_id CROSS JOIN (VALUES ('transit_country'), ('route_country')) x(name)
UNION ALL
SELECT c.seizure_id, 'concealment', c.method, NULL FROM seizure_concealments c
JOIN s ON s.id = c.seizure_id
UNION ALL
SELECT sp.seizure_id, v.name, v.t, v.n {_LIVE_PERSON}
CROSS JOIN LATERAL (SELECT {AGE_SQL} AS age) a
CROSS JOIN LATERAL (VALUES
  ('person.role', sp.role, NULL::numeric), ('person.gender', p.gender, NULL),
  ('person.birth_country', p.birth_country, NULL), ('person.age', NULL, a.age),
  ('person.age_band', {AGE_BAND_SQL}, NULL)
) v(name, t, n)
UNION ALL
SELECT sp.seizure_id, 'person.nationality', n.country, NULL {_LIVE_PERSON}
JOIN person_nationalities n ON n.person_id = p.id
UNION ALL
SELECT sp.seizure_id, 'person.document', {_KEY.format("d.number_norm")}, NULL {_LIVE_PERSON}
JOIN identity_documents d ON d.person_id = p.id
UNION ALL
SELECT sco.seizure_id, v.name, v.t, v.n FROM seizure_companies sco JOIN s ON s.id = sco.seizure_id
JOIN companies co ON co.id = sco.company_id AND co.deleted_at IS NULL
CROSS JOIN LATERAL (VALUES
  ('company.country', co.country, NULL::numeric), ('company.aeo', co.aeo_status, NULL),
  ('company.registration', {_KEY.format("co.registration_number_norm")}, NULL),
  ('company.registration', {_KEY.format("co.tax_number_norm")}, NULL),
  ('company.known_days', NULL, extract(day from s.occurred_at - co.created_at))
) v(name, t, n)
UNION ALL
SELECT sc.seizure_id, v.name, v.t, NULL {_LIVE_CONVEYANCE}
CROSS JOIN LATERAL (VALUES ('conveyance.kind', cv.kind), ('conveyance.flag', cv.flag)) v(name, t)
UNION ALL
SELECT sc.seizure_id, v.name, v.t, NULL {_LIVE_CONVEYANCE}
JOIN conveyance_identifiers ci ON ci.conveyance_id = cv.id
CROSS JOIN LATERAL (VALUES
  ('conveyance.identifier', {_KEY.format("ci.value")}),
  (CASE ci.kind WHEN 'plate' THEN 'conveyance.plate' WHEN 'container'
   THEN 'conveyance.container' WHEN 'bill_of_lading' THEN 'conveyance.bill_of_lading' END,
   {_KEY.format("ci.value")})
) v(name, t)
"""
_OLD = text(FACTS_SQL).bindparams(bindparam("ids", type_=ARRAY(UUID(as_uuid=True))))


def _old_facts(session: Session, seizure_id: uuid.UUID) -> dict[str, list[object]]:
    values: dict[str, list[object]] = defaultdict(list)
    for _sid, name, text_value, number in session.execute(_OLD, {"ids": [seizure_id]}):
        value = float(number) if number is not None else text_value
        if name not in (None, "_version") and value is not None and value not in values[name]:
            values[name].append(value)
    return dict(values)


@pytest.fixture
def varied_seizure(session: Session, investigator: Actor) -> uuid.UUID:
    """A seizure with two items, transit, concealments, two persons (nationalities, documents,
    birth dates), a company (registration and tax numbers) and two conveyances (a plate, a
    container and a bill of lading)."""
    data = seizure_data(
        concealment_methods=["within_cargo", "fuel_tank"],
        transit_countries=["KZ", "UZ"],
        occurred_at="2026-03-01T02:30:00+05:00",
    )
    data["items"].append(
        {"commodity_group": "drugs", "hs_code": "1211.90", "description": "Leaves",
         "quantity": "2.5", "unit": "kg"}
    )  # fmt: skip
    seizure = record_seizure(session, investigator, data)
    links = [
        ("person", create_person(session, investigator, person_data()).id, "courier"),
        ("person", create_person(session, investigator, person_data(
            gender="F", birth_year=2001, birth_month=None, nationalities=["TJ"],
            documents=[{"doc_type": "passport", "number": "tj-77 001", "issuing_country": "TJ"}],
        )).id, "driver"),
        ("company", create_company(session, investigator, company_data(
            tax_number="kz 9900-11")).id, "importer"),
        ("conveyance", create_conveyance(session, investigator, conveyance_data()).id,
         "container"),
        ("conveyance", create_conveyance(session, investigator, conveyance_data(
            kind="vehicle", flag="KZ", identifiers=[
                {"kind": "plate", "value": "777 abc 02"},
                {"kind": "bill_of_lading", "value": "MEDU-123456"},
            ])).id, "means_of_transport"),
    ]  # fmt: skip
    for kind, target_id, role in links:
        link_entity(
            session, investigator, seizure.id, seizure.version,
            kind=kind, target_id=target_id, role=role,
        )  # fmt: skip
    return seizure.id


def test_every_field_reads_as_the_old_statement_read_it(
    session: Session, varied_seizure: uuid.UUID
) -> None:
    old = _old_facts(session, varied_seizure)
    # The seizure touches every branch: a field missing from both would prove nothing.
    assert {"person.document", "company.registration", "conveyance.plate",
            "conveyance.bill_of_lading", "person.age_band", "quantity"} <= set(old)  # fmt: skip
    everything = load_facts(session, [varied_seizure])[varied_seizure]
    assert {k: sorted(map(str, v)) for k, v in everything.values.items() if v} == {
        k: sorted(map(str, v)) for k, v in old.items()
    }
    for name in sorted(ALL_FIELDS):
        alone = load_facts(session, [varied_seizure], [name])[varied_seizure]
        assert {k for k, v in alone.values.items() if v} <= {name}, name
        assert sorted(map(str, alone.get(name))) == sorted(map(str, old.get(name, []))), name


def test_a_subset_of_fields_reads_those_fields_only(
    session: Session, varied_seizure: uuid.UUID
) -> None:
    fields = ["commodity_group", "route_country", "person.nationality", "conveyance.container"]
    lean = load_facts(session, [varied_seizure], fields)[varied_seizure]
    old = _old_facts(session, varied_seizure)
    assert {k: sorted(map(str, v)) for k, v in lean.values.items() if v} == {
        k: sorted(map(str, old[k])) for k in fields
    }
    assert lean.version == load_facts(session, [varied_seizure])[varied_seizure].version
