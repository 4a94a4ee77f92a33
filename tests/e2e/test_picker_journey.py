"""In real Chromium: the participant picker searches as the investigator types (Tom Select,
served from this node, asking ``/seizures/picker/company``); choosing a company from the
dropdown links it when the case is saved (and on the link page), and the countries are chosen
from a search box."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy.orm import Session

from ncen.accounts.models import Role
from tests.e2e.conftest import screenshot
from tests.e2e.test_seizure_journey import _fill_header_and_item, _sign_in
from tests.web_support import make_record, make_user

pytestmark = pytest.mark.e2e


def test_choose_a_company_from_the_search_as_you_type_picker(page: Page, e2e_db: Session) -> None:
    investigator = make_user(e2e_db, Role.INVESTIGATOR, username="e2e-picker")
    company = make_record(
        e2e_db, investigator, "company", names=[{"name": "Caspian <Amber> Shipping Ltd"}]
    )
    make_record(e2e_db, investigator, "company", names=[{"name": "Baltic Timber Freight"}])
    page.set_default_timeout(10_000)
    _sign_in(page, investigator.username)
    page.goto("/seizures/new")
    expect(page.locator("html")).to_have_class(re.compile(r"\bjs\b"))
    _fill_header_and_item(page, "Aktau sea port")
    expect(page.locator("select#departure_country")).to_have_value("CN")

    companies = page.locator("#companies")
    companies.get_by_label("Role", exact=True).select_option("importer")
    search = companies.get_by_role("combobox", name="Search as you type")
    search.focus()
    search.press_sequentially("amber", delay=50)
    option = companies.locator(".ts-dropdown .option", has_text="Caspian <Amber> Shipping Ltd")
    expect(option).to_be_visible()
    expect(companies.locator(".ts-dropdown .option")).to_have_count(1)
    screenshot(page, "30-picker-dropdown")
    option.click()
    chosen = companies.locator("input[type=hidden][name='companies-0-existing_id']")
    expect(chosen).to_have_value(str(company.id))
    screenshot(page, "31-picker-chosen")

    page.get_by_role("button", name="Save as draft").click()
    expect(page).to_have_url(re.compile(r"/seizures/[0-9a-f-]{36}$"))
    expect(page.locator("#linked-company")).to_contain_text("Caspian <Amber> Shipping Ltd")
    expect(page.locator("#linked-company")).to_contain_text("Importer")
    screenshot(page, "32-picker-saved")

    # The link page of the saved seizure has the same picker.
    page.goto(page.url + "/link?kind=company")
    page.get_by_label("Role", exact=True).select_option("consignee")
    search = page.get_by_role("combobox", name="Search as you type")
    search.focus()
    search.press_sequentially("timber", delay=50)
    page.locator(".ts-dropdown .option", has_text="Baltic Timber Freight").click()
    page.get_by_role("button", name="Link to the seizure").click()
    expect(page.get_by_text("Link added.")).to_be_visible()
    expect(page.locator("#linked-company")).to_contain_text("Baltic Timber Freight")
    screenshot(page, "33-picker-linked")
