"""Identifiers of conveyances and their cargo units: containers, ships and road vehicles.

ISO 6346 container numbers (owner code, category, serial and mod-11 check digit), IMO ship
numbers and ITU MMSIs for vessels, and ISO 3779 VINs and registration plates for road vehicles.
Each kind has a ``normalize_*`` search key that never raises and a ``check_*`` that returns the
canonical form or raises `InvalidIdentifierError`.
"""

from __future__ import annotations

import re
from typing import Final

from ncen.identifiers._folding import (
    _char,
    _check_digit_mismatch,
    _check_free_alnum,
    _compact,
    _refuse,
    _require_digits,
    _require_length,
)

# ---------------------------------------------------------------------------------------------
# Containers (ISO 6346)
# ---------------------------------------------------------------------------------------------


def _iso6346_letter_values() -> dict[str, int]:
    # Letters count from 10 upwards but skip 11, 22 and 33: a multiple of 11 would vanish in the
    # mod-11 sum, so two codes differing only in that letter would share a check digit.
    values: dict[str, int] = {}
    value = 10
    for letter in "ABCDEFGHIJKLMNOPQRSTUVWXYZ":
        if value % 11 == 0:
            value += 1
        values[letter] = value
        value += 1
    return values


_ISO6346_LETTERS: Final = _iso6346_letter_values()
_CONTAINER_LABEL: Final = "container number"


def _iso6346_check_digit(first_ten: str) -> str:
    total = sum(
        (_ISO6346_LETTERS[char] if char.isalpha() else int(char)) * 2**position
        for position, char in enumerate(first_ten)
    )
    # A remainder of 10 is written 0; ISO 6346 advises owners not to issue such serials.
    return str(total % 11 % 10)


def normalize_container(raw: str) -> str:
    """Return `raw` folded: upper case, without spaces, dashes, dots or slashes. Never raises."""
    return _compact(raw)


def check_container(raw: str) -> str:
    """Return the ISO 6346 container number in `raw` as 11 characters, e.g. ``CSQU3054383``.

    Accepts spaces and dashes as painted on the door ("CSQU 305438-3"). Raises
    `InvalidIdentifierError` unless it is a 3-letter owner code, an equipment category U
    (freight container), J (detachable equipment) or Z (trailer or chassis), a 6-digit serial
    number and the matching check digit.
    """
    value = normalize_container(raw)
    _require_length(
        _CONTAINER_LABEL,
        value,
        range(11, 12),
        "a container number has 11 characters, e.g. CSQU3054383 (4 letters, then 7 digits)",
    )
    if not re.fullmatch(r"[A-Z]{3}", value[:3]):
        raise _refuse(
            _CONTAINER_LABEL, value, "the first three characters (owner code) must be letters A-Z"
        )
    # ISO 6346 defines only U, J and Z; refrigerated containers are also "U" (their type code
    # says "reefer"), so an "R" here is a misreading, not a category.
    if value[3] not in "UJZ":
        raise _refuse(
            _CONTAINER_LABEL,
            value,
            f"the fourth character (equipment category) must be U, J or Z, not "
            f"{_char(value[3])}; almost every container has U",
        )
    _require_digits(_CONTAINER_LABEL, value, 4, 11, "the last 7 characters")
    _check_digit_mismatch(_CONTAINER_LABEL, value, _iso6346_check_digit(value[:10]), value[10])
    return value


# ---------------------------------------------------------------------------------------------
# Ships: IMO numbers and MMSI
# ---------------------------------------------------------------------------------------------

_IMO_LABEL: Final = "IMO number"


def _imo_check_digit(body: str) -> str:
    # The first six digits weighted 7, 6, 5, 4, 3, 2; the last digit of the sum checks them.
    return str(
        sum(int(char) * weight for char, weight in zip(body[:6], (7, 6, 5, 4, 3, 2), strict=True))
        % 10
    )


