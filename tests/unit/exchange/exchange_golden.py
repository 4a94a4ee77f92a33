"""Golden example bundles: fixed test keys, and the script that wrote tests/assets/exchange/.

The keys below are derived from public strings and are for tests only. Sealing is randomised
(content key, HPKE ephemeral keys), so running this script again writes *different* bundles
with the same content; the committed files are the ones every later version must still open.

Regenerate (only when the format version changes, with a new file name) with::

    .venv/bin/python tests/unit/exchange/exchange_golden.py
"""

from __future__ import annotations

import hashlib
import json
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

from exchange.crypto.bundle import Attachment, Recipient, RecordSet, seal_bundle
from exchange.crypto.canonical import canonical_json
from exchange.crypto.keys import EncryptionKeyPair, KemAlgorithm, NodeIdentity, SigningKeyPair

ROOT = Path(__file__).resolve().parents[3]
ASSETS = ROOT / "tests" / "assets" / "exchange"
CREATED = datetime(2025, 6, 1, 12, 0, 0, tzinfo=UTC)
NOT_BEFORE = datetime(2025, 1, 1, tzinfo=UTC)
NOT_AFTER = datetime(2027, 1, 1, tzinfo=UTC)
SCHEMA = "ncen-records/1"
CASES = {
    # file name: (sender, recipient, recipient KEM)
    "golden-v1-x25519.ncb": ("fr", "de", "x25519"),
    "golden-v1-mlkem768-x25519.ncb": ("fr", "it", "mlkem768-x25519"),
}


def _seed(label: str) -> bytes:
    return hashlib.sha256(f"ncen golden test key: {label}".encode()).digest()


def golden_identity(node_id: str, kem: str = "x25519") -> NodeIdentity:
    """The fixed identity of a golden-test node."""
    return NodeIdentity(
        node_id=node_id,
        signing=SigningKeyPair(_seed(f"{node_id} signing"), NOT_BEFORE, NOT_AFTER),
        encryption_keys=(
            EncryptionKeyPair(KemAlgorithm(kem), _seed(f"{node_id} {kem}"), NOT_BEFORE, NOT_AFTER),
        ),
    )


def golden_records() -> bytes:
    return canonical_json(
        {
            "records": [
                {
                    "reference": "FR-2025-00042",
                    "commodity_group": "tobacco",
                    "hs_code": "240220",
                    "quantity": 120000,
                    "unit": "pieces",
                    "narrative": "Cigarettes concealed in a load of ceramic tiles. Ça va.",
                }
            ]
        }
    )


def golden_attachment() -> bytes:
    """70,000 bytes: two STREAM chunks, the second one short."""
    return bytes((i * 7 + 3) % 256 for i in range(70_000))


def main() -> None:
    ASSETS.mkdir(parents=True, exist_ok=True)
    picture = ASSETS / "attachment.bin"
    picture.write_bytes(golden_attachment())
    expected = {}
    for index, (file_name, (sender, recipient, kem)) in enumerate(CASES.items()):
        to = golden_identity(recipient, kem)
        bundle_id = uuid.UUID(int=0x4E43454E_0000_4000_8000_000000000000 + index)
        with (ASSETS / file_name).open("wb") as sink:
            header = seal_bundle(
                sink,
                sender=golden_identity(sender),
                recipients=[Recipient(recipient, to.current_encryption_key.public, 1)],
                record_sets=[RecordSet("seizures", golden_records())],
                attachments=[Attachment("tiles.jpg", "image/jpeg", picture)],
                handling_codes=["H1"],
                records_schema=SCHEMA,
                created=CREATED,
                expires=CREATED + timedelta(days=30),
                bundle_id=bundle_id,
            )
        expected[file_name] = {
            "bundle_id": str(header.bundle_id),
            "sender": sender,
            "recipient": recipient,
            "kem": kem,
            "records_sha256": hashlib.sha256(golden_records()).hexdigest(),
            "attachment_sha256": hashlib.sha256(golden_attachment()).hexdigest(),
        }
    picture.unlink()
    (ASSETS / "expected.json").write_text(json.dumps(expected, indent=2, sort_keys=True) + "\n")


if __name__ == "__main__":
    main()
