"""The SQL that reads seizures' facts, built for the fields the active profiles refer to.

A profile refers to a few fields of the catalogue (`ncen.targeting.fields`); reading every
field of a seizure (its persons' ages, its companies' keys, its conveyances' identifiers) for
every write costs joins and regular expressions that no profile looks at. `facts_statement`
builds one statement (a ``UNION ALL`` of branches, one round trip for a batch of ids) from the
branches that provide the fields asked for, and within a branch only the values asked for.
Statements are cached per set of fields: the text is then the same from one evaluation to the
next, so that the driver prepares it once per connection (psycopg prepares a statement on its
fifth use) and the server plans it once.

Derived values (hour, season, age, age band, days a company has been known, identifier keys)
are computed by the same SQL expressions as the back-tests (`ncen.targeting.sql`): a hit and a
back-test never disagree. Deleted seizures give no row, and deleted linked records are left out.
Every fragment below is a constant of this module; the ids are the one bound parameter.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from sqlalchemy import TextClause, bindparam, text
from sqlalchemy.dialects.postgresql import ARRAY, UUID

from ncen.targeting.fields import FIELDS

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
    "JOIN persons p ON p.id = sp.person_id AND p.deleted_at IS NULL"
)
_LIVE_CONVEYANCE = (
    "FROM seizure_conveyances sc JOIN s ON s.id = sc.seizure_id "
    "JOIN conveyances cv ON cv.id = sc.conveyance_id AND cv.deleted_at IS NULL"
)
_IDENTIFIER_KIND = (
    "CASE ci.kind WHEN 'plate' THEN 'conveyance.plate' WHEN 'container' "
    "THEN 'conveyance.container' WHEN 'bill_of_lading' THEN 'conveyance.bill_of_lading' END"
)

# A value: (field name, text expression, number expression); one of the two is None.
Value = tuple[str, str | None, str | None]


@dataclass(frozen=True, slots=True)
class Branch:
    """One part of the statement: the rows it joins (``source``, whose seizure id is ``sid``)
    and the values it gives per row (``values``, of which only the wanted ones are read)."""

    sid: str
    source: str
    values: tuple[Value, ...]

    def sql(self, wanted: frozenset[str]) -> str | None:
        """The branch's SELECT for the ``wanted`` fields, or None when it gives none of them."""
        rows = [value for value in self.values if value[0] in wanted]
        if not rows:
            return None
        rendered = ", ".join(
            f"('{name}', ({t or 'NULL'})::text, ({n or 'NULL'})::numeric)" for name, t, n in rows
        )
        return (
            f"SELECT {self.sid}, v.name, v.t, v.n {self.source}\n"
            f"CROSS JOIN LATERAL (VALUES {rendered}) v(name, t, n)"
        )


