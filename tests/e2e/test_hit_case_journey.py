"""In real Chromium, the end of issue 10's chain: an analyst opens an investigation from a hit
(the hit, its seizure and the seizure's person carried over), restricted, and assigns an
investigator, who sees it on the home page; another investigator sees neither the case on
the home page nor its page (404). Screenshots: test-output/e2e/hit-case-*.png."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select
from sqlalchemy.orm import Session

from ncen.accounts.actor import Actor
from ncen.accounts.models import Role, User
from ncen.seizures.services import link_entity
from ncen.targeting.models import Hit
from ncen.targeting.profiles import create_profile, set_status
from tests.e2e.conftest import screenshot
from tests.e2e.test_seizure_journey import choose
from tests.web_support import PASSWORD, make_record, make_user, tx

pytestmark = pytest.mark.e2e
RULE = 'commodity_group == "weapons_ammunition" && departure_country == "NP"'


def _sign_in(page: Page, user: User) -> None:
    page.context.clear_cookies()
    page.goto("/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/home$"))


def test_analyst_opens_a_case_from_a_hit_and_the_assignee_sees_it(
    page: Page, e2e_db: Session
) -> None:
    analyst = make_user(e2e_db, Role.ANALYST, username="e2e-hitcase-analyst")
    recorder = make_user(e2e_db, Role.INVESTIGATOR, username="e2e-hitcase-recorder")
    officer = make_user(
        e2e_db, Role.INVESTIGATOR, username="e2e-hitcase-officer", display_name="Hit Officer"
    )
    outsider = make_user(e2e_db, Role.INVESTIGATOR, username="e2e-hitcase-outsider")
    with tx(e2e_db):
        actor = Actor.of(analyst)
        profile = create_profile(
            e2e_db, actor,
            {"name": "E2E weapons from Nepal", "expression": RULE, "lane": "high", "score": "90"},
        )  # fmt: skip
        set_status(e2e_db, actor, profile.id, "active", expected_version=profile.version)
    item = {"commodity_group": "weapons_ammunition", "hs_code": "9302.00", "description": "Pistols",
            "quantity": "2", "unit": "pieces"}  # fmt: skip
    seizure = make_record(e2e_db, recorder, "seizure", departure_country="NP", items=[item])
    person = make_record(e2e_db, recorder, "person")
    with tx(e2e_db):
        link_entity(e2e_db, Actor.of(recorder), seizure.id, seizure.version, kind="person",
                    target_id=person.id, role="courier")  # fmt: skip
        hit_id = e2e_db.execute(select(Hit.id).where(Hit.profile_id == profile.id)).scalar_one()
    page.set_default_timeout(10_000)

    _sign_in(page, analyst)
    page.goto(f"/targeting/hits/{hit_id}")
    expect(page.locator("#hit-explanation")).to_contain_text('departure_country == "NP"')
    case_url = open_case_from_hit(page, "E2E pistols from Nepal", officer, "hit-case")
    items = page.locator("#case-items")
    expect(items).to_contain_text(seizure.reference)
    expect(items.locator(f'a[href="/targeting/hits/{hit_id}"]')).to_have_count(1)
    expect(items.locator(f'a[href="/persons/{person.id}"]')).to_have_count(1)
    assignee_sees_it_and_outsider_does_not(
        page, case_url, "E2E pistols from Nepal", officer=officer, outsider=outsider,
        shots="hit-case",
    )  # fmt: skip


def open_case_from_hit(page: Page, title: str, officer: User, shots: str) -> str:
    """On a hit's page: open a restricted investigation titled ``title`` with ``officer``
    assigned; return the case's URL (the page shows it)."""
    form = page.locator("#open-case-form")
    form.get_by_label("Title").fill(title)
    choose(form.get_by_role("combobox", name="Assigned investigators"), str(officer.id))
    form.get_by_label("Restricted").check()
    screenshot(page, f"{shots}-01-open-from-hit")
    form.get_by_role("button", name="Open investigation").click()
    expect(page).to_have_url(re.compile(r"/investigations/[0-9a-f-]{36}$"))
    expect(page.locator("#case-team")).to_contain_text(officer.display_name)
    screenshot(page, f"{shots}-02-case-with-records")
    return page.url


def assignee_sees_it_and_outsider_does_not(
    page: Page, case_url: str, title: str, *, officer: User, outsider: User, shots: str
) -> None:
    """The assigned officer finds the case on the home page; another investigator sees it
    neither there nor at its URL (404: need to know)."""
    _sign_in(page, officer)
    expect(page.locator("#desk-cases")).to_contain_text(title)
    screenshot(page, f"{shots}-03-assignee-home")
    _sign_in(page, outsider)
    expect(page.locator("body")).not_to_contain_text(title)
    response = page.goto(case_url)
    assert response is not None
    assert response.status == 404
