"""Sealing and inspecting bundles; `open_bundle` (in `exchange.crypto.opening`) is re-exported.

`seal_bundle` writes a complete bundle to a binary stream in two passes over the content: the
first takes each section's SHA-256 and size (the header must carry them, and every chunk's
associated data is the hash of that header), the second encrypts. Attachments are streamed from
their files in 64 KiB chunks, so memory does not grow with their size; record sets are held in
memory (they are bounded by `Limits.max_record_set_bytes`).

`inspect_bundle` reads the header without decrypting anything, for ``ncen exchange inspect``.
"""

from __future__ import annotations

import hashlib
import io
import os
import secrets
import uuid
from collections.abc import Sequence
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import BinaryIO

from exchange.crypto.canonical import DOMAIN_BUNDLE_HEADER, parse_canonical
from exchange.crypto.container import (
    DEFAULT_LIMITS,
    Limits,
    WrappedKey,
    build_signed_region,
    read_envelope,
    write_envelope,
)
from exchange.crypto.header import (
    KIND_ATTACHMENT,
    KIND_RECORDS,
    RECORDS_MEDIA_TYPE,
    BundleHeader,
    ContentEntry,
    RecipientEntry,
)
from exchange.crypto.interfaces import TrustLookup
from exchange.crypto.keys import EncryptionPublicKey, NodeIdentity
from exchange.crypto.opening import (
    OpenedAttachment,
    OpenedBundle,
    OpenedRecordSet,
    open_bundle,
    verify_envelope,
)
from exchange.crypto.originator import make_originator_statement, parse_originator_statement
from exchange.crypto.sealing import (
    CHUNK_SIZE,
    ciphertext_length,
    encrypt_stream,
    nonce_prefix,
    wrap_content_key,
)
from exchange.crypto.signing import SignedStatement, sign
from exchange.errors import DigestMismatchError, FormatError, KeyExpiredError

__all__ = [
    "Attachment",
    "InspectedBundle",
    "OpenedAttachment",
    "OpenedBundle",
    "OpenedRecordSet",
    "Recipient",
    "RecordSet",
    "inspect_bundle",
    "open_bundle",
    "seal_bundle",
]


@dataclass(frozen=True)
class Recipient:
    """Who to seal to: a peer node, its pinned encryption key, and our next sequence number."""

    node_id: str
    key: EncryptionPublicKey
    sequence: int


@dataclass(frozen=True)
class RecordSet:
    """Canonical-JSON record bytes. ``originator`` is None for records this node produced (the
    sender then signs the originator statement) or the statement received with them."""

    name: str
    data: bytes
    originator: SignedStatement | None = None


@dataclass(frozen=True)
class Attachment:
    """A file to attach, streamed from ``path``; ``name`` is for display only."""

    name: str
    media_type: str
    path: Path


