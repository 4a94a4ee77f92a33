"""In real Chromium: a supervisor merges two duplicate persons from the candidate list and
undoes the merge; an analyst watches a name, an investigator records a matching person, and
the analyst sees the alert (with its unread badge and explanation)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy.orm import Session

from ncen.accounts.models import Role
from tests.e2e.conftest import nav_link, screenshot
from tests.web_support import PASSWORD, make_record, make_user

pytestmark = pytest.mark.e2e


def _sign_in(page: Page, username: str) -> None:
    page.goto("/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/home$"))


def test_supervisor_merges_then_unmerges(page: Page, e2e_db: Session) -> None:
    author = make_user(e2e_db, Role.INVESTIGATOR, username="e2e-merge-author")
    supervisor = make_user(e2e_db, Role.SUPERVISOR, username="e2e-merge-supervisor")
    kept = make_record(e2e_db, author, "person", names=[{"full_name": "Жанибек Турсунбаев"}])
    twin = make_record(e2e_db, author, "person", names=[{"full_name": "Zhanibek Tursunbaev"}])
    e2e_db.commit()
    page.set_default_timeout(10_000)
    _sign_in(page, supervisor.username)

    nav_link(page, "Duplicates").click()
    row = page.locator("tr.candidate", has_text="Tursunbaev").first
    expect(row).to_be_visible()
    screenshot(page, "merge-01-candidates")
    row.get_by_role("link", name="Compare").click()
    expect(page.get_by_role("heading", name="Compare records")).to_be_visible()
    page.locator("#merge-form").get_by_label("Жанибек Турсунбаев").check()
    page.get_by_label("Evidence").fill("Same passport, same birth date")
    screenshot(page, "merge-02-compare")
    page.get_by_role("button", name="Merge", exact=True).click()
    expect(page).to_have_url(re.compile(rf"/persons/{kept.id}$"))
    expect(page.get_by_text("Records merged.")).to_be_visible()
    response = page.request.get(f"/persons/{twin.id}")
    assert response.status == 404

    page.goto("/duplicates/decisions")
    merge_row = page.locator("#merges tr", has_text="Tursunbaev").first
    screenshot(page, "merge-03-decisions")
    merge_row.get_by_role("button", name="Unmerge").click()
    expect(page.get_by_text("Merge undone")).to_be_visible()
    screenshot(page, "merge-04-unmerged")
    page.goto(f"/persons/{twin.id}")
    expect(page.get_by_role("heading", name="Zhanibek Tursunbaev")).to_be_visible()


def test_analyst_is_alerted_when_a_watched_name_is_recorded(
    browser: Browser, page: Page, live_server: str, e2e_db: Session
) -> None:
    analyst = make_user(e2e_db, Role.ANALYST, username="e2e-watch-analyst")
    investigator = make_user(e2e_db, Role.INVESTIGATOR, username="e2e-watch-investigator")
    e2e_db.commit()
    page.set_default_timeout(10_000)
    _sign_in(page, analyst.username)
    nav_link(page, "Watch-list").click()
    page.get_by_label("Name or identifier").fill("Dilshod Karimov")
    page.get_by_label("Threshold (names)").fill("0.8")
    page.get_by_role("button", name="Add").click()
    expect(page.locator("#watches")).to_contain_text("Dilshod Karimov")
    expect(page.locator("#alerts-badge")).to_have_text("0")
    screenshot(page, "watch-01-watch-list")

    context = browser.new_context(base_url=live_server, locale="en-GB")
    other = context.new_page()
    other.set_default_timeout(10_000)
    try:
        _sign_in(other, investigator.username)
        other.goto("/persons/new")
        other.get_by_label("Full name").first.fill("Дилшод Каримов")
        other.get_by_role("button", name="Save").click()
        expect(other).to_have_url(re.compile(r"/persons/[0-9a-f-]{36}$"))
    finally:
        context.close()

    page.reload()
    expect(page.locator("#alerts-badge")).to_have_text("1")
    page.locator("#alerts-link").click()
    alert = page.locator("#alerts li.alert-row").first
    expect(alert).to_contain_text("Dilshod Karimov")
    alert.get_by_text("Why this alert").click()
    expect(alert).to_contain_text("Дилшод Каримов")
    screenshot(page, "watch-02-alerts")
    alert.get_by_role("link", name="Person").click()
    expect(page.get_by_role("heading", name="Дилшод Каримов")).to_be_visible()
