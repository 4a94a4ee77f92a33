"""The facts of seizures that profiles are matched against, read in one statement.

`load_facts` reads, for a batch of seizure ids, the seizure row, its items, route and
concealment, and its live linked persons, companies and conveyances, in *one* SQL statement
(one round trip whatever the batch size: the cost that matters when every write is evaluated
in its own transaction); each seizure's facts map a catalogue field (`ncen.targeting.fields`)
to its values. Derived values (hour, season, age, age band, days a company has been known,
identifier keys) are computed by the same SQL expressions the back-tests use
(`ncen.targeting.sql`), so that a hit and a back-test never disagree. Deleted seizures get no
facts, and deleted linked records are left out, as they are everywhere else.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC

from sqlalchemy import bindparam, text
from sqlalchemy.dialects.postgresql import ARRAY, UUID
from sqlalchemy.orm import Session

from ncen.seizures.models import Seizure
from ncen.targeting.fields import season_of

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
"""  # noqa: S608
_STATEMENT = text(FACTS_SQL).bindparams(bindparam("ids", type_=ARRAY(UUID(as_uuid=True))))


@dataclass(slots=True)
class Facts:
    """One seizure's values per field, and the version they were read at."""

    seizure_id: uuid.UUID
    version: int
    values: dict[str, list[object]] = field(default_factory=lambda: defaultdict(list))

    def get(self, name: str) -> list[object]:
        """The values of field ``name`` (empty when it has none)."""
        return self.values.get(name, [])

    def add(self, name: str, value: object) -> None:
        """Add a value (None is no value; a value already there is not repeated)."""
        if value is not None and value not in self.values[name]:
            self.values[name].append(value)


def own_facts(seizure: Seizure) -> Facts:
    """The facts of a seizure's own fields (not of its linked records) from the object in
    memory, computed as `FACTS_SQL` computes them: enough to rule a new seizure out of every
    profile indexed by its own fields without a query (`Matcher.could_match_own`)."""
    facts = Facts(seizure.id, seizure.version)
    at = seizure.occurred_at.astimezone(UTC)
    for name, value in (
        ("office", seizure.office_code),
        ("transport_mode", seizure.transport_mode),
        ("departure_country", seizure.departure_country),
        ("destination_country", seizure.destination_country),
        ("route_country", seizure.departure_country),
        ("route_country", seizure.destination_country),
        ("direction", seizure.direction.value if seizure.direction else None),
        ("status", seizure.status.value),
        ("detection_method", seizure.detection_method),
        ("hour", float(at.hour)),
        ("month", float(at.month)),
        ("weekday", float(at.isoweekday())),
        ("season", season_of(at.month)),
    ):
        facts.add(name, value)
    for item in seizure.items:
        facts.add("commodity_group", item.commodity_group)
        if item.hs_code:
            facts.add("hs_code", item.hs_code)
            facts.add("hs_heading", item.hs_code[:4])
            facts.add("hs_chapter", item.hs_code[:2])
        facts.add("quantity", float(item.quantity) if item.quantity is not None else None)
        facts.add(
            "value", float(item.estimated_value) if item.estimated_value is not None else None
        )
    for transit in seizure.transit_countries:
        facts.add("transit_country", transit.country)
        facts.add("route_country", transit.country)
    for concealment in seizure.concealment_methods:
        facts.add("concealment", concealment.method)
    return facts


def load_facts(
    session: Session, seizure_ids: Iterable[uuid.UUID], chunk: int = 5000
) -> dict[uuid.UUID, Facts]:
    """The facts of the live seizures among ``seizure_ids`` (read in the session's transaction,
    so a write flushed but not committed is seen), one statement per ``chunk`` ids."""
    ids = list(dict.fromkeys(seizure_ids))
    result: dict[uuid.UUID, Facts] = {}
    for start in range(0, len(ids), chunk):
        rows = session.execute(_STATEMENT, {"ids": ids[start : start + chunk]}).all()
        for sid, name, text_value, number in rows:
            if name == "_version":
                found = result.get(sid)
                if found is None:
                    result[sid] = Facts(sid, int(number))
                else:
                    found.version = int(number)
                continue
            if name is None:
                continue
            facts = result.get(sid)
            if facts is None:
                facts = result[sid] = Facts(sid, 0)
            facts.add(name, float(number) if number is not None else text_value)
    return result
