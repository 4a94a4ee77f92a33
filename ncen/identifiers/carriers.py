"""Identifiers used by air, radio, shipping and postal carriers.

Aircraft registrations (nationality mark and registration mark), IATA flight numbers (whose
search key drops zero padding), radio call signs, air waybill numbers (mod-7 check digit), bills
of lading and UPU S10 postal item identifiers (mod-11 check digit and issuing country). Each
``check_*`` returns the canonical form or raises `InvalidIdentifierError`.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Final

from ncen.identifiers._folding import (
    _alnum_key,
    _check_ascii_alnum,
    _check_digit_mismatch,
    _compact,
    _fold,
    _lookup_country,
    _refuse,
    _require_digits,
    _require_length,
)


def check_aircraft_registration(raw: str) -> str:
    """Return the aircraft registration in `raw` upper case, without spaces, e.g. ``EI-DVM``.

    The dash after the nationality mark is kept as written, as ICAO Annex 7 shows it; marks
    written without one (N123AB, JA8089) stay without. Raises `InvalidIdentifierError` unless
    it is a 1-3 character nationality mark, a dash and a 1-5 character mark, or 2 to 7 letters
    and digits starting with a letter.
    """
    label = "aircraft registration"
    folded = _fold(raw)
    value = "".join(
        "-" if unicodedata.category(char) == "Pd" or char == "\u2212" else char
        for char in folded
        if not char.isspace()
    )
    if not re.fullmatch(r"[A-Z0-9]{1,3}-[A-Z0-9]{1,5}|[A-Z][A-Z0-9]{1,6}", value):
        raise _refuse(
            label,
            value,
            "write the nationality mark and the registration mark, e.g. EI-DVM or N123AB",
        )
    if not re.search(r"[A-Z]", value.split("-")[0]):
        raise _refuse(
            label,
            value,
            "the nationality mark before the dash must contain a letter, e.g. 4X-, 9H-, EI-",
        )
    return value


_FLIGHT: Final = re.compile(r"([A-Z0-9]{2})([0-9]{1,4})([A-Z]?)")


def _normalize_flight(raw: str) -> str:
    # Boarding passes and schedules pad the number to 4 digits ("KC0941") while screens show
    # "KC941"; both are flight 941, so the search key drops the padding.
    value = _alnum_key(raw)
    match = _FLIGHT.fullmatch(value)
    if match is None or match[1].isdigit():
        return value
    return f"{match[1]}{int(match[2])}{match[3]}"


def check_flight_number(raw: str) -> str:
    """Return the flight number in `raw` as designator + number + suffix, e.g. ``KC941``.

    Accepts "KC 941", "kc-0941" (leading zeros are padding and are dropped) and an optional
    operational suffix letter ("BA12A"). Raises `InvalidIdentifierError` unless it is a
    2-character IATA airline designator (not two digits), 1 to 4 digits (not all zero) and at
    most one letter.
    """
    label = "flight number"
    value = _compact(raw)
    match = _FLIGHT.fullmatch(value)
    if match is None:
        if re.fullmatch(r"[A-Z]{3}[0-9]{1,4}[A-Z]?", value):
            raise _refuse(
                label,
                value,
                f"{value[:3]} looks like a 3-letter ICAO airline code; enter the 2-character "
                "IATA code, e.g. KL instead of KLM",
            )
        raise _refuse(
            label, value, "enter the 2-character airline code and 1 to 4 digits, e.g. KC 941"
        )
    if match[1].isdigit():
        raise _refuse(label, value, f"the airline code {match[1]} must contain a letter")
    if int(match[2]) == 0:
        raise _refuse(label, value, "the flight number cannot be 0")
    return _normalize_flight(value)


def check_call_sign(raw: str) -> str:
    """Return the radio call sign in `raw`, normalised: 3 to 7 letters A-Z or digits.

    Raises `InvalidIdentifierError` otherwise.
    """
    return _check_ascii_alnum("call sign", _compact(raw), 3, 7)


def check_awb(raw: str) -> str:
    """Return the 11-digit air waybill number in `raw`, e.g. ``02012345675`` for "020-12345675".

    The first 3 digits are the airline prefix; the last digit of the 8-digit serial is the
    remainder of the 7 digits before it divided by 7. Raises `InvalidIdentifierError` otherwise.
    """
    label = "air waybill number"
    value = _compact(raw)
    _require_length(
        label,
        value,
        range(11, 12),
        "an air waybill number has 11 digits: the 3-digit airline prefix and the 8-digit "
        "serial, e.g. 020-12345675",
    )
    _require_digits(label, value, 0, 11, "an air waybill number")
    _check_digit_mismatch(label, value, str(int(value[3:10]) % 7), value[10])
    return value


def check_bill_of_lading(raw: str) -> str:
    """Return the bill of lading number in `raw`, normalised: 4 to 20 letters A-Z or digits.

    Raises `InvalidIdentifierError` otherwise.
    """
    return _check_ascii_alnum("bill of lading number", _compact(raw), 4, 20)


_S10_WEIGHTS: Final = (8, 6, 4, 2, 3, 5, 9, 7)


def check_postal_item(raw: str) -> str:
    """Return the UPU S10 postal item identifier in `raw`, e.g. ``RA123456785RU``.

    Raises `InvalidIdentifierError` unless it is 2 letters (service), 8 digits (serial), the
    check digit (weights 8 6 4 2 3 5 9 7; 11 minus the sum modulo 11, with 10 -> 0 and 11 -> 5)
    and the ISO country code of the issuing postal operator.
    """
    label = "postal item number"
    value = _compact(raw)
    if not re.fullmatch(r"[A-Z]{2}[0-9]{9}[A-Z]{2}", value):
        raise _refuse(
            label,
            value,
            "a postal item number is 2 letters, 9 digits and a 2-letter country code, "
            "e.g. RA123456785RU",
        )
    check = 11 - sum(int(char) * w for char, w in zip(value[2:10], _S10_WEIGHTS, strict=True)) % 11
    _check_digit_mismatch(label, value, {10: "0", 11: "5"}.get(check, str(check)), value[10])
    if not _lookup_country(value[11:]):
        raise _refuse(label, value, f"{value[11:]} is not an ISO country code")
    return value
