"""Shared helpers for the exchange tests: a small peer simulator and bundle surgery.

`Network` holds a few nodes with their identities, an in-memory peer registry per node
(`MemoryTrust`) and an in-memory inbox (`MemoryReplayGuard`), so tests read like a story:
``net.seal("fr", to=["de"])`` then ``net.open("de", data)``. `Layout` parses a bundle with its
own code (independent of `exchange.crypto.container`) so that tests can point at exact byte ranges.
"""

from __future__ import annotations

import io
import struct
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from exchange.crypto.bundle import Attachment, Recipient, RecordSet, open_bundle, seal_bundle
from exchange.crypto.canonical import canonical_json
from exchange.crypto.container import Limits
from exchange.crypto.interfaces import PeerTrust, PinnedSigningKey
from exchange.crypto.keys import KemAlgorithm, NodeIdentity, SigningKeyPair, generate_identity
from exchange.crypto.opening import OpenedBundle
from exchange.crypto.sealing import CHUNK_SIZE, TAG_LENGTH, ciphertext_length
from exchange.errors import SchemaError

T0 = datetime(2025, 1, 1, tzinfo=UTC)
CREATED = T0 + timedelta(days=10)
NOW = CREATED + timedelta(hours=1)
KEY_END = T0 + timedelta(days=730)
SCHEMA = "ncen-records/1"


def records(count: int = 2) -> bytes:
    """A small canonical record set."""
    items = [
        {"reference": f"FR-2025-{i:05d}", "commodity": "tobacco", "quantity": 1000 + i}
        for i in range(count)
    ]
    return canonical_json({"records": items})


def accept_records(records_schema: str, name: str, value: Any) -> None:
    """A minimal schema: an object with a list of objects under "records"."""
    if records_schema != SCHEMA:
        raise SchemaError(f"unknown records schema {records_schema}")
    if not isinstance(value, dict) or not isinstance(value.get("records"), list):
        raise SchemaError(f"record set {name} has no records list")
    for item in value["records"]:
        if not isinstance(item, dict) or not isinstance(item.get("reference"), str):
            raise SchemaError(f"record set {name}: a record has no reference")


@dataclass
class MemoryTrust:
    peers: dict[str, PeerTrust] = field(default_factory=dict)

    def peer(self, node_id: str) -> PeerTrust | None:
        return self.peers.get(node_id)

    def pin(self, node_id: str, key: SigningKeyPair) -> None:
        """Pin (another) signing key for ``node_id``, as an operator would after checking it."""
        pinned = PinnedSigningKey(key.public, key.not_before, key.not_after)
        current = self.peers.get(node_id)
        keys = (*current.signing_keys, pinned) if current else (pinned,)
        revoked = current.revoked_key_ids if current else frozenset()
        self.peers[node_id] = PeerTrust(node_id, True, keys, revoked)

    def revoke(self, node_id: str, key_id: str) -> None:
        current = self.peers[node_id]
        self.peers[node_id] = PeerTrust(
            node_id, current.active, current.signing_keys, current.revoked_key_ids | {key_id}
        )


@dataclass
class MemoryReplayGuard:
    bundle_ids: set[uuid.UUID] = field(default_factory=set)
    sequences: dict[str, int] = field(default_factory=dict)

    def seen(self, bundle_id: uuid.UUID) -> bool:
        return bundle_id in self.bundle_ids

    def last_sequence(self, sender_node_id: str) -> int | None:
        return self.sequences.get(sender_node_id)

    def accept(self, opened: OpenedBundle) -> None:
        self.bundle_ids.add(opened.header.bundle_id)
        self.sequences[opened.header.sender_node_id] = opened.recipient.sequence


@dataclass
class Node:
    identity: NodeIdentity
    trust: MemoryTrust = field(default_factory=MemoryTrust)
    inbox: MemoryReplayGuard = field(default_factory=MemoryReplayGuard)
    next_sequence: dict[str, int] = field(default_factory=dict)


