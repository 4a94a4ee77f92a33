"""In real Chromium, issue 10's whole chain in one story: an analyst writes a risk profile (a
mistake is shown at its place), back-tests it and activates it; an investigator records a
seizure that matches it; the hit appears in the analyst's queue with its explanation; the
analyst confirms it and opens a restricted investigation from it, assigning an officer, who
sees it on the home page, while another investigator cannot see it."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy.orm import Session

from ncen.accounts.models import Role
from tests.e2e.conftest import nav_link, screenshot
from tests.e2e.test_hit_case_journey import (
    assignee_sees_it_and_outsider_does_not,
    open_case_from_hit,
)
from tests.e2e.test_seizure_journey import WHEN, choose
from tests.web_support import PASSWORD, make_record, make_user

pytestmark = pytest.mark.e2e
PROFILE = 'commodity_group == "cites" && hs_heading == "0507"\n&& departure_country == "TJ"'


def _sign_in(page: Page, username: str) -> None:
    page.goto("/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/home$"))


def _ivory(**overrides: object) -> dict[str, object]:
    item = {"commodity_group": "cites", "hs_code": "0507.90", "description": "Ivory pieces",
            "quantity": "12", "unit": "kg"}  # fmt: skip
    return {"departure_country": "TJ", "items": [item], **overrides}


def test_analyst_profiles_backtests_activates_and_sees_the_hit(
    browser: Browser, page: Page, live_server: str, e2e_db: Session
) -> None:
    analyst = make_user(e2e_db, Role.ANALYST, username="e2e-target-analyst")
    investigator = make_user(e2e_db, Role.INVESTIGATOR, username="e2e-target-investigator")
    officer = make_user(
        e2e_db, Role.INVESTIGATOR, username="e2e-target-officer", display_name="Ivory Officer"
    )
    outsider = make_user(e2e_db, Role.INVESTIGATOR, username="e2e-target-outsider")
    # History to back-test on: one ivory case from Tajikistan, five others.
    old = make_record(e2e_db, investigator, "seizure", **_ivory())
    for _ in range(5):
        make_record(e2e_db, investigator, "seizure")
    e2e_db.commit()
    page.set_default_timeout(10_000)
    _sign_in(page, analyst.username)

    nav_link(page, "Risk profiles").click()
    expect(page.get_by_role("heading", name="Risk profiles")).to_be_visible()
    page.get_by_role("link", name="New profile").click()
    page.get_by_label("Name", exact=True).fill("Ivory from Tajikistan")
    page.get_by_label("Purpose").fill("Ivory crossing from Tajikistan.")
    page.get_by_label("Lane").select_option("high")
    page.locator("#expression").fill(PROFILE.replace("hs_heading", "hs_headng"))
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#error-expression")).to_contain_text(
        "line 1, column 31: unknown field “hs_headng”"
    )
    screenshot(page, "targeting-01-error-at-its-place")

    page.locator("#expression").fill(PROFILE)
    page.get_by_role("button", name="Back-test").click()
    expect(page.locator("#bt-hits")).not_to_have_text("0")
    expect(page.locator("#bt-sample")).to_contain_text(old.reference)
    expect(page.locator("#bt-sample")).to_contain_text('hs_heading == "0507"')
    screenshot(page, "targeting-02-backtest")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Profile saved.")).to_be_visible()
    page.locator("#status-active").click()
    expect(page.locator("#profile-status")).to_have_text("active")
    screenshot(page, "targeting-03-active")

    # The investigator records a matching case in another browser.
    context = browser.new_context(base_url=live_server, locale="en-GB")
    other = context.new_page()
    other.set_default_timeout(10_000)
    _sign_in(other, investigator.username)
    other.locator("#main-nav").get_by_role("link", name="Record a seizure").click()
    other.get_by_label("Date and time of the seizure").fill(WHEN)
    other.get_by_label("Place", exact=True).fill("Dushanbe road")
    other.get_by_label("Transport mode").select_option("road")
    choose(other.get_by_role("combobox", name="Country of departure"), "TJ")
    items = other.locator("#items")
    items.get_by_label("Commodity group").select_option("cites")
    items.get_by_label("HS code").fill("0507.90")
    items.get_by_label("Description").fill("Carved ivory")
    items.get_by_label("Quantity").fill("3")
    items.get_by_label("Unit").select_option("kg")
    other.get_by_role("button", name="Save as draft").click()
    expect(other).to_have_url(re.compile(r"/seizures/[0-9a-f-]{36}$"))
    reference = other.locator("h1").inner_text()
    context.close()

    page.goto("/targeting/hits?sort=date")
    row = page.locator("tr.hit-row", has_text="Ivory from Tajikistan").first
    expect(row).to_be_visible()
    screenshot(page, "targeting-04-queue")
    row.get_by_role("link").first.click()
    explanation = page.locator("#hit-explanation")
    expect(explanation).to_contain_text('departure_country == "TJ"')
    expect(explanation).to_contain_text("0507")
    hit_seizure = page.locator("#hit-seizure").inner_text()
    assert hit_seizure in reference
    screenshot(page, "targeting-05-hit-explained")
    page.locator("#confirm-hit").click()
    expect(page.locator("#hit-status")).to_have_text("confirmed")

    case_url = open_case_from_hit(page, "E2E ivory from Tajikistan", officer, "targeting-06")
    expect(page.locator("#case-items")).to_contain_text(hit_seizure)
    assignee_sees_it_and_outsider_does_not(
        page, case_url, "E2E ivory from Tajikistan", officer=officer, outsider=outsider,
        shots="targeting-07",
    )  # fmt: skip
