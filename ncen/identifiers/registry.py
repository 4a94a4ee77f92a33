"""Lookup of checks and search keys by conveyance identifier kind.

`CONVEYANCE_IDENTIFIER_CHECKS` maps each conveyance identifier kind (the values of
`ncen.conveyances.models.IdentifierKind`) to its ``check_*`` function, and
`normalize_identifier` gives the search key of an identifier of any kind, falling back to its
letters and digits for kinds without a scheme of their own. It only assembles the functions of
`transport` and `carriers`; it holds no rules itself.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Final

from ncen.identifiers._folding import _alnum_key
from ncen.identifiers.carriers import (
    _normalize_flight,
    check_aircraft_registration,
    check_awb,
    check_bill_of_lading,
    check_call_sign,
    check_flight_number,
    check_postal_item,
)
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

CONVEYANCE_IDENTIFIER_CHECKS: Final[Mapping[str, Callable[[str], str]]] = MappingProxyType(
    {
        "plate": check_plate,
        "vin": check_vin,
        "imo": check_imo,
        "mmsi": check_mmsi,
        "call_sign": check_call_sign,
        "aircraft_registration": check_aircraft_registration,
        "flight": check_flight_number,
        "container": check_container,
        "awb": check_awb,
        "bill_of_lading": check_bill_of_lading,
        "postal_item": check_postal_item,
    }
)

_NORMALIZERS: Final[Mapping[str, Callable[[str], str]]] = MappingProxyType(
    {
        "plate": normalize_plate,
        "vin": normalize_vin,
        "imo": normalize_imo,
        "mmsi": normalize_mmsi,
        "container": normalize_container,
        "flight": _normalize_flight,
    }
)


def normalize_identifier(kind: str, raw: str) -> str:
    """Return the search key of `raw` as an identifier of `kind`, without validating it.

    Kinds with a scheme use their normaliser; every other kind, including unknown ones, gets
    `raw` folded to upper-case letters and digits, so that "EI-DVM" and "ei dvm" meet. For valid
    input the key of the canonical form equals the key of the raw form. Never raises.
    """
    return _NORMALIZERS.get(kind, _alnum_key)(raw)
