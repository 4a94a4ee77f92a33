"""Unit tests of ncen.identifiers: check digits, normalisers and officer-facing refusals.

Every valid example below was checked against an independent computation of its check digit;
real-world ones (CSQU3054383, IMO 9074729, VIN 1M8GDM9AXKP042788, the ICAO 9303 specimen
passport L898902C3) are the published examples of their standards.
"""

from __future__ import annotations

import contextlib
import string
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ncen import identifiers as ids
from ncen.errors import InvalidIdentifierError

# No example database: a run does not depend on what earlier runs on this machine found.
quick = settings(database=None, max_examples=300, deadline=None)

NORMALIZERS: dict[str, Callable[[str], str]] = {
    "container": ids.normalize_container,
    "imo": ids.normalize_imo,
    "mmsi": ids.normalize_mmsi,
    "vin": ids.normalize_vin,
    "hs_code": ids.normalize_hs_code,
    "locode": ids.normalize_locode,
    "document_number": ids.normalize_document_number,
    "plate": ids.normalize_plate,
}

CHECKS: dict[str, Callable[[str], str]] = {
    **ids.CONVEYANCE_IDENTIFIER_CHECKS,
    "hs_code": ids.check_hs_code,
    "country": ids.check_country,
    "currency": ids.check_currency,
    "locode": ids.check_locode,
    "document_number": ids.check_document_number,
}


def refused(check: Callable[[str], str], raw: str) -> str:
    """Return the message of the InvalidIdentifierError that `check` raises for `raw`."""
    with pytest.raises(InvalidIdentifierError) as caught:
        check(raw)
    return str(caught.value)


# ---------------------------------------------------------------------------------------------
# Folding shared by every normaliser
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("аб 123-45", "AБ12345"),  # lower-case Cyrillic а folds to A; б has no Latin twin
        ("АВЕКМНОРСТХУ", "ABEKMHOPCTXY"),  # every Cyrillic look-alike on a Russian keyboard
        ("ΑΒΕΖΗΙΚΜΝΟΡΤΥΧ", "ABEZHIKMNOPTYX"),  # Greek capitals
        ("ＣＳＱＵ３０５４３８３", "CSQU3054383"),  # full-width, from East Asian input methods
        ("٩٠٧٤٧٢٩", "9074729"),  # Arabic-Indic digits
        ("۱۲۳", "123"),  # Persian digits
        ("CSQU\u200b3054383", "CSQU3054383"),  # zero-width space pasted from a web page
        ("AB\u00ad12", "AB12"),  # soft hyphen
        ("X\u2013Y\u2014Z\u2212W", "XYZW"),  # en dash, em dash, minus sign
        ("P.12/34\t5", "P12345"),  # dots, slashes and tabs
        ("Éé123", "EE123"),  # accents are typing accidents here
        ("", ""),
    ],
)
def test_document_normaliser_folds_what_officers_type(raw: str, expected: str) -> None:
    assert ids.normalize_document_number(raw) == expected


@quick
@given(st.text())
def test_every_normaliser_is_idempotent_and_total(raw: str) -> None:
    for normalize in NORMALIZERS.values():
        once = normalize(raw)
        assert normalize(once) == once
    for kind in [*ids.CONVEYANCE_IDENTIFIER_CHECKS, "unknown_kind"]:
        once = ids.normalize_identifier(kind, raw)
        assert ids.normalize_identifier(kind, once) == once


@quick
@given(st.text(alphabet=st.sampled_from("аАвВеЕкКмМнНоОрРсСтТхХуУ0123456789 -")))
def test_cyrillic_lookalikes_always_fold_to_ascii(raw: str) -> None:
    assert ids.normalize_plate(raw).isascii()


@quick
@given(st.text())
def test_checks_either_return_or_refuse_with_invalid_identifier_error(raw: str) -> None:
    for check in CHECKS.values():
        try:
            canonical = check(raw)
        except InvalidIdentifierError:
            continue
        assert check(canonical) == canonical


# ---------------------------------------------------------------------------------------------
# Containers (ISO 6346)
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    [
        "CSQU3054383",
        "CSQU 305438-3",
        "csqu 305438 3",
        "ＣＳＱＵ３０５４３８３",
        "СSQU3054383",  # the C typed on a Cyrillic layout
    ],
)
def test_container_accepts_the_number_as_painted(raw: str) -> None:
    assert ids.check_container(raw) == "CSQU3054383"


