"""Ranked person search through the REST API: the advanced search's service, qualifiers,
filters, cursors over the ranked hits, and the search audit."""

from __future__ import annotations

from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from ncen.accounts.models import Role
from ncen.audit import AuditEvent
from tests import factories
from tests.api_support import call, make_token
from tests.web_support import make_user, tx


def _create(client: FlaskClient, token: str, **overrides: object) -> str:
    response = call(client, "POST", "/persons", token, json=factories.person_data(**overrides))
    assert response.status_code == 201, response.text
    return str(response.get_json()["id"])


def _ids(response: object) -> list[str]:
    return [i["id"] for i in response.get_json()["items"]]  # type: ignore[attr-defined]


def test_ranked_search_with_qualifiers_filters_and_cursors(
    client: FlaskClient, db: Session
) -> None:
    token = make_token(db, make_user(db, Role.INVESTIGATOR))
    kz = _create(client, token)  # Алиев Мухаммад Ибрагимович, 1984, KZ/UZ
    ru = _create(
        client,
        token,
        names=[{"full_name": "Muhammad Aliyev", "kind": "primary"}],
        birth_year=1960,
        nationalities=["RU"],
        documents=[],
    )
    _create(client, token, names=[{"full_name": "Anna Smith", "kind": "primary"}], documents=[])
    analyst = make_user(db, Role.ANALYST)
    reader = make_token(db, analyst, scope="read")

    found = call(client, "GET", "/persons", reader, query_string={"name": "Mukhammad Aliev"})
    assert found.status_code == 200, found.text
    items = found.get_json()["items"]
    assert {i["id"] for i in items} == {kz, ru}  # not Anna Smith
    scores = [i["score"] for i in items]
    assert scores == sorted(scores, reverse=True)
    assert items[0]["explanation"]["summary"].startswith("“")
    assert items[0]["explanation"]["matched_form"]
    assert isinstance(items[0]["strong"], bool)

    # A birth year ranks (qualifier) or keeps (filter), as on the advanced search page.
    ranked = call(
        client,
        "GET",
        "/persons",
        reader,
        query_string={"name": "Mukhammad Aliev", "birth_year": "1960"},
    )
    assert _ids(ranked)[0] == ru
    kept = call(
        client,
        "GET",
        "/persons",
        reader,
        query_string={"name": "Mukhammad Aliev", "birth_year": "1960", "birth_year_mode": "filter"},
    )
    assert _ids(kept) == [ru]
    by_nationality = call(
        client,
        "GET",
        "/persons",
        reader,
        query_string={"name": "Mukhammad Aliev", "nationality": "KZ", "nationality_mode": "filter"},
    )
    assert _ids(by_nationality) == [kz]
    assert (
        _ids(
            call(
                client, "GET", "/persons", reader, query_string={"name": "Aliev", "foreign": "true"}
            )
        )
        == []
    )

    # Cursors over the ranked hits: one by one, in the same order; bound to the query.
    first = call(
        client, "GET", "/persons", reader, query_string={"name": "Mukhammad Aliev", "limit": "1"}
    ).get_json()
    assert first["next_cursor"]
    second = call(
        client,
        "GET",
        "/persons",
        reader,
        query_string={"name": "Mukhammad Aliev", "limit": "1", "cursor": first["next_cursor"]},
    ).get_json()
    assert [first["items"][0]["id"], second["items"][0]["id"]] == [i["id"] for i in items]
    assert second["next_cursor"] is None
    other = call(
        client,
        "GET",
        "/persons",
        reader,
        query_string={"name": "Anna Smith", "limit": "1", "cursor": first["next_cursor"]},
    )
    assert other.status_code == 400
    assert other.mimetype == "application/problem+json"

    with tx(db):
        events = list(
            db.execute(
                select(AuditEvent)
                .where(AuditEvent.actor_id == analyst.id, AuditEvent.action == "search.persons")
                .order_by(AuditEvent.id)
            ).scalars()
        )
    assert events[0].details["query"] == {"name": "Mukhammad Aliev"}
    assert events[0].details["shown"] == {"person": [i["id"] for i in items]}
    assert events[0].details["via"] == "api"
    paged = [e for e in events if e.details["query"].get("limit") == "1"]
    assert [e.details["shown"]["person"] for e in paged] == [[i["id"]] for i in items]


def test_search_parameters_are_validated(client: FlaskClient, db: Session) -> None:
    token = make_token(db, make_user(db, Role.ANALYST), scope="read")
    for query, field in (
        ({"name": "Aliev", "birth_year_mode": "sometimes"}, "birth_year_mode"),
        ({"name": "Aliev", "birth_year_mode": "filter"}, "birth_year"),
        ({"name": "Aliev", "birth_year": "1700"}, "birth_year"),
        ({"name": "Aliev", "nationality": "ZZZ"}, "nationality"),
        ({"name": "Aliev", "gender": "Q"}, "only_gender"),
        ({"name": "Aliev", "phonetic": "perhaps"}, "phonetic"),
        ({"name": "A"}, "name"),
        ({"name": "Aliev", "document": "a\u202eb"}, "document"),
        ({"birth_year_mode": "filter"}, "birth_year_mode"),
    ):
        response = call(client, "GET", "/persons", token, query_string=query)
        assert response.status_code == 422, (query, response.text)
        assert field in response.get_json()["errors"], (query, response.get_json())
