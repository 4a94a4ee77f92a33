"""Hostile input typed into pages (issue 12, items 14 and 15): control characters in list
filters, out-of-range dates and bidirectional controls in record forms get a 400 page or a
message next to the field, never a 500."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ncen.accounts.models import Role, User
from ncen.persons.models import PersonName
from ncen.seizures.models import Seizure
from tests.functional.conftest import sign_in
from tests.functional.test_role_matrix import make_records, routes, url_for_rule
from tests.functional.test_seizure_recording import case_form, post_case
from tests.web_support import csrf_token, make_user, tx


@pytest.mark.parametrize(
    "url",
    [
        "/persons?name=%00",
        "/persons?document=%00",
        "/persons?name=Ali%1Bev",
        "/persons?name=%E2%80%AEveilA",
        "/seizures?text=%00",
        "/seizures?text=KZ%0A1",
        "/companies?name=%00",
        "/companies?number=%00",
        "/conveyances?identifier=%00",
    ],
)
def test_control_characters_in_list_filters_are_refused_with_a_message(
    client: FlaskClient, signed_in: Callable[..., User], url: str
) -> None:
    signed_in(Role.ANALYST)
    response = client.get(url)
    assert response.status_code == 400, response.text[-400:]
    assert "control character" in response.text
    assert "is-invalid" in response.text  # next to its field


@pytest.mark.parametrize(
    ("when", "offset"),
    [("0001-01-01T00:00", "+05:00"), ("9999-12-31T23:00", "-05:00")],
)
def test_a_seizure_date_at_the_edge_of_the_calendar_is_refused_next_to_the_field(
    client: FlaskClient, signed_in: Callable[..., User], db: Session, when: str, offset: str
) -> None:
    signed_in(Role.INVESTIGATOR)
    response = post_case(client, case_form(occurred_at=when, utc_offset=offset))
    assert response.status_code == 200, response.text[-400:]
    assert "out of range" in response.text
    with tx(db):
        assert db.execute(select(func.count()).select_from(Seizure)).scalar_one() == 0


def test_a_person_name_with_a_bidi_override_is_refused_by_the_form(
    client: FlaskClient, signed_in: Callable[..., User], db: Session
) -> None:
    signed_in(Role.INVESTIGATOR)
    page = client.get("/persons/new")
    response = client.post(
        "/persons/new",
        data={
            "csrf_token": csrf_token(page.text),
            "names-0-full_name": "\u202eveilA Ali",
            "names-0-name_type": "primary",
        },
    )
    assert response.status_code == 200, response.text[-400:]
    assert "text-direction control" in response.text
    with tx(db):
        assert db.execute(select(func.count()).select_from(PersonName)).scalar_one() == 0


# Query parameters of the list, search, audit, exchange and picker pages, with hostile values.
HOSTILE_QUERIES = (
    "q={t}&name={t}&document={t}&text={t}&number={t}&identifier={t}&office_code={t}"
    "&reference={t}&username={t}&action={t}&peer={t}&state={t}&type={t}&kind={t}&flag={t}",
    "date_from=0001-01-01&date_to=9999-12-31&birth_year=1e999&born_from=0001&born_to=9999"
    "&page=99999999999999999999&information_grade=-Infinity",
)


@pytest.mark.slow
@pytest.mark.parametrize("role", [Role.SUPERVISOR, Role.EXCHANGE_OFFICER, Role.ADMINISTRATOR])
def test_no_page_answers_500_to_hostile_query_strings(
    make_app: Callable[..., Flask], db: Session, role: Role
) -> None:
    """Every GET page, with NUL, text-direction controls and out-of-range dates and numbers in
    every query parameter the pages read: a page or a 4xx, never a 500 (with TESTING on, an
    unhandled error would fail the test here)."""
    app = make_app()
    author = make_user(db, Role.INVESTIGATOR)
    ids = make_records(db, app, author)
    client = app.test_client()
    assert sign_in(client, make_user(db, role)).status_code == 302
    for method, rule in routes(app):
        if method != "GET" or rule.endpoint in {"static", "assets.vendor"}:
            continue
        base = url_for_rule(rule, ids)
        for text in ("%00", "%E2%80%AE", "a%0Ab"):
            for query in HOSTILE_QUERIES:
                response = client.get(f"{base}?{query.format(t=text)}")
                assert response.status_code < 500, (base, query)
                response.close()