@pytest.mark.parametrize(
    "number",
    ["MSCU1234566", "HLXU1234561", "TGHU0000008", "MAEU1234567", "ABCJ0000072", "ABCZ0000073"],
)
def test_container_accepts_other_computed_numbers(number: str) -> None:
    # J (detachable equipment) and Z (trailer or chassis) count in the check digit like U.
    assert ids.check_container(number) == number


def test_container_check_digit_remainder_ten_is_written_zero() -> None:
    assert ids.check_container("ABCU0000070") == "ABCU0000070"
    assert "should be 0, not 1" in refused(ids.check_container, "ABCU0000071")


@quick
@given(
    st.text(alphabet=string.ascii_uppercase, min_size=3, max_size=3),
    st.sampled_from("UJZ"),
    st.text(alphabet=string.digits, min_size=6, max_size=6),
)
def test_container_exactly_one_check_digit_is_accepted(
    owner: str, category: str, serial: str
) -> None:
    accepted = []
    for digit in string.digits:
        with contextlib.suppress(InvalidIdentifierError):
            accepted.append(ids.check_container(owner + category + serial + digit))
    assert len(accepted) == 1


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("CSQU3054384", "check digit should be 3, not 4"),
        ("CSQU305438", "has 11 characters"),
        ("CSQU30543833", "this one has 12 characters"),
        ("", "container number is empty"),
        ("   ", "container number is empty"),
        ("C5QU3054383", "owner code"),
        ("CSQR3054383", "must be U, J or Z, not R"),
        ("CSQX3054383", "must be U, J or Z, not X"),
        ("CSQU3O54383", "position 6 is O (did you mean 0?)"),
        ("CSQU305438I", "position 11 is I (did you mean 1?)"),
        ("CSQU30543#3", "position 10 is #"),
    ],
)
def test_container_refusals_say_what_is_wrong(raw: str, message: str) -> None:
    assert message in refused(ids.check_container, raw)


def test_refusal_is_a_value_error_too() -> None:
    with pytest.raises(ValueError, match="check digit"):
        ids.check_container("CSQU3054384")


# ---------------------------------------------------------------------------------------------
# IMO numbers and MMSI
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("9074729", "IMO9074729"),
        ("IMO 9074729", "IMO9074729"),
        ("imo9074729", "IMO9074729"),
        ("IMO-9321483", "IMO9321483"),  # Emma Maersk
        ("٩٠٧٤٧٢٩", "IMO9074729"),
    ],
)
def test_imo_accepts_prefix_and_spacing(raw: str, expected: str) -> None:
    assert ids.check_imo(raw) == expected


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("9074728", "check digit should be 9, not 8"),
        ("IMO 9321484", "check digit should be 3, not 4"),
        ("907472", "has 7 digits, this one has 6"),
        ("211234560", "9 digits is an MMSI"),
        ("IMO", "enter the 7 digits"),
        ("", "IMO number is empty"),
        ("IMO 90747Z9", "position 9 is Z"),
        ("9O74729", "did you mean 0?"),
        ("IMOIMO9074729", "position 4 is I"),
    ],
)
def test_imo_refusals(raw: str, message: str) -> None:
    assert message in refused(ids.check_imo, raw)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("IMO9074729", "IMO9074729"),
        ("9074729", "IMO9074729"),
        ("imo 123", "IMO123"),  # normalises without validating
        ("IMOIMO1", "IMOIMO1"),
        ("abc", "ABC"),
        ("", ""),
    ],
)
def test_imo_normaliser(raw: str, expected: str) -> None:
    assert ids.normalize_imo(raw) == expected


