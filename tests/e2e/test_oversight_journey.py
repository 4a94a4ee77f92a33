"""In real Chromium, the oversight pages: a supervisor works through the retention review queue
(keeps one due record with a reason and a new date, deletes two after confirming, and finds
them among the tombstones); an administrator creates an investigator and sees search terms
hidden in the audit trail, while an auditor acknowledges the alert about the new account and
reads the same search in full."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import update
from sqlalchemy.orm import Session

from ncen.accounts.models import Role, User
from ncen.retention.erasure import MODELS
from tests.e2e.conftest import nav_link, screenshot, sign_out
from tests.web_support import PASSWORD, make_record, make_user, totp_code, tx

pytestmark = pytest.mark.e2e


def _sign_in(page: Page, user: User, *, second_factor: bool = False) -> None:
    page.goto("/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    if second_factor:
        expect(page).to_have_url(re.compile(r"/auth/two-factor$"))
        page.get_by_label("Code from your authenticator app").fill(totp_code(user))
        page.get_by_role("button", name="Verify").click()
    expect(page).to_have_url(re.compile(r"/home$"))


def _sign_out(page: Page) -> None:
    sign_out(page)
    expect(page).to_have_url(re.compile(r"/auth/sign-in$"))


def _make_due(db: Session, record_type: str, record_id: uuid.UUID, days_ago: int) -> None:
    """Move a record's review date into the past (committed: the server shares no transaction)."""
    model = MODELS[record_type]
    due = datetime.now(UTC).date() - timedelta(days=days_ago)
    with tx(db):
        db.execute(update(model).where(model.id == record_id).values(review_due=due))


def test_supervisor_keeps_one_due_record_and_deletes_two(page: Page, e2e_db: Session) -> None:
    author = make_user(e2e_db, Role.INVESTIGATOR, username="e2e-retention-author")
    supervisor = make_user(e2e_db, Role.SUPERVISOR, username="e2e-retention-supervisor")
    kept = make_record(
        e2e_db, author, "person", names=[{"full_name": "Сохранов Кирилл"}], documents=[]
    )
    erased = make_record(
        e2e_db, author, "person", names=[{"full_name": "Удалов Эдуард"}], documents=[]
    )
    seizure = make_record(e2e_db, author, "seizure")
    kept_id, erased_id, seizure_id = kept.id, erased.id, seizure.id
    reference = seizure.reference
    _make_due(e2e_db, "person", kept_id, days_ago=30)
    _make_due(e2e_db, "person", erased_id, days_ago=20)
    _make_due(e2e_db, "seizure", seizure_id, days_ago=10)
    page.set_default_timeout(10_000)

    _sign_in(page, supervisor)
    nav_link(page, "Retention review").click()
    expect(page).to_have_url(re.compile(r"/retention/review$"))
    queue = page.locator("#retention-queue")
    kept_row = queue.locator(f'tr[data-record="person:{kept_id}"]')
    erased_row = queue.locator(f'tr[data-record="person:{erased_id}"]')
    seizure_row = queue.locator(f'tr[data-record="seizure:{seizure_id}"]')
    expect(kept_row).to_contain_text("Сохранов Кирилл")
    expect(erased_row).to_contain_text("Удалов Эдуард")
    expect(seizure_row).to_contain_text(reference)
    expect(seizure_row).to_contain_text("Seizure")  # the type label, not the raw key
    screenshot(page, "oversight-01-retention-queue")

    # Keep: a reason and a new review date a year ahead.
    next_review = (datetime.now(UTC).date() + timedelta(days=365)).isoformat()
    kept_row.get_by_label("Reason").first.fill("Open investigation 2026/117 still needs him")
    kept_row.get_by_label("Next review").fill(next_review)
    kept_row.get_by_role("button", name="Keep").click()
    expect(page.get_by_role("alert")).to_contain_text("Kept; the record comes up for review")
    expect(kept_row).to_have_count(0)
    expect(erased_row).to_be_visible()

    # Delete without ticking the confirmation: refused next to the box, the reason kept.
    reason = "No longer needed: the case was closed without charges"
    erased_row.locator(".delete-form").get_by_label("Reason").fill(reason)
    erased_row.get_by_role("button", name="Delete").click()
    expect(erased_row.locator(".delete-form .invalid-feedback")).to_contain_text(
        "tick the box to confirm the deletion"
    )
    expect(erased_row.locator(".delete-form").get_by_label("Reason")).to_have_value(reason)
    screenshot(page, "oversight-02-retention-confirm-missing")
    erased_row.get_by_label("Erase it for good").check()
    erased_row.get_by_role("button", name="Delete").click()
    expect(page.get_by_role("alert")).to_contain_text("Deleted; only the tombstone remains.")
    expect(erased_row).to_have_count(0)

    seizure_row.locator(".delete-form").get_by_label("Reason").fill("Retention period over")
    seizure_row.get_by_label("Erase it for good").check()
    seizure_row.get_by_role("button", name="Delete").click()
    expect(page.get_by_role("alert")).to_contain_text("Deleted; only the tombstone remains.")
    expect(seizure_row).to_have_count(0)
    expect(kept_row).to_have_count(0)
    screenshot(page, "oversight-03-retention-after-decisions")

    page.get_by_role("link", name="Deletions").click()
    expect(page).to_have_url(re.compile(r"/retention/tombstones$"))
    tombstones = page.locator("#tombstones tbody tr")
    person_stone = tombstones.filter(has_text=str(erased_id))
    expect(person_stone).to_contain_text(reason)
    expect(person_stone).to_contain_text(supervisor.username)
    expect(person_stone).not_to_contain_text("Удалов")
    expect(tombstones.filter(has_text=str(seizure_id))).to_contain_text(reference)
    expect(tombstones.filter(has_text=str(kept_id))).to_have_count(0)
    screenshot(page, "oversight-04-tombstones")


