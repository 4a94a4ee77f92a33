"""The neighbour queries of the entity graph: one SQL family per (node kind, edge kind, target).

`neighbours` finds the neighbours of many nodes at once, one statement per family, with a
bounded cost whatever the degree of a node: per source node it reads at most ``scan`` link
rows (a LATERAL sub-select with a LIMIT on an indexed column), groups them by neighbour, keeps
the ``cap`` most recent, and reports how many it left out. When the scan was cut short (a hub:
a company in 50,000 seizures) the remaining neighbours are counted by a second statement that
is itself bounded by ``COUNT_CAP`` rows, and the figure is flagged as a lower bound. Deleted
records are filtered inside the scan, so they are neither returned nor counted.

Shared identifiers are compared on the keys the record services store: document numbers and
contacts on their normalised forms (``number_norm``, ``value_norm``: `ncen.identifiers`,
`ncen.persons.services`), conveyance identifiers on their checked canonical value, and
addresses on ``address_key`` (migration 0017: letters and digits of line and city, lower case,
with the country). Every ``detail`` is symmetric, so an edge reads the same from both ends.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from ncen.analysis.entities import NodeKey

# Link rows read per source node and family before grouping; past this a node is a hub.
SCAN_CAP = 2000
# Link rows counted, at most, to tell how many neighbours of a hub were left out.
COUNT_CAP = 10_000
# Phone numbers shorter than this (after normalisation) are too weak to link two persons.
MIN_PHONE_DIGITS = 6


@dataclass(frozen=True)
class Family:
    """Neighbours of kind ``target`` of a ``source`` node through ``edge``. ``sql`` selects
    ``target, detail, sort_at`` for the source node ``src.id``."""

    source: str
    edge: str
    target: str
    sql: str


def _participation_of(table: str, column: str) -> str:
    return (
        f"SELECT l.seizure_id AS target, l.role AS detail, s.occurred_at AS sort_at "  # noqa: S608 - fixed names, no input
        f"FROM {table} l JOIN seizures s ON s.id = l.seizure_id "
        f"WHERE l.{column} = src.id AND s.deleted_at IS NULL"
    )


def _participants(table: str, column: str, records: str) -> str:
    return (
        f"SELECT l.{column} AS target, l.role AS detail, NULL::timestamptz AS sort_at "  # noqa: S608 - fixed names, no input
        f"FROM {table} l JOIN {records} r ON r.id = l.{column} "
        f"WHERE l.seizure_id = src.id AND r.deleted_at IS NULL"
    )


def _same_contact(kind: str, shortest: int) -> str:
    return (
        "SELECT c2.person_id AS target, c1.value_norm AS detail, NULL::timestamptz AS sort_at "  # noqa: S608 - fixed names, no input
        "FROM person_contacts c1 JOIN person_contacts c2 ON c2.kind = c1.kind "
        "AND c2.value_norm = c1.value_norm AND c2.person_id <> c1.person_id "
        "JOIN persons r ON r.id = c2.person_id AND r.deleted_at IS NULL "
        f"WHERE c1.person_id = src.id AND c1.kind = '{kind}' "
        f"AND length(c1.value_norm) >= {shortest}"
    )


# An address key with fewer letters and digits than this ("n/a", "-") links nobody.
_KEYED = "length(split_part({t}.address_key, '|', 1)) >= 4"
_PERSON_LINE = "a{n}.line || coalesce(', ' || a{n}.city, '')"
_COMPANY_LINE = "c{n}.address_line || coalesce(', ' || c{n}.address_city, '')"

FAMILIES: tuple[Family, ...] = (
    Family("person", "participation", "seizure", _participation_of("seizure_persons", "person_id")),
    Family(
        "company", "participation", "seizure", _participation_of("seizure_companies", "company_id")
    ),
    Family(
        "conveyance",
        "participation",
        "seizure",
        _participation_of("seizure_conveyances", "conveyance_id"),
    ),
    Family(
        "seizure",
        "participation",
        "person",
        _participants("seizure_persons", "person_id", "persons"),
    ),
    Family(
        "seizure",
        "participation",
        "company",
        _participants("seizure_companies", "company_id", "companies"),
    ),
    Family(
        "seizure",
        "participation",
        "conveyance",
        _participants("seizure_conveyances", "conveyance_id", "conveyances"),
    ),
    Family(
        "person",
        "employment",
        "company",
        "SELECT l.company_id AS target, l.role AS detail, NULL::timestamptz AS sort_at "
        "FROM person_companies l JOIN companies r ON r.id = l.company_id "
        "WHERE l.person_id = src.id AND r.deleted_at IS NULL",
    ),
    Family(
        "company",
        "employment",
        "person",
        "SELECT l.person_id AS target, l.role AS detail, NULL::timestamptz AS sort_at "
        "FROM person_companies l JOIN persons r ON r.id = l.person_id "
        "WHERE l.company_id = src.id AND r.deleted_at IS NULL",
    ),
    Family(
        "person",
        "document",
        "person",
        "SELECT d2.person_id AS target, replace(least(d1.doc_type, d2.doc_type), '_', ' ') "
        "|| ' ' || d1.number_norm AS detail, NULL::timestamptz AS sort_at "
        "FROM identity_documents d1 JOIN identity_documents d2 "
        "ON d2.number_norm = d1.number_norm AND d2.person_id <> d1.person_id "
        "AND (d1.issuing_country IS NULL OR d2.issuing_country IS NULL "
        "OR d1.issuing_country = d2.issuing_country) "
        "JOIN persons r ON r.id = d2.person_id AND r.deleted_at IS NULL "
        "WHERE d1.person_id = src.id",
    ),
    Family("person", "phone", "person", _same_contact("phone", MIN_PHONE_DIGITS)),
    Family("person", "email", "person", _same_contact("email", 3)),
    Family(
        "person",
        "address",
        "person",
        f"SELECT a2.person_id AS target, least({_PERSON_LINE.format(n=1)}, "  # noqa: S608 - fixed names, no input
        f"{_PERSON_LINE.format(n=2)}) AS detail, NULL::timestamptz AS sort_at "
        "FROM person_addresses a1 JOIN person_addresses a2 ON a2.address_key = a1.address_key "
        "AND a2.person_id <> a1.person_id "
        "JOIN persons r ON r.id = a2.person_id AND r.deleted_at IS NULL "
        "WHERE a1.person_id = src.id AND " + _KEYED.format(t="a1"),
    ),
    Family(
        "person",
        "address",
        "company",
        f"SELECT c2.id AS target, least({_PERSON_LINE.format(n=1)}, "  # noqa: S608 - fixed names, no input
        f"{_COMPANY_LINE.format(n=2)}) AS detail, NULL::timestamptz AS sort_at "
        "FROM person_addresses a1 JOIN companies c2 ON c2.address_key = a1.address_key "
        "AND c2.deleted_at IS NULL WHERE a1.person_id = src.id AND " + _KEYED.format(t="a1"),
    ),
    Family(
        "company",
        "address",
        "person",
        f"SELECT a2.person_id AS target, least({_COMPANY_LINE.format(n=1)}, "  # noqa: S608 - fixed names, no input
        f"{_PERSON_LINE.format(n=2)}) AS detail, NULL::timestamptz AS sort_at "
        "FROM companies c1 JOIN person_addresses a2 ON a2.address_key = c1.address_key "
        "JOIN persons r ON r.id = a2.person_id AND r.deleted_at IS NULL WHERE c1.id = src.id "
        "AND " + _KEYED.format(t="c1"),
    ),
    Family(
        "company",
        "address",
        "company",
        f"SELECT c2.id AS target, least({_COMPANY_LINE.format(n=1)}, "  # noqa: S608 - fixed names, no input
        f"{_COMPANY_LINE.format(n=2)}) AS detail, NULL::timestamptz AS sort_at "
        "FROM companies c1 JOIN companies c2 ON c2.address_key = c1.address_key "
        "AND c2.id <> c1.id AND c2.deleted_at IS NULL WHERE c1.id = src.id AND "
        + _KEYED.format(t="c1"),
    ),
    Family(
        "conveyance",
        "conveyance",
        "conveyance",
        "SELECT i2.conveyance_id AS target, replace(i1.kind, '_', ' ') || ' ' || i1.value "
        "AS detail, NULL::timestamptz AS sort_at "
        "FROM conveyance_identifiers i1 JOIN conveyance_identifiers i2 ON i2.kind = i1.kind "
        "AND i2.value = i1.value AND i2.conveyance_id <> i1.conveyance_id "
        "AND (i1.kind <> 'plate' OR i1.country IS NULL OR i2.country IS NULL "
        "OR i1.country = i2.country) "
        "JOIN conveyances r ON r.id = i2.conveyance_id AND r.deleted_at IS NULL "
        "WHERE i1.conveyance_id = src.id",
    ),
)

_CAPPED = """
SELECT {number} AS family, src.id AS source, n.target, n.detail, n.sort_at, n.total, n.links
FROM unnest(CAST(:{ids} AS uuid[])) AS src(id)
CROSS JOIN LATERAL (
    SELECT g.target, g.detail, g.sort_at, count(*) OVER () AS total,
           CAST(sum(g.links) OVER () AS bigint) AS links,
           row_number() OVER (ORDER BY g.sort_at DESC NULLS LAST, g.target) AS rn
    FROM (
        SELECT t.target, string_agg(DISTINCT t.detail, ' / ') AS detail,
               max(t.sort_at) AS sort_at, count(*) AS links
        FROM ({family} LIMIT :scan) AS t
        GROUP BY t.target
    ) AS g
) AS n
WHERE n.rn <= :cap
"""

_COUNT = """
SELECT {number} AS family, src.id AS source, n.distinct_targets, n.links
FROM unnest(CAST(:{ids} AS uuid[])) AS src(id)
CROSS JOIN LATERAL (
    SELECT count(DISTINCT t.target) AS distinct_targets, count(*) AS links
    FROM ({family} LIMIT :count_cap) AS t
) AS n
"""


@dataclass(frozen=True)
class Neighbour:
    """One neighbour found: the edge kind, its symmetric detail (roles joined by " / ", or
    the shared identifier) and the newest seizure date behind it (participation only)."""

    source: NodeKey
    target: NodeKey
    kind: str
    detail: str
    sort_at: datetime | None


@dataclass
class Neighbourhood:
    """What `neighbours` found, and per (source, edge kind) how many neighbours it left out."""

    found: list[Neighbour] = field(default_factory=list)
    left_out: dict[tuple[NodeKey, str], int] = field(default_factory=dict)
    at_least: set[tuple[NodeKey, str]] = field(default_factory=set)


def families_for(kind: str, edge_kinds: Collection[str] | None) -> list[Family]:
    """The families that start at nodes of ``kind``, restricted to ``edge_kinds`` if given."""
    return [
        f for f in FAMILIES if f.source == kind and (edge_kinds is None or f.edge in edge_kinds)
    ]


def neighbours(
    session: Session,
    sources: Sequence[NodeKey],
    *,
    edge_kinds: Collection[str] | None = None,
    cap: int,
    scan: int = SCAN_CAP,
    count: bool = True,
) -> Neighbourhood:
    """The live neighbours of ``sources`` (which the caller has checked are live), at most
    ``cap`` per source and edge kind, the most recent seizures first. With ``count`` the
    neighbours left out are counted (bounded by `COUNT_CAP`); without it, a hub's figure is what
    its scan saw, flagged in ``at_least``. Reads only; no audit."""
    result = Neighbourhood()
    by_kind: dict[str, list[uuid.UUID]] = defaultdict(list)
    for key in dict.fromkeys(sources):
        by_kind[key.kind].append(key.id)
    # Distinct neighbours per (family, source) in the scan; hubs are recounted below.
    scanned: dict[tuple[Family, uuid.UUID], int] = {}
    hubs: dict[Family, list[uuid.UUID]] = defaultdict(list)
    # One statement for every family of every kind: one round trip per call.
    parts: list[str] = []
    params: dict[str, object] = {"scan": scan, "cap": cap}
    for kind, ids in by_kind.items():
        params[f"ids_{kind}"] = ids
        parts.extend(
            _CAPPED.format(family=f.sql, number=FAMILIES.index(f), ids=f"ids_{kind}")
            for f in families_for(kind, edge_kinds)
        )
    rows: Iterable[Any] = session.execute(text(_union(parts)), params) if parts else ()
    for number, source, target, detail, sort_at, total, links in rows:
        family = FAMILIES[number]
        src = NodeKey(family.source, source)
        result.found.append(
            Neighbour(src, NodeKey(family.target, target), family.edge, detail, sort_at)
        )
        if (family, source) not in scanned and links >= scan:
            hubs[family].append(source)
        scanned[(family, source)] = total
    if count:
        _count_hubs(session, hubs, scanned, result)
    else:
        # Not recounted: what the scan saw of a hub is only a lower bound.
        result.at_least.update(
            (NodeKey(family.source, source), family.edge)
            for family, ids in hubs.items()
            for source in ids
        )
    totals: dict[tuple[NodeKey, str], int] = defaultdict(int)
    for (family, source), total in scanned.items():
        totals[(NodeKey(family.source, source), family.edge)] += total
    _trim(result, totals, cap)
    return result


def _count_hubs(
    session: Session,
    hubs: dict[Family, list[uuid.UUID]],
    scanned: dict[tuple[Family, uuid.UUID], int],
    result: Neighbourhood,
) -> None:
    """Replace the scan's figure for hub nodes by a count bounded by `COUNT_CAP` rows."""
    if not hubs:
        return
    params: dict[str, object] = {"count_cap": COUNT_CAP}
    parts = []
    for family, ids in hubs.items():
        number = FAMILIES.index(family)
        params[f"hubs_{number}"] = ids
        parts.append(_COUNT.format(family=family.sql, number=number, ids=f"hubs_{number}"))
    for number, source, distinct_targets, links in session.execute(text(_union(parts)), params):
        family = FAMILIES[number]
        scanned[(family, source)] = max(scanned[(family, source)], distinct_targets)
        if links >= COUNT_CAP:
            result.at_least.add((NodeKey(family.source, source), family.edge))


def _union(parts: Sequence[str]) -> str:
    return "\nUNION ALL\n".join(f"({part})" for part in parts)


def _trim(result: Neighbourhood, totals: dict[tuple[NodeKey, str], int], cap: int) -> None:
    """Keep at most ``cap`` neighbours per (source, edge kind) across families, most recent
    first, and record how many were left out of each."""
    groups: dict[tuple[NodeKey, str], list[Neighbour]] = defaultdict(list)
    for n in result.found:
        groups[(n.source, n.kind)].append(n)
    kept: list[Neighbour] = []
    for key, group in groups.items():
        group.sort(key=lambda n: (n.sort_at is None, -(n.sort_at.timestamp() if n.sort_at else 0)))
        kept.extend(group[:cap])
        left = totals.get(key, len(group)) - min(cap, len(group))
        if left > 0:
            result.left_out[key] = left
    for key, total in totals.items():
        if key not in groups and total > 0:
            result.left_out[key] = total
    result.found = kept
