"""The filter forms of the seizure and person lists, kept once rendered (`web.listfilters`): the
same HTML as a fresh rendering, a change of reference data or language shows at once, and no
typed text is kept."""

from __future__ import annotations

import re

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import text
from sqlalchemy.orm import Session

from ncen.accounts.models import Role
from tests.functional.conftest import sign_in
from tests.web_support import make_user, tx
from web import listfilters

ROAD = '<option value="road">Road transport</option>'


def _client(app: Flask, db: Session, locale: str = "en") -> FlaskClient:
    client = app.test_client()
    assert sign_in(client, make_user(db, Role.SUPERVISOR, locale=locale)).status_code == 302
    return client


def _form(page: str) -> str:
    start = page.index('<form method="get" class="row g-2 align-items-end mb-3 filters"')
    return page[start : page.index("</form>", start)]


def test_a_kept_form_is_the_form_rendered_afresh(app: Flask, db: Session) -> None:
    reader = _client(app, db)
    chosen = {"/seizures?status=draft&sort=reference": "draft", "/persons?gender=F&page=2": "F"}
    for url, value in chosen.items():
        listfilters._rendered.clear()
        fresh = reader.get(url)
        kept = reader.get(url)
        assert fresh.status_code == kept.status_code == 200
        assert _form(kept.text) == _form(fresh.text)
        # The filter the user chose is still selected in the kept form.
        assert re.search(f'selected[^>]*value="{value}"', _form(kept.text))
        # Another page of the same list reuses it; another filter does not.
        assert _form(reader.get(url + "&page=3").text) == _form(fresh.text)
    other = reader.get("/persons?gender=M")
    assert _form(other.text) != _form(kept.text)


def test_a_change_of_reference_data_or_language_shows_at_once(app: Flask, db: Session) -> None:
    reader = _client(app, db)
    russian = _client(app, db, locale="ru")
    assert ROAD in _form(reader.get("/seizures").text)
    assert '<option value="road">Автомобильный транспорт</option>' in _form(
        russian.get("/seizures").text
    )
    with tx(db):  # as a migration or psql would: no service, no application code
        db.execute(text("UPDATE transport_modes SET label = 'Highway' WHERE code = 'road'"))
    form = _form(reader.get("/seizures").text)
    assert '<option value="road">Highway</option>' in form
    assert "Road transport" not in form


def test_typed_text_and_refused_forms_are_not_kept(app: Flask, db: Session) -> None:
    reader = _client(app, db)
    listfilters._rendered.clear()
    assert reader.get("/persons?name=Zebedee").status_code == 200
    assert reader.get("/seizures?text=ZX-Secret").status_code == 200
    assert reader.get("/seizures?date_from=never").status_code == 400
    assert reader.get("/persons?document=N123").status_code == 200
    assert listfilters._rendered == {}
    # A list without typed text is kept (and keeps none).
    assert reader.get("/seizures?status=draft").status_code == 200
    assert len(listfilters._rendered) == 1
    assert all("Zebedee" not in html for html, _lists in listfilters._rendered.values())
