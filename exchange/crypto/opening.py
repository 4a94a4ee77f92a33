"""Opening a bundle: verify everything, in the normative order, before returning anything.

`open_bundle` checks, in this order (docs/exchange-protocol.md section 9):

1. size limits (file length, then every framing length before it is read);
2. the header signature against the pinned key of a known, active peer, then the header and
   the originator statements of its record sets;
3. key validity: the signing keys involved are not revoked and were valid when used;
4. that this node is a named recipient with a key it holds;
5. the bundle's lifetime (not expired, not from the future, not longer than allowed);
6. replay (bundle id already accepted) and the per-sender sequence number;
7. decryption of the content key and of every section;
8. every section's size and SHA-256 against the signed manifest;
9. every record set's JSON against the caller's schema validator.

`verify_prefix` runs the part of steps 1 to 3 that needs only the signed prefix of the bundle
(preamble, header, key block, signature: at most a few MiB, read before anything else): the
sender is an active peer with that key pinned and not revoked, the signature verifies, the
header parses and its declared sizes are within the limits. A receiver runs it before reading
the rest of an incoming body; input that fails it is *unverifiable* (`UnverifiedBundleError`)
and must leave no trace but a counter and a log line (docs/exchange-protocol.md section 20.1).

Nothing is returned before step 9 passed. Attachments are decrypted into spool files in the
caller's directory, re-encrypted under a key that lives only in this process's memory
(`exchange.crypto.spool`: a crash strands ciphertext that nothing can read, never pictures in
clear), and deleted again on any failure, so a failed open leaves nothing behind. Opening
records nothing: the caller marks the bundle id as seen and stores the sequence number in the
same transaction as the import.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import IO, Any, BinaryIO

from exchange.crypto.canonical import DOMAIN_BUNDLE_HEADER, parse_canonical
from exchange.crypto.container import DEFAULT_LIMITS, Envelope, Limits, SectionReader, read_envelope
from exchange.crypto.header import KIND_RECORDS, BundleHeader, ContentEntry, RecipientEntry
from exchange.crypto.interfaces import (
    PeerTrust,
    PinnedSigningKey,
    RecordsValidator,
    ReplayGuard,
    TrustLookup,
)
from exchange.crypto.keys import EncryptionKeyPair, NodeIdentity
from exchange.crypto.originator import (
    OriginatorStatement,
    parse_originator_statement,
    verify_originator_statement,
)
from exchange.crypto.sealing import (
    ciphertext_length,
    decrypt_stream,
    nonce_prefix,
    unwrap_content_key,
)
from exchange.crypto.signing import SignedStatement, verify
from exchange.crypto.spool import SpoolKey, SpoolWriter, open_spool
from exchange.errors import (
    DigestMismatchError,
    ExchangeError,
    ExpiredError,
    FormatError,
    KeyExpiredError,
    NotARecipientError,
    ReplayError,
    RevokedKeyError,
    SchemaError,
    SequenceError,
    SignatureError,
    SizeLimitError,
    TruncatedError,
    UnknownSenderError,
)


@dataclass(frozen=True)
class OpenedRecordSet:
    """A verified record set. ``originator_verified`` is False only when the originator is a
    third node whose key we have not pinned: the statement is intact but unproven."""

    name: str
    data: bytes
    records: Any
    originator: OriginatorStatement
    originator_statement: SignedStatement
    originator_verified: bool


@dataclass(frozen=True)
class OpenedAttachment:
    """A verified attachment, kept in the spool file ``path`` (owned by the caller from now on,
    who deletes it) encrypted under ``key``, which exists only in memory: read the plaintext
    with `open` or `read_bytes`, never from ``path`` itself."""

    name: str
    media_type: str
    size: int
    sha256: str
    path: Path
    key: SpoolKey = field(repr=False, compare=False)

    def open(self) -> BinaryIO:
        """A binary reader of the attachment's plaintext (decrypted while read)."""
        return open_spool(self.path, self.key)

    def read_bytes(self) -> bytes:
        """The whole plaintext (for small attachments and tests)."""
        with self.open() as reader:
            return reader.read()


@dataclass(frozen=True)
class OpenedBundle:
    """The result of a successful `open_bundle`: everything in it has been verified."""

    header: BundleHeader
    recipient: RecipientEntry
    record_sets: tuple[OpenedRecordSet, ...]
    attachments: tuple[OpenedAttachment, ...]


