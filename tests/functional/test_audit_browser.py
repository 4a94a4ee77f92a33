"""The audit-trail browser: filters by user, record, action and dates; pagination."""

from __future__ import annotations

from datetime import date, timedelta

from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from ncen.accounts.actor import Actor
from ncen.accounts.models import Role
from ncen.audit import record_event
from tests.functional.conftest import sign_in
from tests.web_support import make_user, tx


def test_filters_and_pagination(client: FlaskClient, db: Session) -> None:
    admin = make_user(db, Role.ADMINISTRATOR)
    clerk = make_user(db, Role.INVESTIGATOR)
    with tx(db):
        actor = Actor.of(clerk)
        for n in range(60):
            record_event(db, actor, "test.bulk", record_type="thing", record_id=f"rec-{n}")
        record_event(db, actor, "test.special", record_type="thing", record_id="needle")
    sign_in(client, admin)

    first = client.get("/admin/audit")
    assert first.status_code == 200
    assert "test.special" in first.text
    assert "Page 1 of" in first.text

    by_record = client.get("/admin/audit?record_id=needle")
    assert by_record.text.count("<code>test.special</code>") == 1
    assert "<code>test.bulk</code>" not in by_record.text

    by_action = client.get("/admin/audit?action=test.bulk")
    assert "61 events" not in by_action.text
    assert "60 events" in by_action.text
    second = client.get("/admin/audit?action=test.bulk&page=2")
    assert "Page 2 of 2" in second.text
    assert "rec-0<" in second.text  # the oldest, on the last page
    assert "action=test.bulk" in second.text  # the pager keeps the filter

    by_user = client.get(f"/admin/audit?user={clerk.username.upper()}")
    assert "61 events" in by_user.text

    today = date.today()
    in_range = client.get(f"/admin/audit?record_id=needle&since={today}&until={today}")
    assert "1 event" in in_range.text
    tomorrow = today + timedelta(days=1)
    out_of_range = client.get(f"/admin/audit?record_id=needle&since={tomorrow}")
    assert "No event matches these filters." in out_of_range.text


def test_bad_filter_is_explained(client: FlaskClient, db: Session) -> None:
    sign_in(client, make_user(db, Role.ADMINISTRATOR))
    response = client.get("/admin/audit?since=31/31/2024&action=no.such")
    assert response.status_code == 400
    assert "Not a valid date value." in response.text
    assert "Not a valid choice" in response.text
    assert client.get("/admin/audit?page=-3").status_code == 200
