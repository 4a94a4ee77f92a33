"""In real Chromium: an analyst types a Latin spelling in the navigation bar's search box and
finds the person recorded in Cyrillic, with the explanation of the match; then saves the
advanced search and reruns it."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy.orm import Session

from ncen.accounts.models import Role
from tests.e2e.conftest import screenshot
from tests.web_support import PASSWORD, make_record, make_user

pytestmark = pytest.mark.e2e


def test_analyst_finds_a_cyrillic_name_from_a_latin_spelling(page: Page, e2e_db: Session) -> None:
    author = make_user(e2e_db, Role.INVESTIGATOR, username="e2e-search-author")
    analyst = make_user(e2e_db, Role.ANALYST, username="e2e-analyst")
    person = make_record(
        e2e_db,
        author,
        "person",
        names=[{"full_name": "Алиев Мухаммад"}],
        documents=[],
        nationalities=["UZ"],
    )
    page.set_default_timeout(10_000)
    page.goto("/")
    page.get_by_label("Username").fill(analyst.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/home$"))

    box = page.locator("#nav-search").get_by_role("searchbox", name="Search")
    box.fill("Mohammed Aliyev")
    box.press("Enter")
    expect(page).to_have_url(re.compile(r"/search\?q=Mohammed\+Aliyev"))
    persons = page.locator("#group-persons")
    # Other journeys share this database and record namesakes (with a patronymic, equally
    # scored and ranked by completeness first): find this person's hit by its link.
    link = f'a[href="/persons/{person.id}"]'
    hit = persons.locator(".search-hit").filter(has=page.locator(link)).first
    expect(hit).to_be_visible()
    expect(hit.locator(link).first).to_have_text("Алиев Мухаммад")
    hit.get_by_text("Why this result").click()
    explanation = hit.locator(".explanation")
    expect(explanation).to_contain_text("Алиев Мухаммад")
    expect(explanation).to_contain_text("transliteration")
    screenshot(page, "search-one-box")

    # The advanced person search, saved and rerun.
    page.goto("/search/persons?q=Mohammed+Aliyev&only_nationality=UZ")
    expect(page.locator(".search-hit").filter(has=page.locator(link))).to_be_visible()
    page.get_by_label("Name of the search").fill("Aliev, Uzbek")
    page.get_by_role("button", name="Save this search").click()
    expect(page.get_by_role("heading", name="Saved searches")).to_be_visible()
    row = page.locator("#saved-searches tr").filter(has_text="Aliev, Uzbek")
    row.get_by_role("button", name="Run").click()
    # Other journeys share this database and may record more Uzbek namesakes: the count varies.
    expect(page.get_by_role("alert")).to_contain_text(
        re.compile(r"\d+ new results? since the last run")
    )
    expect(page.locator(".search-hit").filter(has=page.locator(link))).to_be_visible()
    screenshot(page, "search-saved-rerun")
