"""The content of the conformance kit's bundles: a records v2 set that follows section 19 of
docs/exchange-protocol.md, its picture, and two messages of section 22 (used by
`exchange_conformance`, which writes tests/assets/exchange/conformance)."""

from __future__ import annotations

import hashlib
import zlib
from typing import Any

from exchange.crypto.canonical import canonical_json
from exchange.network.protocol import new_message
from exchange.records.recordschema import RECORDS_SCHEMA

SEIZURE_ID = "4e43454e-5e12-4000-8000-000000000001"
PERSON_ID = "4e43454e-9e50-4000-8000-000000000001"


def picture() -> bytes:
    """A 200 x 120 PNG of deterministic noise, over 65,536 bytes: two STREAM chunks."""
    width, height = 200, 120
    rows = b"".join(
        b"\x00" + hashlib.shake_256(f"ncen kit row {y}".encode()).digest(width * 3)
        for y in range(height)
    )

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return len(data).to_bytes(4, "big") + body + zlib.crc32(body).to_bytes(4, "big")

    header = width.to_bytes(4, "big") + height.to_bytes(4, "big") + bytes([8, 2, 0, 0, 0])
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows, 9))
        + chunk(b"IEND", b"")
    )


def record_set(*, valid: bool = True) -> dict[str, Any]:
    """A records v2 set (section 19) from fr: one seizure, its courier, the picture."""
    common = {"version": 1, "handling_code": "H1", "handling_restrictions": None}
    seizure = {
        **common,
        "id": SEIZURE_ID,
        "reference": "FR-2025-00042",
        "occurred_at": "2025-05-30T06:15:00Z",
        "status": "validated" if valid else "lost",
        "office_code": None,
        "place": "Port of Le Havre, terminal de France",
        "locode": "FRLEH",
        "location_type": None,
        "direction": "import",
        "transport_mode": "sea",
        "detection_method": None,
        "detection_technique": None,
        "concealment_methods": [],
        "concealment_description": "Cartons behind ceramic tiles.",
        "departure_country": "CN",
        "transit_countries": ["MY"],
        "destination_country": "FR",
        "narrative": "Cigarettes concealed in a load of ceramic tiles. Ça va.",
        "source_reliability": "B",
        "information_grade": 2,
        "items": [
            {
                "commodity_group": "tobacco",
                "hs_code": "240220",
                "description": "Cigarettes",
                "brand": None,
                "quantity": "120000",
                "unit": "pieces",
                "estimated_value": "36000.5",
                "currency": "EUR",
            }
        ],
        "persons": [{"id": PERSON_ID, "role": "courier", "note": None}],
        "companies": [],
        "conveyances": [],
        "distribution": {"level": "named_peers", "peers": ["de", "it"]},
        "pictures": [
            {
                "sha256": hashlib.sha256(picture()).hexdigest(),
                "media_type": "image/png",
                "caption": "Cartons behind the tiles",
                "concealment_method": None,
            }
        ],
    }
    person = {
        **common,
        "id": PERSON_ID,
        "gender": "M",
        "birth_year": 1984,
        "birth_month": None,
        "birth_day": None,
        "birth_place": None,
        "birth_country": None,
        "description": None,
        "names": [
            {
                "kind": "primary",
                "full_name": "Jean Exemple",
                "given_names": "Jean",
                "family_name": "Exemple",
                "patronymic": None,
                "script": "Latn",
            }
        ],
        "nationalities": ["FR"],
        "documents": [],
        "addresses": [],
        "contacts": [],
        "pictures": [],
    }
    return {
        "schema": RECORDS_SCHEMA,
        "origin_node": "fr",
        "seizures": [seizure],
        "persons": [person],
        "companies": [],
        "conveyances": [],
    }


def records_message() -> bytes:
    return canonical_json(
        new_message(
            "records",
            legal_basis="Naples II Convention, article 10 (test kit)",
            purpose="Conformance kit: spontaneous information",
            body={"distribution": {SEIZURE_ID: {"level": "named_peers", "peers": ["de", "it"]}}},
        )
    )


def retraction_message() -> bytes:
    return canonical_json(
        new_message(
            "retraction",
            legal_basis="Naples II Convention, article 10 (test kit)",
            purpose="Conformance kit: a retraction",
            body={
                "records": [{"record_type": "seizures", "origin_id": SEIZURE_ID}],
                "reason": "entered in error",
            },
        )
    )
