"""Loading graph nodes (labels, provenance, dates) and finding records by reference or id.

These helpers neither check permissions nor audit: the public functions of
`ncen.analysis.graph`, `paths`, `associates` and `measures` do both, once per request. Every
query filters ``deleted_at IS NULL``, so a deleted (or merged-away) record is never a node;
`follow_merges` maps a merged-away id to its survivor where a caller wants that.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import UTC

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from ncen.analysis.entities import NODE_KINDS, GraphNode, NodeKey
from ncen.merging.models import Merge
from ncen.seizures.models import Seizure

# A chain of merges (A into B, B into C) is followed at most this far.
MAX_MERGE_CHAIN = 8


# One branch per kind; each selects kind, id, label, reference, origin node and date for the
# live records among its ids. Names come from the first primary name, else the first name.
_BRANCHES = {
    "person": (
        "SELECT 'person', r.id, (SELECT n.full_name FROM person_names n WHERE n.person_id = r.id "
        "ORDER BY n.kind = 'primary' DESC, n.position LIMIT 1), NULL, r.origin_node, "
        "NULL::timestamptz FROM persons r "
        "WHERE r.id = ANY(CAST(:person AS uuid[])) AND r.deleted_at IS NULL"
    ),
    "company": (
        "SELECT 'company', r.id, (SELECT n.name FROM company_names n WHERE n.company_id = r.id "
        "ORDER BY n.kind = 'primary' DESC, n.position LIMIT 1), NULL, r.origin_node, "
        "NULL::timestamptz FROM companies r "
        "WHERE r.id = ANY(CAST(:company AS uuid[])) AND r.deleted_at IS NULL"
    ),
    "conveyance": (
        "SELECT 'conveyance', r.id, coalesce(nullif(r.name, ''), (SELECT upper(i.kind) || ' ' "
        "|| i.value FROM conveyance_identifiers i WHERE i.conveyance_id = r.id "
        "ORDER BY i.kind, i.value LIMIT 1), r.kind), NULL, r.origin_node, NULL::timestamptz "
        "FROM conveyances r "
        "WHERE r.id = ANY(CAST(:conveyance AS uuid[])) AND r.deleted_at IS NULL"
    ),
    "seizure": (
        "SELECT 'seizure', r.id, r.reference, r.reference, r.origin_node, r.occurred_at "
        "FROM seizures r WHERE r.id = ANY(CAST(:seizure AS uuid[])) AND r.deleted_at IS NULL"
    ),
}


def fetch_nodes(session: Session, keys: Iterable[NodeKey]) -> dict[NodeKey, GraphNode]:
    """The live nodes among ``keys`` (unknown and deleted keys are absent), in one statement.
    A seizure's date is the UTC date it occurred on."""
    by_kind: dict[str, list[uuid.UUID]] = {kind: [] for kind in NODE_KINDS}
    for key in dict.fromkeys(keys):
        by_kind[key.kind].append(key.id)
    present = [kind for kind in NODE_KINDS if by_kind[kind]]
    if not present:
        return {}
    statement = "\nUNION ALL\n".join(f"({_BRANCHES[kind]})" for kind in present)
    found: dict[NodeKey, GraphNode] = {}
    rows = session.execute(text(statement), {kind: by_kind[kind] for kind in present})
    for kind, record_id, label, reference, origin, occurred_at in rows:
        key = NodeKey(kind, record_id)
        when = occurred_at.astimezone(UTC).date() if occurred_at else None
        found[key] = GraphNode(key, label or "(no name)", reference, origin, when)
    return found


def follow_merges(session: Session, key: NodeKey) -> NodeKey:
    """The survivor ``key`` was merged into (following chains), or ``key`` itself."""
    if key.kind not in {"person", "company"}:
        return key
    current = key
    for _ in range(MAX_MERGE_CHAIN):
        survivor = session.execute(
            select(Merge.survivor_id).where(
                Merge.merged_id == current.id,
                Merge.record_type == current.kind,
                Merge.unmerged_at.is_(None),
            )
        ).scalar_one_or_none()
        if survivor is None:
            break
        current = NodeKey(key.kind, survivor)
    return current


def seizure_by_reference(session: Session, reference: str) -> NodeKey | None:
    """The live seizure with this reference (exact, then upper-cased), or None."""
    for candidate in dict.fromkeys((reference, reference.upper())):
        found = session.execute(
            select(Seizure.id).where(Seizure.reference == candidate, Seizure.deleted_at.is_(None))
        ).scalar_one_or_none()
        if found is not None:
            return NodeKey("seizure", found)
    return None