_SEIZURE = "s.id"
BRANCHES: tuple[Branch, ...] = (
    Branch(_SEIZURE, "FROM s", (
        ("office", "s.office_code", None), ("transport_mode", "s.transport_mode", None),
        ("departure_country", "s.departure_country", None),
        ("destination_country", "s.destination_country", None),
        ("route_country", "s.departure_country", None),
        ("route_country", "s.destination_country", None),
        ("direction", "s.direction", None), ("status", "s.status", None),
        ("detection_method", "s.detection_method", None),
        ("hour", None, "extract(hour from s.at)"), ("month", None, "extract(month from s.at)"),
        ("weekday", None, "extract(isodow from s.at)"), ("season", SEASON_SQL, None),
    )),
    Branch("i.seizure_id", "FROM seizure_items i JOIN s ON s.id = i.seizure_id", (
        ("commodity_group", "i.commodity_group", None), ("hs_code", "i.hs_code", None),
        ("hs_heading", "substr(i.hs_code, 1, 4)", None),
        ("hs_chapter", "substr(i.hs_code, 1, 2)", None),
        ("quantity", None, "i.quantity"), ("value", None, "i.estimated_value"),
    )),
    Branch("t.seizure_id", "FROM seizure_transit_countries t JOIN s ON s.id = t.seizure_id", (
        ("transit_country", "t.country", None), ("route_country", "t.country", None),
    )),
    Branch("c.seizure_id", "FROM seizure_concealments c JOIN s ON s.id = c.seizure_id", (
        ("concealment", "c.method", None),
    )),
    Branch("sp.seizure_id", f"{_LIVE_PERSON} CROSS JOIN LATERAL (SELECT {AGE_SQL} AS age) a", (
        ("person.role", "sp.role", None), ("person.gender", "p.gender", None),
        ("person.birth_country", "p.birth_country", None), ("person.age", None, "a.age"),
        ("person.age_band", AGE_BAND_SQL, None),
    )),
    Branch("sp.seizure_id",
           f"{_LIVE_PERSON} JOIN person_nationalities pn ON pn.person_id = p.id",
           (("person.nationality", "pn.country", None),)),
    Branch("sp.seizure_id", f"{_LIVE_PERSON} JOIN identity_documents d ON d.person_id = p.id",
           (("person.document", _KEY.format("d.number_norm"), None),)),
    Branch("sco.seizure_id",
           "FROM seizure_companies sco JOIN s ON s.id = sco.seizure_id "
           "JOIN companies co ON co.id = sco.company_id AND co.deleted_at IS NULL", (
        ("company.country", "co.country", None), ("company.aeo", "co.aeo_status", None),
        ("company.registration", _KEY.format("co.registration_number_norm"), None),
        ("company.registration", _KEY.format("co.tax_number_norm"), None),
        ("company.known_days", None, "extract(day from s.occurred_at - co.created_at)"),
    )),
    Branch("sc.seizure_id", _LIVE_CONVEYANCE, (
        ("conveyance.kind", "cv.kind", None), ("conveyance.flag", "cv.flag", None),
    )),
)  # fmt: skip
# A conveyance identifier gives its key under "conveyance.identifier" and under the field its
# kind names (plate, container, bill of lading): one CASE row, not three joins.
_IDENTIFIER_FIELDS = frozenset(
    {"conveyance.plate", "conveyance.container", "conveyance.bill_of_lading"}
)
_IDENTIFIERS = f"{_LIVE_CONVEYANCE} JOIN conveyance_identifiers ci ON ci.conveyance_id = cv.id"
ALL_FIELDS = frozenset(FIELDS)


def _identifiers_sql(wanted: frozenset[str]) -> str | None:
    rows: list[str] = []
    if "conveyance.identifier" in wanted:
        rows.append(f"('conveyance.identifier', {_KEY.format('ci.value')})")
    if wanted & _IDENTIFIER_FIELDS:
        rows.append(f"({_IDENTIFIER_KIND}, {_KEY.format('ci.value')})")
    if not rows:
        return None
    return (
        f"SELECT sc.seizure_id, v.name, v.t, NULL::numeric {_IDENTIFIERS}\n"
        f"CROSS JOIN LATERAL (VALUES {', '.join(rows)}) v(name, t)"
    )


def facts_sql(fields: Iterable[str]) -> str:
    """The statement's text for ``fields`` (names of the catalogue; others are ignored). Its
    rows are (seizure id, field name, text value, number value); the first row of each live
    seizure is ``('_version', NULL, version)``."""
    wanted = frozenset(fields) & ALL_FIELDS
    parts = [
        "WITH s AS (\n  SELECT id, version, office_code, transport_mode, departure_country, "
        "destination_country, direction, status, detection_method, occurred_at, "
        "timezone('UTC', occurred_at) AS at\n  FROM seizures WHERE id = ANY(:ids) AND "
        "deleted_at IS NULL\n)\n"
        "SELECT s.id, '_version'::text AS name, NULL::text AS t, s.version::numeric AS n FROM s"
    ]
    for sql in (*(branch.sql(wanted) for branch in BRANCHES), _identifiers_sql(wanted)):
        if sql is not None:
            parts.append(sql)
    return "\nUNION ALL\n".join(parts)


@lru_cache(maxsize=64)
def facts_statement(fields: frozenset[str]) -> TextClause:
    """The prepared-once statement for ``fields`` (cached: one object, one text per set)."""
    return text(facts_sql(fields)).bindparams(bindparam("ids", type_=ARRAY(UUID(as_uuid=True))))