def normalize_imo(raw: str) -> str:
    """Return ``IMO`` + the digits when `raw` is digits with or without an ``IMO`` prefix.

    Anything else comes back folded and compacted but otherwise untouched. Never raises.
    """
    value = _compact(raw)
    body = value.removeprefix("IMO")
    # Only re-prefix a pure digit body, so that "IMOIMO1" stays as is and the function stays
    # idempotent.
    if body and all(char in "0123456789" for char in body):
        return "IMO" + body
    return value


def check_imo(raw: str) -> str:
    """Return the IMO ship number in `raw` as ``IMO`` + 7 digits, e.g. ``IMO9074729``.

    Accepts "9074729", "IMO 9074729", "imo9074729". Raises `InvalidIdentifierError` unless there
    are exactly 7 digits whose last one is the check digit (weights 7 to 2, sum modulo 10).
    """
    value = normalize_imo(raw)
    body = value.removeprefix("IMO")
    if not body:
        raise _refuse(_IMO_LABEL, value, "enter the 7 digits, e.g. IMO 9074729")
    _require_digits(_IMO_LABEL, value, len(value) - len(body), len(value), "an IMO number")
    if len(body) != 7:
        hint = " (9 digits is an MMSI, which is a different number)" if len(body) == 9 else ""
        raise _refuse(
            _IMO_LABEL, value, f"an IMO number has 7 digits, this one has {len(body)}{hint}"
        )
    _check_digit_mismatch(_IMO_LABEL, value, _imo_check_digit(body), body[6])
    return value


_MMSI_LABEL: Final = "MMSI"
_MID_FIRST_DIGITS: Final = "234567"
# ITU-R M.585: (prefix, index of the country code (MID) or None, what the prefix designates).
# Order matters: the longest prefixes first, so "00" wins over "0" and "111" over ship stations.
_MMSI_FORMS: Final[tuple[tuple[str, int | None, str], ...]] = (
    ("00", 2, "a coast station"),
    ("0", 1, "a group of ships"),
    ("111", 3, "a search-and-rescue aircraft"),
    ("970", None, "an AIS-SART"),
    ("972", None, "a man-overboard device"),
    ("974", None, "an EPIRB-AIS"),
    ("98", 2, "a craft associated with a parent ship"),
    ("99", 2, "an aid to navigation"),
    *((digit, 0, "a ship") for digit in _MID_FIRST_DIGITS),
)


def normalize_mmsi(raw: str) -> str:
    """Return `raw` folded and compacted, without an ``MMSI`` prefix before digits. Never raises."""
    value = _compact(raw)
    body = value.removeprefix("MMSI")
    return body if body and all(char in "0123456789" for char in body) else value


def check_mmsi(raw: str) -> str:
    """Return the 9-digit Maritime Mobile Service Identity in `raw`, e.g. ``211234560``.

    Accepts ship stations (first digit 2-7, the country code), coast stations (00), groups (0),
    SAR aircraft (111), AIS-SART / MOB / EPIRB-AIS (970, 972, 974), craft associated with a
    parent ship (98) and aids to navigation (99). Raises `InvalidIdentifierError` for anything
    else, including hand-held radios (8), which identify a person's radio and not a vessel.
    """
    value = normalize_mmsi(raw)
    if not value:
        raise _refuse(_MMSI_LABEL, value, "enter the 9 digits, e.g. 211234560")
    _require_digits(_MMSI_LABEL, value, 0, len(value), "an MMSI")
    if len(value) != 9:
        raise _refuse(_MMSI_LABEL, value, f"an MMSI has 9 digits, this one has {len(value)}")
    for prefix, mid_at, station in _MMSI_FORMS:
        if value.startswith(prefix):
            if mid_at is not None and value[mid_at] not in _MID_FIRST_DIGITS:
                raise _refuse(
                    _MMSI_LABEL,
                    value,
                    f"the MMSI of {station} ({prefix}...) continues with a country code "
                    f"(MID) starting with 2 to 7, not {value[mid_at]}",
                )
            return value
    start, hint = (
        ("8", " (8 is for hand-held radios, not vessels)") if value[0] == "8" else (value[:3], "")
    )
    raise _refuse(
        _MMSI_LABEL,
        value,
        f"an MMSI cannot start with {start}{hint}; ships start with their country code 2 to 7, "
        "other stations with 00, 0, 111, 970, 972, 974, 98 or 99",
    )


