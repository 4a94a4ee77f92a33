"""The sentences of the link chart, the timeline and the associates in the reader's language:
`ncen.analysis` writes them as Messages with coded values (issue 15), and no English word of
them reaches a Russian or French reader."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from ncen.accounts.actor import Actor
from ncen.accounts.models import Role, User
from ncen.analysis.entities import NodeKey
from ncen.persons.services import create_person
from tests.factories import person_data
from tests.graph_support import Ring, plant_ring
from tests.web_support import make_user, tx

# The English words the analysis sentences were made of (whole words, any case).
ENGLISH = re.compile(
    r"\b(born|expires|same|phone|e-mail|address|document|passport|both|more|by|in|of|as|"
    r"create|update|driver|owner|passenger|importer|director|plate)\b",
    re.IGNORECASE,
)


def _ring(db: Session) -> tuple[Ring, NodeKey]:
    author = make_user(db, Role.SUPERVISOR)
    with tx(db):
        ring = plant_ring(db, Actor.of(author))
        traveller = create_person(
            db,
            Actor.of(author),
            person_data(
                documents=[
                    {
                        "doc_type": "passport",
                        "number": "N 5555-6666",
                        "issuing_country": "KZ",
                        "expires_on": "2031-05-01",
                    }
                ]
            ),
        )
    return ring, NodeKey("person", traveller.id)


def _english(texts: list[str], *, allowed: tuple[str, ...] = ()) -> list[str]:
    """The texts holding an English word of the sentences, once names and references are cut."""
    found = []
    for text in texts:
        cut = text
        for keep in allowed:
            cut = cut.replace(keep, "")
        if ENGLISH.search(cut):
            found.append(text)
    return found


@pytest.mark.parametrize("locale", ["ru", "fr"])
def test_timeline_events_are_in_the_reader_s_language(
    client: FlaskClient, signed_in: Callable[..., User], db: Session, locale: str
) -> None:
    ring, traveller = _ring(db)
    signed_in(Role.ANALYST, locale=locale)
    nodes = ",".join(str(key) for key in (ring.a, ring.b, traveller))
    response = client.get("/analysis/api/timeline", query_string={"nodes": nodes})
    assert response.status_code == 200, response.text
    events = response.get_json()["events"]
    kinds = {event["kind"] for event in events}
    assert {"birth", "document", "change", "seizure"} <= kinds
    labels = [event["label"] for event in events]
    # Who changed a record and the seizure references stay as written.
    references = (*ring.references.values(), "N55556666", "N 5555-6666")
    assert _english(labels, allowed=references) == [], labels
    birth = next(event["label"] for event in events if event["kind"] == "birth")
    assert birth == {"ru": "рождение", "fr": "naissance"}[locale]
    expiry = next(event["label"] for event in events if event["kind"] == "document")
    assert {"ru": "Паспорт", "fr": "Passeport"}[locale] in expiry


def test_chart_links_are_in_the_reader_s_language(
    client: FlaskClient, signed_in: Callable[..., User], db: Session
) -> None:
    ring, _ = _ring(db)
    signed_in(Role.ANALYST, locale="ru")
    texts: list[str] = []
    for node in (ring.a, ring.b, ring.truck):
        expanded = client.get("/analysis/api/expand", query_string={"node": str(node)})
        assert expanded.status_code == 200, expanded.text
        edges = expanded.get_json()["edges"]
        texts += [edge["label"] for edge in edges] + [edge["evidence"] for edge in edges]
    assert "общий телефон" in texts
    assert any(text.startswith("общий телефон ") for text in texts)
    assert any(text.startswith("общая эл. почта ") for text in texts)
    contacts = ("+77015551234", "bolat.n@example.org")
    assert _english(texts, allowed=(*ring.references.values(), *contacts)) == [], texts


def test_associates_evidence_is_in_the_reader_s_language(
    client: FlaskClient, signed_in: Callable[..., User], db: Session
) -> None:
    ring, _ = _ring(db)
    signed_in(Role.ANALYST, locale="ru")
    page = client.get(f"/persons/{ring.a.id}").text
    assert "общий телефон" in page
    assert "оба в " in page
    for english in ("same phone", "both in", " more<", "driver", "director"):
        assert english not in page, english
