"""How many SQL statements the read pages of the load test send, with the content they show.

Each statement costs a round trip and the ORM's work per row; these budgets keep the pages from
loading what they do not show (issue 12 item 21). A page that needs one more query for something
new it shows may raise its budget here, saying why.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest
from flask.testing import FlaskClient
from sqlalchemy import Connection, event
from sqlalchemy.orm import Session

from ncen.accounts.actor import Actor
from ncen.accounts.models import Role, User
from ncen.seizures.services import link_entity
from tests.web_support import make_record, tx

# Statements per page on a warm process (code lists cached): user with roles (1), the page's
# own reads, the code-list stamp (1), unread alerts (1), the audit write (3: lock, last hash,
# insert). The person page also lists the person's associates for those who may analyse the
# network (4: the associates by shared seizures, employment and identifiers, and their labels).
BUDGETS = {"person": 20, "seizure": 15, "persons": 11, "seizures": 9}


@contextmanager
def _statements(connection: Connection) -> Iterator[list[str]]:
    sent: list[str] = []

    def note(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        if "SAVEPOINT" not in statement:  # the test harness's, not the page's
            sent.append(statement)

    event.listen(connection, "before_cursor_execute", note)
    try:
        yield sent
    finally:
        event.remove(connection, "before_cursor_execute", note)


@pytest.fixture
def pages(signed_in: Callable[..., User], db: Session) -> dict[str, tuple[str, tuple[str, ...]]]:
    """Two persons (documents, contacts) on each of two seizures; each page's URL and what it
    must show."""
    user = signed_in(Role.SUPERVISOR)
    actor = Actor.of(user)
    first = make_record(db, user, "person")
    second = make_record(db, user, "person", names=[{"full_name": "Berg Anna"}], documents=[])
    seizures = [make_record(db, user, "seizure", place=f"Place {n}") for n in (1, 2)]
    for seizure in seizures:
        for version, person in enumerate((first, second), 1):
            with tx(db):
                link_entity(
                    db,
                    actor,
                    seizure.id,
                    version,
                    kind="person",
                    target_id=person.id,
                    role="courier",
                )
    return {
        "person": (
            f"/persons/{first.id}",
            (
                "Алиев Мухаммад Ибрагимович",
                seizures[0].reference,
                seizures[1].reference,
                "Courier",
                "+7 701 555 12 34",
            ),
        ),
        "seizure": (
            f"/seizures/{seizures[0].id}",
            (
                "Алиев Мухаммад Ибрагимович",
                "Berg Anna",
                "Cigarettes, counterfeit brand",
                "Kazakhstan",
            ),
        ),
        "persons": ("/persons", ("Алиев Мухаммад Ибрагимович", "Berg Anna", "N 1234-5678")),
        "seizures": ("/seizures", (seizures[0].reference, "Place 2", "Tobacco")),
    }


@pytest.mark.parametrize("page", sorted(BUDGETS))
def test_read_page_stays_within_its_statement_budget(
    page: str,
    pages: dict[str, tuple[str, tuple[str, ...]]],
    client: FlaskClient,
    connection: Connection,
) -> None:
    url, shown = pages[page]
    assert client.get(url).status_code == 200  # warms the process's code-list cache
    with _statements(connection) as sent:
        response = client.get(url)
    assert response.status_code == 200
    for text in shown:
        assert text in response.text, text
    assert len(sent) <= BUDGETS[page], "\n".join(s.split("\n")[0][:120] for s in sent)
