"""In real Chromium: an administrator enrols TOTP at first sign-in, creates a user, and uses the
interface in French and Russian; a new user signs in and changes the one-time password; the
sign-in works with JavaScript switched off."""

from __future__ import annotations

import re

import pyotp
import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy.orm import Session

from ncen.accounts.models import Role
from tests.e2e.conftest import nav_link, screenshot, sign_out
from tests.web_support import PASSWORD, make_user

pytestmark = pytest.mark.e2e


def _sign_in(page: Page, username: str, password: str = PASSWORD) -> None:
    page.goto("/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def test_administrator_journey(page: Page, e2e_db: Session) -> None:
    admin = make_user(e2e_db, Role.ADMINISTRATOR, username="e2e-admin", totp=False)
    _sign_in(page, admin.username)

    expect(page).to_have_url(re.compile(r"/auth/two-factor/enrol$"))
    expect(page.locator(".qr-code svg")).to_be_visible()
    screenshot(page, "01-totp-enrolment")
    secret = page.locator("#totp-secret").inner_text().replace(" ", "")
    page.get_by_label("Code from your authenticator app").fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name="Verify").click()
    expect(page).to_have_url(re.compile(r"/home$"))
    menu = page.locator("#main-nav")
    expect(nav_link(page, "Users")).to_be_visible()
    screenshot(page, "02-dashboard")

    nav_link(page, "Users").click()
    page.get_by_role("link", name="New user").click()
    page.get_by_label("Username").fill("e2e.analyst")
    page.get_by_label("Full name").fill("Анна Аналитик <b>")
    page.get_by_label("Analyst").check()
    page.get_by_role("button", name="Create user").click()
    one_time = page.locator("#one-time-password").inner_text()
    assert len(one_time) >= 12
    screenshot(page, "03-user-created")
    page.get_by_role("link", name="All users").click()
    expect(page.get_by_role("cell", name="Анна Аналитик <b>")).to_be_visible()

    page.get_by_role("button", name="Français").click()
    expect(page.locator("html")).to_have_attribute("lang", "fr")  # the new page, not the old
    expect(nav_link(page, "Utilisateurs")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    screenshot(page, "04-users-fr")

    page.get_by_role("button", name="Русский").click()
    expect(page.locator("html")).to_have_attribute("lang", "ru")  # the new page, not the old
    expect(nav_link(page, "Пользователи")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    nav_link(page, "Журнал аудита").click()
    created = page.get_by_role("row").filter(has_text="user.create")
    expect(created.filter(has_text="e2e.analyst")).to_have_count(1)
    screenshot(page, "05-audit-ru")

    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")  # the new page, not the old
    sign_out(page)
    expect(page).to_have_url(re.compile(r"/auth/sign-in$"))

    _sign_in(page, "e2e.analyst", one_time)
    expect(page).to_have_url(re.compile(r"/auth/password$"))
    page.get_by_label("Current password").fill(one_time)
    page.get_by_label("New password", exact=True).fill("a brand new passphrase")
    page.get_by_label("New password again").fill("a brand new passphrase")
    page.get_by_role("button", name="Change password").click()
    expect(page).to_have_url(re.compile(r"/home$"))
    expect(menu.get_by_role("link", name="Users")).to_have_count(0)
    screenshot(page, "06-analyst-home")


def test_sign_in_works_without_javascript(
    browser: Browser, live_server: str, e2e_db: Session
) -> None:
    user = make_user(e2e_db, Role.INVESTIGATOR, username="e2e-nojs")
    context = browser.new_context(base_url=live_server, java_script_enabled=False)
    page = context.new_page()
    try:
        _sign_in(page, user.username)
        expect(page).to_have_url(re.compile(r"/home$"))
        page.set_viewport_size({"width": 600, "height": 900})  # collapsed menu, no script
        page.locator("details[data-user-menu] summary").click()  # opens without a script
        expect(page.get_by_role("button", name="Sign out")).to_be_visible()
        screenshot(page, "07-no-javascript-narrow")
        page.get_by_role("button", name="Sign out").click()
        expect(page).to_have_url(re.compile(r"/auth/sign-in$"))
    finally:
        context.close()