@pytest.mark.parametrize(
    "raw",
    [
        "211234560",  # ship, Germany (MID 211)
        "MMSI 366999712",  # ship, USA
        "002111234",  # coast station
        "023012345",  # group of ships
        "111232500",  # SAR aircraft, United Kingdom
        "970123456",  # AIS-SART
        "972123456",  # man overboard
        "974123456",  # EPIRB-AIS
        "982111234",  # craft associated with a parent ship
        "992351234",  # aid to navigation
        "7 2 5 1 2 3 4 5 6",
    ],
)
def test_mmsi_accepts_every_station_kind(raw: str) -> None:
    assert ids.check_mmsi(raw) == ids.normalize_mmsi(raw)
    assert len(ids.check_mmsi(raw)) == 9


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("811234567", "hand-held radios"),
        ("123456789", "cannot start with 123"),
        ("112345678", "cannot start with 112"),
        ("975123456", "cannot start with 975"),
        ("000123456", "coast station (00...) continues with a country code (MID) starting "),
        ("011234567", "group of ships (0...) continues"),
        ("111123456", "search-and-rescue aircraft (111...) continues"),
        ("981123456", "parent ship (98...) continues"),
        ("991123456", "aid to navigation (99...) continues"),
        ("21123456", "has 9 digits, this one has 8"),
        ("2112345678", "has 9 digits, this one has 10"),
        ("21123456A", "position 9 is A"),
        ("", "MMSI is empty"),
        ("MMSI", "position 1 is M"),
    ],
)
def test_mmsi_refusals(raw: str, message: str) -> None:
    assert message in refused(ids.check_mmsi, raw)


# ---------------------------------------------------------------------------------------------
# VIN and plates
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    [
        "1M8GDM9AXKP042788",  # the 49 CFR 565 worked example, check digit X
        "1m8gdm9axkp042788",
        "1M8 GDM9AX KP042788",
        "11111111111111111",  # check digit 1
    ],
)
def test_vin_north_american_check_digit_verified(raw: str) -> None:
    assert ids.check_vin(raw) == ids.normalize_vin(raw)


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("1M8GDM9AyKP042788", "position 9 is the check digit (0-9 or X)"),
        ("1M8GDM9A1KP042788", "check digit should be X, not 1"),
        ("5YJ3E1EA7KF317000", "check digit should be 2, not 7"),
        ("1M8GDM9AXKP04278", "a VIN has 17 characters"),
        ("1M8GDM9AXKP0427888", "this one has 18 characters"),
        ("FH12345678", "before 1981"),
        ("", "VIN is empty"),
        (
            "1M8GDM9AXKPO42788",
            "position 12 is the letter O, which VINs never use (did you mean 0?)",
        ),
        ("IM8GDM9AXKP042788", "position 1 is the letter I"),
        ("1M8GDM9AXKQ042788", "position 11 is the letter Q"),
        ("1M8GDM9AXKP04278#", "position 17 is #"),
        ("1M8GDM9AXKP04278Ж", "position 17 is Ж"),
    ],
)
def test_vin_refusals(raw: str, message: str) -> None:
    assert message in refused(ids.check_vin, raw)


def test_vin_outside_north_america_check_digit_only_when_strict() -> None:
    # Japan (J) and Germany (W) do not require a check digit; position 9 may hold anything.
    assert ids.check_vin("JH4KA7650MC012345") == "JH4KA7650MC012345"
    with pytest.raises(InvalidIdentifierError, match="should be 9, not 0"):
        ids.check_vin("JH4KA7650MC012345", strict=True)
    assert ids.check_vin("WDB1240231A123456") == "WDB1240231A123456"
    assert ids.check_vin("WDB1240271A123456", strict=True) == "WDB1240271A123456"
    # A letter at position 9 is not a check digit at all, so strict has nothing to verify.
    assert ids.check_vin("WVWZZZ1JZXW000001", strict=True) == "WVWZZZ1JZXW000001"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("B-MW 1234", "BMW1234"),
        ("а123вс 77", "A123BC77"),  # Russian plate typed on a Cyrillic layout
        ("ΙΚΝ-1234", "IKN1234"),  # Greek plate
        ("ا ب ح ١٢٣٤", "ابح1234"),  # Saudi plate: Arabic letters kept, digits to ASCII
        ("AB", "AB"),
        ("123456789012", "123456789012"),
    ],
)
def test_plate_accepts_any_script_after_folding(raw: str, expected: str) -> None:
    assert ids.check_plate(raw) == expected


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("A", "must have 2 to 12 letters or digits, this one has 1"),
        ("1234567890123", "this one has 13"),
        ("", "number plate is empty"),
        ("AB#12", "# is not allowed"),
        ("AB_12", "_ is not allowed"),
        ("AB\x0012", "U+0000 is not allowed"),
    ],
)
def test_plate_refusals(raw: str, message: str) -> None:
    assert message in refused(ids.check_plate, raw)