@dataclass(frozen=True)
class _Originator:
    statement: OriginatorStatement
    signed: SignedStatement
    pinned: PinnedSigningKey | None
    revoked: bool


class UnverifiedBundleError(ExchangeError):
    """The signed prefix of a bundle did not verify: nothing it claims (sender, bundle id) may be
    trusted, answered with a receipt or written down. ``cause`` is the first failed check
    (also chained as ``__cause__``); its ``code`` and ``generic_reason`` describe the failure."""

    code = "unverified"

    def __init__(self, cause: ExchangeError) -> None:
        super().__init__(f"[{cause.code}] {cause}")
        self.cause = cause


@dataclass(frozen=True)
class VerifiedPrefix:
    """The signed prefix of a bundle, verified: its header is authentic and its sender known."""

    envelope: Envelope
    header: BundleHeader

    @property
    def data(self) -> bytes:
        """The prefix's bytes exactly as read (signed region, then signature)."""
        return self.envelope.signed_region + self.envelope.signature


def verify_prefix(source: IO[bytes], trust: TrustLookup, limits: Limits) -> VerifiedPrefix:
    """Read and verify only the signed prefix of a bundle from ``source`` (see module doc).

    Reads nothing past the signature, and nothing past the sender's key id (at most 107 bytes)
    when the sender is not an active peer or the key is not pinned or is revoked. Raises
    `UnverifiedBundleError` (chained from the first failure: `SizeLimitError`, `FormatError`,
    `TruncatedError`, `UnknownSenderError`, `RevokedKeyError` or `SignatureError`).
    """

    def check_sender(node_id: str, key_id: str) -> None:
        peer = trust.peer(node_id)
        if peer is None or not peer.active or peer.signing_key(key_id) is None:
            raise UnknownSenderError(f"sender {node_id!r} with key {key_id} is not pinned")
        if key_id in peer.revoked_key_ids:
            raise RevokedKeyError(f"the sender's signing key {key_id} is revoked")

    try:
        envelope = read_envelope(source, limits, check_sender=check_sender)
        header = _verify_sender(envelope, trust, limits)[0]
    except ExchangeError as error:
        raise UnverifiedBundleError(error) from error
    return VerifiedPrefix(envelope, header)


def verify_envelope(envelope: Envelope, trust: TrustLookup, limits: Limits) -> BundleHeader:
    """Steps 2 and the signed-size part of 1: signature, then header parse and limits."""
    return _verify_sender(envelope, trust, limits)[0]


def _verify_sender(
    envelope: Envelope, trust: TrustLookup, limits: Limits
) -> tuple[BundleHeader, PeerTrust, PinnedSigningKey]:
    peer = trust.peer(envelope.sender_node_id)
    if peer is None or not peer.active:
        raise UnknownSenderError(f"sender {envelope.sender_node_id!r} is not an active peer")
    pinned = peer.signing_key(envelope.sender_key_id)
    if pinned is None:
        raise UnknownSenderError(f"key {envelope.sender_key_id} is not pinned for {peer.node_id}")
    verify(pinned.key, DOMAIN_BUNDLE_HEADER, envelope.signed_region, envelope.signature)
    header = BundleHeader.from_bytes(envelope.header_bytes)
    if (header.sender_node_id, header.sender_key_id) != (peer.node_id, pinned.key.key_id):
        raise FormatError("the header names a different sender than the preamble")
    if [entry.key_id for entry in envelope.wrapped_keys] != [r.key_id for r in header.recipients]:
        raise FormatError("the key block does not list the header's recipients in order")
    _check_declared_sizes(header, envelope, limits)
    return header, peer, pinned


def _check_declared_sizes(header: BundleHeader, envelope: Envelope, limits: Limits) -> None:
    if len(header.contents) > limits.max_contents:
        raise SizeLimitError(f"{len(header.contents)} sections exceed {limits.max_contents}")
    for entry in header.contents:
        limit = (
            limits.max_record_set_bytes
            if entry.kind == KIND_RECORDS
            else limits.max_attachment_bytes
        )
        if entry.size > limit:
            raise SizeLimitError(f"section {entry.name!r} of {entry.size} bytes exceeds {limit}")
    total = envelope.length + sum(ciphertext_length(entry.size) for entry in header.contents)
    if total > limits.max_bundle_bytes:
        raise SizeLimitError(f"bundle of {total} bytes exceeds {limits.max_bundle_bytes}")