class Network:
    """Nodes that all pin each other's keys (except the ones a test leaves out)."""

    def __init__(self, tmp_path: Path, kems: dict[str, KemAlgorithm] | None = None) -> None:
        self.tmp_path = tmp_path
        self.nodes: dict[str, Node] = {}
        for name, kem in (kems or {"fr": KemAlgorithm.X25519, "de": KemAlgorithm.X25519}).items():
            identity = generate_identity(name, not_before=T0, not_after=KEY_END, kem=kem)
            self.nodes[name] = Node(identity)
        for node in self.nodes.values():
            for other in self.nodes.values():
                if other is not node:
                    node.trust.pin(other.identity.node_id, other.identity.signing)

    def __getitem__(self, name: str) -> Node:
        return self.nodes[name]

    def seal(
        self,
        sender: str,
        to: Sequence[str],
        *,
        record_sets: Sequence[RecordSet] | None = None,
        attachments: Sequence[bytes] = (),
        created: datetime = CREATED,
        expires: datetime | None = None,
        sequence: int | None = None,
        identity: NodeIdentity | None = None,
    ) -> bytes:
        """Seal a bundle from ``sender`` to ``to`` and return its bytes."""
        node = self.nodes[sender]
        recipients = []
        for name in to:
            seq = sequence if sequence is not None else node.next_sequence.get(name, 1)
            node.next_sequence[name] = seq + 1
            key = self.nodes[name].identity.current_encryption_key.public
            recipients.append(Recipient(name, key, seq))
        files = []
        for index, content in enumerate(attachments):
            path = self.tmp_path / f"source-{uuid.uuid4()}-{index}.bin"
            path.write_bytes(content)
            files.append(Attachment(f"picture-{index}.jpg", "image/jpeg", path))
        sink = io.BytesIO()
        seal_bundle(
            sink,
            sender=identity or node.identity,
            recipients=recipients,
            record_sets=record_sets or [RecordSet("seizures", records())],
            attachments=files,
            handling_codes=["H1"],
            records_schema=SCHEMA,
            created=created,
            expires=expires or created + timedelta(days=7),
        )
        return sink.getvalue()

    def open(
        self,
        recipient: str,
        data: bytes | io.RawIOBase | io.BufferedIOBase,
        *,
        now: datetime = NOW,
        limits: Limits | None = None,
        accept: bool = True,
    ) -> OpenedBundle:
        """Open as ``recipient``; on success record the bundle in its inbox (like an import)."""
        node = self.nodes[recipient]
        out_dir = self.tmp_path / f"inbox-{recipient}"
        out_dir.mkdir(exist_ok=True)
        stream = io.BytesIO(data) if isinstance(data, bytes) else data
        opened = open_bundle(
            stream,  # type: ignore[arg-type]
            my_identity=node.identity,
            trust=node.trust,
            replay_guard=node.inbox,
            now=now,
            attachment_dir=out_dir,
            validate_records=accept_records,
            limits=limits or Limits(),
        )
        if accept:
            node.inbox.accept(opened)
        return opened

    def inbox_files(self, recipient: str) -> list[Path]:
        directory = self.tmp_path / f"inbox-{recipient}"
        return sorted(directory.iterdir()) if directory.exists() else []


@dataclass(frozen=True)
class Region:
    name: str
    start: int
    end: int


@dataclass(frozen=True)
class Layout:
    """Byte ranges of one bundle, parsed from the documented layout (not from our parser)."""

    regions: tuple[Region, ...]
    header: bytes
    sections: tuple[tuple[int, int], ...]  # (start, length) of each section's ciphertext

    @classmethod
    def parse(cls, data: bytes) -> Layout:
        import json

        regions = [Region("magic", 0, 8), Region("version", 8, 10), Region("node_len", 10, 11)]
        node_len = data[10]
        pos = 11
        regions.append(Region("node_id", pos, pos + node_len))
        pos += node_len
        regions.append(Region("sender_key_id", pos, pos + 32))
        pos += 32
        (header_len,) = struct.unpack(">I", data[pos : pos + 4])
        regions.append(Region("header_len", pos, pos + 4))
        pos += 4
        header = data[pos : pos + header_len]
        regions.append(Region("header", pos, pos + header_len))
        pos += header_len
        (count,) = struct.unpack(">H", data[pos : pos + 2])
        regions.append(Region("recipient_count", pos, pos + 2))
        pos += 2
        for _ in range(count):
            regions.append(Region("recipient_key_id", pos, pos + 32))
            pos += 32
            (wrapped_len,) = struct.unpack(">H", data[pos : pos + 2])
            regions.append(Region("wrapped_len", pos, pos + 2))
            pos += 2
            regions.append(Region("wrapped_key", pos, pos + wrapped_len))
            pos += wrapped_len
        regions.append(Region("signature", pos, pos + 64))
        pos += 64
        sections = []
        for entry in json.loads(header)["contents"]:
            length = ciphertext_length(entry["size"])
            sections.append((pos, length))
            regions.append(Region("ciphertext", pos, pos + length))
            pos += length
        assert pos == len(data)
        return cls(tuple(regions), header, tuple(sections))

    def signed_region_end(self) -> int:
        return next(r.start for r in self.regions if r.name == "signature")

    def chunks(self, section: int) -> list[tuple[int, int]]:
        """(start, length) of every STREAM chunk of a section."""
        start, length = self.sections[section]
        result = []
        while length > 0:
            size = min(CHUNK_SIZE + TAG_LENGTH, length)
            result.append((start, size))
            start += size
            length -= size
        return result
