"""A user makes a personal API token on the account page, uses it with ``requests``, revokes it."""

from __future__ import annotations

import re

import requests
from playwright.sync_api import Page, expect
from sqlalchemy.orm import Session

from ncen.accounts.models import Role
from tests.e2e.conftest import screenshot
from tests.web_support import PASSWORD, make_user, totp_code


def test_analyst_creates_uses_and_revokes_a_token(
    page: Page, e2e_db: Session, live_server: str
) -> None:
    user = make_user(e2e_db, Role.ANALYST, username="e2e-api-analyst", totp=True)
    page.goto("/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/auth/two-factor$"))
    page.get_by_label("Code from your authenticator app").fill(totp_code(user))
    page.get_by_role("button", name="Verify").click()
    expect(page).to_have_url(re.compile(r"/home$"))

    page.goto("/auth/account")
    page.get_by_label("Name").fill("e2e script")
    page.get_by_label("Access").select_option("read")
    page.get_by_label("Valid for (days)").fill("7")
    page.get_by_role("button", name="Create token").click()
    shown = page.locator("#new-api-token")
    expect(shown).to_be_visible()
    token = shown.inner_text().strip()
    assert token.startswith("ncen_")
    screenshot(page, "api-token-created")

    auth = {"Authorization": f"Bearer {token}"}
    listed = requests.get(f"{live_server}/api/v1/persons", headers=auth, timeout=30)
    assert listed.status_code == 200
    assert listed.json()["next_cursor"] is None or isinstance(listed.json()["next_cursor"], str)

    page.goto("/auth/account")
    expect(page.locator("#new-api-token")).to_have_count(0)  # shown once only
    row = page.get_by_role("row").filter(has_text="e2e script")
    row.get_by_role("button", name="Revoke").click()
    expect(page.get_by_role("row").filter(has_text="e2e script")).to_contain_text("Revoked")
    screenshot(page, "api-token-revoked")
    assert (
        requests.get(f"{live_server}/api/v1/persons", headers=auth, timeout=30).status_code == 401
    )
