"""Investigation pages: opening a case with records, the team's desk, need to know (404 and
absent from lists), stale edits (409), bad input (400 with the message), the workflow, tasks
and notes through the forms, opening from a saved chart and adding from a record's page, and
the audit of every read."""

from __future__ import annotations

import re
import uuid

from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from ncen.accounts.actor import Actor
from ncen.accounts.models import Role, User
from ncen.analysis.charts import save_chart
from ncen.audit import AuditEvent
from ncen.investigations.models import CaseStatus, Investigation, InvestigationItem
from ncen.investigations.services import open_case
from tests.functional.conftest import post_form, sign_in
from tests.web_support import make_record, make_user, tx


def _case(db: Session, lead: User, **fields: object) -> Investigation:
    fields.setdefault("title", "Tramadol parcels")
    with tx(db):
        return open_case(db, Actor.of(lead), **fields)  # type: ignore[arg-type]


def _fresh(db: Session, case_id: uuid.UUID) -> Investigation:
    with tx(db):
        db.expire_all()
        case = db.get(Investigation, case_id)
        assert case is not None
        return case


def _switch(client: FlaskClient, user: User) -> None:
    post_form(client, "/auth/sign-out", {})
    assert sign_in(client, user).status_code == 302


def test_analyst_opens_a_case_with_records_and_the_investigator_sees_it(
    client: FlaskClient, db: Session
) -> None:
    recorder = make_user(db, Role.INVESTIGATOR)
    seizure = make_record(db, recorder, "seizure")
    person = make_record(db, recorder, "person")
    analyst = make_user(db, Role.ANALYST)
    investigator = make_user(db, Role.INVESTIGATOR)
    assert sign_in(client, analyst).status_code == 302
    items = f"item=seizure:{seizure.id}&item=person:{person.id}"
    page = client.get(f"/investigations/new?{items}")
    assert page.status_code == 200
    assert person.display_name in page.text
    response = post_form(
        client,
        f"/investigations/new?{items}",
        {"title": "Port ring", "members": str(investigator.id), "item_note": "same courier"},
    )
    assert response.status_code == 302, response.text
    case_id = uuid.UUID(response.location.rsplit("/", 1)[1])
    with tx(db):
        kinds = db.execute(
            select(InvestigationItem.record_type).where(
                InvestigationItem.investigation_id == case_id
            )
        ).scalars()
        assert {kind.value for kind in kinds} == {"seizure", "person"}
    _switch(client, investigator)
    home = client.get("/home").text
    desk = re.search(r'<section[^>]*id="desk-cases".*?</section>', home, re.S)
    assert desk is not None
    assert "Port ring" in desk.group(0)


def test_restricted_case_is_invisible_to_another_investigator(
    client: FlaskClient, db: Session
) -> None:
    lead = make_user(db, Role.ANALYST)
    member = make_user(db, Role.INVESTIGATOR)
    secret = _case(db, lead, title="Secret matter", restricted=True, members=[member.id])
    public = _case(db, lead, title="Known matter")
    other = make_user(db, Role.INVESTIGATOR)
    assert sign_in(client, other).status_code == 302
    assert client.get(f"/investigations/{secret.id}").status_code == 404
    assert client.get(f"/investigations/{secret.id}/edit").status_code == 404
    listing = client.get("/investigations").text
    assert "Known matter" in listing
    assert "Secret matter" not in listing
    assert secret.reference not in listing
    assert "1 investigation" in listing
    searched = client.get("/investigations?q=Secret").text
    assert "Secret matter" not in searched
    assert "0 investigations" in searched
    response = post_form(client, f"/investigations/{secret.id}/notes", {"body": "hello"})
    assert response.status_code == 404
    # The non-restricted case: its existence and records, not the team's side.
    page = client.get(f"/investigations/{public.id}")
    assert page.status_code == 200
    assert 'id="case-outside"' in page.text
    assert 'id="note-form"' not in page.text
    # The team member and a supervisor see the restricted case.
    _switch(client, member)
    assert client.get(f"/investigations/{secret.id}").status_code == 200
    _switch(client, make_user(db, Role.SUPERVISOR))
    assert "Secret matter" in client.get("/investigations").text


