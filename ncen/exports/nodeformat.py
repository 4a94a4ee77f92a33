"""The node's own export format: every record with its links, history and reference codes, as
JSON Lines that `ncen.exports.restore` reads back into an empty node without loss.

**Format** (``ncen-node``, version 1; docs/exports.md is the full description):

1. a header line ``{"format": "ncen-node", "version": 1, "exported_at": ..., "tables": [...]}``;
2. one line per row, ``{"table": "<name>", "row": {...}}``, tables in `TABLES` order (parents
   before children, so a reader inserts line by line), rows in primary-key order;
3. a trailer ``{"end": true, "rows": <count>}``: a file cut short has none and is refused.

A row is PostgreSQL's own JSON of the table row (``row_to_json``), and the reader turns it back
with ``json_populate_record``: both ends are the database's, so every type (timestamps with
their zone, exact numerics, arrays, JSONB, bytea) survives unchanged, with no Python codec in
between. Generated columns (search vectors, address keys) are written for the reader's
information and recomputed on import.

**What it holds**: persons, companies, conveyances, seizures, their child rows and links,
picture metadata and picture links (not the files: `ncen backup` copies the picture store),
the change history (``record_versions``), the search vocabulary (``name_terms``), and the
reference code lists the records point at (inserted only where the target lacks a code).
Deleted records are kept (deleted), since the export is a copy of the node, not a view.

**What it leaves out**: users and roles, the audit trail and its checkpoints, sessions,
personal objects (saved searches, watch-lists, alerts, charts), duplicate and merge decisions,
retention decisions, statistics rollups and centrality runs (rebuilt from the records), and
everything of the exchange (keys, peers, bundles). References to users (``created_by_id``...)
are written; the reader keeps one only when that user exists in the target, else NULL.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime

from sqlalchemy import Table, text
from sqlalchemy.orm import Session

from ncen.accounts.actor import Actor
from ncen.audit import record_event
from ncen.db import Base
from ncen.policy import Action, require

FORMAT = "ncen-node"
VERSION = 1
# Reference lists the records point at: inserted only where the target lacks the code.
REFERENCE_TABLES = (
    "countries",
    "currencies",
    "enforcement_areas",
    "commodity_groups",
    "quantity_units",
    "customs_offices",
    "location_types",
    "transport_modes",
    "detection_methods",
    "detection_techniques",
    "concealment_methods",
    "person_roles",
    "company_roles",
    "conveyance_roles",
    "person_company_roles",
    "reference_labels",
    "name_terms",
)
RECORD_TABLES = (
    "persons",
    "person_names",
    "person_nationalities",
    "identity_documents",
    "person_addresses",
    "person_contacts",
    "companies",
    "company_names",
    "person_companies",
    "conveyances",
    "conveyance_identifiers",
    "seizures",
    "seizure_items",
    "seizure_transit_countries",
    "seizure_concealments",
    "seizure_persons",
    "seizure_companies",
    "seizure_conveyances",
    "pictures",
    "picture_hashes",
    "picture_links",
    "record_versions",
)
TABLES = REFERENCE_TABLES + RECORD_TABLES
# Columns a target assigns itself (an identity key): written, never read back.
ASSIGNED = {"record_versions": ("id",)}


def table(name: str) -> Table:
    """The mapped table ``name`` (one of `TABLES`)."""
    if name not in TABLES:
        raise ValueError(name)
    return Base.metadata.tables[name]


def order_by(name: str) -> str:
    """The ORDER BY list of ``name``: its primary key (stable, and the history in order)."""
    return ", ".join(f't."{c.name}"' for c in table(name).primary_key.columns)


def table_rows(session: Session, name: str) -> Iterator[str]:
    """The rows of ``name`` as JSON texts, in primary-key order, streamed from the server."""
    sql = text(f'SELECT row_to_json(t)::text FROM "{name}" t ORDER BY {order_by(name)}')  # noqa: S608
    result = session.execute(sql, execution_options={"yield_per": 2000})
    for (row,) in result:
        yield str(row)


def export_node(session: Session, actor: Actor) -> Iterator[bytes]:
    """The whole node in the ``ncen-node`` format, line by line (bounded memory).

    Requires ``Action.EXPORT_NODE`` (the console). Audited as ``node.export`` with the row
    count per table once the last line is written; the caller commits after the last line.
    """
    require(actor, Action.EXPORT_NODE)
    header = {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": datetime.now(UTC).isoformat(),
        "tables": list(TABLES),
    }
    yield (json.dumps(header) + "\n").encode()
    counts: dict[str, int] = {}
    for name in TABLES:
        prefix = '{"table": "' + name + '", "row": '
        n = 0
        for row in table_rows(session, name):
            n += 1
            yield (prefix + row + "}\n").encode()
        counts[name] = n
    total = sum(counts.values())
    record_event(session, actor, "node.export", details={"format": FORMAT, "rows": counts})
    yield (json.dumps({"end": True, "rows": total}) + "\n").encode()
