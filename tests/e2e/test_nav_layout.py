"""In real Chromium, the navigation bar of every role in English, French and Russian: at 1280 px
it holds on one line (no entry wraps onto a second line, nothing overflows the window) with its
secondary pages in menus, and at 390 px it folds behind a menu button whose entries also keep to
one line each. Screenshots go to ``test-output/i18n-layout/``."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page, expect
from sqlalchemy.orm import Session

from ncen.accounts.models import Role, User
from tests.web_support import PASSWORD, make_user, totp_code

pytestmark = pytest.mark.e2e

SHOTS = Path(__file__).resolve().parents[2] / "test-output" / "i18n-layout"
LANGUAGES = {"en": "English", "fr": "Français", "ru": "Русский"}
ROLES = [
    Role.ADMINISTRATOR,
    Role.ANALYST,
    Role.SUPERVISOR,
    Role.INVESTIGATOR,
    Role.EXCHANGE_OFFICER,
]
# A long name, as officers' names often are: the bar shortens it rather than wrap.
LONG_NAME = "Александра Константиновна Преображенская-Оболенская"


def _sign_in(page: Page, user: User) -> None:
    page.goto("/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    if re.search(r"/auth/two-factor$", page.url):
        page.get_by_label("Code from your authenticator app").fill(totp_code(user))
        page.get_by_role("button", name="Verify").click()
    expect(page).to_have_url(re.compile(r"/home$"))


def _box(locator: Locator) -> dict[str, float]:
    box = locator.bounding_box()
    assert box is not None, locator
    return box


def _one_line(locator: Locator, line: float, what: str) -> None:
    """``locator`` (visible) is no taller than one line of the bar's text."""
    height = _box(locator)["height"]
    assert height <= line * 1.5, f"{what}: {locator.inner_text()!r} is {height:.0f} px tall"


def _no_horizontal_overflow(page: Page, what: str) -> None:
    widths = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth,"
        " document.querySelector('nav.navbar').scrollWidth,"
        " document.querySelector('nav.navbar').clientWidth]"
    )
    wide = page.evaluate(
        "() => [...document.querySelectorAll('nav.navbar *')]"
        ".filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)"
        ".map(e => `${e.tagName}.${e.className} ${Math.round(e.getBoundingClientRect().right)}`)"
        ".slice(0, 5)"
    )
    assert widths[0] <= widths[1], f"{what}: the page scrolls sideways ({widths}; {wide})"
    assert widths[2] <= widths[3], f"{what}: the bar overflows ({widths})"


def _entries(page: Page) -> Locator:
    """The bar's own entries: links, menu summaries, the search box and the user's menu."""
    return page.locator(
        "#main-nav .navbar-nav > .nav-item > .nav-link,"
        " #main-nav .navbar-nav > .nav-item > details > summary,"
        " #main-nav #nav-search"
    )


def _check_menus(page: Page, line: float, what: str, shot: Path | None = None) -> None:
    """Open each menu in turn: every entry in it keeps to one line and stays in the window."""
    groups = page.locator("#main-nav details.nav-menu")
    viewport = page.viewport_size
    assert viewport is not None
    for index in range(groups.count()):
        group = groups.nth(index)
        group.locator("summary").click()
        expect(group).to_have_attribute("open", "")
        items = group.locator(".dropdown-item")
        assert items.count() >= 1
        for position in range(items.count()):
            item = items.nth(position)
            expect(item).to_be_visible()
            _one_line(item, line, what)
            box = _box(item)
            assert box["x"] >= 0, f"{what}: {item.inner_text()!r} leaves the window"
            assert box["x"] + box["width"] <= viewport["width"] + 0.5, (
                f"{what}: {item.inner_text()!r} leaves the window"
            )
        _no_horizontal_overflow(page, what)
        if shot is not None and index == 0:
            page.screenshot(path=str(shot))
        group.locator("summary").click()  # closes it again


def _check_wide(page: Page, what: str, shot: Path) -> None:
    page.set_viewport_size({"width": 1280, "height": 800})
    expect(page.locator(".navbar-toggler")).to_be_hidden()
    entries = _entries(page)
    line = _box(page.locator(".navbar-brand"))["height"]
    tops = set()
    for index in range(entries.count()):
        entry = entries.nth(index)
        expect(entry).to_be_visible()
        _one_line(entry, line, what)
        tops.add(round(_box(entry)["y"] + _box(entry)["height"] / 2))
    # One row: every entry is centred on the same line (within a few pixels).
    assert max(tops) - min(tops) <= 6, f"{what}: the bar runs over several rows ({sorted(tops)})"
    _no_horizontal_overflow(page, what)
    _check_menus(page, line, what, shot)


def _check_narrow(page: Page, what: str) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    toggler = page.locator(".navbar-toggler")
    expect(toggler).to_be_visible()
    expect(page.locator("#main-nav")).to_be_hidden()
    _no_horizontal_overflow(page, what)
    toggler.click()
    expect(page.locator("#main-nav")).to_be_visible()
    line = _box(page.locator(".navbar-brand"))["height"]
    expect(page.locator("#main-nav")).to_have_class(re.compile(r"\bshow\b"))  # fully open
    entries = _entries(page)
    for index in range(entries.count()):
        _one_line(entries.nth(index), line, what)
    _no_horizontal_overflow(page, what)
    _check_menus(page, line, what)


@pytest.mark.parametrize("role", ROLES, ids=[role.value for role in ROLES])
def test_the_bar_holds_on_one_line_in_every_language(
    page: Page, e2e_db: Session, role: Role
) -> None:
    user = make_user(e2e_db, role, username=f"e2e-nav-{role.value}", display_name=LONG_NAME)
    page.set_default_timeout(10_000)
    page.set_viewport_size({"width": 1280, "height": 800})
    _sign_in(page, user)
    SHOTS.mkdir(parents=True, exist_ok=True)
    for code, name in LANGUAGES.items():
        page.set_viewport_size({"width": 1280, "height": 800})
        page.get_by_role("button", name=name).click()
        expect(page.locator("html")).to_have_attribute("lang", code)
        page.screenshot(path=str(SHOTS / f"{role.value}-{code}-1280.png"))
        _check_wide(
            page, f"{role.value}, {code}, 1280 px", SHOTS / f"{role.value}-{code}-1280-menu.png"
        )
        _check_narrow(page, f"{role.value}, {code}, 390 px")
        page.screenshot(path=str(SHOTS / f"{role.value}-{code}-390.png"), full_page=True)
        page.reload()