def test_exchange_officer_and_administrator_are_refused(client: FlaskClient, db: Session) -> None:
    case = _case(db, make_user(db, Role.ANALYST))
    for role in (Role.EXCHANGE_OFFICER, Role.ADMINISTRATOR):
        _switch(client, make_user(db, role))
        assert client.get("/investigations").status_code == 403
        assert client.get(f"/investigations/{case.id}").status_code == 403


def test_reading_a_case_is_audited(client: FlaskClient, db: Session) -> None:
    recorder = make_user(db, Role.INVESTIGATOR)
    person = make_record(db, recorder, "person")
    lead = make_user(db, Role.ANALYST)
    case = _case(db, lead, items=[("person", person.id)])
    reader = make_user(db, Role.SUPERVISOR)
    assert sign_in(client, reader).status_code == 302
    assert client.get(f"/investigations/{case.id}").status_code == 200
    assert client.get("/investigations").status_code == 200
    with tx(db):
        events = (
            db.execute(
                select(AuditEvent).where(AuditEvent.actor_id == reader.id).order_by(AuditEvent.id)
            )
            .scalars()
            .all()
        )
    read = [event for event in events if event.action == "investigation.read"]
    assert len(read) == 1
    assert read[0].record_id == str(case.id)
    assert read[0].details["items"] == [f"person:{person.id}"]
    assert any(event.action == "investigation.list" for event in events)


def test_workflow_stale_edit_and_bad_input_through_the_forms(
    client: FlaskClient, db: Session
) -> None:
    lead = make_user(db, Role.ANALYST)
    case = _case(db, lead)
    assert sign_in(client, lead).status_code == 302
    url = f"/investigations/{case.id}"
    response = post_form(client, f"{url}/status", {"version": "1", "status": "active"})
    assert response.status_code == 302
    assert _fresh(db, case.id).status is CaseStatus.ACTIVE
    # A page loaded at version 1 is stale now.
    stale = post_form(client, f"{url}/edit", {"version": "1", "title": "Renamed"})
    assert stale.status_code == 409
    refused = post_form(client, f"{url}/status", {"version": "2", "status": "closed"})
    assert refused.status_code == 400
    assert "reason" in refused.text
    bad = post_form(client, f"{url}/edit", {"version": "2", "title": "a\u202eb"})
    assert bad.status_code == 400
    assert "text-direction" in bad.text
    huge = post_form(client, "/investigations/new", {"title": "x" * 100_000})
    assert huge.status_code == 400
    assert "too long" in huge.text
    nul = post_form(client, f"{url}/notes", {"body": "a\x00b"})
    assert nul.status_code == 400
    assert (
        post_form(client, f"{url}/status", {"version": "2", "status": "bogus"}).status_code == 400
    )
    assert _fresh(db, case.id).title == "Tramadol parcels"


def test_tasks_and_notes_through_the_forms(client: FlaskClient, db: Session) -> None:
    lead = make_user(db, Role.ANALYST)
    member = make_user(db, Role.INVESTIGATOR)
    case = _case(db, lead, members=[member.id])
    assert sign_in(client, member).status_code == 302
    url = f"/investigations/{case.id}"
    response = post_form(
        client,
        f"{url}/tasks",
        {"title": "Ask the carrier", "assignee_id": str(member.id), "due_on": "2026-12-01"},
    )
    assert response.status_code == 302
    assert (
        post_form(client, f"{url}/notes", {"body": "Seen twice", "kind": "note"}).status_code == 302
    )
    page = client.get(url).text
    assert "Ask the carrier" in page
    assert "Seen twice" in page
    home = client.get("/home").text
    tasks = re.search(r'<section[^>]*id="desk-tasks".*?</section>', home, re.S)
    assert tasks is not None
    assert "Ask the carrier" in tasks.group(0)
    task_id = re.search(rf'action="{url}/tasks/([0-9a-f-]+)/done"', page)
    assert task_id is not None
    done = post_form(client, f"{url}/tasks/{task_id.group(1)}/done", {"done": "1", "version": "1"})
    assert done.status_code == 302
    again = post_form(client, f"{url}/tasks/{task_id.group(1)}/done", {"done": "0", "version": "1"})
    assert again.status_code == 409
    # A member who is not the lead may not change the status.
    assert (
        post_form(client, f"{url}/status", {"version": "1", "status": "active"}).status_code == 403
    )


