"""In real Chromium: an analyst opens an investigation from a link chart (the chart's records
carried over), assigns an investigator and starts work; the investigator finds the case on the
home page and adds a task; a restricted case stays invisible (404, absent from the list) to
another investigator. Screenshots: test-output/e2e/investigation-*.png."""

from __future__ import annotations

import re
import time

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy.orm import Session

from ncen.accounts.actor import Actor
from ncen.accounts.models import Role, User
from ncen.investigations.services import open_case
from ncen.seizures.services import link_entity
from tests.e2e.conftest import nav_link, screenshot
from tests.web_support import PASSWORD, make_record, make_user, totp_code, tx

pytestmark = pytest.mark.e2e


def _sign_in(page: Page, user: User) -> None:
    # The sign-in page itself, not "/" and its redirect. Clearing the cookies can still race
    # the navigation (two fresh-clone runs got the previous user's home page): try again, a
    # few times, until the page is the sign-in form.
    for _ in range(3):
        page.context.clear_cookies()
        page.goto("/auth/sign-in")
        if page.get_by_label("Username").count():
            break
    expect(page.get_by_label("Username")).to_be_visible()
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    if re.search(r"/auth/two-factor$", page.url):
        page.get_by_label("Code from your authenticator app").fill(totp_code(user))
        page.get_by_role("button", name="Verify").click()
    expect(page).to_have_url(re.compile(r"/home$"))


def _wait(page: Page, condition: str, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not page.evaluate(f"() => Boolean({condition})"):
        assert time.monotonic() < deadline, f"timed out waiting for {condition}"
        page.wait_for_timeout(100)


def test_open_from_chart_assign_and_need_to_know(page: Page, e2e_db: Session) -> None:
    recorder = make_user(e2e_db, Role.INVESTIGATOR, username="e2e-case-recorder")
    analyst = make_user(e2e_db, Role.ANALYST, username="e2e-case-analyst")
    officer = make_user(
        e2e_db, Role.INVESTIGATOR, username="e2e-case-officer", display_name="Case Officer"
    )
    outsider = make_user(e2e_db, Role.INVESTIGATOR, username="e2e-case-outsider")
    seizure = make_record(e2e_db, recorder, "seizure", place="Case journey, Kordai")
    person = make_record(e2e_db, recorder, "person")
    with tx(e2e_db):
        link_entity(
            e2e_db, Actor.of(recorder), seizure.id, seizure.version, kind="person",
            target_id=person.id, role="driver",
        )  # fmt: skip
        secret = open_case(
            e2e_db, Actor.of(analyst), title="E2E secret container case", restricted=True
        )
    page.set_default_timeout(30_000)  # a loaded CI machine: the chart loads in seconds

    # The analyst charts the seizure and its driver, and opens a case from the chart.
    _sign_in(page, analyst)
    page.goto(f"/analysis/network?node=seizure:{seizure.id}")
    _wait(page, "window.ncenChart && window.ncenChart.nodes().not('.more').length >= 1")
    page.get_by_role("link", name="Open investigation from this chart").click()
    expect(page).to_have_url(re.compile(r"/investigations/new\?"))
    carried = page.locator("#case-new-items")
    expect(carried).to_contain_text(seizure.reference)
    page.get_by_label("Title").fill("E2E Kordai courier case")
    page.get_by_label("Case Officer (e2e-case-officer)").check()
    screenshot(page, "investigation-01-open-from-chart")
    page.get_by_role("button", name="Open the investigation").click()
    expect(page).to_have_url(re.compile(r"/investigations/[0-9a-f-]{36}"))
    case_url = page.url
    expect(page.locator("#case-items")).to_contain_text(seizure.reference)
    expect(page.locator("#case-team")).to_contain_text("Case Officer")
    page.get_by_role("button", name="Start work (active)").click()
    expect(page.locator(".case-status").first).to_have_text("active")
    screenshot(page, "investigation-02-case-page")

    # The assigned investigator finds it on the home page and adds a task.
    _sign_in(page, officer)
    desk = page.locator("#desk-cases")
    expect(desk).to_contain_text("E2E Kordai courier case")
    screenshot(page, "investigation-03-officer-home")
    desk.get_by_role("link", name=re.compile(r"INV-")).first.click()
    expect(page).to_have_url(case_url)
    page.get_by_label("New task").fill("Check the driver's crossings")
    page.locator("#task-form").get_by_role("button", name="Add").click()
    expect(page.locator("#case-tasks")).to_contain_text("Check the driver's crossings")

    # Another investigator: the restricted case does not exist for them.
    _sign_in(page, outsider)
    nav_link(page, "Investigations").click()
    expect(page).to_have_url(re.compile(r"/investigations$"))
    cases = page.locator("#cases")
    expect(cases).to_contain_text("E2E Kordai courier case")
    expect(cases).not_to_contain_text("E2E secret container case")
    response = page.goto(f"/investigations/{secret.id}")
    assert response is not None
    assert response.status == 404
    screenshot(page, "investigation-04-restricted-404")
