"""In real Chromium: an analyst opens the statistics page, sees the charts drawn (ECharts
canvases, the world map included, with no console error under the CSP), and follows a number
to the seizures behind it: the list shows exactly that many."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import ConsoleMessage, Page, expect
from sqlalchemy.orm import Session

from ncen.accounts.models import Role
from tests.e2e.conftest import screenshot
from tests.web_support import PASSWORD, make_record, make_user

pytestmark = pytest.mark.e2e


def test_analyst_follows_a_number_to_its_seizures(page: Page, e2e_db: Session) -> None:
    author = make_user(e2e_db, Role.INVESTIGATOR, username="e2e-stats-author")
    analyst = make_user(e2e_db, Role.ANALYST, username="e2e-stats-analyst")
    for day, group, country in (
        ("2026-03-02", "tobacco", "CN"),
        ("2026-03-20", "tobacco", "TR"),
        ("2026-04-11", "drugs", "CO"),
    ):
        item = {"commodity_group": group, "quantity": "12", "unit": "kg"}
        make_record(
            e2e_db,
            author,
            "seizure",
            occurred_at=f"{day}T09:00:00+00:00",
            departure_country=country,
            items=[item],
        )
    problems: list[str] = []

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            problems.append(message.text)

    page.on("console", on_console)
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.set_default_timeout(15_000)
    page.goto("/")
    page.get_by_label("Username").fill(analyst.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/home$"))

    page.get_by_role("navigation", name="Main menu").get_by_role("link", name="Analysis").click()
    expect(page).to_have_url(re.compile(r"/analysis/statistics$"))
    expect(page.locator("#stats-as-of")).to_contain_text("As of")
    for panel in ("commodity", "month", "flow", "map", "transport"):
        expect(page.locator(f"#panel-{panel} .stats-chart canvas").first).to_be_attached()
    page.wait_for_timeout(500)  # let the map's shapes load and draw
    screenshot(page, "statistics-page")

    link = page.locator("#table-commodity tr[data-value='tobacco'] a.stat-count")
    shown = int(link.inner_text().replace(",", "").strip())
    assert shown >= 2
    link.click()
    expect(page).to_have_url(re.compile(r"/seizures\?.*facet=commodity(:|%3A)tobacco"))
    count = page.locator("p.text-muted").filter(has_text=re.compile(r"\d+ seizures?"))
    expect(count).to_have_text(re.compile(rf"^{shown} seizures?$"))
    expect(page.locator("#active-facets")).to_contain_text("Commodity group")
    screenshot(page, "statistics-drill-down")
    assert problems == [], problems
