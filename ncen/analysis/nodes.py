"""Loading graph nodes (labels, provenance, dates) and finding records by reference or id.

These helpers neither check permissions nor audit: the public functions of
`ncen.analysis.graph`, `paths`, `associates` and `measures` do both, once per request. Every
query filters ``deleted_at IS NULL``, so a deleted (or merged-away) record is never a node;
`follow_merges` maps a merged-away id to its survivor where a caller wants that.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from ncen.analysis.entities import NODE_KINDS, GraphNode, NodeKey
from ncen.companies.models import Company, CompanyName
from ncen.conveyances.models import Conveyance, ConveyanceIdentifier
from ncen.merging.models import Merge
from ncen.persons.models import Person, PersonName
from ncen.search.results import display_names
from ncen.seizures.models import Seizure

# A chain of merges (A into B, B into C) is followed at most this far.
MAX_MERGE_CHAIN = 8


def fetch_nodes(session: Session, keys: Iterable[NodeKey]) -> dict[NodeKey, GraphNode]:
    """The live nodes among ``keys`` (unknown and deleted keys are absent). One query per
    kind present, plus one for names."""
    by_kind: dict[str, list[uuid.UUID]] = {kind: [] for kind in NODE_KINDS}
    for key in dict.fromkeys(keys):
        by_kind[key.kind].append(key.id)
    found: dict[NodeKey, GraphNode] = {}
    if by_kind["person"]:
        found.update(_named(session, "person", Person, PersonName, by_kind["person"]))
    if by_kind["company"]:
        found.update(_named(session, "company", Company, CompanyName, by_kind["company"]))
    if by_kind["conveyance"]:
        found.update(_conveyances(session, by_kind["conveyance"]))
    if by_kind["seizure"]:
        rows = session.execute(
            select(Seizure.id, Seizure.reference, Seizure.origin_node, Seizure.occurred_at).where(
                Seizure.id.in_(by_kind["seizure"]), Seizure.deleted_at.is_(None)
            )
        )
        for record_id, reference, origin, occurred_at in rows:
            key = NodeKey("seizure", record_id)
            found[key] = GraphNode(key, reference, reference, origin, occurred_at.date())
    return found


def _named(
    session: Session,
    kind: str,
    model: type[Person | Company],
    names: type[PersonName | CompanyName],
    ids: Sequence[uuid.UUID],
) -> dict[NodeKey, GraphNode]:
    rows = session.execute(
        select(model.id, model.origin_node).where(model.id.in_(ids), model.deleted_at.is_(None))
    ).all()
    owner = PersonName.person_id if names is PersonName else CompanyName.company_id
    labels = display_names(session, names, owner, [row[0] for row in rows])
    result = {}
    for record_id, origin in rows:
        key = NodeKey(kind, record_id)
        result[key] = GraphNode(key, labels.get(record_id, "(no name)"), None, origin, None)
    return result


def _conveyances(session: Session, ids: Sequence[uuid.UUID]) -> dict[NodeKey, GraphNode]:
    rows = session.execute(
        select(Conveyance.id, Conveyance.name, Conveyance.kind, Conveyance.origin_node).where(
            Conveyance.id.in_(ids), Conveyance.deleted_at.is_(None)
        )
    ).all()
    identifiers: dict[uuid.UUID, str] = {}
    unnamed = [row[0] for row in rows if not row[1]]
    if unnamed:
        for owner, id_kind, value in session.execute(
            select(
                ConveyanceIdentifier.conveyance_id,
                ConveyanceIdentifier.kind,
                ConveyanceIdentifier.value,
            )
            .where(ConveyanceIdentifier.conveyance_id.in_(unnamed))
            .order_by(ConveyanceIdentifier.conveyance_id, ConveyanceIdentifier.kind)
        ):
            identifiers.setdefault(owner, f"{id_kind.value.upper()} {value}")
    result = {}
    for record_id, name, kind, origin in rows:
        key = NodeKey("conveyance", record_id)
        label = name or identifiers.get(record_id) or kind.value
        result[key] = GraphNode(key, label, None, origin, None)
    return result


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
