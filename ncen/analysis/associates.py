"""Associates of a person, company or conveyance: who shares seizures or identifiers with it.

Two bounded rounds of the neighbour queries of `ncen.analysis.edges`: the record's own edges
(its `SEIZURE_CAP` most recent seizures, its employment links and shared identifiers), then the
other participants of those seizures (at most `PER_SEIZURE` each). Every other person, company
or conveyance met is an associate, scored by

- each shared seizure: 1, plus a recency bonus that halves every `HALF_LIFE_DAYS` (a seizure
  today adds 2, one a year old about 1.5);
- each direct link: `DIRECT_WEIGHTS` (a shared identity document weighs more than a shared
  address, which whole families share);

ranked by score, then by the last seizure shared, then by name. Each comes with its evidence
("both in DEMO-2026-0000343 as driver / owner", "same phone +77015551234").
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from sqlalchemy.orm import Session

from ncen.accounts.actor import Actor
from ncen.analysis.edges import neighbours
from ncen.analysis.entities import GraphNode, NodeKey
from ncen.analysis.graph import audit_read, check_limit, make_edges, roles
from ncen.analysis.nodes import fetch_nodes
from ncen.errors import Message, NotFoundError, ValidationError
from ncen.policy import Action, require

SEIZURE_CAP = 200
PER_SEIZURE = 50
HALF_LIFE_DAYS = 365.0
MAX_ASSOCIATES = 200
MAX_EVIDENCE = 5
DIRECT_WEIGHTS = {
    "employment": 1.5,
    "document": 2.0,
    "phone": 1.5,
    "email": 1.5,
    "address": 1.0,
    "conveyance": 2.0,
}


@dataclass(frozen=True)
class Associate:
    """One associate: its node, score, seizures shared, last one's date, and evidence."""

    node: GraphNode
    score: float
    shared_seizures: int
    last_seen: date | None
    evidence: list[str]


@dataclass
class _Tally:
    score: float = 0.0
    seizures: int = 0
    last_seen: date | None = None
    evidence: list[str] = field(default_factory=list)


def associates(session: Session, actor: Actor, key: NodeKey, *, limit: int = 20) -> list[Associate]:
    """The associates of ``key`` (a person, company or conveyance), best first, at most
    ``limit`` (1..200). Requires ``ANALYSE_NETWORK``; raises `NotFoundError` (not a live
    record) and `ValidationError` (a seizure, a bad limit). Audited as ``analysis.associates``
    with the associates shown."""
    require(actor, Action.ANALYSE_NETWORK)
    check_limit(limit, most=MAX_ASSOCIATES)
    if key.kind == "seizure":
        raise ValidationError({"ref": "a seizure has participants, not associates; expand it"})
    me = fetch_nodes(session, [key])
    if key not in me:
        raise NotFoundError(key.kind, key.id)
    own = neighbours(session, [key], cap=SEIZURE_CAP, count=False).found
    mine = {n.target: n for n in own if n.kind == "participation"}
    others = neighbours(session, list(mine), cap=PER_SEIZURE, count=False).found
    co = [n for n in others if n.target != key]
    direct = [n for n in own if n.kind != "participation"]
    nodes = fetch_nodes(session, [*mine, *(n.target for n in co), *(n.target for n in direct)])
    nodes.update(me)
    tallies: dict[NodeKey, _Tally] = defaultdict(_Tally)
    today = datetime.now(UTC).date()
    for n in co:
        seizure = nodes.get(n.source)
        if seizure is None or n.target not in nodes:
            continue
        tally = tallies[n.target]
        tally.seizures += 1
        when = seizure.when
        age = max(0, (today - when).days) if when else HALF_LIFE_DAYS * 10
        tally.score += 1.0 + 0.5 ** (age / HALF_LIFE_DAYS)
        if when and (tally.last_seen is None or when > tally.last_seen):
            tally.last_seen = when
        tally.evidence.append(
            Message(
                "both in %(record)s as %(mine)s / %(theirs)s",
                record=seizure.label,
                mine=roles(key.kind, mine[n.source].detail),
                theirs=roles(n.target.kind, n.detail),
            )
        )
    for n in direct:
        for edge in make_edges([n], nodes):
            tally = tallies[n.target]
            tally.score += DIRECT_WEIGHTS.get(n.kind, 1.0)
            tally.evidence.insert(0, edge.evidence)
    ranked = sorted(
        (k for k in tallies if k in nodes),
        key=lambda k: (
            -tallies[k].score,
            -(tallies[k].last_seen or date.min).toordinal(),
            nodes[k].label,
        ),
    )[:limit]
    result = [_associate(nodes[k], tallies[k]) for k in ranked]
    audit_read(session, actor, "analysis.associates", key, shown=(a.node for a in result))
    return result


def _associate(node: GraphNode, tally: _Tally) -> Associate:
    evidence = tally.evidence[:MAX_EVIDENCE]
    if len(tally.evidence) > MAX_EVIDENCE:
        evidence.append(Message("and %(n)s more", n=len(tally.evidence) - MAX_EVIDENCE))
    return Associate(node, round(tally.score, 3), tally.seizures, tally.last_seen, evidence)
