"""The whole live graph in memory, for whole-graph measures (`ncen.analysis.measures`).

`load_graph` streams every edge of the live graph from PostgreSQL into a rustworkx graph whose
node payloads are `NodeKey`s: seizure participation, employment, and the shared identifiers
(documents, phones, e-mails, addresses of persons and companies, conveyance identifiers),
compared as `ncen.analysis.edges` compares them. An
identifier shared by more than `GROUP_CAP` records (a placeholder phone, "unknown" as an
address) links nobody here: it would add a clique of millions of edges and no intelligence. With
``seizures_from`` only the seizures since that date and the records that took part in them are
loaded, with the links among those records. Rows are streamed in batches, so memory is the
graph itself (about 150 bytes per node and 50 per edge), not the result sets.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, time

import rustworkx as rx
from sqlalchemy import text
from sqlalchemy.orm import Session

from ncen.analysis.edges import MIN_PHONE_DIGITS
from ncen.analysis.entities import NODE_KINDS, NodeKey

GROUP_CAP = 50
BATCH = 20_000

_PARTICIPATION = [
    ("person", "seizure_persons", "person_id", "persons"),
    ("company", "seizure_companies", "company_id", "companies"),
    ("conveyance", "seizure_conveyances", "conveyance_id", "conveyances"),
]


def _shared(
    kind: str, table: str, owner: str, column: str, *, where: str = "TRUE", pair: str = "TRUE"
) -> tuple[str, str, str]:
    """Pairs of ``kind`` records sharing ``column`` in ``table``: rows filtered by ``where``,
    pairs (rows ``x`` and ``y``) by ``pair``, as `ncen.analysis.edges` compares them."""
    records = {"person": "persons", "conveyance": "conveyances"}[kind]
    sql = (
        f"WITH groups AS (SELECT {column} AS k FROM {table} "  # noqa: S608 - fixed names
        f"WHERE {where} AND {column} IS NOT NULL "
        f"GROUP BY {column} HAVING count(*) BETWEEN 2 AND {GROUP_CAP}) "
        f"SELECT DISTINCT x.{owner}, y.{owner} FROM groups g "
        f"JOIN {table} x ON x.{column} = g.k JOIN {table} y ON y.{column} = g.k "
        f"AND x.{owner} < y.{owner} AND {pair} "
        f"JOIN {records} rx ON rx.id = x.{owner} AND rx.deleted_at IS NULL "
        f"JOIN {records} ry ON ry.id = y.{owner} AND ry.deleted_at IS NULL"
    )
    return kind, kind, sql


_LINKS = [
    (
        "person",
        "company",
        "SELECT l.person_id, l.company_id FROM person_companies l "
        "JOIN persons p ON p.id = l.person_id AND p.deleted_at IS NULL "
        "JOIN companies c ON c.id = l.company_id AND c.deleted_at IS NULL",
    ),
    _shared(
        "person",
        "identity_documents",
        "person_id",
        "number_norm",
        pair="(x.issuing_country IS NULL OR y.issuing_country IS NULL "
        "OR x.issuing_country = y.issuing_country)",
    ),
    _shared(
        "person",
        "person_contacts",
        "person_id",
        "value_norm",
        where=f"length(value_norm) >= CASE kind WHEN 'phone' THEN {MIN_PHONE_DIGITS} ELSE 3 END",
        pair="x.kind = y.kind",
    ),
    _shared(
        "person",
        "person_addresses",
        "person_id",
        "address_key",
        where="length(split_part(address_key, '|', 1)) >= 4",
    ),
    _shared(
        "conveyance",
        "conveyance_identifiers",
        "conveyance_id",
        "value",
        pair="x.kind = y.kind AND (x.kind <> 'plate' OR x.country IS NULL "
        "OR y.country IS NULL OR x.country = y.country)",
    ),
    (
        "person",
        "company",
        # A person and a company at the same address, both sides of the key capped.
        f"WITH keys AS (SELECT address_key AS k FROM companies WHERE deleted_at IS NULL "  # noqa: S608 - fixed
        f"AND length(split_part(address_key, '|', 1)) >= 4 "
        f"GROUP BY address_key HAVING count(*) <= {GROUP_CAP}) "
        "SELECT DISTINCT a.person_id, c.id FROM keys g "
        "JOIN companies c ON c.address_key = g.k AND c.deleted_at IS NULL "
        "JOIN person_addresses a ON a.address_key = g.k "
        "JOIN persons p ON p.id = a.person_id AND p.deleted_at IS NULL "
        f"WHERE (SELECT count(*) FROM person_addresses b WHERE b.address_key = g.k) "
        f"<= {GROUP_CAP}",
    ),
    (
        "company",
        "company",
        f"WITH keys AS (SELECT address_key AS k FROM companies WHERE deleted_at IS NULL "  # noqa: S608 - fixed
        f"AND length(split_part(address_key, '|', 1)) >= 4 "
        f"GROUP BY address_key HAVING count(*) BETWEEN 2 AND {GROUP_CAP}) "
        "SELECT x.id, y.id FROM keys g JOIN companies x ON x.address_key = g.k "
        "AND x.deleted_at IS NULL JOIN companies y ON y.address_key = g.k AND x.id < y.id "
        "AND y.deleted_at IS NULL",
    ),
]


def load_graph(session: Session, *, seizures_from: date | None = None) -> rx.PyGraph:
    """The live graph (see module docstring) as an undirected rustworkx graph without
    parallel edges; payloads are `NodeKey`s. Reads only."""
    graph = rx.PyGraph(multigraph=False)
    # Per kind, record id -> node index: NodeKeys are only built for the nodes themselves.
    index: dict[str, dict[uuid.UUID, int]] = {kind: {} for kind in NODE_KINDS}

    def node(kind: str, record_id: uuid.UUID, add: bool) -> int | None:
        known = index[kind]
        found = known.get(record_id)
        if found is None and add:
            found = known[record_id] = graph.add_node(NodeKey(kind, record_id))
        return found

    since = datetime.combine(seizures_from, time.min, UTC) if seizures_from else None
    for kind, table, column, records in _PARTICIPATION:
        sql = (
            f"SELECT l.{column}, l.seizure_id FROM {table} l "  # noqa: S608 - fixed names
            f"JOIN seizures s ON s.id = l.seizure_id AND s.deleted_at IS NULL "
            f"JOIN {records} r ON r.id = l.{column} AND r.deleted_at IS NULL "
            + ("WHERE s.occurred_at >= :since" if since else "")
        )
        _add_edges(graph, node, kind, "seizure", _stream(session, sql, {"since": since}), add=True)
    # With a date, only records already in the graph (they took part in a recent seizure).
    for kind_a, kind_b, sql in _LINKS:
        _add_edges(graph, node, kind_a, kind_b, _stream(session, sql, {}), add=since is None)
    return graph


def _add_edges(
    graph: rx.PyGraph,
    node: Callable[[str, uuid.UUID, bool], int | None],
    kind_a: str,
    kind_b: str,
    pairs: Iterator[tuple[uuid.UUID, uuid.UUID]],
    *,
    add: bool,
) -> None:
    """Add the edges ``pairs`` (ids of ``kind_a`` and ``kind_b`` records) in batches; with
    ``add`` False, only between nodes already in the graph. No parallel edges, no loops."""
    batch: list[tuple[int, int]] = []
    for first, second in pairs:
        a, b = node(kind_a, first, add), node(kind_b, second, add)
        if a is not None and b is not None and a != b:
            batch.append((a, b))
            if len(batch) >= BATCH:
                graph.add_edges_from_no_data(batch)
                batch = []
    graph.add_edges_from_no_data(batch)


def _stream(
    session: Session, sql: str, params: dict[str, object]
) -> Iterator[tuple[uuid.UUID, uuid.UUID]]:
    """The rows of ``sql``, fetched in batches by a server-side cursor."""
    result = session.execute(
        text(sql), params, execution_options={"yield_per": BATCH, "stream_results": True}
    )
    for partition in result.partitions():
        for row in partition:
            yield row[0], row[1]