# ---------------------------------------------------------------------------------------------
# HS codes
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("raw", ["8703.23", "870323", "8703 23", " 8703-23 "])
def test_hs_code_accepts_the_usual_spellings(raw: str) -> None:
    assert ids.check_hs_code(raw) == "870323"


@pytest.mark.parametrize(
    ("raw", "digits", "expected"),
    [
        ("87", 2, "87"),
        ("87.03", 4, "8703"),
        ("0409.00", 6, "040900"),  # natural honey: subheading 00 exists
        ("01", None, "01"),
        ("9706", None, "9706"),  # antiques over 100 years old, chapter 97
        ("2402.20", None, "240220"),
    ],
)
def test_hs_code_lengths(raw: str, digits: int | None, expected: str) -> None:
    assert ids.check_hs_code(raw, digits=digits) == expected


@pytest.mark.parametrize(
    ("raw", "digits", "message"),
    [
        ("8703", 6, "6 digits are required here, this one has 4"),
        ("870323", 4, "4 digits are required here, this one has 6"),
        ("87032319", 6, "national tariff line, so enter its first digits: 870323"),
        ("8703231900", None, "have 2, 4 or 6 digits"),
        ("87032319", 4, "enter its first digits: 8703"),
        ("40900", 6, "leading zero may have been lost: 040900?"),
        ("7", None, "this one has 1"),
        ("770100", 6, "chapter 77 is reserved"),
        ("000100", 6, "chapter 00 does not exist"),
        ("980100", 6, "98 and 99 are for national use"),
        ("99", None, "chapter 99 does not exist"),
        ("870023", 6, "heading 8700 does not exist"),
        ("8703.2A", 6, "position 6 is A"),
        ("", 6, "HS code is empty"),
    ],
)
def test_hs_code_refusals(raw: str, digits: int | None, message: str) -> None:
    with pytest.raises(InvalidIdentifierError) as caught:
        ids.check_hs_code(raw, digits=digits)
    assert message in str(caught.value)


@pytest.mark.parametrize("digits", [0, 1, 3, 5, 8, 10])
def test_hs_code_bad_digits_argument_is_a_programming_error(digits: int) -> None:
    with pytest.raises(ValueError, match="digits must be") as caught:
        ids.check_hs_code("870323", digits=digits)
    assert not isinstance(caught.value, InvalidIdentifierError)


@pytest.mark.parametrize(("raw", "chapter"), [("8703.23", "87"), ("0409", "04"), ("97", "97")])
def test_hs_chapter(raw: str, chapter: str) -> None:
    assert ids.hs_chapter(raw) == chapter


@pytest.mark.parametrize("raw", ["77", "7703", "12345", "", "abc"])
def test_hs_chapter_refuses_invalid_codes(raw: str) -> None:
    with pytest.raises(InvalidIdentifierError):
        ids.hs_chapter(raw)


# ---------------------------------------------------------------------------------------------
# Countries, currencies, UN/LOCODE
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("DE", "DE"), ("de", "DE"), ("DEU", "DE"), ("gbr", "GB"), (" ua ", "UA"), ("ВУ", "BY")],
)
def test_country_accepts_alpha2_and_alpha3(raw: str, expected: str) -> None:
    assert ids.check_country(raw) == expected


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("UK", "the United Kingdom is GB"),
        ("EL", "Greece is GR"),
        ("XX", "is not an ISO 3166-1 country code"),
        ("XXX", "is not an ISO 3166-1 country code"),
        ("YU", "Yugoslavia"),
        ("SUN", "no longer exists"),
        ("D", "enter the 2-letter ISO country code"),
        ("DEUT", "enter the 2-letter ISO country code"),
        ("276", "enter the 2-letter ISO country code"),
        ("", "country code is empty"),
    ],
)
def test_country_refusals(raw: str, message: str) -> None:
    assert message in refused(ids.check_country, raw)


