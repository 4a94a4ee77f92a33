"""In real Chromium: an investigator records a case (an item, a new person, an existing company
and a picture), finds it again from the lists, edits it while a supervisor edits it in another
browser (the conflict is shown and the input kept), and reads it in French and Russian; the
recording form's row and picker buttons work with JavaScript switched off."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import Browser, Locator, Page, expect
from sqlalchemy.orm import Session

from ncen.accounts.models import Role
from tests.e2e.conftest import screenshot
from tests.web_support import PASSWORD, jpeg, make_record, make_user

pytestmark = pytest.mark.e2e
WHEN = (datetime.now(UTC) - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")


def _sign_in(page: Page, username: str) -> None:
    page.goto("/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/home$"))


def choose(field: Locator, value: str) -> None:
    """Choose ``value`` in a select (``field``: its combobox), also when Tom Select has put
    its search box over it (with JavaScript: open the search box and click the option)."""
    if field.evaluate("element => element.tagName") == "SELECT":
        field.select_option(value)
        return
    select_id = (field.get_attribute("id") or "").removesuffix("-ts-control")
    field.focus()  # the search box opens on focus (its input may lie outside the viewport)
    field.page.locator(f"#{select_id}-ts-dropdown [data-value='{value}']").click()
    expect(field.page.locator(f"select#{select_id}")).to_have_value(value)


def _fill_header_and_item(page: Page, place: str) -> None:
    page.get_by_label("Date and time of the seizure").fill(WHEN)
    page.get_by_label("Time zone (UTC offset)").select_option("+05:00")
    page.get_by_label("Place", exact=True).fill(place)
    page.get_by_label("Direction").select_option("import")
    page.get_by_label("Transport mode").select_option("road")
    choose(page.get_by_role("combobox", name="Country of departure"), "CN")
    choose(page.get_by_role("combobox", name="Country of destination"), "RU")
    items = page.locator("#items")
    items.get_by_label("Commodity group").select_option("tobacco")
    items.get_by_label("HS code").fill("2402.20")
    items.get_by_label("Description").fill("Counterfeit cigarettes")
    items.get_by_label("Quantity").fill("12000")
    items.get_by_label("Unit").select_option("pieces")
    items.get_by_label("Estimated value").fill("3600")
    items.get_by_label("Currency").select_option("USD")


def test_record_find_edit_and_read_in_three_languages(
    browser: Browser, page: Page, live_server: str, e2e_db: Session
) -> None:
    investigator = make_user(e2e_db, Role.INVESTIGATOR, username="e2e-investigator")
    supervisor = make_user(e2e_db, Role.SUPERVISOR, username="e2e-supervisor")
    company = make_record(e2e_db, supervisor, "company", names=[{"name": "Jade Route Trading LLP"}])
    page.set_default_timeout(10_000)
    _sign_in(page, investigator.username)
    page.locator("#main-nav").get_by_role("link", name="Record a seizure").click()
    expect(page.get_by_role("heading", name="Record a seizure")).to_be_visible()

    _fill_header_and_item(page, "Khorgos <border> post")
    page.get_by_label("Narrative").fill("Cigarettes hidden behind ceramic tiles.")
    page.locator("#concealment_methods").get_by_label(re.compile("^Within cargo")).check()
    # "Add an item" posts back: a second row appears and nothing typed is lost.
    page.get_by_role("button", name="Add an item").click()
    expect(page.locator("#items .item-row")).to_have_count(2)
    expect(page.get_by_label("Place", exact=True)).to_have_value("Khorgos <border> post")
    expect(page.locator("#items-0-hs_code")).to_have_value("2402.20")

    persons = page.locator("#persons")
    persons.get_by_label("Role", exact=True).select_option("courier")
    persons.get_by_label("Full name").fill("Ержан Касымов")
    persons.get_by_label("Gender").select_option("M")
    persons.get_by_label("Year of birth").fill("1979")
    choose(persons.get_by_role("combobox", name="Nationality"), "KZ")
    persons.get_by_label("Document number").fill("N7654321")

    companies = page.locator("#companies")
    companies.get_by_label("Role", exact=True).select_option("importer")
    companies.get_by_label("Find an existing record").fill("Jade Route")
    companies.get_by_role("button", name="Find").click()
    page.locator("#companies").get_by_label(re.compile("Jade Route Trading LLP")).check()
    expect(page.locator("#persons").get_by_label("Full name")).to_have_value("Ержан Касымов")
    screenshot(page, "10-record-seizure-form")

    page.locator("input#pictures").set_input_files(
        [{"name": "tiles.jpg", "mimeType": "image/jpeg", "buffer": jpeg(320, 240)}]
    )
    page.get_by_label("Caption of the pictures").fill("Cartons behind the tiles")
    page.get_by_role("button", name="Save as draft").click()

    expect(page).to_have_url(re.compile(r"/seizures/[0-9a-f-]{36}$"))
    expect(page.get_by_text("recorded as a draft")).to_be_visible()
    reference = page.locator("h1").inner_text().split()[-1]
    expect(page.locator("#items-table")).to_contain_text("Counterfeit cigarettes")
    expect(page.locator("#linked-person")).to_contain_text("Ержан Касымов")
    expect(page.locator("#linked-person")).to_contain_text("Courier")
    expect(page.locator("#linked-company")).to_contain_text("Jade Route Trading LLP")
    expect(page.locator("#linked-company")).to_contain_text("Importer")
    expect(page.locator("img.gallery-thumb")).to_have_count(1)
    assert page.locator("img.gallery-thumb").evaluate("img => img.naturalWidth") > 0
    expect(page.get_by_role("link", name="Original")).to_be_visible()
    seizure_url = page.url
    screenshot(page, "11-seizure-page")

    # Found again from the lists: the seizure list, then the person list and page.
    page.locator("#main-nav").get_by_role("link", name="Seizures").click()
    page.get_by_label("Reference or place").fill("Khorgos")
    page.get_by_role("button", name="Filter").click()
    expect(page.locator("#seizure-list")).to_contain_text(reference)
    screenshot(page, "12-seizure-list-filtered")
    page.locator("#main-nav").get_by_role("link", name="Persons").click()
    page.get_by_label("Name").fill("Касымов")
    page.get_by_role("button", name="Filter").click()
    page.get_by_role("link", name="Ержан Касымов").click()
    expect(page.get_by_role("link", name=reference)).to_be_visible()
    expect(page.get_by_role("cell", name="Courier", exact=True)).to_be_visible()
    screenshot(page, "13-person-page")
    page.get_by_role("link", name=reference).click()
    expect(page).to_have_url(seizure_url)

    # Two people edit at once: the supervisor saves first, the investigator is told.
    other = browser.new_context(base_url=live_server, locale="en-GB")
    rival = other.new_page()
    try:
        _sign_in(rival, supervisor.username)
        rival.goto(seizure_url + "/edit")
        page.get_by_role("link", name="Edit", exact=True).click()
        rival.get_by_label("Narrative").fill("Supervisor: 40 cartons in total.")
        rival.get_by_role("button", name="Save").click()
        expect(rival.get_by_text("Changes saved.")).to_be_visible()

        page.get_by_label("Place", exact=True).fill("Khorgos, gate 3")
        page.get_by_role("button", name="Save").click()
        conflict = page.locator("#conflict")
        expect(conflict).to_be_visible()
        expect(conflict).to_contain_text("Supervisor: 40 cartons in total.")
        expect(page.get_by_label("Place", exact=True)).to_have_value("Khorgos, gate 3")
        screenshot(page, "14-edit-conflict")
        page.get_by_role("button", name="Save").click()  # a deliberate second save
        expect(page.get_by_text("Changes saved.")).to_be_visible()
    finally:
        other.close()
    page.get_by_role("link", name="History").click()
    expect(page.get_by_text("Khorgos, gate 3").first).to_be_visible()
    screenshot(page, "15-seizure-history")

    page.goto(seizure_url)
    page.get_by_role("button", name="Français").click()
    expect(page.locator("html")).to_have_attribute("lang", "fr")  # the new page, not the old
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.get_by_role("heading", name=f"Saisie {reference}")).to_be_visible()
    expect(page.get_by_role("heading", name="Marchandises saisies")).to_be_visible()
    screenshot(page, "16-seizure-page-fr")
    page.get_by_role("button", name="Русский").click()
    expect(page.locator("html")).to_have_attribute("lang", "ru")  # the new page, not the old
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    expect(page.get_by_role("heading", name=f"Изъятие {reference}")).to_be_visible()
    expect(page.get_by_role("heading", name="Изъятые товары")).to_be_visible()
    screenshot(page, "17-seizure-page-ru")
    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")  # the new page, not the old
    expect(page.locator("html")).to_have_attribute("lang", "en")
    del company


def test_recording_form_works_without_javascript(
    browser: Browser, live_server: str, e2e_db: Session
) -> None:
    user = make_user(e2e_db, Role.INVESTIGATOR, username="e2e-nojs-recorder")
    make_record(e2e_db, user, "person", names=[{"full_name": "Bolat Nurlanov"}])
    context = browser.new_context(base_url=live_server, java_script_enabled=False)
    page = context.new_page()
    try:
        _sign_in(page, user.username)
        page.goto("/seizures/new")
        _fill_header_and_item(page, "Dostyk rail station")
        page.get_by_role("button", name="Add an item").click()
        expect(page.locator("#items .item-row")).to_have_count(2)
        persons = page.locator("#persons")
        persons.get_by_label("Role", exact=True).select_option("driver")
        persons.get_by_label("Find an existing record").fill("Nurlanov")
        persons.get_by_role("button", name="Find").click()
        page.locator("#persons").get_by_label(re.compile("Bolat Nurlanov")).check()
        page.locator("#items-1-hs_code").fill("12")  # a bad second item
        page.get_by_role("button", name="Save as draft").click()
        expect(page.locator("#form-problems")).to_be_visible()
        expect(page.get_by_label("Place", exact=True)).to_have_value("Dostyk rail station")
        expect(page.locator("#persons").get_by_label(re.compile("Bolat Nurlanov"))).to_be_checked()
        screenshot(page, "18-recording-errors-no-javascript")
        page.locator("#items-1-hs_code").fill("")
        page.get_by_role("button", name="Save as draft").click()
        expect(page).to_have_url(re.compile(r"/seizures/[0-9a-f-]{36}$"))
        expect(page.locator("#linked-person")).to_contain_text("Bolat Nurlanov")
    finally:
        context.close()
