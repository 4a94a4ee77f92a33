"""Check digits and normalisers for the identifiers officers type into seizure records.

Every identifier kind has up to two functions. ``normalize_*`` turns whatever a person typed or
pasted into a comparable key: upper case, separators removed, Cyrillic and Greek letters that look
like Latin ones folded to Latin, any script's digits to ASCII. It never raises and applying it
twice changes nothing, so it is safe for search keys. ``check_*`` normalises, then validates the
structure and check digit, and returns the canonical form to store, or raises
`InvalidIdentifierError` with a message an officer can act on ("check digit should be 3, not 4").
Nothing here touches the database, the network or the audit trail; country and currency codes
come from ``pycountry`` rather than from hand-typed lists.

The package is split by what the identifiers belong to: `transport` (containers, ships, road
vehicles), `carriers` (aircraft, flights, call signs, air waybills, bills of lading, postal
items), `documents` (document numbers, MRZ), `codes` (HS, countries, currencies, UN/LOCODE),
`dates` (seizure moment, partial dates) and `registry` (lookup by conveyance identifier kind);
`_folding` holds the shared normalisation and refusal helpers. Import from the package itself.
"""

from __future__ import annotations

from ncen.identifiers.carriers import (
    check_aircraft_registration,
    check_awb,
    check_bill_of_lading,
    check_call_sign,
    check_flight_number,
    check_postal_item,
)
from ncen.identifiers.codes import (
    check_country,
    check_currency,
    check_hs_code,
    check_locode,
    hs_chapter,
    normalize_hs_code,
    normalize_locode,
)
from ncen.identifiers.dates import check_partial_date, check_seizure_datetime
from ncen.identifiers.documents import (
    check_document_number,
    check_mrz_check_digit,
    normalize_document_number,
)
from ncen.identifiers.registry import CONVEYANCE_IDENTIFIER_CHECKS, normalize_identifier
from ncen.identifiers.transport import (
    check_container,
    check_imo,
    check_mmsi,
    check_plate,
    check_vin,
    normalize_container,
    normalize_imo,
    normalize_mmsi,
    normalize_plate,
    normalize_vin,
)

__all__ = [
    "CONVEYANCE_IDENTIFIER_CHECKS",
    "check_aircraft_registration",
    "check_awb",
    "check_bill_of_lading",
    "check_call_sign",
    "check_container",
    "check_country",
    "check_currency",
    "check_document_number",
    "check_flight_number",
    "check_hs_code",
    "check_imo",
    "check_locode",
    "check_mmsi",
    "check_mrz_check_digit",
    "check_partial_date",
    "check_plate",
    "check_postal_item",
    "check_seizure_datetime",
    "check_vin",
    "hs_chapter",
    "normalize_container",
    "normalize_document_number",
    "normalize_hs_code",
    "normalize_identifier",
    "normalize_imo",
    "normalize_locode",
    "normalize_mmsi",
    "normalize_plate",
    "normalize_vin",
]