@pytest.mark.parametrize(("raw", "expected"), [("EUR", "EUR"), ("usd", "USD"), (" rub ", "RUB")])
def test_currency(raw: str, expected: str) -> None:
    assert ids.check_currency(raw) == expected


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("EURO", "enter the 3-letter ISO currency code"),
        ("E1R", "enter the 3-letter ISO currency code"),
        ("ABC", "is not an ISO 4217 currency code"),
        ("", "currency code is empty"),
    ],
)
def test_currency_refusals(raw: str, message: str) -> None:
    assert message in refused(ids.check_currency, raw)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("DE HAM", "DEHAM"), ("de-ham", "DEHAM"), ("NLRTM", "NLRTM"), ("US NYC", "USNYC")],
)
def test_locode(raw: str, expected: str) -> None:
    assert ids.check_locode(raw) == expected
    assert ids.normalize_locode(raw) == expected


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("DEHA1", "digits 2-9 (never 0 or 1)"),
        ("DEHA0", "never 0 or 1"),
        ("DEH#M", "the last 3 characters"),
        ("XXHAM", "XX is not an ISO country code"),
        ("UKLON", "UK is not an ISO country code"),
        ("12HAM", "12 is not an ISO country code"),
        ("DEHAMB", "this one has 6 characters"),
        ("DE", "a UN/LOCODE has 5 characters"),
        ("", "UN/LOCODE is empty"),
    ],
)
def test_locode_refusals(raw: str, message: str) -> None:
    assert message in refused(ids.check_locode, raw)


# ---------------------------------------------------------------------------------------------
# Travel and identity documents
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("L898902C3", "L898902C3"),  # ICAO 9303 specimen passport
        ("l898 902 c3", "L898902C3"),
        ("Ь898902С3", "Ь898902C3"),  # only the look-alike С is folded
        ("СН 123456", "CH123456"),  # Ukrainian internal passport series, Cyrillic
        ("ВЮ-123456", "BЮ123456"),  # series letter without a Latin twin is kept
        ("12.345.678/9", "123456789"),
        ("AB1", "AB1"),
        ("A" * 20, "A" * 20),
    ],
)
def test_document_number(raw: str, expected: str) -> None:
    assert ids.check_document_number(raw) == expected


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("AB", "must have 3 to 20 letters or digits, this one has 2"),
        ("A" * 21, "this one has 21"),
        ("A" * 200, "…"),  # long pastes are cut in the message
        ("", "document number is empty"),
        ("AB#123", "# is not allowed"),
        ("AB*123", "* is not allowed"),
    ],
)
def test_document_number_refusals(raw: str, message: str) -> None:
    assert message in refused(ids.check_document_number, raw)


def test_long_refusal_messages_stay_short() -> None:
    assert len(refused(ids.check_document_number, "A" * 10_000)) < 200


@pytest.mark.parametrize(
    ("field", "digit"),
    [
        ("L898902C3", "6"),  # ICAO 9303 specimen: document number
        ("740812", "2"),  # date of birth
        ("120415", "9"),  # date of expiry
        ("ZE184226B", "1"),  # optional data
        ("AB2134<<<", "5"),  # ICAO 9303 part 3 worked example
        ("<<<<<<<<<<<<<<", "0"),
        ("<<<<<<<<<<<<<<", "<"),  # unused optional data may carry a filler as check digit
        ("l898902c3", "6"),
    ],
)
def test_mrz_check_digit(field: str, digit: str) -> None:
    assert ids.check_mrz_check_digit(field, digit) == field.upper()


def test_mrz_field_is_folded_like_other_identifiers() -> None:
    # A German keyboard's Ä and a Cyrillic А both become the A the machine-readable zone holds.
    assert ids.check_mrz_check_digit("ÄB2134<<<", "5") == "AB2134<<<"
    assert ids.check_mrz_check_digit("АВ2134<<<", " 5 ") == "AB2134<<<"


@pytest.mark.parametrize(
    ("field", "digit", "message"),
    [
        ("L898902C3", "7", "check digit should be 6, not 7"),
        ("L898902C4", "6", "check digit should be 7, not 6"),
        ("740812", "<", "must be one digit 0-9"),
        ("740812", "22", "must be one digit 0-9"),
        ("740812", "", "must be one digit 0-9"),
        ("L898-902C3", "6", "- cannot appear in a machine-readable zone"),
    ],
)
def test_mrz_check_digit_refusals(field: str, digit: str, message: str) -> None:
    with pytest.raises(InvalidIdentifierError) as caught:
        ids.check_mrz_check_digit(field, digit)
    assert message in str(caught.value)


@quick
@given(st.text(alphabet=string.ascii_uppercase + string.digits + "<", min_size=1, max_size=30))
def test_mrz_exactly_one_digit_checks_any_field(field: str) -> None:
    accepted = []
    for digit in string.digits:
        with contextlib.suppress(InvalidIdentifierError):
            accepted.append(ids.check_mrz_check_digit(field, digit))
    assert len(accepted) == 1