def test_auditor_acknowledges_a_new_account_and_reads_searches_in_full(
    page: Page, e2e_db: Session
) -> None:
    admin = make_user(e2e_db, Role.ADMINISTRATOR, username="e2e-oversight-admin")
    auditor = make_user(e2e_db, Role.AUDITOR, username="e2e-oversight-auditor")
    analyst = make_user(e2e_db, Role.ANALYST, username="e2e-oversight-analyst")
    page.set_default_timeout(10_000)

    # An analyst looks someone up by name: the search is audited with what was typed.
    _sign_in(page, analyst)
    box = page.locator("#nav-search").get_by_role("searchbox", name="Search")
    box.fill("Petrenko Yaroslav")
    box.press("Enter")
    expect(page).to_have_url(re.compile(r"/search\?q=Petrenko\+Yaroslav"))
    _sign_out(page)

    # The administrator creates an investigator, and sees the search term hidden.
    _sign_in(page, admin, second_factor=True)
    page.goto("/admin/users/new")
    page.get_by_label("Username").fill("e2e.new.investigator")
    page.get_by_label("Full name").fill("Nouvel Enquêteur")
    page.get_by_label("Investigator").check()
    page.get_by_role("button", name="Create user").click()
    expect(page.locator("#one-time-password")).to_be_visible()
    screenshot(page, "oversight-05-investigator-created")

    nav_link(page, "Audit trail").click()
    page.get_by_label("User").fill(analyst.username)
    page.get_by_label("Action").select_option("search.box")
    page.get_by_role("button", name="Filter").click()
    expect(page).to_have_url(re.compile(r"/admin/audit\?"))
    expect(page.get_by_text("search terms are hidden: only auditors see them")).to_be_visible()
    search_row = page.locator("table tbody tr").filter(has_text="search.box")
    expect(search_row).to_have_count(1)
    expect(search_row.locator(".audit-details")).to_contain_text("query: hidden")
    expect(search_row).not_to_contain_text("Petrenko")
    screenshot(page, "oversight-06-admin-audit-hidden")
    _sign_out(page)

    # The auditor's desk shows the open alerts; the new account's is acknowledged.
    _sign_in(page, auditor, second_factor=True)
    desk = page.locator("#desk-account-alerts")
    expect(desk).to_contain_text(re.compile(r"Account alerts:\s+\d+ open"))
    counted = re.search(r"(\d+) open", desk.inner_text())
    assert counted is not None
    opened = int(counted.group(1))
    assert opened >= 1
    screenshot(page, "oversight-07-auditor-desk")
    desk.get_by_role("link", name="Account alerts").click()
    expect(page).to_have_url(re.compile(r"/admin/account-alerts$"))
    tables = page.locator("table")
    alert_row = tables.first.locator("tbody tr").filter(has_text="e2e.new.investigator")
    expect(alert_row).to_have_count(1)
    expect(alert_row).to_contain_text("user.create")
    expect(alert_row).to_contain_text(admin.username)
    screenshot(page, "oversight-08-account-alerts")
    alert_row.get_by_role("button", name="Acknowledge").click()
    expect(page.get_by_role("alert")).to_contain_text("Alert acknowledged.")
    expect(tables.first.locator("tbody tr").filter(has_text="e2e.new.investigator")).to_have_count(
        0
    )
    expect(tables.nth(1).locator("tbody tr").filter(has_text="e2e.new.investigator")).to_have_count(
        1
    )
    screenshot(page, "oversight-09-alert-acknowledged")
    nav_link(page, "Home").click()
    expect(desk).to_contain_text(f"{opened - 1} open")

    # The auditor reads the same search with what the analyst typed.
    nav_link(page, "Audit trail").click()
    page.get_by_label("User").fill(analyst.username)
    page.get_by_label("Action").select_option("search.box")
    page.get_by_role("button", name="Filter").click()
    expect(page.get_by_text("search terms are hidden")).to_have_count(0)
    search_row = page.locator("table tbody tr").filter(has_text="search.box")
    expect(search_row).to_have_count(1)
    expect(search_row.locator(".audit-details")).to_contain_text("q=Petrenko Yaroslav")
    expect(search_row).not_to_contain_text("hidden")
    screenshot(page, "oversight-10-auditor-audit-full")
