"""In real Chromium, the seizure and person lists in English, French and Russian: the seizure
list shows its main goods with the quantity as the language writes it, the person list the
birth date and nationalities by name; the table fits the window at 1280 px. Screenshots go to
``test-output/i18n-layout/``."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy.orm import Session

from ncen.accounts.models import Role
from tests.web_support import PASSWORD, make_record, make_user

pytestmark = pytest.mark.e2e

SHOTS = Path(__file__).resolve().parents[2] / "test-output" / "i18n-layout"
# language button -> (html lang, a million and a quarter as written there)
LANGUAGES = {
    "English": ("en", "1,200,000"),
    "Français": ("fr", "1\u202f200\u202f000"),
    "Русский": ("ru", "1\u00a0200\u00a0000"),
}


def test_lists_in_every_language(page: Page, e2e_db: Session) -> None:
    user = make_user(e2e_db, Role.INVESTIGATOR, username="e2e-i18n-lists")
    seizure = make_record(
        e2e_db,
        user,
        "seizure",
        place="Altynkol",
        items=[
            {
                "commodity_group": "drugs",
                "description": "Cocaine",
                "quantity": "2.5",
                "unit": "kg",
                "estimated_value": "100000",
                "currency": "USD",
            },
            {
                "commodity_group": "tobacco",
                "description": "Cigarettes",
                "quantity": "1200000",
                "unit": "sticks",
                "estimated_value": "360000",
                "currency": "USD",
            },
        ],
    )
    person_record = make_record(e2e_db, user, "person")
    page.set_default_timeout(10_000)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto("/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/home$"))
    SHOTS.mkdir(parents=True, exist_ok=True)
    for button, (code, million) in LANGUAGES.items():
        page.get_by_role("button", name=button).click()
        expect(page.locator("html")).to_have_attribute("lang", code)
        page.goto("/seizures")
        row = page.locator("#seizure-list tbody tr").filter(has_text=seizure.reference)
        goods = row.locator(".main-goods")
        expect(goods).to_contain_text(million)  # the cigarettes: the item of the higher value
        expect(goods).to_contain_text("Cigarettes")
        expect(goods).not_to_contain_text("Cocaine")
        assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")
        page.screenshot(path=str(SHOTS / f"seizure-list-{code}.png"), full_page=True)
        page.goto("/persons")
        # This test's person, not a namesake that another journey left in the shared database.
        person = page.locator("#person-list tbody tr").filter(
            has=page.locator(f'a[href$="/persons/{person_record.id}"]')
        )
        expect(person.locator('span[title="KZ"]')).to_be_visible()
        expect(person).to_contain_text("1984")
        page.screenshot(path=str(SHOTS / f"person-list-{code}.png"), full_page=True)
