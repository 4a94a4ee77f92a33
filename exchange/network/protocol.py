"""The online protocol between nodes: signed receipts, signed pull requests, and exchange messages.

docs/exchange-protocol.md, sections 13 to 16, is the normative description; this module is its
executable form. Three things travel besides bundles:

- a **receipt** (domain ``ncen-receipt-v1``): the receiver's signed statement that it received
  bytes with a given SHA-256 for a given bundle id and accepted or rejected them, with a generic
  reason only. The sender keeps it as non-repudiation of receipt (`make_receipt`,
  `verify_receipt`). A receipt is only ever given for a bundle whose signed prefix verified, so
  the bundle id it names is one the sender really signed; and it is bound to the SHA-256 of the
  exact bytes received, which the sender compares with what it sent, whatever the outcome;
- a **pull request** (domain ``ncen-pull-v1``): a node behind NAT proves who it is when it asks
  a peer for the bundles queued for it (`make_pull_request`, `verify_pull_request`);
- a **message**: one record set named ``ncen-message`` inside a bundle, schema
  ``ncen-message/1``, that states the legal basis and purpose of the bundle and, depending on
  its type, the distribution of the records it accompanies, a retraction, a request for
  information or its reply, or a hit/no-hit check or its answer (`validate_message`). Being
  inside the bundle, it is signed by the sender and readable by the recipients only.
"""

from __future__ import annotations

import hashlib
import re
import secrets
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Final

from exchange.crypto.canonical import format_time, parse_time
from exchange.crypto.keys import SigningKeyPair, SigningPublicKey
from exchange.crypto.signing import SignedStatement, sign_statement, verify_statement
from exchange.errors import FormatError, SchemaError, SignatureError
from exchange.records.recordschema import RECORD_TYPES, validate_records

DOMAIN_RECEIPT: Final = b"ncen-receipt-v1"
DOMAIN_PULL: Final = b"ncen-pull-v1"
RECEIPT_TYPE: Final = "ncen-receipt/1"
PULL_TYPE: Final = "ncen-pull/1"
MESSAGE_SET: Final = "ncen-message"
MESSAGE_SCHEMA: Final = "ncen-message/1"
ACCEPTED: Final = "accepted"
REJECTED: Final = "rejected"
PULL_WINDOW: Final = timedelta(minutes=5)

MESSAGE_TYPES: Final = frozenset(
    {"records", "retraction", "rfi", "rfi-reply", "hit-check", "hit-reply"}
)
DISTRIBUTION_LEVELS: Final = frozenset({"named_peers", "all_peers", "global_cen"})
HIT_KINDS: Final = frozenset({"document", "container", "imo", "vin", "plate"})
HIT_ANSWERS: Final = frozenset({"hit", "no_hit", "refused"})
MAX_TEXT: Final = 4000
_HEX64: Final = re.compile(r"[0-9a-f]{64}")


# ------------------------------------------------------------------------------- receipts


@dataclass(frozen=True)
class Receipt:
    """A verified receipt."""

    bundle_id: uuid.UUID
    receiver_node_id: str
    received_sha256: str
    received_size: int
    outcome: str
    reason: str
    time: datetime
    signed: SignedStatement

    @property
    def accepted(self) -> bool:
        return self.outcome == ACCEPTED


def make_receipt(
    key: SigningKeyPair,
    *,
    receiver_node_id: str,
    bundle_id: uuid.UUID,
    received_sha256: str,
    received_size: int,
    outcome: str,
    reason: str,
    now: datetime,
) -> SignedStatement:
    """Sign a receipt. ``reason`` must be generic (what a peer may be told); ``bundle_id`` must
    come from a header whose signature verified, never from unverified input."""
    if outcome not in {ACCEPTED, REJECTED}:
        raise ValueError(f"outcome {outcome!r}")
    if not _HEX64.fullmatch(received_sha256):
        raise ValueError("received_sha256 must be 64 lowercase hex digits")
    return sign_statement(
        key,
        DOMAIN_RECEIPT,
        {
            "type": RECEIPT_TYPE,
            "bundle_id": str(bundle_id),
            "receiver_node_id": receiver_node_id,
            "received_sha256": received_sha256,
            "received_size": received_size,
            "outcome": outcome,
            "reason": reason[:80],
            "time": format_time(now),
        },
    )


_RECEIPT_FIELDS = {
    "type",
    "bundle_id",
    "receiver_node_id",
    "received_sha256",
    "received_size",
    "outcome",
    "reason",
    "time",
}