# ---------------------------------------------------------------------------------------------
# Aircraft, flights, call signs, consignments, postal items
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("EI-DVM", "EI-DVM"),  # Ryanair Boeing 737
        ("ei-dvm", "EI-DVM"),
        ("EI – DVM", "EI-DVM"),  # en dash with spaces from a word processor
        ("D-AIMA", "D-AIMA"),  # Lufthansa A380
        ("4X-EKA", "4X-EKA"),
        ("RA-12345", "RA-12345"),
        ("N123AB", "N123AB"),
        ("n 123ab", "N123AB"),
        ("JA8089", "JA8089"),
    ],
)
def test_aircraft_registration(raw: str, expected: str) -> None:
    assert ids.check_aircraft_registration(raw) == expected


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("12-345", "must contain a letter"),
        ("EI--DVM", "e.g. EI-DVM or N123AB"),
        ("-EIDVM", "e.g. EI-DVM or N123AB"),
        ("EI-DVMABC", "e.g. EI-DVM or N123AB"),
        ("EI_DVM", "e.g. EI-DVM or N123AB"),
        ("N", "e.g. EI-DVM or N123AB"),
        ("123456", "e.g. EI-DVM or N123AB"),
        ("", "aircraft registration is empty"),
    ],
)
def test_aircraft_registration_refusals(raw: str, message: str) -> None:
    assert message in refused(ids.check_aircraft_registration, raw)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("KC 941", "KC941"),  # Air Astana
        ("kc0941", "KC941"),  # boarding passes pad to 4 digits
        ("U2 1234", "U21234"),  # easyJet: designator with a digit
        ("BA12A", "BA12A"),
        ("LH-400", "LH400"),
        ("9W1", "9W1"),
    ],
)
def test_flight_number(raw: str, expected: str) -> None:
    assert ids.check_flight_number(raw) == expected


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("KLM1234", "KLM looks like a 3-letter ICAO airline code"),
        ("12345", "airline code 12 must contain a letter"),
        ("KC", "enter the 2-character airline code and 1 to 4 digits"),
        ("KC12345", "1 to 4 digits"),
        ("KC0000", "cannot be 0"),
        ("KC941AB", "1 to 4 digits"),
        ("", "flight number is empty"),
    ],
)
def test_flight_number_refusals(raw: str, message: str) -> None:
    assert message in refused(ids.check_flight_number, raw)


@pytest.mark.parametrize(
    ("raw", "expected"), [("9HA2345", "9HA2345"), ("dlh", "DLH"), ("C6 FT7", "C6FT7")]
)
def test_call_sign(raw: str, expected: str) -> None:
    assert ids.check_call_sign(raw) == expected


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("AB", "must have 3 to 7 letters or digits, this one has 2"),
        ("ABCDEFGH", "this one has 8"),
        ("AB#12", "# is not allowed; use the letters A-Z"),
        ("ДЖ123", "Д is not allowed; use the letters A-Z"),
        ("", "call sign is empty"),
    ],
)
def test_call_sign_refusals(raw: str, message: str) -> None:
    assert message in refused(ids.check_call_sign, raw)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("020-12345675", "02012345675"),
        ("176 9876 5435", "17698765435"),
        ("05700001234", "05700001234"),
    ],
)
def test_awb(raw: str, expected: str) -> None:
    assert ids.check_awb(raw) == expected


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("020-12345674", "check digit should be 5, not 4"),
        ("020-1234567", "has 11 digits"),
        ("020-123456755", "this one has 12 characters"),
        ("O20-12345675", "position 1 is O (did you mean 0?)"),
        ("", "air waybill number is empty"),
    ],
)
def test_awb_refusals(raw: str, message: str) -> None:
    assert message in refused(ids.check_awb, raw)


