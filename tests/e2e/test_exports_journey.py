"""In real Chromium: an investigator filters the company list, clicks the Export control's
XLSX link, and the downloaded workbook holds exactly the filtered companies."""

from __future__ import annotations

import re

import pytest
from openpyxl import load_workbook
from playwright.sync_api import Page, expect
from sqlalchemy.orm import Session

from ncen.accounts.models import Role
from tests.e2e.conftest import screenshot
from tests.web_support import PASSWORD, make_record, make_user

pytestmark = pytest.mark.e2e


def test_investigator_downloads_the_filtered_list(page: Page, e2e_db: Session, tmp_path) -> None:
    user = make_user(e2e_db, Role.INVESTIGATOR, username="e2e-exports")
    make_record(e2e_db, user, "company", names=[{"name": "=Exportable Trading LLP"}])
    make_record(e2e_db, user, "company", names=[{"name": "Unrelated Holdings"}])
    page.set_default_timeout(15_000)
    page.goto("/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/home$"))

    page.goto("/companies?name=Exportable")
    control = page.locator(".export-control")
    expect(control).to_be_visible()
    screenshot(page, "exports-control")
    with page.expect_download() as caught:
        control.get_by_role("link", name="XLSX").click()
    download = caught.value
    assert download.suggested_filename == "companies.xlsx"
    saved = tmp_path / "companies.xlsx"
    download.save_as(saved)
    sheet = load_workbook(saved)["company"]
    header = [cell.value for cell in sheet[1]]
    names = [row[header.index("name")] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert names == ["'=Exportable Trading LLP"]
