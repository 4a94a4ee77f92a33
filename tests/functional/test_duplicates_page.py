"""The duplicates page (issue 14, item 4): evidence for and against each pair, best first, from
the stored queue once ``ncen duplicates scan`` has run, from a window of records before."""

from __future__ import annotations

from collections.abc import Callable

from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from ncen.accounts.actor import Actor
from ncen.accounts.models import Role, User
from ncen.merging.queue import scan_window
from tests.web_support import make_record, make_user, tx


def _records(db: Session) -> None:
    author = make_user(db, Role.INVESTIGATOR)
    bare = {"documents": [], "contacts": [], "birth_month": None}
    make_record(
        db, author, "person",
        names=[{"full_name": "Ахметов Рустам Сергеевич", "patronymic": "Сергеевич"}],
        nationalities=["KZ"], **bare,
    )  # fmt: skip
    make_record(
        db, author, "person",
        names=[{"full_name": "Ахметов Рустам Ибрагимович", "patronymic": "Ибрагимович"}],
        nationalities=["UZ"], **bare,
    )  # fmt: skip
    # The factory's person twice (same passport and phone), and namesakes with nothing else.
    make_record(db, author, "person")
    make_record(db, author, "person", names=[{"full_name": "Mukhamad Aliyev"}])
    make_record(db, author, "person", names=[{"full_name": "Ivan Petrov"}], **bare)
    make_record(db, author, "person", names=[{"full_name": "Ivan Petrov"}], **bare)


def test_the_page_shows_evidence_and_ranks_from_the_queue(
    client: FlaskClient, signed_in: Callable[..., User], db: Session
) -> None:
    signed_in(Role.SUPERVISOR)
    _records(db)
    before = client.get("/duplicates?type=person")
    assert before.status_code == 200
    assert "ncen duplicates scan" in before.text
    assert "same identity document" in before.text
    with tx(db):
        while scan_window(db, Actor.system("test"), "person"):
            pass
    page = client.get("/duplicates?type=person")
    assert page.status_code == 200
    assert "All candidate pairs of the node" in page.text
    rows = page.text.split('class="candidate"')[1:]
    assert len(rows) == 2
    # The shared passport and phone put the Aliyev pair first; the Petrov namesakes, with
    # nothing but the name, come after, below the strong threshold.
    assert "Mukhamad Aliyev" in rows[0]
    assert "same identity document" in rows[0]
    assert "Ivan Petrov" in rows[1]
    assert "only the name agrees" in rows[1]
    # Another patronymic and nationality: the Akhmetov namesakes are not even listed.
    assert "Ахметов" not in page.text