@quick
@given(st.text(alphabet=string.digits, min_size=10, max_size=10))
def test_awb_exactly_one_check_digit_is_accepted(first_ten: str) -> None:
    accepted = []
    for digit in string.digits:
        with contextlib.suppress(InvalidIdentifierError):
            accepted.append(ids.check_awb(first_ten + digit))
    assert len(accepted) == 1


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("MAEU 123456789", "MAEU123456789"), ("hlcu-ham-1234", "HLCUHAM1234"), ("ABCD", "ABCD")],
)
def test_bill_of_lading(raw: str, expected: str) -> None:
    assert ids.check_bill_of_lading(raw) == expected


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("ABC", "must have 4 to 20 letters or digits, this one has 3"),
        ("A" * 21, "this one has 21"),
        ("MAEU#1234", "# is not allowed"),
        ("", "bill of lading number is empty"),
    ],
)
def test_bill_of_lading_refusals(raw: str, message: str) -> None:
    assert message in refused(ids.check_bill_of_lading, raw)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("RA123456785RU", "RA123456785RU"),
        ("ra 123 456 785 ru", "RA123456785RU"),
        ("CP000000005DE", "CP000000005DE"),  # 11 - 0 = 11 is written 5
        ("EE000000080CN", "EE000000080CN"),  # 11 - 1 = 10 is written 0
        ("RR987654326FR", "RR987654326FR"),
    ],
)
def test_postal_item(raw: str, expected: str) -> None:
    assert ids.check_postal_item(raw) == expected


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("RA123456784RU", "check digit should be 5, not 4"),
        ("CP000000000DE", "check digit should be 5, not 0"),
        ("RA123456785XX", "XX is not an ISO country code"),
        ("RA12345678RU", "2 letters, 9 digits and a 2-letter country code"),
        ("1A123456785RU", "2 letters, 9 digits"),
        ("", "postal item number is empty"),
    ],
)
def test_postal_item_refusals(raw: str, message: str) -> None:
    assert message in refused(ids.check_postal_item, raw)


# ---------------------------------------------------------------------------------------------
# Dates
# ---------------------------------------------------------------------------------------------

NOW = datetime(2024, 6, 1, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    "moment",
    [
        NOW,
        NOW - timedelta(days=3650),
        NOW + timedelta(minutes=4, seconds=59),  # clock skew
        datetime(1950, 1, 1, tzinfo=UTC),
        datetime(2024, 6, 1, 16, 30, tzinfo=timezone(timedelta(hours=5))),  # Almaty, 11:30 UTC
    ],
)
def test_seizure_datetime_accepted(moment: datetime) -> None:
    assert ids.check_seizure_datetime(moment, now=NOW) is moment


@pytest.mark.parametrize(
    ("moment", "message"),
    [
        (datetime(2024, 5, 1, 9, 0), "has no time zone"),  # naive on purpose
        (NOW + timedelta(minutes=5, seconds=1), "is in the future"),
        (datetime(2024, 6, 1, 17, 30, tzinfo=timezone(timedelta(hours=5))), "in the future"),
        (datetime(1949, 12, 31, 23, 59, tzinfo=UTC), "is before 1950"),
    ],
)
def test_seizure_datetime_refused(moment: datetime, message: str) -> None:
    with pytest.raises(InvalidIdentifierError) as caught:
        ids.check_seizure_datetime(moment, now=NOW)
    assert message in str(caught.value)


def test_seizure_datetime_defaults_to_the_real_clock() -> None:
    assert ids.check_seizure_datetime(datetime.now(UTC)).tzinfo is UTC
    with pytest.raises(InvalidIdentifierError, match="future"):
        ids.check_seizure_datetime(datetime.now(UTC) + timedelta(hours=1))


def test_seizure_datetime_naive_now_is_a_programming_error() -> None:
    naive_now = datetime(2024, 6, 1, 12, 0)  # naive on purpose
    with pytest.raises(ValueError, match="timezone-aware") as caught:
        ids.check_seizure_datetime(NOW, now=naive_now)
    assert not isinstance(caught.value, InvalidIdentifierError)


TODAY = date(2024, 6, 15)


@pytest.mark.parametrize(
    "parts",
    [
        (1985, None, None),
        (1985, 7, None),
        (1985, 7, 14),
        (2024, 2, 29),  # leap year
        (2000, 2, 29),  # divisible by 400
        (1900, 1, 1),
        (2024, 6, 15),  # today
        (2024, 6, None),  # this month
        (2024, None, None),  # this year
        (None, None, None),  # nothing known is not an error
    ],
)
def test_partial_date_accepted(parts: tuple[int | None, int | None, int | None]) -> None:
    assert ids.check_partial_date(*parts, today=TODAY) == parts