def seal_bundle(
    sink: BinaryIO,
    *,
    sender: NodeIdentity,
    recipients: Sequence[Recipient],
    record_sets: Sequence[RecordSet],
    handling_codes: Sequence[str],
    records_schema: str,
    created: datetime,
    expires: datetime,
    attachments: Sequence[Attachment] = (),
    bundle_id: uuid.UUID | None = None,
) -> BundleHeader:
    """Write a signed, encrypted bundle to ``sink`` and return its header.

    Side effects: reads the attachment files twice and writes only to ``sink``.
    Raises `KeyExpiredError` if the sender's signing key is not valid at ``created``,
    `FormatError` for records that are not canonical JSON or for invalid header values (for
    example an attachment that changed while being sealed), `DigestMismatchError` for a
    forwarded record set whose originator statement does not match its bytes.
    """
    if not sender.signing.valid_at(created):
        raise KeyExpiredError("the sender's signing key is not valid at the creation time")
    with ExitStack() as stack:
        entries: list[ContentEntry] = []
        sources: list[tuple[BinaryIO, int]] = []
        for record_set in record_sets:
            entries.append(_records_entry(sender, record_set, records_schema, created))
            sources.append((io.BytesIO(record_set.data), len(record_set.data)))
        files: list[tuple[BinaryIO, os.stat_result]] = []
        for attachment in attachments:
            handle: BinaryIO = stack.enter_context(attachment.path.open("rb"))
            entry, size = _attachment_entry(attachment, handle)
            entries.append(entry)
            sources.append((handle, size))
            files.append((handle, os.fstat(handle.fileno())))
        header = BundleHeader(
            bundle_id=bundle_id or uuid.uuid4(),
            sender_node_id=sender.node_id,
            sender_key_id=sender.signing.public.key_id,
            recipients=tuple(
                RecipientEntry(r.node_id, r.key.key_id, r.key.algorithm, r.sequence)
                for r in recipients
            ),
            created=created,
            expires=expires,
            handling_codes=tuple(handling_codes),
            records_schema=records_schema,
            contents=tuple(entries),
        )
        header_bytes = header.to_bytes()
        header_hash = hashlib.sha256(header_bytes).digest()
        content_key = secrets.token_bytes(32)
        wrapped = [
            WrappedKey(r.key.key_id, wrap_content_key(content_key, r.key, header_hash))
            for r in recipients
        ]
        region = build_signed_region(sender.node_id, header.sender_key_id, header_bytes, wrapped)
        write_envelope(sink, region, sign(sender.signing, DOMAIN_BUNDLE_HEADER, region))
        for index, (source, size) in enumerate(sources):
            source.seek(0)
            encrypt_stream(
                source,
                sink,
                key=content_key,
                prefix=nonce_prefix(index),
                aad=header_hash,
                size=size,
            )
        for handle, before in files:
            after = os.fstat(handle.fileno())
            if (after.st_size, after.st_mtime_ns) != (before.st_size, before.st_mtime_ns):
                raise FormatError("an attachment changed while the bundle was being sealed")
    return header


def _records_entry(
    sender: NodeIdentity, record_set: RecordSet, records_schema: str, created: datetime
) -> ContentEntry:
    parse_canonical(record_set.data)  # refuse non-canonical records before signing anything
    digest = hashlib.sha256(record_set.data).hexdigest()
    originator = record_set.originator
    if originator is None:
        originator = make_originator_statement(
            sender,
            record_set.data,
            name=record_set.name,
            records_schema=records_schema,
            created=created,
        )
    statement = parse_originator_statement(originator)
    if (statement.sha256, statement.size) != (digest, len(record_set.data)):
        raise DigestMismatchError(
            f"originator statement does not match record set {record_set.name!r}"
        )
    if statement.records_schema != records_schema:
        raise FormatError(f"record set {record_set.name!r} follows {statement.records_schema}")
    return ContentEntry(
        KIND_RECORDS, record_set.name, RECORDS_MEDIA_TYPE, len(record_set.data), digest, originator
    )


def _attachment_entry(attachment: Attachment, handle: BinaryIO) -> tuple[ContentEntry, int]:
    digest = hashlib.sha256()
    size = 0
    while block := handle.read(CHUNK_SIZE * 16):
        digest.update(block)
        size += len(block)
    entry = ContentEntry(
        KIND_ATTACHMENT, attachment.name, attachment.media_type, size, digest.hexdigest()
    )
    return entry, size


@dataclass(frozen=True)
class InspectedBundle:
    """A header read without decryption. ``verified`` says whether its signature was checked
    against a pinned key; an unverified header is for display only and must not be acted on."""

    header: BundleHeader
    verified: bool
    total_length: int


def inspect_bundle(
    source: BinaryIO, *, trust: TrustLookup | None = None, limits: Limits = DEFAULT_LIMITS
) -> InspectedBundle:
    """Read and parse the header of a bundle without decrypting anything.

    With ``trust`` the signature is verified first (steps 1-2 of opening, raising the same
    errors); without it the header is parsed unverified for display. ``total_length`` is the
    length the whole file must have, from the signed sizes.
    """
    envelope = read_envelope(source, limits)
    if trust is not None:
        header = verify_envelope(envelope, trust, limits)
    else:
        header = BundleHeader.from_bytes(envelope.header_bytes)
    total = envelope.length + sum(ciphertext_length(entry.size) for entry in header.contents)
    return InspectedBundle(header, trust is not None, total)
