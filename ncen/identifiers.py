"""Check digits and normalisers for the identifiers officers type into seizure records.

Every identifier kind has up to two functions. ``normalize_*`` turns whatever a person typed or
pasted into a comparable key: upper case, separators removed, Cyrillic and Greek letters that look
like Latin ones folded to Latin, any script's digits to ASCII. It never raises and applying it
twice changes nothing, so it is safe for search keys. ``check_*`` normalises, then validates the
structure and check digit, and returns the canonical form to store, or raises
`InvalidIdentifierError` with a message an officer can act on ("check digit should be 3, not 4").
Nothing here touches the database, the network or the audit trail; country and currency codes
come from ``pycountry`` rather than from hand-typed lists.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from collections.abc import Callable, Mapping
from datetime import UTC, date, datetime, timedelta
from types import MappingProxyType
from typing import Final

import pycountry

from ncen.errors import InvalidIdentifierError

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

# ---------------------------------------------------------------------------------------------
# Shared folding
# ---------------------------------------------------------------------------------------------

# Officers on Cyrillic or Greek keyboard layouts type passports and plates with letters that are
# pixel-identical to Latin ones; without folding, "АВ123" and "AB123" would never match. Only
# true look-alikes are mapped (by their upper-case form, since folding upper-cases first):
# mapping by sound (Ж -> ZH) is transliteration, which belongs to name matching, not here.
_LOOKALIKES: Final = str.maketrans(
    {
        # Cyrillic
        "А": "A", "В": "B", "Е": "E", "Ѕ": "S", "І": "I", "Ј": "J", "К": "K", "М": "M",
        "Н": "H", "О": "O", "Р": "P", "С": "C", "Т": "T", "У": "Y", "Х": "X", "Ү": "Y",
        "Ԛ": "Q", "Ԝ": "W",
        # Greek
        "Α": "A", "Β": "B", "Ε": "E", "Ζ": "Z", "Η": "H", "Ι": "I", "Κ": "K", "Μ": "M",
        "Ν": "N", "Ο": "O", "Ρ": "P", "Τ": "T", "Υ": "Y", "Χ": "X",
    }
)  # fmt: skip

_MAX_SHOWN: Final = 40


def _fold(raw: str) -> str:
    """Upper-case `raw`, drop accents and invisible characters, fold look-alikes and digits.

    NFKD first so that full-width letters (from East Asian input methods) and ligatures become
    plain letters, and accents become separate marks that can be dropped: no identifier handled
    here carries diacritics, and an "É" in a passport number is a typing accident.
    """
    out: list[str] = []
    for char in unicodedata.normalize("NFKD", raw):
        category = unicodedata.category(char)
        # Marks are the detached accents; Cf are zero-width spaces, soft hyphens and byte-order
        # marks that ride along with text copied from web pages and e-mails.
        if category.startswith("M") or category == "Cf":
            continue
        digit = unicodedata.decimal(char, None)
        # Arabic-Indic, Persian and Devanagari digits are digits: store them as ASCII.
        out.append(str(digit) if digit is not None else char.upper())
    return "".join(out).translate(_LOOKALIKES)


def _is_separator(char: str) -> bool:
    # Every dash (Pd) because word processors turn "-" into en and em dashes; U+2212 is the
    # minus sign, which is a math symbol rather than a dash but looks the same.
    return char.isspace() or char in "./\u2212" or unicodedata.category(char) == "Pd"


def _compact(raw: str) -> str:
    """`_fold` then drop spaces, dashes, dots and slashes: the shared normaliser."""
    return "".join(char for char in _fold(raw) if not _is_separator(char))


def _alnum_key(raw: str) -> str:
    """`_fold` keeping letters and digits only: the search key of identifiers without a scheme."""
    return "".join(char for char in _fold(raw) if char.isalnum())


def _shown(value: str) -> str:
    # Messages echo the value so that a log line or CLI output stands on its own; control
    # characters are masked and long pastes cut so that the message stays one readable line.
    clean = "".join(char if char.isprintable() else "?" for char in value)
    return clean if len(clean) <= _MAX_SHOWN else clean[: _MAX_SHOWN - 1] + "…"


def _char(char: str) -> str:
    # Name an invisible or blank character by its code point instead of printing nothing.
    return char if char.isprintable() and not char.isspace() else f"U+{ord(char):04X}"


def _refuse(label: str, value: str, problem: str) -> InvalidIdentifierError:
    if not value:
        return InvalidIdentifierError(f"{label} is empty: {problem}")
    return InvalidIdentifierError(f"{label} {_shown(value)}: {problem}")


_DIGIT_TYPOS: Final = {"O": "0", "I": "1"}


def _require_digits(label: str, value: str, start: int, stop: int, part: str) -> None:
    """Raise unless ``value[start:stop]`` is ASCII digits, naming the first offending position."""
    for index in range(start, stop):
        char = value[index]
        if char not in "0123456789":
            hint = f" (did you mean {_DIGIT_TYPOS[char]}?)" if char in _DIGIT_TYPOS else ""
            raise _refuse(
                label,
                value,
                f"{part} must be digits, but position {index + 1} is {_char(char)}{hint}",
            )


def _require_length(label: str, value: str, lengths: range, what: str) -> None:
    if len(value) not in lengths:
        raise _refuse(label, value, f"{what}; this one has {len(value)} characters")


def _check_digit_mismatch(label: str, value: str, expected: str, found: str) -> None:
    if expected != found:
        raise _refuse(label, value, f"check digit should be {expected}, not {found}")


def _lookup_country(alpha_2: str) -> bool:
    return pycountry.countries.get(alpha_2=alpha_2) is not None


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


def _check_free_alnum(label: str, value: str, shortest: int, longest: int) -> str:
    for char in value:
        if not char.isalnum():
            raise _refuse(
                label, value, f"{_char(char)} is not allowed; use letters and digits only"
            )
    if not shortest <= len(value) <= longest:
        raise _refuse(
            label,
            value,
            f"must have {shortest} to {longest} letters or digits, this one has {len(value)}",
        )
    return value


def _check_ascii_alnum(label: str, value: str, shortest: int, longest: int) -> str:
    for char in value:
        if not re.fullmatch(r"[A-Z0-9]", char):
            raise _refuse(
                label,
                value,
                f"{_char(char)} is not allowed; use the letters A-Z and the digits 0-9 only",
            )
    return _check_free_alnum(label, value, shortest, longest)


# ---------------------------------------------------------------------------------------------
# Goods and places: HS codes, countries, currencies, UN/LOCODE
# ---------------------------------------------------------------------------------------------

_HS_LABEL: Final = "HS code"


def normalize_hs_code(raw: str) -> str:
    """Return `raw` folded, without spaces, dots or dashes ("8703.23" -> "870323"). Never raises."""
    return _compact(raw)


def check_hs_code(raw: str, *, digits: int | None = 6) -> str:
    """Return the Harmonized System code in `raw` as bare digits, e.g. ``870323``.

    Accepts "8703.23", "8703 23" and "870323". `digits` is the length required: 2 (chapter),
    4 (heading) or 6 (subheading); None accepts any of the three. Raises
    `InvalidIdentifierError` for other lengths, for chapters outside 01-97 or 77 (reserved) and
    for heading 00; raises plain `ValueError` if `digits` itself is not None, 2, 4 or 6.
    """
    if digits not in (None, 2, 4, 6):
        raise ValueError(f"digits must be None, 2, 4 or 6, not {digits!r}")
    value = normalize_hs_code(raw)
    if not value:
        raise _refuse(_HS_LABEL, value, "enter the digits, e.g. 8703.23")
    _require_digits(_HS_LABEL, value, 0, len(value), "an HS code")
    wanted = "2, 4 or 6" if digits is None else str(digits)
    if len(value) > 6:
        first = value[: digits or 6]
        raise _refuse(
            _HS_LABEL,
            value,
            f"international HS codes have {wanted} digits; this looks like a national tariff "
            f"line, so enter its first digits: {first}",
        )
    if len(value) % 2:
        raise _refuse(
            _HS_LABEL,
            value,
            f"an HS code has {wanted} digits, this one has {len(value)} (if it came from a "
            f"spreadsheet, a leading zero may have been lost: 0{value}?)",
        )
    if digits is not None and len(value) != digits:
        raise _refuse(
            _HS_LABEL, value, f"{digits} digits are required here, this one has {len(value)}"
        )
    chapter = value[:2]
    if chapter == "77":
        raise _refuse(_HS_LABEL, value, "chapter 77 is reserved for future use and holds no goods")
    if not "01" <= chapter <= "97":
        raise _refuse(
            _HS_LABEL,
            value,
            f"chapter {chapter} does not exist; HS chapters run from 01 to 97 (98 and 99 are "
            "for national use)",
        )
    if value[2:4] == "00":
        raise _refuse(
            _HS_LABEL,
            value,
            f"heading {value[:4]} does not exist; headings within a chapter are numbered from 01",
        )
    return value


def hs_chapter(code: str) -> str:
    """Return the 2-digit chapter of an HS code of 2, 4 or 6 digits ("8703.23" -> "87").

    Raises `InvalidIdentifierError` when `code` is not a valid HS code (see `check_hs_code`).
    """
    return check_hs_code(code, digits=None)[:2]


_COUNTRY_LABEL: Final = "country code"
# Codes officers meet daily that are not ISO 3166-1: refuse them, but say which code to use.
_NOT_ISO_COUNTRIES: Final = {
    "UK": "the United Kingdom is GB",
    "EL": "Greece is GR (EL is only used inside the EU)",
}


def check_country(raw: str) -> str:
    """Return the ISO 3166-1 alpha-2 code of the country in `raw`, e.g. ``DE``.

    Accepts alpha-2 ("de") and alpha-3 ("DEU") codes in any case. Raises
    `InvalidIdentifierError` for anything that is not a current ISO 3166-1 country.
    """
    value = _compact(raw)
    if value in _NOT_ISO_COUNTRIES:
        raise _refuse(
            _COUNTRY_LABEL, value, f"not an ISO code; the code of {_NOT_ISO_COUNTRIES[value]}"
        )
    if not re.fullmatch(r"[A-Z]{2,3}", value):
        raise _refuse(_COUNTRY_LABEL, value, "enter the 2-letter ISO country code, e.g. DE")
    if len(value) == 2:
        country = pycountry.countries.get(alpha_2=value)
        historic = pycountry.historic_countries.get(alpha_2=value)
    else:
        country = pycountry.countries.get(alpha_3=value)
        historic = pycountry.historic_countries.get(alpha_3=value)
    if country is not None:
        return str(country.alpha_2)
    if historic is not None:
        raise _refuse(
            _COUNTRY_LABEL,
            value,
            f"was the code of {historic.name}, which no longer exists; use the code of the "
            "country today",
        )
    raise _refuse(_COUNTRY_LABEL, value, "is not an ISO 3166-1 country code")


def check_currency(raw: str) -> str:
    """Return the ISO 4217 alphabetic code of the currency in `raw`, e.g. ``EUR``.

    Accepts any case. Raises `InvalidIdentifierError` for anything not in ISO 4217.
    """
    value = _compact(raw)
    if not re.fullmatch(r"[A-Z]{3}", value):
        raise _refuse("currency code", value, "enter the 3-letter ISO currency code, e.g. EUR")
    if pycountry.currencies.get(alpha_3=value) is None:
        raise _refuse("currency code", value, "is not an ISO 4217 currency code")
    return value


_LOCODE_LABEL: Final = "UN/LOCODE"


def normalize_locode(raw: str) -> str:
    """Return `raw` folded, without spaces or dashes ("de-ham" -> "DEHAM"). Never raises."""
    return _compact(raw)


def check_locode(raw: str) -> str:
    """Return the 5-character UN/LOCODE in `raw`, e.g. ``DEHAM`` for "DE HAM" or "de-ham".

    Raises `InvalidIdentifierError` unless it is an existing ISO 3166-1 country code followed by
    3 characters from A-Z and 2-9.
    """
    value = normalize_locode(raw)
    _require_length(
        _LOCODE_LABEL,
        value,
        range(5, 6),
        "a UN/LOCODE has 5 characters: the country code and 3 letters or digits, e.g. DE HAM",
    )
    if not re.fullmatch(r"[A-Z]{2}", value[:2]) or not _lookup_country(value[:2]):
        raise _refuse(_LOCODE_LABEL, value, f"{value[:2]} is not an ISO country code")
    if not re.fullmatch(r"[A-Z2-9]{3}", value[2:]):
        # 0 and 1 are excluded from UN/LOCODE so that they cannot be mistaken for O and I.
        raise _refuse(
            _LOCODE_LABEL,
            value,
            "the last 3 characters must be letters A-Z or digits 2-9 (never 0 or 1)",
        )
    return value


# ---------------------------------------------------------------------------------------------
# People: travel and identity documents
# ---------------------------------------------------------------------------------------------


def normalize_document_number(raw: str) -> str:
    """Return `raw` folded (look-alike Cyrillic/Greek letters to Latin), without separators.

    Never raises. "аб 123-45" and "AБ12345" give the same key.
    """
    return _compact(raw)


def check_document_number(raw: str) -> str:
    """Return the normalised passport or identity document number in `raw`.

    After normalising it must be 3 to 20 letters or digits; letters of any script are allowed
    because national documents (e.g. Ukrainian internal passports) use Cyrillic series. Raises
    `InvalidIdentifierError` otherwise.
    """
    return _check_free_alnum("document number", normalize_document_number(raw), 3, 20)


def _mrz_value(char: str) -> int:
    if char == "<":
        return 0
    return int(char) if char.isdigit() else ord(char) - ord("A") + 10


def check_mrz_check_digit(field: str, digit: str) -> str:
    """Return `field` (upper case) if `digit` is its ICAO 9303 check digit.

    The check digit is the sum of the character values (0-9, A=10 ... Z=35, filler < = 0)
    weighted 7, 3, 1 repeating, modulo 10; an all-filler field may also have < as check digit.
    Raises `InvalidIdentifierError` for characters outside A-Z, 0-9 and < or a wrong digit.
    """
    label = "machine-readable zone field"
    value = "".join(char for char in _fold(field) if not char.isspace())
    for char in value:
        if not re.fullmatch(r"[A-Z0-9<]", char):
            raise _refuse(
                label,
                value,
                f"{_char(char)} cannot appear in a machine-readable zone (only A-Z, 0-9 and <)",
            )
    found = _fold(digit).strip()
    if found == "<" and set(value) <= {"<"}:
        return value
    if not re.fullmatch(r"[0-9]", found):
        raise _refuse(label, value, f"the check digit must be one digit 0-9, not {found!r}")
    expected = sum(_mrz_value(char) * (7, 3, 1)[i % 3] for i, char in enumerate(value)) % 10
    _check_digit_mismatch(label, value, str(expected), found)
    return value


# ---------------------------------------------------------------------------------------------
# Aircraft, flights, radio call signs, consignments and postal items
# ---------------------------------------------------------------------------------------------


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


# ---------------------------------------------------------------------------------------------
# Dates
# ---------------------------------------------------------------------------------------------

# Officers' laptops and phones drift; a seizure entered "now" must not bounce because the
# client clock runs a minute ahead of the server.
_CLOCK_SKEW: Final = timedelta(minutes=5)
_EARLIEST_SEIZURE: Final = datetime(1950, 1, 1, tzinfo=UTC)
_EARLIEST_YEAR: Final = 1900


def check_seizure_datetime(value: datetime, *, now: datetime | None = None) -> datetime:
    """Return `value`, unchanged, if it is a plausible moment of seizure.

    `now` (timezone-aware) defaults to the current time. Raises `InvalidIdentifierError` for a
    naive datetime (the moment would be ambiguous across time zones), a moment more than 5
    minutes after `now` or one before 1950; raises `ValueError` if `now` is naive.
    """
    if now is None:
        now = datetime.now(UTC)
    elif now.utcoffset() is None:
        raise ValueError("now must be timezone-aware")
    if value.utcoffset() is None:
        raise InvalidIdentifierError(
            f"seizure time {value:%Y-%m-%d %H:%M} has no time zone; give the time zone of the "
            "place of seizure"
        )
    if value > now + _CLOCK_SKEW:
        raise InvalidIdentifierError(
            f"seizure time {value:%Y-%m-%d %H:%M %z} is in the future; check the date, the time "
            "and the time zone"
        )
    if value < _EARLIEST_SEIZURE:
        raise InvalidIdentifierError(
            f"seizure date {value:%Y-%m-%d} is before 1950; check the year"
        )
    return value


def check_partial_date(
    year: int | None, month: int | None, day: int | None, *, today: date | None = None
) -> tuple[int | None, int | None, int | None]:
    """Return ``(year, month, day)`` if they form a known year, year and month, or full date.

    Dates of birth and of events are often only partly known; three Nones (nothing known) come
    back unchanged. `today` defaults to the current date. Raises `InvalidIdentifierError` for a
    month without a year or a day without a month, for impossible dates (30 February), years
    before 1900 and dates after `today` (for a partial date: a year or month after today's).
    """
    # Callers pass the three form fields as they come, and a date of birth is often unknown
    # when a person is first recorded: nothing known is an answer, not an error.
    if year is None and month is None and day is None:
        return None, None, None
    if year is None:
        raise InvalidIdentifierError(
            "a month or day without a year cannot be recorded; enter the year too"
        )
    if today is None:
        today = datetime.now(UTC).date()
    if day is not None and month is None:
        raise InvalidIdentifierError("a day without a month cannot be recorded; enter the month")
    shown = "-".join(f"{part:02d}" for part in (year, month, day) if part is not None)
    if year < _EARLIEST_YEAR:
        raise InvalidIdentifierError(f"date {shown} is before 1900; check the year")
    if month is not None and not 1 <= month <= 12:
        raise InvalidIdentifierError(f"month {month} does not exist; months run from 1 to 12")
    if month is not None and day is not None:
        # Checked here rather than left to date() so that the officer learns the month's length.
        last = calendar.monthrange(year, month)[1] if year <= date.max.year else 31
        if not 1 <= day <= last:
            raise InvalidIdentifierError(
                f"there is no day {day} in {calendar.month_name[month]} {year} (it has {last} days)"
            )
    given = (year, month or 0, day or 0)
    if given > (today.year, today.month if month else 0, today.day if day else 0):
        raise InvalidIdentifierError(f"date {shown} is in the future")
    return year, month, day


# ---------------------------------------------------------------------------------------------
# Registry of conveyance identifiers
# ---------------------------------------------------------------------------------------------

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
