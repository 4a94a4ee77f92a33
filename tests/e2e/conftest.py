"""End-to-end fixtures: a real server on 127.0.0.1 and headless Debian Chromium via Playwright.

The server runs `create_app` under werkzeug's threaded WSGI server in a background thread,
against a separate database (``ncen_e2e``) created in the test cluster, migrated by Alembic and
committed for real (the browser and the server share no transaction). Chromium is the system's
``/usr/bin/chromium``: Playwright never downloads a browser here. Screenshots go to
``test-output/e2e/``.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Locator, Page, sync_playwright
from sqlalchemy import Engine, make_url, text
from sqlalchemy.orm import Session
from werkzeug.serving import make_server

from ncen.db import make_engine, make_session_factory
from ncen.dbroles import APP_ROLE, RoleNames
from ncen.embedded import EmbeddedUrls
from ncen.migrate import upgrade
from tests.web_support import compile_translations, node_settings
from web import create_app

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-output" / "e2e"
E2E_DATABASE = "ncen_e2e"


@pytest.fixture(scope="session")
def e2e_engine(engine: Engine, database_urls: EmbeddedUrls) -> Iterator[Engine]:
    """A freshly created and migrated database beside the test database; dropped at the end.

    Owned by the owner role and used through the application role, like a node's."""
    admin = make_engine(database_urls.admin, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f"DROP DATABASE IF EXISTS {E2E_DATABASE} WITH (FORCE)"))
        conn.execute(text(f"CREATE DATABASE {E2E_DATABASE} OWNER {RoleNames().owner}"))
    owner = make_engine(make_url(database_urls.owner).set(database=E2E_DATABASE))
    upgrade(owner, app_role=APP_ROLE)
    owner.dispose()
    e2e = make_engine(make_url(database_urls.app).set(database=E2E_DATABASE))
    yield e2e
    e2e.dispose()
    with admin.connect() as conn:
        conn.execute(text(f"DROP DATABASE IF EXISTS {E2E_DATABASE} WITH (FORCE)"))
    admin.dispose()
    admin.dispose()


@pytest.fixture(scope="session")
def e2e_db(e2e_engine: Engine) -> Iterator[Session]:
    """A session on the e2e database for preparing data (commits for real)."""
    session = make_session_factory(e2e_engine)()
    try:
        yield session
    finally:
        session.close()


@pytest.fixture(scope="session")
def live_server(e2e_engine: Engine, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The base URL of a running node (http://127.0.0.1:<random port>)."""
    url = e2e_engine.url.render_as_string(hide_password=False)
    settings = node_settings(
        tmp_path_factory.mktemp("instance"),
        database_url=url,
        translations_path=compile_translations(tmp_path_factory.mktemp("translations")),
    )
    app = create_app(settings)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="e2e-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()
        app.extensions["ncen.engine"].dispose()


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Headless Debian Chromium."""
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def page(browser: Browser, live_server: str) -> Iterator[Page]:
    """A fresh browser tab (own cookies) opened on the node."""
    context = browser.new_context(base_url=live_server, locale="en-GB")
    tab = context.new_page()
    try:
        yield tab
    finally:
        context.close()


def screenshot(page: Page, name: str) -> None:
    """Save a full-page screenshot as ``test-output/e2e/<name>.png``."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def nav_link(page: Page, name: str) -> Locator:
    """The link ``name`` of the navigation bar, made visible: when it sits in one of the bar's
    menus (a ``<details>``), that menu is opened first."""
    nav = page.locator("#main-nav")
    link = nav.get_by_role("link", name=name, exact=True)
    menu = nav.locator(
        f"xpath=.//details[contains(@class, 'nav-menu')][.//a[normalize-space() = '{name}']]"
    )
    if menu.count() and menu.get_attribute("open") is None:
        menu.locator("summary").click()
    return link


def sign_out(page: Page, name: str = "Sign out") -> None:
    """Sign out through the user's menu on the bar (``name``: the button's label)."""
    menu = page.locator("#main-nav details[data-user-menu]")
    if menu.get_attribute("open") is None:
        menu.locator("summary").click()
    menu.get_by_role("button", name=name).click()
