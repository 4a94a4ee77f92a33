"""In real Chromium: an investigator's desk shows their draft and the seizure a supervisor sent
back; the supervisor's desk shows the seizure waiting for validation, and its "full list" link
opens the seizure list holding it. Screenshots: test-output/e2e/desk-*.png."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy.orm import Session

from ncen.accounts.actor import Actor
from ncen.accounts.models import Role
from ncen.seizures.services import return_seizure, submit_seizure
from tests.e2e.conftest import screenshot
from tests.web_support import PASSWORD, make_record, make_user, tx

pytestmark = pytest.mark.e2e


def _sign_in(page: Page, username: str) -> None:
    page.goto("/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/home$"))


def _sign_out(page: Page) -> None:
    page.context.clear_cookies()


def test_investigator_and_supervisor_desks(page: Page, e2e_db: Session) -> None:
    investigator = make_user(e2e_db, Role.INVESTIGATOR, username="e2e-desk-investigator")
    supervisor = make_user(e2e_db, Role.SUPERVISOR, username="e2e-desk-supervisor")
    when = (datetime.now(UTC) - timedelta(days=400)).isoformat()  # the oldest waiting case
    draft = make_record(e2e_db, investigator, "seizure", place="Desk draft, Dostyk")
    sent_back = make_record(e2e_db, investigator, "seizure", place="Desk returned, Khorgos")
    waiting = make_record(
        e2e_db, investigator, "seizure", place="Desk waiting, Altynkol", occurred_at=when
    )
    actor, boss = Actor.of(investigator), Actor.of(supervisor)
    with tx(e2e_db):
        submit_seizure(e2e_db, actor, sent_back.id, sent_back.version)
        submit_seizure(e2e_db, actor, waiting.id, waiting.version)
    with tx(e2e_db):
        return_seizure(e2e_db, boss, sent_back.id, sent_back.version)
    page.set_default_timeout(10_000)

    _sign_in(page, investigator.username)
    drafts = page.locator("#desk-drafts")
    expect(drafts).to_contain_text(draft.reference)
    expect(drafts).to_contain_text(sent_back.reference)
    returned = page.locator("#desk-returned")
    expect(returned).to_contain_text(sent_back.reference)
    expect(returned).to_contain_text(f"Sent back by {supervisor.username}")
    expect(returned).not_to_contain_text(draft.reference)
    expect(page.locator("#desk-recent")).to_contain_text(waiting.reference)
    screenshot(page, "desk-01-investigator")
    returned.get_by_role("link", name=re.compile("full list")).click()
    expect(page).to_have_url(re.compile(r"/seizures\?.*returned=1"))
    expect(page.locator("#returned")).to_be_checked()
    expect(page.locator("#seizure-list")).to_contain_text(sent_back.reference)
    expect(page.locator("#seizure-list")).not_to_contain_text(draft.reference)
    _sign_out(page)

    _sign_in(page, supervisor.username)
    awaiting = page.locator("#desk-awaiting")
    expect(awaiting.locator(".desk-item").first).to_contain_text(waiting.reference)
    expect(awaiting).not_to_contain_text(draft.reference)
    expect(page.locator("#desk-drafts")).to_have_count(0)
    screenshot(page, "desk-02-supervisor")
    awaiting.get_by_role("link", name=re.compile("full list")).click()
    expect(page).to_have_url(re.compile(r"/seizures\?.*status=submitted"))
    expect(page.locator("#seizure-list tbody tr").first).to_contain_text(waiting.reference)
    screenshot(page, "desk-03-supervisor-full-list")
