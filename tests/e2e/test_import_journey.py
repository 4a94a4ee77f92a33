"""In real Chromium: a supervisor uploads an awkward CSV (Windows-1251, semicolons, a title
row, decimal commas, bad rows), fixes the proposed mapping, previews it, imports the good rows,
downloads the report of the refused rows, and imports the same file again: nothing changes."""

from __future__ import annotations

import csv
import io
import re

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ncen.accounts.models import Role
from ncen.seizures.models import Seizure
from tests.e2e.conftest import nav_link, screenshot
from tests.import_support import BAD_ROWS, MAPPING, awkward_csv
from tests.web_support import PASSWORD, make_user

pytestmark = pytest.mark.e2e

SOURCE = "e2e-legacy-cases"


def _sign_in(page: Page, username: str) -> None:
    page.goto("/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/home$"))


def _seizures(db: Session) -> int:
    db.rollback()
    return db.execute(
        select(func.count()).select_from(Seizure).where(Seizure.source == SOURCE)
    ).scalar_one()


def _upload(page: Page) -> None:
    nav_link(page, "Import").click()
    expect(page.get_by_role("heading", name="Import a spreadsheet")).to_be_visible()
    page.get_by_label("File").set_input_files(
        {"name": "legacy cases.csv", "mimeType": "text/csv", "buffer": awkward_csv()}
    )
    page.get_by_label("Seizures", exact=False).check()
    page.get_by_role("button", name="Upload").click()
    expect(page.get_by_role("heading", name="Import legacy cases.csv")).to_be_visible()


def test_supervisor_imports_an_awkward_csv(page: Page, e2e_db: Session) -> None:
    supervisor = make_user(e2e_db, Role.SUPERVISOR, username="e2e-import-supervisor")
    e2e_db.commit()
    page.set_default_timeout(20_000)
    _sign_in(page, supervisor.username)
    _upload(page)
    # The file was read: its encoding detected, the title row skipped, the header found.
    expect(page.locator("#file-info")).to_contain_text("cp1251")
    expect(page.locator("#file-info")).to_contain_text("title row")
    mapping = page.get_by_label(re.compile("^Mapping"))
    # The proposal placed the columns it recognised.
    expect(mapping).to_have_value(re.compile("Truck plate"))
    expect(mapping).to_have_value(re.compile("id: Case No"))
    screenshot(page, "import-01-proposed-mapping")

    # The user fixes it: code values, date formats, the decimal comma, the unit, the source.
    mapping.fill(MAPPING.replace("source: legacy-cases", f"source: {SOURCE}"))
    page.get_by_role("button", name="Preview").click()
    expect(page.locator("#preview-summary")).to_contain_text(
        f"4 of {4 + len(BAD_ROWS)} rows can be stored"
    )
    expect(page.locator("#problems")).to_contain_text("Unobtainium")
    expect(page.locator("#problems")).to_contain_text("placeholder date")
    expect(page.locator("#preview-rows")).to_contain_text("means_of_transport")
    screenshot(page, "import-02-preview")
    assert _seizures(e2e_db) == 0  # a preview writes nothing

    page.get_by_label("Import the good rows and report the others").check()
    page.get_by_role("button", name="Import", exact=True).click()
    expect(page.locator("#result")).to_contain_text(
        f"4 of {4 + len(BAD_ROWS)} rows stored, {len(BAD_ROWS)} refused"
    )
    screenshot(page, "import-03-result")
    assert _seizures(e2e_db) == 3

    with page.expect_download() as info:
        page.locator("#report-link").click()
    download = info.value
    assert download.suggested_filename == "legacy_cases-refused-rows.csv"
    with open(download.path(), encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(io.StringIO(handle.read())))
    assert {r["column"] for r in rows} == {column for _row, column in BAD_ROWS}
    assert all(r["row"].isdigit() and r["reason"] for r in rows)

    # The same file again: nothing is created or updated.
    _upload(page)
    page.get_by_label(re.compile("^Mapping")).fill(
        MAPPING.replace("source: legacy-cases", f"source: {SOURCE}")
    )
    page.get_by_label("Import the good rows and report the others").check()
    page.get_by_role("button", name="Import", exact=True).click()
    expect(page.locator("#result")).to_contain_text("Created: 0")
    expect(page.locator("#result")).to_contain_text("Updated: 0")
    screenshot(page, "import-04-same-file-again")
    assert _seizures(e2e_db) == 3
