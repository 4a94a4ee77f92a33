"""In real Chromium, in Russian and in French: an analyst visits every kind of page (a seizure,
national and received, a person, a company, a conveyance, the lists, search, statistics, the
link chart and timeline, pictures, watch, the forms) and no code is shown with its English label.

The scan compares the visible text (``document.body.innerText``, plus the option texts of the
select boxes and the labels of the link chart's edges, which are drawn on a canvas) with the
English label of every code whose label in that language differs from the English one: the CEN
lists and roles (``reference_labels``), countries and currencies (CLDR), and the enumerations
of `web.labels` (statuses, grading, handling codes...); and for raw codes shown in place of a
label, where a code cannot be mistaken for a word ("means_of_transport"). The records are made
with names and free text that contain no such label, so every hit is interface text left in
English. A screenshot of every page in each language is kept in ``test-output/i18n/``.
"""

from __future__ import annotations

import re
import time
import uuid
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import text
from sqlalchemy.orm import Session

from ncen.accounts.actor import Actor
from ncen.accounts.models import Role, User
from ncen.companies.services import link_person_to_company
from ncen.conveyances.services import create_conveyance
from ncen.records import Provenance
from ncen.reference.labels import translated
from ncen.seizures.foreign import import_foreign_seizure, place_with_office
from ncen.seizures.services import link_entity
from tests.factories import seizure_data
from tests.web_support import PASSWORD, make_record, make_user
from web.codes import TABLES
from web.i18n import TRANSLATIONS_PATH
from web.labels import LABELS

pytestmark = pytest.mark.e2e

SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-output" / "i18n"
PLACE = "Qarasu-7"  # a place name that is no label in any language, to filter the lists by
ROUTE = {"departure_country": "TR", "transit_countries": ["CN", "KG"], "destination_country": "RU"}


# The English words of sentences built by the services (timeline events, chart links,
# associates, a received seizure's office) and of the record kinds the chart and timeline name:
# issue 15. Lower case and whole words, so that a name or a label in the language never matches.
SENTENCE_WORDS = re.compile(
    r"(?<!\w)(born|expires|same (?:phone|document|address|e-mail|identifier)|both in|"
    r"and \d+ more|customs office|v\d+ by)(?!\w)"
)
KIND_WORDS = re.compile(r"(?<![\w-])(seizure|person|company|conveyance)(?![\w-])")
SENTENCE_PAGES = {"network", "timeline", "person", "company", "seizure-received", "seizure-list"}


