"""The sharing policy, applied when a bundle is built and again by the node that receives it.

Every recipient is checked against every record that would leave (`violations`):

- the peer must be active;
- **H2**: a record received from another node ("no onward transmission without the
  originator's consent") may go back to its originator only;
- the peer's agreement must allow the record's handling code;
- persons (nominal data) go only to peers whose agreement allows nominal data.

- **distribution** (`distribution_violations`): a seizure marked ``national_only`` never
  leaves; ``named_peers`` goes only to the peers named; ``all_peers`` and ``global_cen`` go to
  any peer whose agreement allows the rest (``global_cen`` also lets the seizure, reduced to
  non-nominal data, into the CEN export). A received seizure keeps the distribution its
  originator stated.

Nothing is sent when any rule fails: the bundle is refused with every reason at once.

The receiver applies `incoming_violations` to a verified bundle before importing anything: a
record set forwarded by a node that did not produce it may not hold H2 records; handling codes
and nominal data must be covered by the receiver's own agreement with the sender; a seizure
whose stated distribution does not include the receiver is refused. A refusal is answered with
a signed rejection and nothing is imported.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from exchange.errors import PolicyError
from exchange.models import Peer, PeerStatus
from exchange.records import OutgoingRecord
from exchange.trust import agreement_of


def violations(records: Sequence[OutgoingRecord], recipients: Sequence[Peer]) -> list[str]:
    """Every reason why ``records`` may not be sent to ``recipients`` (empty: allowed).

    Reasons are grouped per recipient and rule, with the first record named and a count.
    """
    found: Counter[tuple[str, str]] = Counter()
    first: dict[tuple[str, str], str] = {}
    for peer in recipients:
        agreement = agreement_of(peer)
        if peer.status is not PeerStatus.ACTIVE:
            found[(peer.node_id, "peer is suspended")] += 1
            first.setdefault((peer.node_id, "peer is suspended"), "")
        for record in records:
            reasons = []
            if (
                record.handling_code == "H2"
                and record.originator is not None
                and record.originator != peer.node_id
            ):
                reasons.append(
                    f"H2 record received from {record.originator}: no onward transmission "
                    "without the originator's consent"
                )
            if record.handling_code not in agreement.handling_codes:
                reasons.append(f"agreement does not cover handling code {record.handling_code}")
            if record.nominal and not agreement.may_receive_nominal:
                reasons.append("agreement does not cover nominal data (persons)")
            for reason in reasons:
                found[(peer.node_id, reason)] += 1
                first.setdefault((peer.node_id, reason), record.label)
    messages = []
    for (node_id, reason), count in found.items():
        example = first[(node_id, reason)]
        what = f" ({example}{f' and {count - 1} more' if count > 1 else ''})" if example else ""
        messages.append(f"to {node_id}: {reason}{what}")
    return messages


def check_outgoing(records: Sequence[OutgoingRecord], recipients: Sequence[Peer]) -> None:
    """Raise `PolicyError` listing every `violations` reason, if any."""
    problems = violations(records, recipients)
    if problems:
        raise PolicyError("the sharing policy refuses this bundle: " + "; ".join(problems))


@dataclass(frozen=True)
class DistributionRule:
    """How far one seizure may travel: a level and, for ``named_peers``, the peers."""

    level: str = "global_cen"
    peers: frozenset[str] = field(default_factory=frozenset)

    def allows(self, node_id: str) -> bool:
        if self.level == "national_only":
            return False
        if self.level == "named_peers":
            return node_id in self.peers
        return True

    def to_json(self) -> dict[str, Any]:
        return {"level": self.level, "peers": sorted(self.peers)}


def distribution_violations(
    records: Sequence[OutgoingRecord],
    recipients: Sequence[Peer],
    rules: Mapping[str, DistributionRule],
) -> list[str]:
    """Every (recipient, seizure) pair that the seizure's distribution does not allow.

    ``rules`` maps seizure origin ids to their rule; a seizure without one is ``global_cen``.
    """
    messages = []
    for peer in recipients:
        refused = [
            record.label
            for record in records
            if record.record_type == "seizures"
            and not rules.get(record.origin_id, DistributionRule()).allows(peer.node_id)
        ]
        if refused:
            more = f" and {len(refused) - 1} more" if len(refused) > 1 else ""
            messages.append(
                f"to {peer.node_id}: distribution does not include this peer ({refused[0]}{more})"
            )
    return messages


def check_sharing(
    records: Sequence[OutgoingRecord],
    recipients: Sequence[Peer],
    rules: Mapping[str, DistributionRule],
) -> None:
    """`check_outgoing` plus the distribution rules; raise `PolicyError` with every reason."""
    problems = violations(records, recipients) + distribution_violations(records, recipients, rules)
    if problems:
        raise PolicyError("the sharing policy refuses this bundle: " + "; ".join(problems))


def incoming_violations(
    record_sets: Sequence[tuple[str, Mapping[str, Any]]],
    sender: Peer,
    distribution: Mapping[str, Any],
    own_node_id: str,
) -> list[str]:
    """Why this node must refuse records it received from ``sender`` (empty: acceptable).

    ``record_sets`` are (originator node id, verified record set value) pairs; ``distribution``
    is the sender's message distribution, by seizure origin id.
    """
    agreement = agreement_of(sender)
    problems: list[str] = []
    for originator, value in record_sets:
        forwarded = originator != sender.node_id
        for record_type in ("seizures", "persons", "companies", "conveyances"):
            for record in value[record_type]:
                code = record["handling_code"]
                if forwarded and code == "H2":
                    problems.append(
                        f"H2 {record_type[:-1]} {record['id']} of {originator} forwarded by "
                        f"{sender.node_id} without the originator's consent"
                    )
                if code not in agreement.handling_codes:
                    problems.append(f"handling code {code} is not in the agreement")
                if record_type == "persons" and not agreement.may_receive_nominal:
                    problems.append("nominal data is not in the agreement")
        for seizure in value["seizures"]:
            entry = distribution.get(seizure["id"])
            rule = (
                DistributionRule(entry["level"], frozenset(entry["peers"]))
                if entry
                else DistributionRule()
            )
            if not rule.allows(own_node_id):
                problems.append(f"seizure {seizure['reference']}: distribution excludes this node")
    return list(dict.fromkeys(problems))