# ---------------------------------------------------------------------------------------------
# Road vehicles: VIN and plates
# ---------------------------------------------------------------------------------------------

_VIN_LABEL: Final = "VIN"
# ISO 3779 / 49 CFR 565 transliteration: letters take the digit of their row on a phone-like
# grid (A-H 1-8, J-R skipping O and Q, S-Z 2-9).
_VIN_VALUES: Final = {
    **{char: value for value, char in enumerate("ABCDEFGH", start=1)},
    **dict(zip("JKLMNPR", (1, 2, 3, 4, 5, 7, 9), strict=True)),
    **{char: value for value, char in enumerate("STUVWXYZ", start=2)},
    **{str(digit): digit for digit in range(10)},
}
_VIN_WEIGHTS: Final = (8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2)


def _vin_check_digit(vin: str) -> str:
    remainder = sum(_VIN_VALUES[char] * w for char, w in zip(vin, _VIN_WEIGHTS, strict=True)) % 11
    return "X" if remainder == 10 else str(remainder)


def normalize_vin(raw: str) -> str:
    """Return `raw` folded: upper case, without spaces, dashes, dots or slashes. Never raises."""
    return _compact(raw)


def check_vin(raw: str, *, strict: bool = False) -> str:
    """Return the 17-character Vehicle Identification Number in `raw`, upper case.

    Raises `InvalidIdentifierError` for a length other than 17 (vehicles built before 1981 have
    no standard VIN), for I, O or Q (never used, to avoid confusion with 1 and 0) and for a wrong
    check digit at position 9. The check digit is mandatory, hence always verified, for North
    American VINs (first character 1-5); elsewhere it is optional, so it is verified only when
    `strict` is true and position 9 holds a digit or X.
    """
    value = normalize_vin(raw)
    _require_length(
        _VIN_LABEL,
        value,
        range(17, 18),
        "a VIN has 17 characters (vehicles built before 1981 have shorter serial numbers, "
        "which are not VINs)",
    )
    for position, char in enumerate(value, start=1):
        if char in "IOQ":
            typo = {"I": "1", "O": "0", "Q": "0"}[char]
            raise _refuse(
                _VIN_LABEL,
                value,
                f"position {position} is the letter {char}, which VINs never use "
                f"(did you mean {typo}?)",
            )
        if char not in _VIN_VALUES:
            raise _refuse(
                _VIN_LABEL,
                value,
                f"position {position} is {_char(char)}; a VIN contains only the letters A-Z "
                "and the digits 0-9",
            )
    north_american = value[0] in "12345"
    has_check_digit = value[8] in "0123456789X"
    if north_american and not has_check_digit:
        raise _refuse(
            _VIN_LABEL,
            value,
            f"position 9 is the check digit (0-9 or X) in North American VINs, not {value[8]}",
        )
    if north_american or (strict and has_check_digit):
        _check_digit_mismatch(_VIN_LABEL, value, _vin_check_digit(value), value[8])
    return value


_PLATE_LABEL: Final = "number plate"


def normalize_plate(raw: str) -> str:
    """Return `raw` folded (look-alike Cyrillic/Greek letters to Latin), without separators.

    Never raises. Letters without a Latin look-alike (Arabic, Japanese, Cyrillic Ж) are kept.
    """
    return _compact(raw)


def check_plate(raw: str) -> str:
    """Return the normalised registration plate in `raw`: 2 to 12 letters or digits.

    Letters of any script are allowed because some plates carry them (Arabic, Japanese kana).
    Raises `InvalidIdentifierError` otherwise.
    """
    return _check_free_alnum(_PLATE_LABEL, normalize_plate(raw), 2, 12)
