"""The statistics page, its CSV and its drill-down: every number links to a seizure list that
shows exactly that many seizures (national, received and multi-valued; deleted never)."""

from __future__ import annotations

import csv
import html
import io
import re
import uuid
from collections.abc import Callable

import pytest
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from ncen.accounts.actor import Actor
from ncen.accounts.models import Role, User
from ncen.persons.services import create_person
from ncen.records import Provenance
from ncen.seizures.foreign import import_foreign_seizure
from ncen.seizures.services import delete_seizure, link_entity
from tests.factories import person_data, seizure_data
from tests.web_support import make_record, make_user, tx

_LINK = re.compile(r'<a class="stat-count" href="([^"]+)">([\d,\s\u202f\u00a0]+)</a>')
_LIST_COUNT = re.compile(r'<p class="text-muted">([\d,\s\u202f\u00a0]+) seizures?</p>')


def _number(text: str) -> int:
    return int(re.sub(r"\D", "", text))


@pytest.fixture
def data(db: Session) -> None:
    author = make_user(db, Role.INVESTIGATOR)
    system = Actor.system("test")
    make_record(
        db,
        author,
        "seizure",
        occurred_at="2026-01-10T12:00:00+00:00",
        transit_countries=["KZ", "UZ"],
        concealment_methods=["fuel_tank", "tyres"],
    )
    make_record(
        db,
        author,
        "seizure",
        occurred_at="2026-02-10T12:00:00+00:00",
        departure_country="DE",
        transit_countries=[],
        destination_country="NL",
        transport_mode="air",
        items=[{"commodity_group": "drugs", "quantity": "1500", "unit": "g"}],
    )
    gone = make_record(db, author, "seizure", occurred_at="2026-01-11T12:00:00+00:00")
    with tx(db):
        person = create_person(db, system, person_data(nationalities=["TJ", "KZ"]))
        delete_seizure(db, system, gone.id, gone.version)
        received = import_foreign_seizure(
            db,
            system,
            seizure_data(
                reference="LT-9", status="validated", occurred_at="2025-12-30T08:00:00+00:00"
            ),
            Provenance("lt-ncen", "9", uuid.uuid4()),
        )
        link_entity(
            db,
            system,
            received.id,
            received.version,
            kind="person",
            target_id=person.id,
            role="courier",
        )


def _follow_every_number(client: FlaskClient, page_text: str) -> int:
    links = _LINK.findall(page_text)
    assert links, "the page has numbers"
    for href, shown in links:
        listed = client.get(html.unescape(href))
        assert listed.status_code == 200, href
        match = _LIST_COUNT.search(listed.text)
        assert match, href
        assert _number(match.group(1)) == _number(shown), href
    return len(links)


def test_every_number_equals_the_list_it_links_to(
    client: FlaskClient, signed_in: Callable[..., User], data: None
) -> None:
    signed_in(Role.ANALYST)
    page = client.get("/analysis/statistics")
    assert page.status_code == 200, page.text
    assert 'id="stats-as-of"' in page.text
    assert "3 seizures" in page.text  # the deleted one is never counted
    assert "counts once per value" in page.text
    assert 'data-numeric="398"' in page.text  # Kazakhstan on the map, by ISO numeric code
    assert _follow_every_number(client, page.text) > 10

    crossed = client.get(
        "/analysis/statistics?rows=transit&cols=nationality&provenance=received&date_from=2025-01-01"
    )
    assert crossed.status_code == 200
    assert 'id="table-crosstab"' in crossed.text
    _follow_every_number(client, crossed.text)

    filtered = client.get("/analysis/statistics?commodity=tobacco&country=KZ&rows=month")
    assert filtered.status_code == 200
    assert "2 seizures" in filtered.text
    _follow_every_number(client, filtered.text)


def test_csv_download(client: FlaskClient, signed_in: Callable[..., User], data: None) -> None:
    signed_in(Role.EXCHANGE_OFFICER)
    response = client.get("/analysis/statistics/export.csv?by=commodity,month")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert rows[0] == ["commodity_code", "commodity", "month_code", "month", "seizures"]
    cells = {(r[0], r[2]): int(r[4]) for r in rows[1:]}
    assert cells == {("tobacco", "2026-01"): 1, ("drugs", "2026-02"): 1, ("tobacco", "2025-12"): 1}
    single = client.get("/analysis/statistics/export.csv?by=commodity&provenance=national")
    rows = list(csv.reader(io.StringIO(single.data.decode("utf-8-sig"))))
    drugs = next(r for r in rows if r[0] == "drugs")
    assert drugs[rows[0].index("quantity_kg")] == "1.5"


@pytest.mark.parametrize(
    ("locale", "separator", "kilograms", "january"),
    [
        ("fr", ";", "1,5", "janv. 2026"),
        ("ru", ";", "1,5", "янв. 2026\u202fг."),
        ("en", ",", "1.5", "Jan 2026"),
    ],
)
def test_csv_follows_the_users_locale_with_codes_beside_labels(
    client: FlaskClient,
    signed_in: Callable[..., User],
    data: None,
    *,
    locale: str,
    separator: str,
    kilograms: str,
    january: str,
) -> None:
    """The rule of web.csvexport: codes untouched beside labels in the user's language; the
    locale's decimal symbol without grouping; ";" between fields where the decimal is a comma."""
    signed_in(Role.ANALYST, locale=locale)
    text = client.get("/analysis/statistics/export.csv?by=commodity").data.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=separator))
    assert rows[0][:3] == ["commodity_code", "commodity", "seizures"]
    drugs = next(r for r in rows if r[0] == "drugs")
    assert drugs[rows[0].index("quantity_kg")] == kilograms
    by_month = client.get("/analysis/statistics/export.csv?by=month").data.decode("utf-8-sig")
    months = {r[0]: r[1] for r in csv.reader(io.StringIO(by_month), delimiter=separator)}
    assert months["2026-01"] == january  # the month's code stays ISO, its label is the locale's


@pytest.mark.parametrize(
    "query",
    [
        "rows=nope",
        "rows=month&cols=month",
        "date_from=2026-13-45",
        "date_from=99999-01-01",
        "date_from=2026-02-01&date_to=2026-01-01",
        "facet=route:K%00Z",
        "facet=colour:red",
        "facet=" + "x" * 5000,
        "country=%E2%80%AEKZ",
        "commodity=" + "9" * 400,
    ],
)
def test_bad_input_is_a_clear_400(
    client: FlaskClient, signed_in: Callable[..., User], query: str
) -> None:
    signed_in(Role.ANALYST)
    page = client.get(f"/analysis/statistics?{query}")
    assert page.status_code == 400
    assert 'id="stats-errors"' in page.text
    csv_response = client.get(f"/analysis/statistics/export.csv?by=month&{query}")
    assert csv_response.status_code == 400
    assert client.get("/analysis/statistics/export.csv?by=month,colour").status_code == 400
    assert client.get("/analysis/statistics/export.csv").status_code == 400
    assert client.get(f"/seizures?facet=transit:K%00Z&{query}").status_code == 400


def test_nav_entry_and_roles(
    client: FlaskClient, signed_in: Callable[..., User], db: Session
) -> None:
    signed_in(Role.INVESTIGATOR)
    home = client.get("/home")
    assert 'href="/analysis/statistics"' in home.text
    assert ">Analysis<" in home.text
