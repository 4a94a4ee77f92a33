"""Originator statements: a record set's own signature, which survives onward forwarding.

When node A first puts a record set in a bundle, A signs an *originator statement* over the
record set's SHA-256 and size (domain ``ncen-originator-v1``). The statement travels in the
bundle header next to the record set's manifest entry. If B later forwards the same bytes to C,
B copies A's statement unchanged, so C can check that A produced those records even though B
sealed the bundle. The record set bytes must therefore be forwarded byte for byte.
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from datetime import datetime

from exchange.crypto.canonical import DOMAIN_ORIGINATOR, format_time, parse_time
from exchange.crypto.keys import NodeIdentity, SigningPublicKey, check_node_id
from exchange.crypto.signing import SignedStatement, sign_statement, verify_statement
from exchange.errors import FormatError

STATEMENT_TYPE = "ncen-originator"
STATEMENT_VERSION = 1
_FIELDS = {
    "type",
    "version",
    "originator_node_id",
    "record_set_id",
    "name",
    "records_schema",
    "sha256",
    "size",
    "created",
}


@dataclass(frozen=True)
class OriginatorStatement:
    """The content of an originator statement (see docs/exchange-protocol.md, section 8)."""

    originator_node_id: str
    record_set_id: uuid.UUID
    name: str
    records_schema: str
    sha256: str
    size: int
    created: datetime


def make_originator_statement(
    originator: NodeIdentity,
    data: bytes,
    *,
    name: str,
    records_schema: str,
    created: datetime,
    record_set_id: uuid.UUID | None = None,
) -> SignedStatement:
    """Sign a statement that ``originator`` produced the record set ``data``."""
    statement = {
        "type": STATEMENT_TYPE,
        "version": STATEMENT_VERSION,
        "originator_node_id": originator.node_id,
        "record_set_id": str(record_set_id or uuid.uuid4()),
        "name": name,
        "records_schema": records_schema,
        "sha256": hashlib.sha256(data).hexdigest(),
        "size": len(data),
        "created": format_time(created),
    }
    return sign_statement(originator.signing, DOMAIN_ORIGINATOR, statement)


def parse_originator_statement(signed: SignedStatement) -> OriginatorStatement:
    """Check the statement's shape and return its content; raise `FormatError`.

    This does not check the signature: see `verify_originator_statement`.
    """
    body = signed.statement
    if set(body) != _FIELDS:
        raise FormatError(f"originator statement must have exactly the fields {sorted(_FIELDS)}")
    if body["type"] != STATEMENT_TYPE or body["version"] != STATEMENT_VERSION:
        raise FormatError("not an ncen-originator version 1 statement")
    sha256, size = body["sha256"], body["size"]
    if not isinstance(sha256, str) or len(sha256) != 64 or sha256.strip("0123456789abcdef"):
        raise FormatError("originator statement sha256 is not 64 lowercase hex digits")
    if not isinstance(size, int) or isinstance(size, bool) or size < 0:
        raise FormatError("originator statement size is not a non-negative integer")
    for field in ("name", "records_schema", "record_set_id"):
        if not isinstance(body[field], str) or not body[field]:
            raise FormatError(f"originator statement {field} is not a non-empty string")
    try:
        record_set_id = uuid.UUID(body["record_set_id"])
    except ValueError as error:
        raise FormatError("originator statement record_set_id is not a UUID") from error
    if str(record_set_id) != body["record_set_id"]:
        raise FormatError("originator statement record_set_id is not a lowercase UUID")
    return OriginatorStatement(
        originator_node_id=check_node_id(body["originator_node_id"]),
        record_set_id=record_set_id,
        name=body["name"],
        records_schema=body["records_schema"],
        sha256=sha256,
        size=size,
        created=parse_time(body["created"]),
    )


def verify_originator_statement(
    signed: SignedStatement, public_key: SigningPublicKey
) -> OriginatorStatement:
    """Parse, then check that ``public_key`` signed it; raise `FormatError`/`SignatureError`."""
    content = parse_originator_statement(signed)
    verify_statement(signed, public_key, DOMAIN_ORIGINATOR)
    return content
