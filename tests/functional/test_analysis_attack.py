"""Hostile input and record-level leaks found by the review of issue 9's analysis features.

Each test here failed before its fix: a request that gave a 500 (an uncaught exception) or
showed what it should not. Runs against the planted ring of `tests.graph_support`.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from ncen.accounts.actor import Actor
from ncen.accounts.models import Role, User
from tests.functional.test_network_pages import API, bad, post_json
from tests.graph_support import Ring, plant_ring
from tests.web_support import csrf_token, make_record, make_user, tx


@pytest.fixture
def ring(db: Session) -> Ring:
    author = make_user(db, Role.SUPERVISOR)
    with tx(db):
        return plant_ring(db, Actor.of(author))


@pytest.fixture
def analyst(signed_in: Callable[..., User]) -> User:
    return signed_in(Role.ANALYST)


@pytest.mark.parametrize("digit", ["\u00b2", "\u2460", "\u00b9\u00b2"])
def test_non_decimal_digits_in_numbers_are_refused(
    client: FlaskClient, analyst: User, ring: Ring, digit: str
) -> None:
    """``str.isdigit`` accepts superscripts and circled digits that ``int`` cannot read: a
    400 naming the parameter, not a 500."""
    bad(client.get(f"{API}/expand", query_string={"node": str(ring.a), "limit": digit}))
    bad(
        client.get(
            f"{API}/paths", query_string={"a": str(ring.a), "b": str(ring.d), "max_hops": digit}
        )
    )
    bad(client.get(f"{API}/central", query_string={"top": digit}))


def test_huge_integer_coordinate_is_refused(client: FlaskClient, analyst: User, ring: Ring) -> None:
    """A JSON integer too large for a float (10**400) in a chart layout: a 400, not an
    OverflowError from ``math.isfinite``."""
    body = {"name": "huge", "nodes": [str(ring.a)], "layout": {str(ring.a): {"x": 10**400, "y": 0}}}
    errors = bad(post_json(client, f"{API}/charts", body))
    assert "layout" in errors["fields"]


def test_paths_say_when_the_search_was_cut_short(
    client: FlaskClient, analyst: User, ring: Ring, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`find_paths` knows when its caps stopped the search (``complete`` False: "none found
    within the bounds"); the JSON must pass that on, or the chart claims "no path of at most 6
    steps between these two records" where the search did not look."""
    isolated = client.get(f"{API}/paths", query_string={"a": str(ring.a), "b": str(ring.isolated)})
    assert isolated.status_code == 200
    assert isolated.get_json()["paths"] == []
    assert isolated.get_json()["complete"] is True
    monkeypatch.setattr("ncen.analysis.paths.MAX_VISITED", 1)
    cut = client.get(f"{API}/paths", query_string={"a": str(ring.a), "b": str(ring.d)})
    assert cut.status_code == 200
    body = cut.get_json()
    assert body["paths"] == []
    assert body["complete"] is False
    assert body["message"]


@pytest.mark.parametrize("reserved", ["_scheme=javascript", "_anchor=x", "_method=POST"])
@pytest.mark.parametrize(
    "page",
    ["/analysis/statistics", "/analysis/statistics?rows=month", "/seizures?facet=transit:KZ"],
)
def test_url_for_keywords_in_the_query_string_are_ignored(
    client: FlaskClient, analyst: User, page: str, reserved: str
) -> None:
    """The pages rebuild their links from the request's own query string (CSV download,
    "without this filter", sort headers, pager); a parameter named like one of ``url_for``'s
    keywords (``_scheme``, ``_anchor``, ``_method``, ``_external``) must not reach it (500)."""
    joined = "&" if "?" in page else "?"
    response = client.get(f"{page}{joined}{reserved}")
    assert response.status_code == 200, response.status_code
    assert "javascript:" not in response.text


@pytest.mark.parametrize("page", ["\u00b2", "\u2460", "9" * 5000])
@pytest.mark.parametrize("listing", ["/pictures/search", "/seizures?facet=transit:KZ"])
def test_a_malformed_page_number_means_page_one(
    client: FlaskClient, analyst: User, listing: str, page: str
) -> None:
    """``page_number`` promises that anything malformed means page 1; a superscript digit
    passed ``isdigit`` and then broke ``int`` (500), and so did 5,000 digits (Python refuses to
    convert more than 4,300)."""
    joined = "&" if "?" in listing else "?"
    response = client.get(f"{listing}{joined}page={page}")
    assert response.status_code == 200


def test_a_forged_record_version_is_a_stale_edit_not_a_500(
    client: FlaskClient, signed_in: Callable[..., User], db: Session
) -> None:
    """``expected_version`` promises 0 ("always stale") for a missing or forged version; a
    superscript digit passed ``isdigit`` and broke ``int``."""
    user = signed_in(Role.INVESTIGATOR)
    person = make_record(db, user, "person")
    page = client.get(f"/persons/{person.id}/edit")
    data = {
        "csrf_token": csrf_token(page.text),
        "version": "\u00b9",
        "names-0-full_name": "Someone Else",
        "names-0-kind": "primary",
        "handling_code": "H0",
    }
    response = client.post(f"/persons/{person.id}/edit", data=data)
    assert response.status_code in {200, 409}
