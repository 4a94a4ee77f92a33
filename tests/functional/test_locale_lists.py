"""The lists show what officers look for, written as the user's language writes numbers and
dates: the seizure list's main goods (the item of the highest value, with its quantity and
unit), the person list's birth date and nationalities by name; quantities and money on the
seizure page in French (narrow no-break space) and Russian (no-break space)."""

from __future__ import annotations

import html
from collections.abc import Callable

import pytest
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from ncen.accounts.models import Role, User
from tests.web_support import make_record

NNBSP = "\u202f"  # French groups digits with a narrow no-break space
NBSP = "\u00a0"  # Russian with a no-break space


def _items() -> list[dict[str, str]]:
    return [
        {
            "commodity_group": "tobacco",
            "description": "Cigarettes, counterfeit brand",
            "quantity": "1234.5",
            "unit": "kg",
            "estimated_value": "900.00",
            "currency": "EUR",
        },
        {
            "commodity_group": "drugs",
            "description": "Cocaine hydrochloride",
            "quantity": "12000",
            "unit": "kg",
            "estimated_value": "1234567.50",
            "currency": "EUR",
        },
    ]


@pytest.mark.parametrize(
    ("locale", "quantity", "money"),
    [
        ("en", "12,000", "€1,234,567.50"),
        ("fr", f"12{NNBSP}000", f"1{NNBSP}234{NNBSP}567,50{NBSP}€"),
        ("ru", f"12{NBSP}000", f"1{NBSP}234{NBSP}567,50{NBSP}€"),
    ],
)
def test_seizure_list_and_page_write_numbers_as_the_locale_does(
    client: FlaskClient,
    db: Session,
    signed_in: Callable[..., User],
    *,
    locale: str,
    quantity: str,
    money: str,
) -> None:
    user = signed_in(Role.INVESTIGATOR, locale=locale)
    seizure = make_record(db, user, "seizure", items=_items())

    listing = html.unescape(client.get("/seizures").text)
    row = listing[listing.index(seizure.reference) :].split("</tr>")[0]
    # The main goods are the cocaine (the higher value), not the first item recorded.
    assert "Cocaine hydrochloride" in row
    assert "Cigarettes" not in row
    assert quantity in row
    assert "12000" not in row  # never the raw stored number

    page = html.unescape(client.get(f"/seizures/{seizure.id}").text)
    assert money in page
    assert {"en": "1,234.5", "fr": f"1{NNBSP}234,5", "ru": f"1{NBSP}234,5"}[locale] in page


def test_main_goods_say_how_many_other_items(
    client: FlaskClient, db: Session, signed_in: Callable[..., User]
) -> None:
    user = signed_in(Role.INVESTIGATOR)
    make_record(db, user, "seizure", items=_items())
    assert "and 1 other item" in client.get("/seizures").text


def test_main_goods_without_values_take_the_largest_quantity(
    client: FlaskClient, db: Session, signed_in: Callable[..., User]
) -> None:
    user = signed_in(Role.INVESTIGATOR)
    items = [
        {**item, "estimated_value": None, "currency": None, "quantity": q}
        for item, q in zip(_items(), ("40", "3"), strict=True)
    ]
    seizure = make_record(db, user, "seizure", items=items)
    listing = client.get("/seizures").text
    row = listing[listing.index(seizure.reference) :].split("</tr>")[0]
    assert "Cigarettes, counterfeit brand" in row
    assert "Cocaine" not in row


@pytest.mark.parametrize(
    ("locale", "born"),
    [("en", "Jul 1984"), ("fr", "juil. 1984"), ("ru", "июль 1984")],
)
def test_person_list_shows_birth_and_nationalities_by_name(
    client: FlaskClient, db: Session, signed_in: Callable[..., User], locale: str, born: str
) -> None:
    user = signed_in(Role.INVESTIGATOR, locale=locale)
    make_record(db, user, "person")
    listing = html.unescape(client.get("/persons").text)
    row = listing[listing.index("Алиев Мухаммад Ибрагимович") :].split("</tr>")[0]
    assert born in row
    assert "1984-07" not in row
    # Nationalities by name (the code stays as the title), not the bare codes.
    assert 'title="KZ"' in row
    assert ">KZ<" not in row
