"""Hostile input typed into pages (issue 12, items 14 and 15): control characters in list
filters, out-of-range dates and bidirectional controls in record forms get a 400 page or a
message next to the field, never a 500."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ncen.accounts.models import Role, User
from ncen.persons.models import PersonName
from ncen.seizures.models import Seizure
from tests.functional.test_seizure_recording import case_form, post_case
from tests.web_support import csrf_token, tx


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
