"""Codes for goods and places: HS codes, ISO countries and currencies, and UN/LOCODE.

Harmonized System codes are checked for length (chapter, heading, subheading) and for chapters
and headings that cannot exist; country (ISO 3166-1) and currency (ISO 4217) codes are looked up
in ``pycountry`` rather than in hand-typed lists, with a hint for common non-ISO codes such as
UK; UN/LOCODEs are a real country code and three letters or digits 2-9.
"""

from __future__ import annotations

import re
from typing import Final

import pycountry

from ncen.identifiers._folding import (
    _compact,
    _lookup_country,
    _refuse,
    _require_digits,
    _require_length,
)

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
