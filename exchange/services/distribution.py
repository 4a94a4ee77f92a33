"""How far a seizure may travel: its distribution rule, the fail-closed default, where it is read.

A national seizure's distribution is what an exchange officer marked (`Distribution` rows, set
by `exchange.network.outbox.set_distribution`). A seizure nobody marked is **national only**: it
never leaves the node and is not in the CEN export (`DEFAULT_DISTRIBUTION`). Nothing is inferred
from the absence of a mark, because absence is exactly what an omission or a bug produces.

The rule travels inside the record (records schema v2, member ``distribution`` of every
seizure), in the record set the originator signs, so every later hop reads the originator's own
words: a forwarder cannot widen it, and a receiver checks it against itself (`allows`).
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

from sqlalchemy import select
from sqlalchemy.orm import Session

from exchange.netmodels import Distribution, DistributionLevel

NATIONAL_ONLY: Final = DistributionLevel.NATIONAL_ONLY.value
NAMED_PEERS: Final = DistributionLevel.NAMED_PEERS.value
GLOBAL_CEN: Final = DistributionLevel.GLOBAL_CEN.value


@dataclass(frozen=True)
class DistributionRule:
    """How far one seizure may travel: a level and, for ``named_peers``, the peers.

    The default instance is national only (see the module docstring).
    """

    level: str = NATIONAL_ONLY
    peers: frozenset[str] = field(default_factory=frozenset)

    def allows(self, node_id: str) -> bool:
        """True if the seizure may be held by ``node_id`` (a peer, not this node itself)."""
        if self.level == NATIONAL_ONLY:
            return False
        if self.level == NAMED_PEERS:
            return node_id in self.peers
        return True

    @property
    def admits_cen(self) -> bool:
        """True if the seizure, reduced to non-nominal data, may go to the global CEN."""
        return self.level == GLOBAL_CEN

    def to_json(self) -> dict[str, Any]:
        """``{"level": ..., "peers": [sorted node ids]}``: the record's ``distribution``."""
        return {"level": self.level, "peers": sorted(self.peers)}

    @classmethod
    def from_json(cls, value: Mapping[str, Any]) -> DistributionRule:
        """The rule stated in a (schema-checked) record or message entry."""
        return cls(str(value["level"]), frozenset(str(peer) for peer in value["peers"]))


DEFAULT_DISTRIBUTION: Final = DistributionRule()


def national_rules(
    session: Session, seizure_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, DistributionRule]:
    """The marked distribution of each national seizure in ``seizure_ids``; an unmarked one gets
    `DEFAULT_DISTRIBUTION` (national only). Reads only."""
    rules = dict.fromkeys(seizure_ids, DEFAULT_DISTRIBUTION)
    ids = list(rules)
    for start in range(0, len(ids), 5000):
        rows = session.execute(
            select(Distribution).where(Distribution.seizure_id.in_(ids[start : start + 5000]))
        ).scalars()
        for row in rows:
            rules[row.seizure_id] = DistributionRule(row.level.value, frozenset(row.peers))
    return rules
