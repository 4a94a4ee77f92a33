"""Binary framing of a bundle file, and the size limits checked while reading it.

Layout (all integers unsigned big-endian; docs/exchange-protocol.md section 5 is normative)::

    magic "NCENBNDL" | version u16 | sender node id (u8 length + ASCII) | sender key id (32)
    | header length u32 | header (canonical JSON) | recipient count u16
    | per recipient: key id (32) | wrapped key length u16 | wrapped key
    | signature (64, Ed25519 over "ncen-bundle-header-v1" 0x00 || every byte above)
    | section ciphertexts, in manifest order, lengths implied by the signed sizes | end of file

Everything before the signature is the *signed region*. The sender's identity sits in the binary
preamble so that a reader can pick the pinned key and verify the signature before it parses any
JSON. `read_envelope` reads exactly up to the end of the signature and enforces every limit on
a length before reading what it announces, so hostile input cannot make it allocate more than
the limits allow.
"""

from __future__ import annotations

import struct
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from exchange.crypto.keys import check_node_id
from exchange.crypto.sealing import Readable, Writable, read_up_to
from exchange.crypto.signing import SIGNATURE_LENGTH
from exchange.errors import FormatError, SizeLimitError, TruncatedError

MAGIC = b"NCENBNDL"
CONTAINER_VERSION = 1
KEY_ID_LENGTH = 32


@dataclass(frozen=True)
class Limits:
    """Upper bounds a receiver enforces; all sizes in bytes. Defaults suit removable media."""

    max_bundle_bytes: int = 16 * 1024**3
    max_header_bytes: int = 4 * 1024**2
    max_recipients: int = 64
    max_wrapped_key_bytes: int = 4096
    max_contents: int = 10_000
    max_record_set_bytes: int = 256 * 1024**2
    max_attachment_bytes: int = 8 * 1024**3
    max_lifetime: timedelta = timedelta(days=90)
    clock_skew: timedelta = timedelta(minutes=10)


DEFAULT_LIMITS = Limits()


@dataclass(frozen=True)
class WrappedKey:
    """A key-block entry: the recipient key id (hex) and HPKE ``enc || ciphertext``."""

    key_id: str
    wrapped: bytes


@dataclass(frozen=True)
class Envelope:
    """Everything up to and including the signature, not yet verified."""

    sender_node_id: str
    sender_key_id: str
    header_bytes: bytes
    wrapped_keys: tuple[WrappedKey, ...]
    signed_region: bytes
    signature: bytes

    @property
    def length(self) -> int:
        """Bytes from the start of the file to the first section."""
        return len(self.signed_region) + len(self.signature)


def build_signed_region(
    sender_node_id: str, sender_key_id: str, header_bytes: bytes, wrapped_keys: list[WrappedKey]
) -> bytes:
    """Serialize everything that the header signature covers."""
    node = sender_node_id.encode("ascii")
    parts = [
        MAGIC,
        struct.pack(">H", CONTAINER_VERSION),
        struct.pack(">B", len(node)),
        node,
        bytes.fromhex(sender_key_id),
        struct.pack(">I", len(header_bytes)),
        header_bytes,
        struct.pack(">H", len(wrapped_keys)),
    ]
    for entry in wrapped_keys:
        parts += [bytes.fromhex(entry.key_id), struct.pack(">H", len(entry.wrapped)), entry.wrapped]
    return b"".join(parts)


def write_envelope(sink: Writable, signed_region: bytes, signature: bytes) -> None:
    sink.write(signed_region)
    sink.write(signature)


class _Reader:
    """Reads exact byte counts, keeping a copy of everything read for the signed region."""

    def __init__(self, source: Readable) -> None:
        self._source = source
        self._seen: list[bytes] = []

    def take(self, size: int, what: str) -> bytes:
        data = read_up_to(self._source, size)
        if len(data) != size:
            raise TruncatedError(f"bundle ends inside the {what}")
        self._seen.append(data)
        return data

    def number(self, fmt: str, what: str) -> int:
        (value,) = struct.unpack(fmt, self.take(struct.calcsize(fmt), what))
        return int(value)

    def region(self) -> bytes:
        return b"".join(self._seen)


def read_envelope(
    source: Readable,
    limits: Limits = DEFAULT_LIMITS,
    *,
    check_sender: Callable[[str, str], None] | None = None,
) -> Envelope:
    """Read the preamble, header, key block and signature; parse no JSON.

    ``check_sender(node_id, key_id)``, when given, is called as soon as the preamble named the
    sender and its key (at most 107 bytes in), before the header length is even read: a caller
    that raises there for an unknown sender or key reads nothing more of hostile input.

    Raises `TruncatedError` on early end of input, `FormatError` on a bad magic, version or node
    id, `SizeLimitError` when a length exceeds ``limits``, and whatever ``check_sender`` raises.
    """
    reader = _Reader(source)
    if reader.take(len(MAGIC), "magic") != MAGIC:
        raise FormatError("not an ncen bundle (bad magic)")
    version = reader.number(">H", "version")
    if version != CONTAINER_VERSION:
        raise FormatError(f"unsupported bundle format version {version}")
    node_length = reader.number(">B", "sender node id length")
    try:
        node_id = check_node_id(reader.take(node_length, "sender node id").decode("ascii"))
    except UnicodeDecodeError as error:
        raise FormatError("sender node id is not ASCII") from error
    key_id = reader.take(KEY_ID_LENGTH, "sender key id").hex()
    if check_sender is not None:
        check_sender(node_id, key_id)
    header_length = reader.number(">I", "header length")
    if header_length > limits.max_header_bytes:
        raise SizeLimitError(f"header of {header_length} bytes exceeds {limits.max_header_bytes}")
    header_bytes = reader.take(header_length, "header")
    count = reader.number(">H", "recipient count")
    if not 0 < count <= limits.max_recipients:
        raise SizeLimitError(f"{count} recipients; the limit is 1 to {limits.max_recipients}")
    wrapped_keys = []
    for _ in range(count):
        recipient_key_id = reader.take(KEY_ID_LENGTH, "recipient key id").hex()
        length = reader.number(">H", "wrapped key length")
        if length > limits.max_wrapped_key_bytes:
            raise SizeLimitError(f"wrapped key of {length} bytes")
        wrapped_keys.append(WrappedKey(recipient_key_id, reader.take(length, "wrapped key")))
    signed_region = reader.region()
    signature = reader.take(SIGNATURE_LENGTH, "signature")
    return Envelope(
        sender_node_id=node_id,
        sender_key_id=key_id,
        header_bytes=header_bytes,
        wrapped_keys=tuple(wrapped_keys),
        signed_region=signed_region,
        signature=signature,
    )


class SectionReader:
    """A read-only view of the next ``length`` bytes of ``source``: end of view is end of stream.

    Raises `TruncatedError` if ``source`` ends before the view does.
    """

    def __init__(self, source: Readable, length: int) -> None:
        self._source = source
        self._remaining = length

    def read(self, size: int = -1, /) -> bytes:
        want = self._remaining if size < 0 else min(size, self._remaining)
        if want == 0:
            return b""
        data = read_up_to(self._source, want)
        if len(data) != want:
            raise TruncatedError("bundle ends inside an encrypted section")
        self._remaining -= want
        return data