@pytest.mark.parametrize(
    ("parts", "message"),
    [
        ((None, 7, None), "without a year"),
        ((None, 7, 14), "without a year"),
        ((None, None, 14), "without a year"),
        ((1985, None, 14), "a day without a month"),
        ((2023, 2, 30), "there is no day 30 in February 2023 (it has 28 days)"),
        ((2023, 2, 29), "it has 28 days"),
        ((1900, 2, 29), "it has 28 days"),  # 1900 was not a leap year
        ((2024, 4, 31), "it has 30 days"),
        ((2024, 1, 0), "there is no day 0"),
        ((2024, 13, None), "month 13 does not exist"),
        ((2024, 0, None), "month 0 does not exist"),
        ((1899, 12, 31), "is before 1900"),
        ((2024, 6, 16), "2024-06-16 is in the future"),
        ((2024, 7, None), "2024-07 is in the future"),
        ((2025, None, None), "2025 is in the future"),
        ((10000, 1, 1), "is in the future"),
    ],
)
def test_partial_date_refused(
    parts: tuple[int | None, int | None, int | None], message: str
) -> None:
    with pytest.raises(InvalidIdentifierError) as caught:
        ids.check_partial_date(*parts, today=TODAY)
    assert message in str(caught.value)


def test_partial_date_defaults_to_today() -> None:
    assert ids.check_partial_date(1990, 5, 1) == (1990, 5, 1)
    with pytest.raises(InvalidIdentifierError, match="future"):
        ids.check_partial_date(datetime.now(UTC).year + 1, None, None)


# ---------------------------------------------------------------------------------------------
# Registry and search keys
# ---------------------------------------------------------------------------------------------

VALID_CONVEYANCE_EXAMPLES: list[tuple[str, str, str]] = [
    ("plate", "а123вс 77", "A123BC77"),
    ("vin", "1m8gdm9axkp042788", "1M8GDM9AXKP042788"),
    ("imo", "9074729", "IMO9074729"),
    ("mmsi", "MMSI 211 234 560", "211234560"),
    ("call_sign", "9ha 2345", "9HA2345"),
    ("aircraft_registration", "ei dvm", "EIDVM"),
    ("aircraft_registration", "EI-DVM", "EI-DVM"),
    ("flight", "KC 0941", "KC941"),
    ("container", "CSQU 305438-3", "CSQU3054383"),
    ("awb", "020-12345675", "02012345675"),
    ("bill_of_lading", "MAEU 123456789", "MAEU123456789"),
    ("postal_item", "RA 123 456 785 RU", "RA123456785RU"),
]


def test_registry_has_exactly_the_conveyance_kinds() -> None:
    assert set(ids.CONVEYANCE_IDENTIFIER_CHECKS) == {
        "plate",
        "vin",
        "imo",
        "mmsi",
        "call_sign",
        "aircraft_registration",
        "flight",
        "container",
        "awb",
        "bill_of_lading",
        "postal_item",
    }


def test_registry_is_read_only() -> None:
    with pytest.raises(TypeError):
        ids.CONVEYANCE_IDENTIFIER_CHECKS["plate"] = ids.check_vin  # type: ignore[index]


@pytest.mark.parametrize(("kind", "raw", "canonical"), VALID_CONVEYANCE_EXAMPLES)
def test_registry_checks_and_search_keys_agree(kind: str, raw: str, canonical: str) -> None:
    assert ids.CONVEYANCE_IDENTIFIER_CHECKS[kind](raw) == canonical
    # A search for what the officer typed finds the stored canonical form.
    assert ids.normalize_identifier(kind, raw) == ids.normalize_identifier(kind, canonical)


@pytest.mark.parametrize(
    ("kind", "raw", "key"),
    [
        ("aircraft_registration", "EI-DVM", "EIDVM"),
        ("flight", "kc 0941", "KC941"),
        ("imo", "9074729", "IMO9074729"),
        ("container", "not a container!", "NOTACONTAINER!"),  # normalises, never validates
        ("awb", "020-1234", "0201234"),
        ("something_new", "ab-12 /c", "AB12C"),  # unknown kinds get the alnum fallback
        ("plate", "", ""),
    ],
)
def test_normalize_identifier(kind: str, raw: str, key: str) -> None:
    assert ids.normalize_identifier(kind, raw) == key
