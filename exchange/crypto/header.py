"""The bundle header: the signed, canonical-JSON description of everything in a bundle.

The header names the sender and its signing key, every recipient with the key the content key
was wrapped to and its sequence number, the bundle's lifetime, handling codes, the records schema
version, and a manifest of every section (record sets and attachments) with its plaintext size
and SHA-256. `BundleHeader.from_bytes` is only ever called on bytes whose signature verified;
it still validates every field strictly, because a valid signature proves origin, not sanity.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from exchange.crypto.canonical import canonical_json, format_time, parse_canonical, parse_time
from exchange.crypto.keys import KemAlgorithm, check_key_id, check_node_id
from exchange.crypto.signing import SignedStatement
from exchange.errors import FormatError

FORMAT_NAME = "ncen-bundle"
FORMAT_VERSION = 1
KIND_RECORDS = "records"
KIND_ATTACHMENT = "attachment"
RECORDS_MEDIA_TYPE = "application/json"
_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:/+-]{0,63}")
_HEX64 = re.compile(r"[0-9a-f]{64}")
_MEDIA_TYPE = re.compile(r"[a-z0-9][a-z0-9.+-]*/[a-z0-9][a-z0-9.+-]*")
_TOP_FIELDS = {
    "format",
    "version",
    "bundle_id",
    "sender",
    "recipients",
    "created",
    "expires",
    "handling_codes",
    "records_schema",
    "contents",
}


@dataclass(frozen=True)
class RecipientEntry:
    """One recipient key: the node, the key the content key is wrapped to, the sequence number."""

    node_id: str
    key_id: str
    kem: KemAlgorithm
    sequence: int


@dataclass(frozen=True)
class ContentEntry:
    """One section of the bundle, in order. ``originator`` is set exactly for record sets."""

    kind: str
    name: str
    media_type: str
    size: int
    sha256: str
    originator: SignedStatement | None = None


@dataclass(frozen=True)
class BundleHeader:
    """The parsed header. Build one, then `to_bytes` gives the exact bytes that get signed."""

    bundle_id: uuid.UUID
    sender_node_id: str
    sender_key_id: str
    recipients: tuple[RecipientEntry, ...]
    created: datetime
    expires: datetime
    handling_codes: tuple[str, ...]
    records_schema: str
    contents: tuple[ContentEntry, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "format": FORMAT_NAME,
            "version": FORMAT_VERSION,
            "bundle_id": str(self.bundle_id),
            "sender": {"node_id": self.sender_node_id, "key_id": self.sender_key_id},
            "recipients": [
                {
                    "node_id": r.node_id,
                    "key_id": r.key_id,
                    "kem": r.kem.value,
                    "sequence": r.sequence,
                }
                for r in self.recipients
            ],
            "created": format_time(self.created),
            "expires": format_time(self.expires),
            "handling_codes": list(self.handling_codes),
            "records_schema": self.records_schema,
            "contents": [_content_json(entry) for entry in self.contents],
        }

    def to_bytes(self) -> bytes:
        """The canonical JSON bytes; validates by parsing them back (a header we could not read
        must never be signed)."""
        data = canonical_json(self.to_json())
        BundleHeader.from_bytes(data)
        return data

    @classmethod
    def from_bytes(cls, data: bytes) -> BundleHeader:
        """Parse and validate header bytes; raise `FormatError` naming the first bad field."""
        value = parse_canonical(data)
        if not isinstance(value, dict) or set(value) != _TOP_FIELDS:
            raise FormatError(f"header must be an object with exactly {sorted(_TOP_FIELDS)}")
        if value["format"] != FORMAT_NAME or value["version"] != FORMAT_VERSION:
            raise FormatError("header is not ncen-bundle version 1")
        sender = _object(value["sender"], {"node_id", "key_id"}, "sender")
        header = cls(
            bundle_id=_uuid(value["bundle_id"]),
            sender_node_id=check_node_id(sender["node_id"]),
            sender_key_id=check_key_id(sender["key_id"]),
            recipients=tuple(_recipient(item) for item in _list(value["recipients"], "recipients")),
            created=parse_time(value["created"]),
            expires=parse_time(value["expires"]),
            handling_codes=tuple(
                _token(code, "handling code") for code in _list(value["handling_codes"], "codes")
            ),
            records_schema=_token(value["records_schema"], "records_schema"),
            contents=tuple(_content(item) for item in _list(value["contents"], "contents")),
        )
        header._check_consistency()
        return header

    def _check_consistency(self) -> None:
        key_ids = [recipient.key_id for recipient in self.recipients]
        if len(set(key_ids)) != len(key_ids):
            raise FormatError("a recipient key id appears twice")
        if len(set(self.handling_codes)) != len(self.handling_codes):
            raise FormatError("a handling code appears twice")
        if self.expires <= self.created:
            raise FormatError("expires is not after created")
        if not any(entry.kind == KIND_RECORDS for entry in self.contents):
            raise FormatError("a bundle carries at least one record set")


def _content_json(entry: ContentEntry) -> dict[str, Any]:
    result: dict[str, Any] = {
        "kind": entry.kind,
        "name": entry.name,
        "media_type": entry.media_type,
        "size": entry.size,
        "sha256": entry.sha256,
    }
    if entry.originator is not None:
        result["originator"] = entry.originator.to_json()
    return result


def _object(value: object, fields: set[str], what: str) -> dict[str, Any]:
    if not isinstance(value, dict) or set(value) != fields:
        raise FormatError(f"{what} must be an object with exactly {sorted(fields)}")
    return value


def _list(value: object, what: str) -> list[Any]:
    if not isinstance(value, list) or not value:
        raise FormatError(f"{what} must be a non-empty array")
    return value


def _uuid(value: object) -> uuid.UUID:
    try:
        parsed = uuid.UUID(str(value))
    except ValueError as error:
        raise FormatError(f"bundle_id {value!r} is not a UUID") from error
    if str(parsed) != value:
        raise FormatError(f"bundle_id {value!r} is not a lowercase hyphenated UUID")
    return parsed


def _token(value: object, what: str) -> str:
    if not isinstance(value, str) or not _TOKEN.fullmatch(value):
        raise FormatError(f"{what} {value!r} is not a 1-64 character token")
    return value


def _count(value: object, what: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise FormatError(f"{what} {value!r} is not a non-negative integer")
    return value


def _recipient(value: object) -> RecipientEntry:
    item = _object(value, {"node_id", "key_id", "kem", "sequence"}, "recipient")
    try:
        kem = KemAlgorithm(item["kem"])
    except ValueError as error:
        raise FormatError(f"unknown KEM {item['kem']!r}") from error
    return RecipientEntry(
        node_id=check_node_id(item["node_id"]),
        key_id=check_key_id(item["key_id"]),
        kem=kem,
        sequence=_count(item["sequence"], "sequence"),
    )


def _content(value: object) -> ContentEntry:
    if not isinstance(value, dict):
        raise FormatError("a content entry must be an object")
    kind = value.get("kind")
    fields = {"kind", "name", "media_type", "size", "sha256"}
    if kind == KIND_RECORDS:
        fields.add("originator")
    elif kind != KIND_ATTACHMENT:
        raise FormatError(f"content kind {kind!r} is neither records nor attachment")
    item = _object(value, fields, f"{kind} entry")
    name, media_type, sha256 = item["name"], item["media_type"], item["sha256"]
    if not isinstance(name, str) or not 0 < len(name) <= 255 or not name.isprintable():
        raise FormatError(f"content name {name!r} is not 1-255 printable characters")
    if "/" in name or "\\" in name:
        raise FormatError(f"content name {name!r} contains a path separator")
    if not isinstance(media_type, str) or not _MEDIA_TYPE.fullmatch(media_type):
        raise FormatError(f"media type {media_type!r} is not type/subtype")
    if kind == KIND_RECORDS and media_type != RECORDS_MEDIA_TYPE:
        raise FormatError(f"record sets are {RECORDS_MEDIA_TYPE}")
    if not isinstance(sha256, str) or not _HEX64.fullmatch(sha256):
        raise FormatError("content sha256 is not 64 lowercase hex digits")
    originator = SignedStatement.from_json(item["originator"]) if "originator" in item else None
    return ContentEntry(kind, name, media_type, _count(item["size"], "size"), sha256, originator)