def _english_labels(db: Session, locale: str) -> tuple[dict[str, str], set[str]]:
    """English label -> what it is, for every code whose label in ``locale`` differs; and the
    labels in ``locale`` (to blank out of the text before scanning: French "La Réunion"
    holds the English "Réunion")."""
    found: dict[str, str] = {}
    local_labels: set[str] = set()
    for name in TABLES:
        if name == "customs_offices":  # the administration's own: none in these tests
            continue
        with db.begin():
            rows = db.execute(text(f"SELECT code, label FROM {name}"))
            stored = {str(code): str(label) for code, label in rows}
            english = translated(db, name, stored, "en")
            local = translated(db, name, stored, locale)
        for code, label in english.items():
            if local[code] != label:
                found[label] = f"{name}:{code}"
                local_labels.add(local[code])
            if "_" in code:  # a raw code shown instead of a label ("means_of_transport")
                found.setdefault(code, f"{name}:{code} (raw code)")
    with (TRANSLATIONS_PATH / locale / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        catalog = read_po(handle, locale=locale)
    for kind, labels in LABELS.items():
        for key, label in labels.items():
            msgid = label._args[0]  # type: ignore[attr-defined]
            message = catalog.get(msgid)
            if message is None or message.string != msgid:
                found[msgid] = f"{kind}:{key}"
            if message is not None and message.string:
                local_labels.add(message.string)
    return found, local_labels


def _pattern(labels: dict[str, str]) -> re.Pattern[str]:
    # Longest first, whole words only, case-sensitive: "Other" must not match "Others".
    alternatives = sorted(labels, key=len, reverse=True)
    return re.compile(r"(?<!\w)(" + "|".join(map(re.escape, alternatives)) + r")(?!\w)")


def _visible_text(page: Page) -> str:
    shown: str = page.evaluate(
        "document.body.innerText + '\\n' + Array.from(document.querySelectorAll('option'))"
        ".map((o) => o.text).join('\\n')"
    )
    if page.evaluate("!!window.ncenChart"):
        shown += "\n" + page.evaluate(
            "window.ncenChart.edges().map((e) => (e.data('label') || '') + ' '"
            " + (e.data('evidence') || '')).join('\\n')"
        )
    return shown


def _wait(page: Page, condition: str, timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while not page.evaluate(condition):
        assert time.monotonic() < deadline, f"timed out waiting for {condition}"
        page.wait_for_timeout(100)


def _plant(db: Session) -> dict[str, str]:
    """One record of each kind, linked, using many codes; a received seizure. Returns ids."""
    author = make_user(db, Role.SUPERVISOR, username=f"e2e-i18n-author-{uuid.uuid4().hex[:6]}")
    actor = Actor.of(author)
    person = make_record(
        db,
        author,
        "person",
        names=[{"full_name": "Zarina Qodirova"}],
        gender="F",
        birth_year=1987,
        birth_country="TJ",
        nationalities=["KG", "UZ"],
        documents=[
            {
                "doc_type": "passport",
                "number": "AC 4455667",
                "issuing_country": "KG",
                "expires_on": "2030-06-30",
            }
        ],
        addresses=[{"line": "Lenin 12", "city": "Osh", "country": "KG"}],
    )
    company = make_record(
        db,
        author,
        "company",
        names=[{"name": "Qoraqum Savdo MChJ"}],
        country="UZ",
        address_country="UZ",
    )
    with db.begin():
        conveyance = create_conveyance(
            db,
            actor,
            {
                "kind": "vessel",
                "name": "Ulugbek",
                "flag": "TR",
                "identifiers": [{"kind": "imo", "value": "9074729"}],
            },
        )
    seizure = make_record(
        db,
        author,
        "seizure",
        place=PLACE,
        narrative="—",
        location_type="seaport",
        transport_mode="maritime",
        detection_method="risk_profiling",
        detection_technique="xray_scanner",
        concealment_methods=["within_cargo", "container_structure"],
        handling_code="H2",
        items=[
            {
                "commodity_group": "medicines",
                "hs_code": "3004.90",
                "quantity": "24000",
                "unit": "tablets",
                "estimated_value": "5000",
                "currency": "USD",
            },
            {"commodity_group": "tobacco", "quantity": "300", "unit": "cartons"},
        ],
        **ROUTE,
    )
    with db.begin():
        version = seizure.version
        for kind, target, role in (
            ("person", person.id, "offender"),
            ("company", company.id, "carrier"),
            ("conveyance", conveyance.id, "means_of_transport"),
        ):
            link_entity(db, actor, seizure.id, version, kind=kind, target_id=target, role=role)
            version += 1
        link_person_to_company(
            db, actor, person_id=person.id, company_id=company.id, role="director"
        )
        received = import_foreign_seizure(
            db,
            Actor.system("e2e"),
            seizure_data(
                reference=f"LT-{uuid.uuid4().hex[:6]}",
                place=place_with_office(PLACE, "LT-1234"),
                narrative="—",
                transport_mode="rail",
                detection_method="tip_off",
                status="validated",
            ),
            Provenance("lt-ncen", uuid.uuid4().hex[:8], uuid.uuid4()),
        )
    return {
        "seizure": str(seizure.id),
        "received": str(received.id),
        "person": str(person.id),
        "company": str(company.id),
        "conveyance": str(conveyance.id),
    }


def _pages(ids: dict[str, str]) -> list[tuple[str, str]]:
    s, p = ids["seizure"], ids["person"]
    return [
        ("home", "/home"),
        ("seizure", f"/seizures/{s}"),
        ("seizure-history", f"/seizures/{s}/history"),
        ("seizure-received", f"/seizures/{ids['received']}"),
        ("seizure-edit", f"/seizures/{s}/edit"),
        ("seizure-new", "/seizures/new"),
        ("seizure-list", f"/seizures?text={PLACE}"),
        ("person", f"/persons/{p}"),
        ("person-list", "/persons?q=Qodirova"),
        ("company", f"/companies/{ids['company']}"),
        ("conveyance", f"/conveyances/{ids['conveyance']}"),
        ("search", "/search?q=Qodirova"),
        ("search-seizures", f"/search/seizures?q={PLACE}"),
        ("search-persons", "/search/persons?q=Qodirova"),
        ("statistics", "/analysis/statistics"),
        ("statistics-transport", "/analysis/statistics?rows=transport&cols=commodity"),
        ("statistics-route", "/analysis/statistics?rows=departure&cols=concealment"),
        ("network", f"/analysis/network?node=seizure:{s}"),
        ("timeline", f"/analysis/timeline?node=person:{p}&node=seizure:{s}"),
        ("pictures", "/pictures/search"),
        ("watch", "/watch"),
    ]


def _sign_in(page: Page, user: User) -> None:
    page.goto("/")
    page.locator("input[name=username]").fill(user.username)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("input[name=password]").press("Enter")
    expect(page).to_have_url(re.compile(r"/home$"))


@pytest.mark.parametrize("locale", ["ru", "fr"])
def test_no_code_shows_its_english_label(
    browser: Browser, live_server: str, e2e_db: Session, locale: str
) -> None:
    ids = _plant(e2e_db)
    reader = make_user(
        e2e_db,
        Role.ANALYST,
        Role.SUPERVISOR,
        username=f"e2e-i18n-{locale}-{uuid.uuid4().hex[:6]}",
        locale=locale,
    )
    english, local_labels = _english_labels(e2e_db, locale)
    assert {"Maritime transport", "Offender", "Tablets", "Türkiye", "Validated"} <= set(english)
    pattern = _pattern(english)
    # Only local labels that hold an English one need blanking; longest first.
    holders = {label for label in local_labels if pattern.search(label)}
    blank = _pattern(dict.fromkeys(holders, "")) if holders else None
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(
        base_url=live_server, locale=locale, viewport={"width": 1366, "height": 900}
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    hits: dict[str, set[str]] = {}
    try:
        _sign_in(page, reader)
        assert page.locator("html").get_attribute("lang") == locale
        for name, url in _pages(ids):
            response = page.goto(url)
            assert response is not None
            assert response.status == 200, (name, url, response.status)
            if name == "network":
                _wait(page, "window.ncenChart && window.ncenChart.nodes().length >= 1")
                page.locator("#expand").click()
                _wait(page, "window.ncenChart.edges().length >= 3")
                # The side panel of a selected record names its kind and date.
                page.evaluate("window.ncenChart.nodes('[kind = \"seizure\"]')[0].select()")
                expect(page.locator("#selection h2")).to_be_visible()
            if name == "timeline":
                expect(page.locator("#timeline .vis-item").first).to_be_visible()
            page.screenshot(path=str(SCREENSHOTS / f"{locale}-{name}.png"), full_page=True)
            shown = _visible_text(page)
            if name in SENTENCE_PAGES:
                words = {match.group(1) for match in SENTENCE_WORDS.finditer(shown)}
                if name in {"network", "timeline"}:
                    words |= {match.group(1) for match in KIND_WORDS.finditer(shown)}
                if words:
                    hits[f"{name} (sentences)"] = words
            if blank is not None:
                shown = blank.sub(" ", shown)
            found = {match.group(1) for match in pattern.finditer(shown)}
            if found:
                hits[name] = {f"{label} ({english[label]})" for label in found}

        # A Russian or French reader finds Türkiye by typing its name in their language.
        page.goto("/seizures/new")
        expect(page.locator("html")).to_have_class(re.compile(r"\bjs\b"))
        control = page.locator("#departure_country-ts-control")
        control.focus()
        typed, expected = {"ru": ("Тур", "Турция"), "fr": ("Turq", "Turquie")}[locale]
        control.press_sequentially(typed, delay=50)
        option = page.locator("#departure_country-ts-dropdown .option", has_text=expected)
        expect(option).to_be_visible()
        page.screenshot(path=str(SCREENSHOTS / f"{locale}-country-search.png"))
    finally:
        context.close()
    assert hits == {}, f"English labels on {locale} pages: {hits}"
