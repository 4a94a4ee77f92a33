"""In real Chromium: an exchange officer of fr-ncen selects a seizure, previews who will receive
what, seals and sends it, and sees the signed receipt of de-ncen, a separate ``ncen serve``
process with its own database and keys."""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from types import SimpleNamespace

import pytest
from flask_babel import get_babel
from playwright.sync_api import Browser, Page, expect
from werkzeug.serving import make_server

from ncen.accounts.models import Role
from ncen.db import make_engine, make_session_factory
from ncen.seizures.models import Seizure
from tests.conftest import ScratchDatabase
from tests.e2e.conftest import screenshot
from tests.web_support import (
    PASSWORD,
    compile_translations,
    make_user,
    node_settings,
    totp_code,
)
from web import create_app

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "integration" / "exchange"))
from served_nodes import ServedNode, free_port, wait_for

pytestmark = pytest.mark.e2e


@pytest.fixture
def two_nodes(
    empty_database: Callable[[str], ScratchDatabase],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[SimpleNamespace]:
    """fr-ncen served in this process (the browser's node, with its worker thread) and
    de-ncen as a separate ``ncen serve`` process; each pins the other."""
    for name in ("NCEN_CONFIG", "NCEN_KEY_PASSPHRASE", "NCEN_KEY_PASSPHRASE_FILE"):
        monkeypatch.delenv(name, raising=False)
    nodes = []
    for node_id, country in (("fr-ncen", "FR"), ("de-ncen", "DE")):
        db = empty_database(f"ncen_e2e_{node_id.replace('-', '_')}")
        node = ServedNode(
            node_id, country, db.app, tmp_path / node_id, make_engine(db.app), owner_url=db.owner
        )
        node.port = free_port()
        node.setup()
        nodes.append(node)
    fr, de = nodes
    keys = tmp_path / "public"
    keys.mkdir()
    fr.register(de, keys)
    de.register(fr, keys)
    de.start(worker=False)
    settings = node_settings(fr.instance, database_url=fr.url, node_id="fr-ncen", node_country="FR")
    app = create_app(settings)
    get_babel(app).translation_directories = [str(compile_translations(tmp_path / "tr"))]
    server = make_server("127.0.0.1", fr.port, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    from exchange.network.worker import start_worker

    monkeypatch.setenv("NCEN_EXCHANGE_POLL_SECONDS", "0.2")
    worker, stop = start_worker(fr.engine, settings)
    try:
        yield SimpleNamespace(fr=fr, de=de, base=f"http://127.0.0.1:{fr.port}")
    finally:
        stop.set()
        worker.join(timeout=10)
        server.shutdown()
        thread.join(timeout=10)
        app.extensions["ncen.engine"].dispose()
        de.stop()
        for node in nodes:
            node.engine.dispose()


def test_officer_selects_previews_sends_and_sees_the_receipt(
    browser: Browser, two_nodes: SimpleNamespace
) -> None:
    fr, de = two_nodes.fr, two_nodes.de
    reference = fr.record_case()
    with make_session_factory(fr.engine)() as db:
        officer = make_user(db, Role.EXCHANGE_OFFICER, username="e2e.officer")
        db.commit()
    context = browser.new_context(base_url=two_nodes.base, locale="en-GB")
    page: Page = context.new_page()
    try:
        page.goto("/")
        page.get_by_label("Username").fill("e2e.officer")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.get_by_label("Code from your authenticator app").fill(totp_code(officer))
        page.get_by_role("button", name="Verify").click()

        page.get_by_role("link", name="Exchange").first.click()
        expect(page.get_by_role("link", name="de-ncen")).to_be_visible()
        screenshot(page, "exchange-01-peers")

        page.get_by_role("link", name="Send", exact=True).click()
        page.get_by_label("Seizure references (one per line)").fill(reference)
        page.get_by_label("de-ncen (Germany;").check()  # the country by name
        page.get_by_label("Legal basis").fill("Naples II Convention, art. 9")
        page.get_by_label("Purpose").fill("Joint investigation into cigarette smuggling")
        page.get_by_role("button", name="Preview").click()
        preview = page.locator("#preview")
        expect(preview).to_contain_text("de-ncen")
        expect(preview).to_contain_text("1 seizures, 1 persons")
        expect(preview).to_contain_text("allowed")
        expect(page.get_by_text("Exact content to be sealed")).to_be_visible()
        screenshot(page, "exchange-02-preview")

        page.get_by_role("button", name="Seal and send").click()
        expect(page.get_by_text("Bundle sealed and queued for delivery.")).to_be_visible()

        def receipt_shown() -> bool:
            page.reload()
            return page.locator("#deliveries .receipt").count() > 0

        wait_for(receipt_shown, 60, "the receipt on the bundle page")
        expect(page.locator("#deliveries")).to_contain_text("accepted by de-ncen")
        expect(page.locator("#deliveries")).to_contain_text("accepted, receipt verified")
        screenshot(page, "exchange-03-receipt")
    finally:
        context.close()
    assert de.count(Seizure, foreign=True) == 1
