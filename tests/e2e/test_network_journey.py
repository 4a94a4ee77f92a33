"""In real Chromium: an analyst builds a link chart from a person, expands it, finds the path
to a company with its evidence, reads the network measures and the most connected records,
exports the chart, saves it, reopens it (nothing changed), and opens the chart's timeline."""

from __future__ import annotations

import re
import time

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy.orm import Session

from ncen.accounts.actor import Actor
from ncen.accounts.models import Role
from ncen.analysis.centrality_store import compute_and_store_centrality
from ncen.persons.models import Person
from ncen.persons.services import update_person
from tests.e2e.conftest import screenshot
from tests.factories import person_data
from tests.graph_support import plant_ring
from tests.web_support import PASSWORD, make_user

pytestmark = pytest.mark.e2e


def _sign_in(page: Page, username: str) -> None:
    page.goto("/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/home$"))


def _wait(page: Page, condition: str, timeout: float = 15.0) -> None:
    """Poll ``condition`` (a JavaScript expression) until true. ``wait_for_function`` would
    evaluate a string, which the page's CSP (no 'unsafe-eval') rightly refuses."""
    deadline = time.monotonic() + timeout
    while not page.evaluate(condition):
        assert time.monotonic() < deadline, f"timed out waiting for {condition}"
        page.wait_for_timeout(100)


def _node_count(page: Page) -> int:
    count: int = page.evaluate("window.ncenChart.nodes().not('.more').length")
    return count


def test_analyst_builds_saves_and_reopens_a_chart(page: Page, e2e_db: Session) -> None:
    author = make_user(e2e_db, Role.SUPERVISOR, username="e2e-network-author")
    analyst = make_user(e2e_db, Role.ANALYST, username="e2e-network-analyst")
    ring = plant_ring(e2e_db, Actor.of(author))
    e2e_db.commit()
    page.set_default_timeout(15_000)
    _sign_in(page, analyst.username)

    # From the person's page, "Chart" starts a chart with that person.
    page.goto(f"/persons/{ring.d.id}")
    page.get_by_role("link", name="Chart", exact=True).click()
    expect(page).to_have_url(re.compile(r"/analysis/network\?node=person"))
    _wait(page, "window.ncenChart && window.ncenChart.nodes().length === 1")
    page.get_by_role("button", name="Expand").click()
    _wait(page, "window.ncenChart.nodes().not('.more').length >= 3")
    assert page.evaluate(f"window.ncenChart.getElementById('{ring.s3}').length") == 1
    # Expand the seizure in turn: its other passenger was received from another node.
    page.evaluate(
        f"(() => {{ const cy = window.ncenChart; cy.$(':selected').unselect();"
        f" cy.getElementById('{ring.s3}').select(); }})()"
    )
    page.get_by_label("Expand by").select_option("participation")
    page.get_by_role("button", name="Expand").click()
    _wait(page, f"window.ncenChart.getElementById('{ring.foreign}').length === 1")
    # The received person is drawn with its origin.
    foreign = page.evaluate(f"window.ncenChart.getElementById('{ring.foreign}').data('display')")
    assert "KZ-NODE-2" in foreign
    screenshot(page, "network-01-expanded")

    # Add the company from the search box, then ask for the paths between it and the person.
    page.get_by_label("Add a record: reference, id or name").fill("Silk Road Logistics")
    page.get_by_role("button", name="Find", exact=True).click()
    page.locator(f".search-result[data-node='{ring.company}']").click()
    _wait(page, f"window.ncenChart.getElementById('{ring.company}').length === 1")
    # Ctrl+click on two nodes of the canvas, done through Cytoscape's own selection.
    page.evaluate(
        f"(() => {{ const cy = window.ncenChart; cy.$(':selected').unselect();"
        f" cy.getElementById('{ring.d}').select();"
        f" cy.getElementById('{ring.company}').select(); }})()"
    )
    page.get_by_role("button", name="Shortest paths").click()
    first_path = page.locator("#paths .path-result").first
    expect(first_path).to_be_visible()
    expect(first_path.locator(".evidence").first).to_contain_text(ring.references["s3"])
    screenshot(page, "network-02-path")

    # Network measures as a sortable table and node sizes; the most connected records.
    page.get_by_role("button", name="Measure", exact=True).click()
    rows = page.locator("#measures tbody tr")
    expect(rows.first).to_be_visible()
    assert rows.count() == _node_count(page)
    page.locator("#measures").get_by_role("button", name="Betweenness").click()
    page.get_by_label("Node size").select_option("degree")
    # No stored whole-graph run yet: the panel says so and how to compute one.
    page.get_by_role("button", name="Show", exact=True).click()
    expect(page.locator("#central-run")).to_contain_text("ncen analyse centrality --store")
    assert page.locator("#central-list li").count() == 0
    # Once the background job has stored a run, the panel shows it with its date and size.
    compute_and_store_centrality(e2e_db, Actor.system("e2e"))
    e2e_db.commit()
    page.get_by_role("button", name="Show", exact=True).click()
    expect(page.locator("#central-run")).to_contain_text("nodes, computed in")
    expect(page.locator("#central-list li").first).to_be_visible()
    screenshot(page, "network-03-measures")

    # Exports: PNG drawn by Cytoscape, SVG written from the positions, and JSON.
    with page.expect_download() as png:
        page.get_by_role("button", name="PNG").click()
    assert png.value.path().read_bytes().startswith(b"\x89PNG")
    with page.expect_download() as svg:
        page.get_by_role("button", name="SVG").click()
    assert "<svg" in svg.value.path().read_text()
    with page.expect_download() as data:
        page.get_by_role("button", name="JSON").click()
    assert str(ring.company) in data.value.path().read_text()

    # Save, then reopen from "My charts": nothing changed since.
    nodes_saved = _node_count(page)
    page.get_by_label("Chart name").fill("Khorgos couriers")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator("#chart-message")).to_contain_text("Chart saved")
    page.get_by_role("link", name="My charts").click()
    page.get_by_role("link", name="Khorgos couriers").click()
    expect(page.locator("#chart-changes")).to_contain_text("Nothing changed")
    _wait(page, f"window.ncenChart.nodes().not('.more').length === {nodes_saved}")
    screenshot(page, "network-04-reopened")

    # Someone changes a charted person: reopening the chart says so and marks the record.
    record = e2e_db.get(Person, ring.b.id)
    assert record is not None
    update_person(e2e_db, Actor.of(author), ring.b.id, record.version,
                  person_data(names=[{"full_name": "Yerlan Sadykov", "kind": "primary"}],
                              description="Seen again at Khorgos", documents=[]))  # fmt: skip
    e2e_db.commit()
    page.reload()
    expect(page.locator("#chart-changes")).to_contain_text("Changed since the chart was saved")
    expect(page.locator("#chart-changes")).to_contain_text("Yerlan Sadykov")
    _wait(page, f"window.ncenChart.getElementById('{ring.b}').hasClass('changed')")
    screenshot(page, "network-05-changed-since")

    # The chart's timeline: the seizures and record changes of its records, by record.
    page.get_by_role("link", name="Timeline of this chart").click()
    expect(page).to_have_url(re.compile(r"/analysis/timeline\?node="))
    expect(page.locator("#timeline .vis-item").first).to_be_visible()
    expect(page.locator("#timeline-table tbody tr.event-seizure").first).to_be_visible()
    screenshot(page, "network-06-timeline")
