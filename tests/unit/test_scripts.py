"""ISO 15924 script codes: detection from letters and validation of given codes."""

from __future__ import annotations

import pytest

from ncen.errors import InvalidIdentifierError
from ncen.scripts import check_script, detect_script


@pytest.mark.parametrize(
    ("given", "stored"),
    [("Latn", "Latn"), ("cyrl", "Cyrl"), ("ARAB", "Arab"), ("Hans", "Hans"), ("Hant", "Hant"),
     ("Hani", "Hani"), ("Jpan", "Jpan"), ("Zyyy", "Zyyy"), (" Geor ", "Geor")],
)  # fmt: skip
def test_registered_codes_in_their_registered_form(given: str, stored: str) -> None:
    assert check_script(given) == stored


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ("Abcd", "unknown ISO 15924 script code 'Abcd'"),
        ("Xxxx", "unknown ISO 15924"),
        ("Qaaa", "private-use"),
        ("Qabx", "private-use"),
        ("Lat", "four-letter"),
        ("Latin", "four-letter"),
        ("La7n", "four-letter"),
        ("Латн", "four-letter"),
        ("", "four-letter"),
    ],
)
def test_anything_else_is_refused_with_a_reason(given: str, message: str) -> None:
    with pytest.raises(InvalidIdentifierError, match=message):
        check_script(given)


def test_detected_codes_are_registered() -> None:
    for name in ("Anna", "Анна", "آنا", "王磊", "Άννα", "ანა", "Աննա", "अन्ना", "안나", "アンナ"):
        assert check_script(detect_script(name)) == detect_script(name)
