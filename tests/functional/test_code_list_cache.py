"""The per-process cache of reference code lists (`web.codes`): it spares the queries, and a
change to reference data made anywhere (an administrator in another server process, plain SQL
as a migration or psql would run it) is visible at the very next request of every process."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Connection, event, text
from sqlalchemy.orm import Session

from ncen.accounts.models import Role
from tests.functional.conftest import post_form, sign_in
from tests.web_support import make_user, tx

FORM = "/seizures/new"
ADMIN_LIST = "/admin/reference/detection_methods"
OPTION = '<option value="drone_patrol">Drone patrol</option>'


def _without_tokens(page: str) -> str:
    return re.sub(r'(name="[a-z-]*csrf_token"[^>]*value=")[^"]*"', r'\1"', page)


def _client(app: Flask, db: Session, role: Role) -> FlaskClient:
    client = app.test_client()
    assert sign_in(client, make_user(db, role)).status_code == 302
    return client


@contextmanager
def _statements(connection: Connection) -> Iterator[list[str]]:
    sent: list[str] = []

    def note(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        sent.append(statement)

    event.listen(connection, "before_cursor_execute", note)
    try:
        yield sent
    finally:
        event.remove(connection, "before_cursor_execute", note)


def test_lists_are_read_once_per_process_then_only_the_stamp(
    app: Flask, db: Session, connection: Connection
) -> None:
    reader = _client(app, db, Role.SUPERVISOR)
    first = reader.get(FORM)
    assert first.status_code == 200
    with _statements(connection) as sent:
        again = reader.get(FORM)
    # The same page, options and labels (CSRF tokens carry a timestamp: left out).
    assert _without_tokens(again.text) == _without_tokens(first.text)
    lists = [s for s in sent if "FROM detection_methods" in s or "FROM countries" in s]
    assert lists == []
    assert sum("FROM reference_stamp" in s for s in sent) == 1


def test_a_change_made_in_another_process_shows_at_the_next_request(
    make_app: Callable[..., Flask], db: Session
) -> None:
    # Two applications: two server processes, each with its own cache, one database.
    admin = _client(make_app(), db, Role.ADMINISTRATOR)
    reader = _client(make_app(), db, Role.SUPERVISOR)
    assert OPTION not in reader.get(FORM).text  # the reader's process has cached the lists

    added = post_form(admin, f"{ADMIN_LIST}/new", {"code": "drone_patrol", "label": "Drone patrol"})
    assert added.status_code == 302
    assert OPTION in reader.get(FORM).text

    assert post_form(admin, f"{ADMIN_LIST}/drone_patrol/deactivate", {}).status_code == 302
    assert OPTION not in reader.get(FORM).text


def test_a_change_by_plain_sql_shows_at_the_next_request(app: Flask, db: Session) -> None:
    # Country names come from CLDR, so the list changed by hand is a CEN list.
    reader = _client(app, db, Role.SUPERVISOR)
    assert '<option value="road">Road transport</option>' in reader.get(FORM).text
    with tx(db):  # as a migration or psql would: no service, no application code
        db.execute(text("UPDATE transport_modes SET label = 'Highway' WHERE code = 'road'"))
    page = reader.get(FORM).text
    assert '<option value="road">Highway</option>' in page
    assert "Road transport" not in page


def test_a_translation_changed_by_plain_sql_shows_at_the_next_request(
    app: Flask, db: Session
) -> None:
    reader = _client(app, db, Role.SUPERVISOR)
    russian = app.test_client()
    assert sign_in(russian, make_user(db, Role.SUPERVISOR, locale="ru")).status_code == 302
    assert '<option value="road">Автомобильный транспорт</option>' in russian.get(FORM).text
    assert '<option value="road">Road transport</option>' in reader.get(FORM).text
    with tx(db):
        db.execute(
            text(
                "UPDATE reference_labels SET label = 'Автодорожный транспорт'"
                " WHERE list_name = 'transport_modes' AND code = 'road' AND locale = 'ru'"
            )
        )
    assert '<option value="road">Автодорожный транспорт</option>' in russian.get(FORM).text
    assert '<option value="road">Road transport</option>' in reader.get(FORM).text