def parse_receipt(signed: SignedStatement) -> Receipt:
    """Read a receipt's fields (no signature check); raise `FormatError`."""
    value = signed.statement
    if set(value) != _RECEIPT_FIELDS or value["type"] != RECEIPT_TYPE:
        raise FormatError("not an ncen receipt")
    bundle = value["bundle_id"]
    if value["outcome"] not in {ACCEPTED, REJECTED}:
        raise FormatError("receipt outcome must be accepted or rejected")
    if not isinstance(value["received_size"], int) or not isinstance(value["reason"], str):
        raise FormatError("receipt fields have the wrong types")
    if not isinstance(value["received_sha256"], str) or not _HEX64.fullmatch(
        value["received_sha256"]
    ):
        raise FormatError("receipt received_sha256 is not 64 lowercase hex digits")
    try:
        bundle_id = uuid.UUID(bundle)  # a receipt always names the (verified) bundle
    except (TypeError, ValueError, AttributeError) as error:
        raise FormatError("receipt bundle id is not a UUID") from error
    return Receipt(
        bundle_id=bundle_id,
        receiver_node_id=str(value["receiver_node_id"]),
        received_sha256=str(value["received_sha256"]),
        received_size=value["received_size"],
        outcome=str(value["outcome"]),
        reason=value["reason"],
        time=parse_time(value["time"]),
        signed=signed,
    )


def verify_receipt(
    signed: SignedStatement,
    pinned: SigningPublicKey,
    *,
    receiver_node_id: str,
    bundle_id: uuid.UUID,
    sent_sha256: str,
    sent_size: int,
) -> Receipt:
    """Check that ``pinned`` signed a receipt for exactly the bytes we sent.

    The digest is checked for *both* outcomes: a rejection of other bytes (a copy altered on
    the way, or forged by someone who got the peer to sign a rejection of junk that claims our
    bundle id) says nothing about our bundle and must not end its delivery.

    Raises `SignatureError` (wrong signer or signature) or `FormatError` (another bundle,
    another receiver, other bytes).
    """
    verify_statement(signed, pinned, DOMAIN_RECEIPT)
    receipt = parse_receipt(signed)
    if receipt.receiver_node_id != receiver_node_id:
        raise FormatError(f"receipt is from {receipt.receiver_node_id}, not {receiver_node_id}")
    if receipt.bundle_id != bundle_id:
        raise FormatError(f"receipt names bundle {receipt.bundle_id}, not {bundle_id}")
    if (receipt.received_sha256, receipt.received_size) != (sent_sha256, sent_size):
        raise FormatError(f"receipt ({receipt.outcome}) is for other bytes than those sent")
    return receipt


# -------------------------------------------------------------------------- pull requests


def make_pull_request(
    key: SigningKeyPair, *, node_id: str, peer_node_id: str, want: str, now: datetime
) -> SignedStatement:
    """A signed request of ``node_id`` to ``peer_node_id``: ``want`` is ``list`` or a bundle
    id. Fresh each time (a nonce), valid for `PULL_WINDOW` around ``now``."""
    return sign_statement(
        key,
        DOMAIN_PULL,
        {
            "type": PULL_TYPE,
            "node_id": node_id,
            "peer_node_id": peer_node_id,
            "want": want,
            "nonce": secrets.token_hex(16),
            "time": format_time(now),
        },
    )


@dataclass(frozen=True)
class PullRequest:
    node_id: str
    want: str
    nonce: str
    time: datetime


def read_pull_request(signed: SignedStatement) -> PullRequest:
    """The claimed fields of a pull request (before `verify_pull_request`)."""
    value = signed.statement
    if set(value) != {"type", "node_id", "peer_node_id", "want", "nonce", "time"}:
        raise FormatError("not an ncen pull request")
    if value["type"] != PULL_TYPE:
        raise FormatError("not an ncen pull request")
    return PullRequest(
        str(value["node_id"]), str(value["want"]), str(value["nonce"]), parse_time(value["time"])
    )


def verify_pull_request(
    signed: SignedStatement, pinned: SigningPublicKey, *, own_node_id: str, now: datetime
) -> PullRequest:
    """Check signature, addressee and freshness; raise `SignatureError` or `FormatError`."""
    verify_statement(signed, pinned, DOMAIN_PULL)
    request = read_pull_request(signed)
    if signed.statement["peer_node_id"] != own_node_id:
        raise SignatureError("pull request addressed to another node")
    if abs(now - request.time) > PULL_WINDOW:
        raise FormatError("pull request outside its time window")
    return request