def test_open_from_a_saved_chart_and_add_from_a_record_page(
    client: FlaskClient, db: Session
) -> None:
    recorder = make_user(db, Role.INVESTIGATOR)
    seizure = make_record(db, recorder, "seizure")
    person = make_record(db, recorder, "person")
    analyst = make_user(db, Role.ANALYST)
    with tx(db):
        chart = save_chart(db, Actor.of(analyst), name="Ring", nodes=[f"seizure:{seizure.id}"])
    assert sign_in(client, analyst).status_code == 302
    assert "Open investigation" in client.get("/analysis/network/charts").text
    form = client.get(f"/investigations/new?chart={chart.id}")
    assert form.status_code == 200
    assert seizure.reference in form.text
    response = post_form(
        client, f"/investigations/new?chart={chart.id}", {"title": "From the chart"}
    )
    assert response.status_code == 302
    case_id = uuid.UUID(response.location.rsplit("/", 1)[1])
    case = _fresh(db, case_id)
    assert case.source == "chart"
    assert case.source_ref == str(chart.id)
    # From the person's page: the button, the choice of case, the record added.
    person_page = client.get(f"/persons/{person.id}").text
    assert f"/investigations/add?item=person:{person.id}" in person_page
    added = post_form(
        client, f"/investigations/add?item=person:{person.id}", {"case_id": str(case_id)}
    )
    assert added.status_code == 302
    with tx(db):
        found = db.execute(
            select(InvestigationItem.record_id).where(
                InvestigationItem.investigation_id == case_id,
                InvestigationItem.record_type == "person",
            )
        ).scalar_one()
    assert found == person.id
    missing = post_form(client, f"/investigations/add?item=person:{person.id}", {})
    assert missing.status_code == 400
    assert post_form(client, "/investigations/add?item=person:nope", {}).status_code == 400


def test_only_a_supervisor_reopens_a_closed_case(client: FlaskClient, db: Session) -> None:
    from ncen.investigations.workflow import change_status

    lead = make_user(db, Role.ANALYST)
    case = _case(db, lead)
    with tx(db):
        change_status(db, Actor.of(lead), case.id, version=1, status="closed", reason="no lead")
    assert sign_in(client, lead).status_code == 302
    url = f"/investigations/{case.id}"
    assert "Reopen" not in client.get(url).text
    form = {"version": "2", "status": "active", "reason": "new facts"}
    assert post_form(client, f"{url}/status", form).status_code == 403
    _switch(client, make_user(db, Role.SUPERVISOR))
    assert "Reopen" in client.get(url).text
    assert post_form(client, f"{url}/status", form).status_code == 302
    reopened = _fresh(db, case.id)
    assert reopened.status is CaseStatus.ACTIVE
    assert reopened.status_reason == "new facts"


def test_the_team_adds_and_takes_off_records(client: FlaskClient, db: Session) -> None:
    recorder = make_user(db, Role.INVESTIGATOR)
    company = make_record(db, recorder, "company")
    lead = make_user(db, Role.ANALYST)
    case = _case(db, lead)
    assert sign_in(client, lead).status_code == 302
    url = f"/investigations/{case.id}"
    added = post_form(client, f"{url}/items?item=company:{company.id}", {}, follow_redirects=True)
    assert "1 record added." in added.text
    assert company.display_name in added.text
    again = post_form(client, f"{url}/items?item=company:{company.id}", {}, follow_redirects=True)
    assert "Nothing new to add." in again.text
    item_id = re.search(rf'action="{url}/items/([0-9a-f-]+)/remove"', again.text)
    assert item_id is not None
    assert post_form(client, f"{url}/items/{item_id.group(1)}/remove", {}).status_code == 302
    assert company.display_name not in client.get(url).text