def _check_originator(
    entry: ContentEntry, header: BundleHeader, sender: PeerTrust, trust: TrustLookup
) -> _Originator:
    signed = entry.originator
    if signed is None:  # header parsing guarantees one per record set
        raise FormatError(f"record set {entry.name!r} has no originator statement")
    node_id = signed.statement.get("originator_node_id")
    peer = sender if node_id == sender.node_id else trust.peer(str(node_id))
    pinned = peer.signing_key(signed.signer_key_id) if peer is not None and peer.active else None
    if pinned is None and peer is sender:
        raise SignatureError(f"originator statement of {entry.name!r} uses an unpinned key")
    if pinned is not None:
        statement = verify_originator_statement(signed, pinned.key)
    else:  # a third node we cannot check: keep the statement, mark it unverified
        statement = parse_originator_statement(signed)
    if (statement.sha256, statement.size) != (entry.sha256, entry.size):
        raise DigestMismatchError(f"originator statement does not match {entry.name!r}")
    if statement.records_schema != header.records_schema:
        raise FormatError(f"record set {entry.name!r} follows another records schema")
    revoked = peer is not None and signed.signer_key_id in peer.revoked_key_ids
    return _Originator(statement, signed, pinned, revoked)


def _my_recipient_entry(
    header: BundleHeader, envelope: Envelope, me: NodeIdentity
) -> tuple[RecipientEntry, EncryptionKeyPair, bytes]:
    named = [i for i, r in enumerate(header.recipients) if r.node_id == me.node_id]
    if not named:
        raise NotARecipientError(f"bundle is not addressed to {me.node_id}")
    for index in named:
        key_pair = me.decryption_key(header.recipients[index].key_id)
        if key_pair is not None:
            return header.recipients[index], key_pair, envelope.wrapped_keys[index].wrapped
    raise NotARecipientError(f"bundle names {me.node_id} only with keys this node does not hold")


def open_bundle(
    source: IO[bytes],
    *,
    my_identity: NodeIdentity,
    trust: TrustLookup,
    replay_guard: ReplayGuard,
    now: datetime,
    attachment_dir: Path,
    validate_records: RecordsValidator,
    limits: Limits = DEFAULT_LIMITS,
) -> OpenedBundle:
    """Verify and decrypt a bundle from ``source`` (see the module docstring for the order).

    ``source`` is read from its current position; a seekable source lets length errors surface
    before decryption. Side effects: creates attachment spool files in ``attachment_dir`` (mode
    0600, encrypted under an in-memory key: `OpenedAttachment`), removed again on any
    failure. Raises the `ExchangeError` subclass of the first failed check.
    """
    # 1. Size limits, before anything is parsed.
    total = _remaining_length(source)
    if total is not None and total > limits.max_bundle_bytes:
        raise SizeLimitError(f"bundle of {total} bytes exceeds {limits.max_bundle_bytes}")
    envelope = read_envelope(source, limits)
    # 2. Signatures: the header against the pinned key, then the originator statements.
    header, peer, pinned = _verify_sender(envelope, trust, limits)
    _check_total_length(total, envelope, header)
    records = [entry for entry in header.contents if entry.kind == KIND_RECORDS]
    originators = [_check_originator(entry, header, peer, trust) for entry in records]
    # 3. Key validity.
    _check_key_validity(header, peer, pinned, originators)
    # 4. We are a named recipient.
    recipient, key_pair, wrapped = _my_recipient_entry(header, envelope, my_identity)
    # 5. Lifetime.
    _check_lifetime(header, now, limits)
    # 6. Replay and sequence.
    if replay_guard.seen(header.bundle_id):
        raise ReplayError(f"bundle {header.bundle_id} was already accepted")
    last = replay_guard.last_sequence(header.sender_node_id)
    if last is not None and recipient.sequence <= last:
        raise SequenceError(f"sequence {recipient.sequence} is not after {last}")
    # 7. Decryption (steps 8 and 9 follow in _decrypt_and_check); files go on any failure.
    header_hash = hashlib.sha256(envelope.header_bytes).digest()
    content_key = unwrap_content_key(wrapped, key_pair, header_hash)
    verified = _Verified(header, header_hash, content_key, recipient, tuple(originators))
    created: list[Path] = []
    try:
        return _decrypt_and_check(source, verified, attachment_dir, created, validate_records)
    except BaseException:
        for path in created:
            path.unlink(missing_ok=True)
        raise


