"""The retention review pages (item 19): the queue shows due records only, with a type filter;
keep without a reason is refused next to the row with the input kept; delete erases; the
forms carry and need the CSRF token; the navigation shows the page to supervisors only."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from ncen.accounts.models import Role
from ncen.audit import AuditEvent
from ncen.persons.models import Person
from ncen.retention.models import Decision, RetentionDecision
from tests.web_support import csrf_token, make_record, make_user, tx

TODAY = datetime.now(UTC).date()


def _due_person(db: Session, author, name: str) -> Person:
    person = make_record(db, author, "person", names=[{"full_name": name, "kind": "primary"}])
    with tx(db):
        db.execute(
            update(Person).where(Person.id == person.id).values(review_due=TODAY - timedelta(1))
        )
    return person


def _post(client, url: str, data: dict[str, str]):
    """POST ``data`` with the CSRF token of the queue page (where the forms are)."""
    token = csrf_token(client.get("/retention/review").text)
    return client.post(url, data={"csrf_token": token, **data})


def test_queue_keep_and_delete(client, db, signed_in):
    author = make_user(db, Role.INVESTIGATOR)
    due = _due_person(db, author, "Vasilisa Premudraya")
    later = make_record(db, author, "person", names=[{"full_name": "Koschei Bessmertny"}])
    supervisor = signed_in(Role.SUPERVISOR)

    page = client.get("/retention/review?type=person")
    assert page.status_code == 200
    assert "Vasilisa Premudraya" in page.text
    assert "Koschei Bessmertny" not in page.text
    assert client.get("/retention/review?type=company").text.count("retention-row") == 0
    assert 'href="/retention/review"' in client.get("/home").text  # navigation link
    with tx(db):
        read = db.execute(
            select(AuditEvent).where(
                AuditEvent.action == "retention.list", AuditEvent.actor_id == supervisor.id
            )
        ).scalars()
        assert any(f"person:{due.id}" in e.details["shown"] for e in read)

    keep_url = f"/retention/review/person/{due.id}/keep"
    later_date = (TODAY + timedelta(days=200)).isoformat()
    refused = _post(client, keep_url, {"review_date": later_date})
    assert refused.status_code == 400
    assert "is required" in refused.text
    assert f'value="{later_date}"' in refused.text  # the input is kept

    kept = _post(
        client, keep_url, {"reason": "linked to open case 2026/44", "review_date": later_date}
    )
    assert kept.status_code == 302
    assert "Vasilisa Premudraya" not in client.get("/retention/review").text

    with tx(db):
        db.execute(
            update(Person).where(Person.id == later.id).values(review_due=TODAY - timedelta(1))
        )
    deleted = _post(
        client,
        f"/retention/review/person/{later.id}/delete",
        {"reason": "not needed any more", "confirm": "yes"},
    )
    assert deleted.status_code == 302
    with tx(db):
        decisions = {
            (d.record_id, d.decision) for d in db.execute(select(RetentionDecision)).scalars()
        }
        assert decisions == {(due.id, Decision.KEEP), (later.id, Decision.DELETE)}
    assert "not needed any more" in client.get("/retention/tombstones").text


def test_forms_need_the_csrf_token(client, db, signed_in):
    author = make_user(db, Role.INVESTIGATOR)
    person = _due_person(db, author, "Ivan Tsarevich")
    signed_in(Role.SUPERVISOR)
    page = client.get("/retention/review")
    assert page.text.count('name="csrf_token"') >= 2  # keep and delete forms of the row
    response = client.post(
        f"/retention/review/person/{person.id}/delete",
        data={"reason": "forged", "confirm": "yes"},
    )
    assert response.status_code == 400
    with tx(db):
        assert db.execute(select(RetentionDecision)).first() is None


def test_other_roles_see_no_link_and_are_refused(client, db, signed_in):
    signed_in(Role.INVESTIGATOR, Role.ANALYST)
    assert "/retention/review" not in client.get("/home").text
    assert client.get("/retention/review").status_code == 403
