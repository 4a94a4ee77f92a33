"""In real Chromium: an investigator attaches concealment pictures to a seizure; an analyst
uploads a re-taken copy (resized, slightly cropped, brighter) on "Find similar pictures" and
sees the original first, with its distance and its seizure; the copy is not stored."""

from __future__ import annotations

import re

import pytest
from PIL import ImageEnhance
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ncen.accounts.models import Role
from ncen.pictures.models import Picture
from tests.e2e.conftest import screenshot
from tests.integration.test_pictures import encode, scene
from tests.web_support import PASSWORD, make_record, make_user

pytestmark = pytest.mark.e2e


def _sign_in(page: Page, username: str) -> None:
    page.goto("/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/home$"))


def test_analyst_finds_the_near_duplicate_of_an_uploaded_picture(
    page: Page, browser: Browser, live_server: str, e2e_db: Session, tmp_path
) -> None:
    investigator = make_user(e2e_db, Role.INVESTIGATOR, username="e2e-pictures-inv")
    analyst = make_user(e2e_db, Role.ANALYST, username="e2e-pictures-analyst")
    seizure = make_record(e2e_db, investigator, "seizure")
    e2e_db.commit()
    original = scene(1200, 900, seed=404)
    (tmp_path / "tyre.jpg").write_bytes(encode(original, "JPEG", quality=90))
    (tmp_path / "other.jpg").write_bytes(encode(scene(1200, 900, seed=405), "JPEG"))
    retaken = ImageEnhance.Brightness(original.crop((24, 18, 1176, 882))).enhance(1.1)
    (tmp_path / "retaken.jpg").write_bytes(encode(retaken.resize((800, 600)), "JPEG", quality=70))

    page.set_default_timeout(15_000)
    _sign_in(page, investigator.username)
    page.goto(f"/pictures/attach/seizure/{seizure.id}")
    page.locator("input[type=file]").set_input_files(
        [str(tmp_path / "tyre.jpg"), str(tmp_path / "other.jpg")]
    )
    page.get_by_role("button", name="Add pictures").click()
    expect(page.get_by_text("Pictures added.")).to_be_visible()
    with e2e_db.begin():
        stored = e2e_db.execute(select(func.count()).select_from(Picture)).scalar_one()

    context = browser.new_context(base_url=live_server, locale="en-GB")
    tab = context.new_page()
    tab.set_default_timeout(15_000)
    try:
        _sign_in(tab, analyst.username)
        tab.goto("/pictures/search")
        expect(tab.locator("#picture-gallery .gallery-thumb")).to_have_count(2)
        screenshot(tab, "pictures-01-gallery")
        tab.get_by_role("link", name="Find similar pictures").click()
        tab.get_by_label("Picture").set_input_files(str(tmp_path / "retaken.jpg"))
        screenshot(tab, "pictures-02-upload")
        tab.get_by_role("button", name="Find similar pictures").click()
        first = tab.locator("#similar-results > li").first
        expect(first.locator(".similar-distance")).to_contain_text("Distance")
        expect(first).to_contain_text(seizure.reference)
        expect(tab.locator("#similar-results > li")).to_have_count(1)  # the other is far
        distance = int(first.locator(".similar-distance").inner_text().split()[-1])
        assert distance <= 22
        screenshot(tab, "pictures-03-similar-results")
        first.get_by_role("link", name=seizure.reference).click()
        expect(tab).to_have_url(re.compile(rf"/seizures/{seizure.id}$"))
    finally:
        context.close()
    with e2e_db.begin():
        assert e2e_db.execute(select(func.count()).select_from(Picture)).scalar_one() == stored