# ------------------------------------------------------------------------------- messages


def new_message(
    kind: str, *, legal_basis: str, purpose: str, body: Mapping[str, Any]
) -> dict[str, Any]:
    """A message value (validated) ready for canonical JSON."""
    value = {
        "schema": MESSAGE_SCHEMA,
        "type": kind,
        "legal_basis": legal_basis,
        "purpose": purpose,
        "body": dict(body),
    }
    validate_message(value)
    return value


def _text(value: Any, what: str, max_len: int = 300, *, optional: bool = False) -> None:
    if optional and value is None:
        return
    if not isinstance(value, str) or not value.strip() or len(value) > max_len:
        raise SchemaError(f"message {what} must be a non-empty text of at most {max_len}")


def _keys(value: Any, expected: set[str], what: str) -> dict[str, Any]:
    if not isinstance(value, dict) or set(value) != expected:
        raise SchemaError(f"message {what} must have exactly {sorted(expected)}")
    return value


def _uuid(value: Any, what: str) -> None:
    try:
        uuid.UUID(str(value))
    except ValueError as error:
        raise SchemaError(f"message {what} is not a UUID") from error


def validate_message(value: Any) -> None:  # noqa: PLR0912 - one branch per message type
    """Check a message's shape; raise `SchemaError` naming what is wrong."""
    message = _keys(value, {"schema", "type", "legal_basis", "purpose", "body"}, "")
    if message["schema"] != MESSAGE_SCHEMA or message["type"] not in MESSAGE_TYPES:
        raise SchemaError("message schema or type is unknown")
    _text(message["legal_basis"], "legal basis")
    _text(message["purpose"], "purpose")
    body = message["body"]
    kind = message["type"]
    if kind == "records":
        body = _keys(body, {"distribution"}, "body")
        distribution = body["distribution"]
        if not isinstance(distribution, dict) or len(distribution) > 200_000:
            raise SchemaError("message distribution must be an object")
        for origin_id, raw in distribution.items():
            _uuid(origin_id, "distribution key")
            entry = _keys(raw, {"level", "peers"}, "distribution entry")
            if entry["level"] not in DISTRIBUTION_LEVELS or not isinstance(entry["peers"], list):
                raise SchemaError("message distribution entry is malformed")
            for peer in entry["peers"]:
                _text(peer, "distribution peer", 64)
    elif kind == "retraction":
        body = _keys(body, {"records", "reason"}, "body")
        _text(body["reason"], "reason")
        if not isinstance(body["records"], list) or not 0 < len(body["records"]) <= 10_000:
            raise SchemaError("message retraction must name 1 to 10000 records")
        for raw in body["records"]:
            item = _keys(raw, {"record_type", "origin_id"}, "retracted record")
            if item["record_type"] not in RECORD_TYPES:
                raise SchemaError("retracted record type is unknown")
            _uuid(item["origin_id"], "retracted record id")
    elif kind == "rfi":
        body = _keys(body, {"rfi_id", "subject", "question"}, "body")
        _uuid(body["rfi_id"], "rfi id")
        _text(body["subject"], "subject", 200)
        _text(body["question"], "question", MAX_TEXT)
    elif kind == "rfi-reply":
        body = _keys(body, {"rfi_id", "reply"}, "body")
        _uuid(body["rfi_id"], "rfi id")
        _text(body["reply"], "reply", MAX_TEXT)
    elif kind == "hit-check":
        body = _keys(body, {"check_id", "kind", "digest", "key"}, "body")
        _uuid(body["check_id"], "check id")
        if body["kind"] not in HIT_KINDS:
            raise SchemaError("hit check kind is unknown")
        _text(body["digest"], "digest", 64)
        _text(body["key"], "key", 64, optional=True)
    else:  # hit-reply
        body = _keys(body, {"check_id", "answer"}, "body")
        _uuid(body["check_id"], "check id")
        if body["answer"] not in HIT_ANSWERS:
            raise SchemaError("hit answer is unknown")


def validate_content(records_schema: str, name: str, records: Any) -> None:
    """The records validator of online bundles: the message set, or records schema v1."""
    if name == MESSAGE_SET:
        validate_message(records)
        return
    validate_records(records_schema, name, records)


def bytes_digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
