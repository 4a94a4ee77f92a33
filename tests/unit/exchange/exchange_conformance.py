"""The conformance kit of docs/exchange-protocol.md section 18: writes tests/assets/exchange/.

What it writes (the folder's README.md explains it to a foreign team):

- ``test-keys.json``: every test-only key of the golden bundles and of the kit, private and
  public, in the encodings of section 5 (the X25519 private key is the raw 32-byte scalar);
- ``conformance/bundles/``: valid bundles sealed by ncen (records v2 with a message set, to two
  recipients of both KEMs; a retraction message alone; a validly signed set that breaks
  section 19);
- ``conformance/tampered/``: copies of the records bundle, each altered in one place;
- ``conformance/expected/``: the exact header bytes and decrypted record sets and attachment;
- ``conformance/cases.json``: every case, with who opens it, when, with what trust state, and
  the expected result: the outputs above, or an error code of section 12.

Determinism: sealing is randomised (the content key; the HPKE ephemeral keys, which
`cryptography` does not let a caller choose; the originator statement's ``record_set_id``), so
the three base bundles are sealed only when they are missing or with ``--reseal``. Every other
file (keys, expected header and plaintexts, tampered copies, cases.json) is a function of the
base bundles and the fixed inputs below, rebuilt byte for byte on every run;
`test_exchange_conformance.py` checks that a run reproduces the committed kit exactly.

    .venv/bin/python tests/unit/exchange/exchange_conformance.py [--reseal]
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import io
import json
import uuid
from datetime import timedelta
from pathlib import Path
from typing import Any

from exchange_conformance_content import (
    picture,
    record_set,
    records_message,
    retraction_message,
)
from exchange_golden import ASSETS, CASES, CREATED, NOT_AFTER, NOT_BEFORE, golden_identity
from exchange_testkit import MemoryReplayGuard, MemoryTrust

from exchange.crypto.bundle import Attachment, Recipient, RecordSet, open_bundle, seal_bundle
from exchange.crypto.canonical import canonical_json, format_time
from exchange.crypto.container import read_envelope
from exchange.crypto.header import BundleHeader
from exchange.crypto.keys import NodeIdentity
from exchange.crypto.sealing import (
    CHUNK_SIZE,
    TAG_LENGTH,
    ciphertext_length,
    encrypt_stream,
    nonce_prefix,
    unwrap_content_key,
)
from exchange.records.recordschema import RECORDS_SCHEMA, RECORDS_SCHEMA_V1

KIT = ASSETS / "conformance"
KEYS_FILE = ASSETS / "test-keys.json"
EXPIRES = CREATED + timedelta(days=30)
OPEN_AT = CREATED + timedelta(hours=1)
NODES = {"fr": "x25519", "de": "x25519", "it": "mlkem768-x25519"}
RECORDS_BUNDLE = "bundles/records-fr-to-de-it.ncb"
MESSAGE_BUNDLE = "bundles/retraction-fr-to-it.ncb"
SCHEMA_BUNDLE = "bundles/schema-invalid-fr-to-de.ncb"
BUNDLE_IDS = {
    RECORDS_BUNDLE: uuid.UUID("4e43454e-0000-4000-8000-00000000c001"),
    MESSAGE_BUNDLE: uuid.UUID("4e43454e-0000-4000-8000-00000000c002"),
    SCHEMA_BUNDLE: uuid.UUID("4e43454e-0000-4000-8000-00000000c003"),
}


def identity(node_id: str) -> NodeIdentity:
    """The test-only identity of a kit node (the golden bundles' keys)."""
    return golden_identity(node_id, NODES[node_id])


def _seal(
    path: Path,
    to: list[str],
    record_sets: list[RecordSet],
    schema: str,
    attachment: Path | None,
) -> None:
    recipients = [Recipient(n, identity(n).current_encryption_key.public, 1) for n in to]
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as sink:
        seal_bundle(
            sink,
            sender=identity("fr"),
            recipients=recipients,
            record_sets=record_sets,
            attachments=[Attachment("tiles.png", "image/png", attachment)] if attachment else [],
            handling_codes=["H1"] if attachment else ["H0"],
            records_schema=schema,
            created=CREATED,
            expires=EXPIRES,
            bundle_id=BUNDLE_IDS[path.relative_to(KIT).as_posix()],
        )


def seal_base_bundles(reseal: bool) -> None:
    """Seal the three base bundles (randomised: only when missing or asked)."""
    png = KIT / "expected" / "records-fr-to-de-it" / "attachment-0-tiles.png"
    png.parent.mkdir(parents=True, exist_ok=True)
    png.write_bytes(picture())
    records = [
        RecordSet("records", canonical_json(record_set())),
        RecordSet("ncen-message", records_message()),
    ]
    plan: list[tuple[str, list[str], list[RecordSet], str, Path | None]] = [
        (RECORDS_BUNDLE, ["de", "it"], records, RECORDS_SCHEMA, png),
        (
            MESSAGE_BUNDLE,
            ["it"],
            [RecordSet("ncen-message", retraction_message())],
            RECORDS_SCHEMA_V1,
            None,
        ),
        (
            SCHEMA_BUNDLE,
            ["de"],
            [RecordSet("records", canonical_json(record_set(valid=False)))],
            RECORDS_SCHEMA,
            None,
        ),
    ]
    for name, to, sets, schema, attachment in plan:
        if reseal or not (KIT / name).exists():
            _seal(KIT / name, to, sets, schema, attachment)


def _layout(data: bytes) -> tuple[int, int, BundleHeader, list[tuple[int, int]]]:
    """(offset of the header, end of the signature, header, [(start, length) per section])."""
    envelope = read_envelope(io.BytesIO(data))
    header = BundleHeader.from_bytes(envelope.header_bytes)
    node_length = data[10]
    sections = []
    position = envelope.length
    for entry in header.contents:
        sections.append((position, ciphertext_length(entry.size)))
        position += ciphertext_length(entry.size)
    return 47 + node_length, envelope.length, header, sections


def _flip(data: bytes, offset: int) -> bytes:
    return data[:offset] + bytes([data[offset] ^ 0x01]) + data[offset + 1 :]


def tampered_copies(data: bytes) -> dict[str, tuple[bytes, str, str]]:
    """name: (bytes, expected error code, what was changed), all from the records bundle."""
    header_at, prefix_end, header, sections = _layout(data)
    header_length = int.from_bytes(data[header_at - 4 : header_at], "big")
    key_block = header_at + header_length
    attachment_start, _ = sections[2]
    substituted = _substitute_records(data, header, sections)
    return {
        "bad-magic": (_flip(data, 0), "format", "byte 0 of the magic changed"),
        "bad-version": (
            data[:8] + b"\x00\x02" + data[10:],
            "format",
            "container version 2",
        ),
        "header-length-over-limit": (
            data[: header_at - 4] + b"\xff\xff\xff\xff" + data[header_at:],
            "size-limit",
            "header length field 0xffffffff (over the 4 MiB limit)",
        ),
        "unknown-sender": (
            data[:11] + b"xx" + data[13:],
            "unknown-sender",
            "preamble sender node id fr replaced by xx (no such peer)",
        ),
        "header-changed": (
            _flip(data, header_at + header_length // 2),
            "signature",
            "one bit in the middle of the header",
        ),
        "wrapped-key-changed": (
            _flip(data, key_block + 2 + 32 + 2 + 5),
            "signature",
            "one bit of the first wrapped key (the key block is signed)",
        ),
        "signature-changed": (
            _flip(data, prefix_end - 1),
            "signature",
            "last byte of the signature",
        ),
        "records-ciphertext-changed": (
            _flip(data, sections[0][0] + 10),
            "decryption",
            "one bit of the first record set's ciphertext",
        ),
        "attachment-final-chunk-changed": (
            _flip(data, attachment_start + CHUNK_SIZE + TAG_LENGTH + 3),
            "decryption",
            "one bit of the attachment's second (final) chunk",
        ),
        "cut-in-key-block": (
            data[: key_block + 20],
            "truncated",
            "file cut inside the key block",
        ),
        "cut-in-last-section": (data[:-100], "truncated", "last 100 bytes removed"),
        "trailing-byte": (data + b"\x00", "format", "one byte appended after the last section"),
        "records-substituted-by-co-recipient": (
            substituted,
            "digest-mismatch",
            "de re-encrypted other records of the same size under the content key (open as it)",
        ),
    }


def _substitute_records(
    data: bytes, header: BundleHeader, sections: list[tuple[int, int]]
) -> bytes:
    """What a malicious co-recipient (de) can do: replace a section for the other (it)."""
    envelope = read_envelope(io.BytesIO(data))
    header_hash = hashlib.sha256(envelope.header_bytes).digest()
    wrapped = envelope.wrapped_keys[[r.node_id for r in header.recipients].index("de")].wrapped
    key = unwrap_content_key(wrapped, identity("de").current_encryption_key, header_hash)
    original = canonical_json(record_set())
    other = original.replace(b"120000", b"999999")
    sink = io.BytesIO()
    encrypt_stream(
        io.BytesIO(other), sink, key=key, prefix=nonce_prefix(0), aad=header_hash, size=len(other)
    )
    start, length = sections[0]
    return data[:start] + sink.getvalue() + data[start + length :]


def _key_entry(algorithm: str, private: bytes, public: bytes, key_id: str) -> dict[str, Any]:
    return {
        "algorithm": algorithm,
        "private_hex": private.hex(),
        "public_hex": public.hex(),
        "public_base64": base64.b64encode(public).decode(),
        "key_id": key_id,
        "not_before": format_time(NOT_BEFORE),
        "not_after": format_time(NOT_AFTER),
    }


def test_keys() -> dict[str, Any]:
    """Every test-only key, in the encodings of docs/exchange-protocol.md section 5."""
    nodes: dict[str, Any] = {}
    for node_id in NODES:
        node = identity(node_id)
        signing = _key_entry(
            "ed25519", node.signing.seed, node.signing.public.raw, node.signing.public.key_id
        )
        signing["public_pem"] = node.signing.public.to_pem().decode()
        encryption = [
            _key_entry(k.algorithm.value, k.seed, k.public.raw, k.public.key_id)
            for k in node.encryption_keys
        ]
        nodes[node_id] = {"signing_key": signing, "encryption_keys": encryption}
    return {
        "warning": "TEST ONLY. These private keys are public; never use them for anything else.",
        "derivation": 'private = SHA-256("ncen golden test key: <node> signing") for Ed25519, '
        'SHA-256("ncen golden test key: <node> <kem>") for the encryption key',
        "nodes": nodes,
    }


def _expected_outputs(path: str, data: bytes) -> dict[str, Any]:
    """Write the header and the record sets of a valid bundle; return their case entry."""
    stem = Path(path).stem
    folder = KIT / "expected" / stem
    folder.mkdir(parents=True, exist_ok=True)
    envelope = read_envelope(io.BytesIO(data))
    (folder / "header.json").write_bytes(envelope.header_bytes)
    header = BundleHeader.from_bytes(envelope.header_bytes)
    trust = MemoryTrust()
    trust.pin("fr", identity("fr").signing)
    opener = header.recipients[0].node_id
    scratch = KIT / ".scratch"
    scratch.mkdir(exist_ok=True)
    try:
        opened = open_bundle(
            io.BytesIO(data),
            my_identity=identity(opener),
            trust=trust,
            replay_guard=MemoryReplayGuard(),
            now=OPEN_AT,
            attachment_dir=scratch,
            validate_records=lambda *_: None,
        )
        record_sets = []
        for index, record in enumerate(opened.record_sets):
            name = f"record-set-{index}-{record.name}.json"
            (folder / name).write_bytes(record.data)
            record_sets.append({"name": record.name, "file": f"expected/{stem}/{name}"})
        attachments = []
        for index, attachment in enumerate(opened.attachments):
            name = f"attachment-{index}-{Path(attachment.name).stem}{Path(attachment.name).suffix}"
            (folder / name).write_bytes(attachment.read_bytes())
            attachment.path.unlink()
            attachments.append(
                {
                    "name": attachment.name,
                    "media_type": attachment.media_type,
                    "size": attachment.size,
                    "sha256": attachment.sha256,
                    "file": f"expected/{stem}/{name}",
                }
            )
    finally:
        scratch.rmdir()
    return {
        "header": f"expected/{stem}/header.json",
        "record_sets": record_sets,
        "attachments": attachments,
    }


def build_cases() -> list[dict[str, Any]]:
    """Write the tampered copies and the expected outputs; return every case of cases.json."""
    records = (KIT / RECORDS_BUNDLE).read_bytes()
    message = (KIT / MESSAGE_BUNDLE).read_bytes()
    ok_records = _expected_outputs(RECORDS_BUNDLE, records)
    ok_message = _expected_outputs(MESSAGE_BUNDLE, message)
    fr_key = identity("fr").signing.public.key_id
    at = format_time(OPEN_AT)
    cases: list[dict[str, Any]] = [
        _case("records-opened-by-de", RECORDS_BUNDLE, "de", at, {}, {"result": ok_records}),
        _case("records-opened-by-it", RECORDS_BUNDLE, "it", at, {}, {"result": ok_records}),
        _case("retraction-opened-by-it", MESSAGE_BUNDLE, "it", at, {}, {"result": ok_message}),
        _case("schema-invalid", SCHEMA_BUNDLE, "de", at, {}, {"error": "schema"}),
    ]
    for golden in sorted(CASES):
        _, recipient, _ = CASES[golden]
        cases.append(
            _case(f"golden {golden}", f"../{golden}", recipient, at, {}, {"error": "schema"})
        )
    state_cases = [
        ("not-a-recipient", "fr", at, {}, "not-a-recipient"),
        ("expired", "de", format_time(EXPIRES + timedelta(seconds=1)), {}, "expired"),
        ("from-the-future", "de", format_time(CREATED - timedelta(minutes=11)), {}, "expired"),
        ("sender-not-pinned", "de", at, {"unpinned": ["fr"]}, "unknown-sender"),
        ("sender-key-revoked", "de", at, {"revoked": [fr_key]}, "revoked-key"),
        (
            "sender-key-not-yet-valid",
            "de",
            at,
            {"pinned_not_before": format_time(CREATED + timedelta(seconds=1))},
            "key-expired",
        ),
        ("replay", "de", at, {"seen": [str(BUNDLE_IDS[RECORDS_BUNDLE])]}, "replay"),
        ("sequence", "de", at, {"last_sequence": {"fr": 1}}, "sequence"),
    ]
    for name, opener, now, state, code in state_cases:
        cases.append(_case(name, RECORDS_BUNDLE, opener, now, state, {"error": code}))
    folder = KIT / "tampered"
    folder.mkdir(parents=True, exist_ok=True)
    for name, (data, code, change) in tampered_copies(records).items():
        (folder / f"{name}.ncb").write_bytes(data)
        opener = "it" if code == "digest-mismatch" else "de"
        case = _case(name, f"tampered/{name}.ncb", opener, at, {}, {"error": code})
        case["change"] = change
        cases.append(case)
    return cases


def _case(  # noqa: PLR0917 - one positional argument per column of the case table
    name: str,
    bundle: str,
    open_as: str,
    now: str,
    state: dict[str, Any],
    expect: dict[str, Any],
    /,
) -> dict[str, Any]:
    return {
        "name": name,
        "bundle": bundle,
        "open_as": open_as,
        "now": now,
        "state": state,
        **expect,
    }


def write_json(path: Path, value: Any) -> None:
    path.write_text(json.dumps(value, indent=2, ensure_ascii=False, sort_keys=True) + "\n")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--reseal", action="store_true", help="seal new base bundles")
    options = parser.parse_args(argv)
    write_json(KEYS_FILE, test_keys())
    seal_base_bundles(options.reseal)
    write_json(KIT / "cases.json", {"cases": build_cases()})


if __name__ == "__main__":
    main()
