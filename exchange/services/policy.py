"""The sharing policy, applied when a bundle is built and again by every node that receives it.

Every recipient is checked against every record that would leave (`violations`):

- the peer must be active;
- **H2**: a record received from another node ("no onward transmission without the
  originator's consent") may go back to its originator only;
- the peer's agreement must allow the record's handling code;
- persons (nominal data) go only to peers whose agreement allows nominal data;
- **distribution**: each seizure's rule as stated in the record set that leaves
  (`exchange.services.distribution`): ``national_only`` never leaves, ``named_peers`` goes only to
  the peers named, ``all_peers`` and ``global_cen`` go to any peer whose agreement allows the rest.
  A national seizure nobody marked is national only; a received seizure carries its
  originator's rule, so the rule binds every hop; a forwarded seizure that states no rule
  (records schema v1) does not leave. Sending a record back to its originator is always
  allowed by this rule (the originator holds it already);
- **status**: a seizure leaves only once a supervisor validated it (status ``validated``): the
  supervisor's validation is the explicit, audited release of a case for dissemination.

**H3** records carry free-text restrictions that no machine can check. They leave only with the
exchange officer's explicit confirmation, per recipient, that the recipient is allowed by them
(`h3_unconfirmed`); the caller records each confirmation with the legal basis.

Nothing is sent when any rule fails: the bundle is refused with every reason at once.

The receiver applies `incoming_violations` to a verified bundle before importing anything: a
record set forwarded by a node that did not produce it may not hold H2 records; handling codes
and nominal data must be covered by the receiver's own agreement with the sender; a seizure
whose originator's distribution does not include the receiver is refused. A refusal is answered
with a signed rejection and nothing is imported.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Mapping, Sequence
from typing import Any

from exchange.errors import PolicyError
from exchange.models import Peer, PeerStatus
from exchange.records.export import OutgoingRecord
from exchange.records.recordschema import RECORDS_SCHEMA_V1, stated_distribution
from exchange.services.distribution import DEFAULT_DISTRIBUTION, DistributionRule
from exchange.services.trust import agreement_of

__all__ = [
    "DEFAULT_DISTRIBUTION",
    "DistributionRule",
    "check_outgoing",
    "check_sharing",
    "h3_confirmations",
    "h3_records",
    "h3_unconfirmed",
    "incoming_violations",
    "violations",
]


def _reasons(record: OutgoingRecord, peer: Peer) -> list[str]:
    """Why ``record`` may not go to ``peer`` (empty: it may)."""
    agreement = agreement_of(peer)
    reasons = []
    if record.handling_code == "H2" and record.originator not in {None, peer.node_id}:
        reasons.append(
            f"H2 record received from {record.originator}: no onward transmission "
            "without the originator's consent"
        )
    if record.handling_code not in agreement.handling_codes:
        reasons.append(f"agreement does not cover handling code {record.handling_code}")
    if record.nominal and not agreement.may_receive_nominal:
        reasons.append("agreement does not cover nominal data (persons)")
    if record.record_type == "seizures":
        if record.status != "validated":
            reasons.append(
                "seizure is not validated: a supervisor validates a case before it leaves"
            )
        if record.originator != peer.node_id:
            if record.distribution is None:
                reasons.append(
                    "the originator stated no distribution (records schema v1): not forwarded"
                )
            elif not record.distribution.allows(peer.node_id):
                reasons.append(
                    f"distribution ({record.distribution.level}) does not include this peer"
                )
    return reasons


def violations(records: Sequence[OutgoingRecord], recipients: Sequence[Peer]) -> list[str]:
    """Every reason why ``records`` may not be sent to ``recipients`` (empty: allowed).

    Reasons are grouped per recipient and rule, with the first record named and a count. H3
    confirmations are apart (`h3_unconfirmed`): they are the officer's to give, not refusals.
    """
    found: Counter[tuple[str, str]] = Counter()
    first: dict[tuple[str, str], str] = {}
    for peer in recipients:
        if peer.status is not PeerStatus.ACTIVE:
            found[(peer.node_id, "peer is suspended")] += 1
            first.setdefault((peer.node_id, "peer is suspended"), "")
        for record in records:
            for reason in _reasons(record, peer):
                found[(peer.node_id, reason)] += 1
                first.setdefault((peer.node_id, reason), record.label)
    messages = []
    for (node_id, reason), count in found.items():
        example = first[(node_id, reason)]
        what = f" ({example}{f' and {count - 1} more' if count > 1 else ''})" if example else ""
        messages.append(f"to {node_id}: {reason}{what}")
    return messages


def h3_records(records: Sequence[OutgoingRecord], peer: Peer) -> list[OutgoingRecord]:
    """The H3 records that need the officer's confirmation before they go to ``peer`` (every
    H3 record, except those that ``peer`` produced itself and would only get back)."""
    return [r for r in records if r.handling_code == "H3" and r.originator != peer.node_id]


def h3_unconfirmed(
    records: Sequence[OutgoingRecord], recipients: Sequence[Peer], confirmed: Collection[str]
) -> list[str]:
    """A reason per recipient of H3 records whose node id is not in ``confirmed``."""
    messages = []
    for peer in recipients:
        pending = h3_records(records, peer)
        if pending and peer.node_id not in confirmed:
            more = f" and {len(pending) - 1} more" if len(pending) > 1 else ""
            messages.append(
                f"to {peer.node_id}: H3 records ({pending[0].label}{more}) need the exchange "
                "officer's confirmation that this recipient is allowed by their restrictions"
            )
    return messages


def h3_confirmations(
    records: Sequence[OutgoingRecord], peers: Sequence[Peer]
) -> list[dict[str, Any]]:
    """What the officer confirmed, per recipient of H3 records: the records and the exact
    restrictions they were shown (for the audit trail)."""
    confirmations = []
    for peer in peers:
        pending = h3_records(records, peer)
        if pending:
            confirmations.append(
                {
                    "peer": peer.node_id,
                    "records": [r.label for r in pending][:1000],
                    "restrictions": sorted({r.restrictions or "" for r in pending})[:100],
                }
            )
    return confirmations


def check_outgoing(records: Sequence[OutgoingRecord], recipients: Sequence[Peer]) -> None:
    """Raise `PolicyError` listing every `violations` reason, if any."""
    problems = violations(records, recipients)
    if problems:
        raise PolicyError("the sharing policy refuses this bundle: " + "; ".join(problems))


def check_sharing(
    records: Sequence[OutgoingRecord],
    recipients: Sequence[Peer],
    *,
    h3_confirmed: Collection[str] = (),
) -> None:
    """`violations` plus the H3 confirmations; raise `PolicyError` with every reason."""
    problems = violations(records, recipients) + h3_unconfirmed(records, recipients, h3_confirmed)
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
    is the sender's message distribution, by seizure origin id. A seizure's own distribution
    (schema v2, signed by its originator) is the rule; the message's statement is used only for
    a schema v1 set that the sender produced itself, and a seizure with neither is refused.
    """
    agreement = agreement_of(sender)
    problems: list[str] = []
    for originator, value in record_sets:
        if originator == own_node_id:
            continue  # our own records coming back: skipped by the import, nothing to check
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
            entry = stated_distribution(seizure)
            if entry is None and value["schema"] == RECORDS_SCHEMA_V1 and not forwarded:
                entry = distribution.get(seizure["id"])
            if entry is None:
                problems.append(
                    f"seizure {seizure['reference']}: no distribution stated by its originator"
                )
            elif not DistributionRule.from_json(entry).allows(own_node_id):
                problems.append(f"seizure {seizure['reference']}: distribution excludes this node")
    return list(dict.fromkeys(problems))