@dataclass(frozen=True)
class _Verified:
    """What steps 1-7 established, handed to the content checks."""

    header: BundleHeader
    header_hash: bytes = field(repr=False)
    content_key: bytes = field(repr=False)
    recipient: RecipientEntry
    originators: tuple[_Originator, ...]


def _check_total_length(total: int | None, envelope: Envelope, header: BundleHeader) -> None:
    if total is None:  # a pipe: short input surfaces as TruncatedError while decrypting
        return
    expected = envelope.length + sum(ciphertext_length(e.size) for e in header.contents)
    if total < expected:
        raise TruncatedError(f"bundle is {expected - total} bytes shorter than its header says")
    if total > expected:
        raise FormatError(f"{total - expected} bytes of trailing data after the last section")


def _check_key_validity(
    header: BundleHeader,
    peer: PeerTrust,
    pinned: PinnedSigningKey,
    originators: list[_Originator],
) -> None:
    if pinned.key.key_id in peer.revoked_key_ids:
        raise RevokedKeyError(f"the sender's signing key {pinned.key.key_id} is revoked")
    if not pinned.valid_at(header.created):
        raise KeyExpiredError("the sender's signing key was not valid at the bundle's creation")
    for originator in originators:
        if originator.revoked:
            raise RevokedKeyError(f"originator key {originator.signed.signer_key_id} is revoked")
        if originator.pinned and not originator.pinned.valid_at(originator.statement.created):
            raise KeyExpiredError("an originator key was not valid when it signed")


def _check_lifetime(header: BundleHeader, now: datetime, limits: Limits) -> None:
    if header.created > now + limits.clock_skew:
        raise ExpiredError("bundle claims to be created in the future")
    if now > header.expires:
        raise ExpiredError(f"bundle expired at {header.expires.isoformat()}")
    if header.expires - header.created > limits.max_lifetime:
        raise ExpiredError("bundle lifetime exceeds the allowed maximum")


def _decrypt_and_check(
    source: IO[bytes],
    verified: _Verified,
    attachment_dir: Path,
    created: list[Path],
    validate_records: RecordsValidator,
) -> OpenedBundle:
    header = verified.header
    digests = []
    buffers: list[bytes] = []
    spool_key = SpoolKey()
    for index, entry in enumerate(header.contents):
        section = SectionReader(source, ciphertext_length(entry.size))
        decrypt = partial(
            decrypt_stream,
            section,
            key=verified.content_key,
            prefix=nonce_prefix(index),
            aad=verified.header_hash,
        )
        if entry.kind == KIND_RECORDS:
            buffer = io.BytesIO()
            digests.append(decrypt(buffer))
            buffers.append(buffer.getvalue())
            continue
        path = attachment_dir / f"{header.bundle_id}-{index}.bin"
        with SpoolWriter(path, spool_key) as sink:
            created.append(path)
            digests.append(decrypt(sink))
            sink.close()
    if source.read(1):
        raise FormatError("trailing data after the last section")
    # 8. Digests.
    for entry, digest in zip(header.contents, digests, strict=True):
        if (digest.size, digest.sha256) != (entry.size, entry.sha256):
            raise DigestMismatchError(f"section {entry.name!r} does not match its manifest entry")
    # 9. Schema.
    record_sets = []
    record_entries = [e for e in header.contents if e.kind == KIND_RECORDS]
    for entry, data, origin in zip(record_entries, buffers, verified.originators, strict=True):
        try:
            value = parse_canonical(data)
        except FormatError as error:
            raise SchemaError(
                f"record set {entry.name!r} is not canonical JSON: {error}"
            ) from error
        validate_records(header.records_schema, entry.name, value)
        record_sets.append(
            OpenedRecordSet(
                entry.name, data, value, origin.statement, origin.signed, origin.pinned is not None
            )
        )
    attachment_entries = [e for e in header.contents if e.kind != KIND_RECORDS]
    attachments = [
        OpenedAttachment(e.name, e.media_type, e.size, e.sha256, path, spool_key)
        for e, path in zip(attachment_entries, created, strict=True)
    ]
    return OpenedBundle(header, verified.recipient, tuple(record_sets), tuple(attachments))


def _remaining_length(source: IO[bytes]) -> int | None:
    """Bytes from the current position to the end of a seekable stream, or None for a pipe."""
    try:
        if not source.seekable():
            return None
        position = source.tell()
        end = source.seek(0, io.SEEK_END)
        source.seek(position)
    except OSError:
        return None
    return end - position
