"""The seizure list, page, history, edit (with conflicts), workflow buttons and links."""

from __future__ import annotations

import uuid
from collections.abc import Callable

from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from ncen.accounts.actor import Actor
from ncen.accounts.models import Role, User
from ncen.audit import AuditEvent
from ncen.seizures.models import Seizure, SeizureStatus
from ncen.seizures.services import link_entity, update_seizure
from tests.factories import seizure_data
from tests.functional.conftest import post_form
from tests.web_support import csrf_token, make_record, make_user, tx


def _edit_form(client: FlaskClient, seizure: Seizure, **changes: str) -> dict[str, str]:
    """The edit form of ``seizure`` as the browser would send it back, with ``changes``."""
    page = client.get(f"/seizures/{seizure.id}/edit")
    assert page.status_code == 200, page.text
    data = {
        "csrf_token": csrf_token(page.text),
        "version": str(seizure.version),
        "occurred_at": seizure.occurred_at.strftime("%Y-%m-%dT%H:%M:%S.%f")[:23],
        "utc_offset": "+00:00",
        "place": seizure.place or "",
        "direction": "import",
        "transport_mode": "road",
        "source_reliability": "B",
        "information_grade": "2",
        "handling_code": "H0",
        "items-0-commodity_group": "tobacco",
        "items-0-hs_code": "240220",
        "items-0-quantity": "12000",
        "items-0-unit": "pieces",
    }
    data.update(changes)
    return data


def test_list_filters_sorts_and_paginates(
    client: FlaskClient, signed_in: Callable[..., User], db: Session
) -> None:
    user = signed_in(Role.ANALYST)
    author = make_user(db, Role.INVESTIGATOR)
    for place in ("Khorgos", "Dostyk <b>rail</b>", "Aktau port"):
        make_record(db, author, "seizure", place=place)
    page = client.get("/seizures")
    assert page.status_code == 200
    assert "3 seizures" in page.text
    assert "Dostyk &lt;b&gt;rail&lt;/b&gt;" in page.text
    filtered = client.get("/seizures?text=aktau&status=draft&commodity_group=tobacco")
    assert "1 seizure" in filtered.text
    assert "Aktau port" in filtered.text
    assert "Khorgos" not in filtered.text
    by_reference = client.get("/seizures?sort=reference&dir=asc").text
    assert by_reference.index("SZ-") < by_reference.rindex("SZ-")
    assert client.get("/seizures?date_from=not-a-date").status_code == 400
    assert client.get("/seizures?page=99").status_code == 200
    with tx(db):
        listed = db.execute(
            select(AuditEvent.details).where(
                AuditEvent.action == "seizure.list", AuditEvent.actor_id == user.id
            )
        ).scalars()
        assert {"text": "aktau", "status": "draft", "commodity_group": "tobacco"} in list(listed)


def test_page_shows_items_links_roles_and_history(
    client: FlaskClient, signed_in: Callable[..., User], db: Session
) -> None:
    user = signed_in(Role.SUPERVISOR)
    seizure = make_record(db, user, "seizure")
    person = make_record(db, user, "person")
    with tx(db):
        link_entity(
            db,
            Actor.of(user),
            seizure.id,
            seizure.version,
            kind="person",
            target_id=person.id,
            role="driver",
        )
        update_seizure(db, Actor.of(user), seizure.id, 2, seizure_data(place="Dostyk"))
    page = client.get(f"/seizures/{seizure.id}")
    assert page.status_code == 200
    assert "Cigarettes, counterfeit brand" in page.text
    assert "Driver" in page.text
    assert f"/persons/{person.id}" in page.text
    assert "Validate" not in page.text  # a draft
    history = client.get(f"/seizures/{seizure.id}/history")
    assert history.status_code == 200
    assert "3 versions" in history.text
    assert "Khorgos border crossing" in history.text
    assert "Dostyk" in history.text
    assert "Edited" in history.text
    assert "Linked" in history.text
    person_page = client.get(f"/persons/{person.id}")
    assert seizure.reference in person_page.text
    assert "Driver" in person_page.text


def test_edit_keeps_input_and_explains_a_conflict(
    client: FlaskClient, signed_in: Callable[..., User], db: Session
) -> None:
    user = signed_in(Role.INVESTIGATOR)
    seizure = make_record(db, user, "seizure")
    mine = _edit_form(client, seizure, place="My <new> place", narrative="My narrative")
    with tx(db):  # someone else saves first
        update_seizure(db, Actor.of(user), seizure.id, 1, seizure_data(place="Their place"))
    response = client.post(f"/seizures/{seizure.id}/edit", data=mine)
    assert response.status_code == 409
    assert "Someone else changed this record while you were editing it" in response.text
    assert "Their place" in response.text
    assert 'value="My &lt;new&gt; place"' in response.text
    assert "My narrative" in response.text
    assert 'name="version" type="hidden" value="2"' in response.text
    # A deliberate second save writes over the other change.
    again = client.post(f"/seizures/{seizure.id}/edit", data={**mine, "version": "2"})
    assert again.status_code == 302
    with tx(db):
        db.expire_all()
        assert db.get(Seizure, seizure.id).place == "My <new> place"


def test_forged_version_and_bad_input(
    client: FlaskClient, signed_in: Callable[..., User], db: Session
) -> None:
    user = signed_in(Role.INVESTIGATOR)
    seizure = make_record(db, user, "seizure")
    forged = client.post(
        f"/seizures/{seizure.id}/edit", data=_edit_form(client, seizure, version="abc")
    )
    assert forged.status_code == 409
    bad = client.post(
        f"/seizures/{seizure.id}/edit",
        data=_edit_form(client, seizure, **{"items-0-hs_code": "99", "items-0-unit": ""}),
    )
    assert bad.status_code == 200
    assert "is required with a quantity" in bad.text
    assert 'value="99"' in bad.text


def test_investigators_edit_only_their_own_drafts(
    client: FlaskClient, signed_in: Callable[..., User], db: Session
) -> None:
    signed_in(Role.INVESTIGATOR)
    other = make_record(db, make_user(db, Role.INVESTIGATOR), "seizure")
    assert client.get(f"/seizures/{other.id}/edit").status_code == 403
    assert post_form(client, f"/seizures/{other.id}/submit", {"version": "1"}).status_code == 403
    page = client.get(f"/seizures/{other.id}").text
    assert f"/seizures/{other.id}/edit" not in page


def test_submit_validate_and_return(client: FlaskClient, db: Session, app) -> None:
    from tests.functional.conftest import sign_in

    investigator = make_user(db, Role.INVESTIGATOR)
    supervisor = make_user(db, Role.SUPERVISOR)
    seizure = make_record(db, investigator, "seizure")
    sign_in(client, investigator)
    page = client.get(f"/seizures/{seizure.id}")
    assert "Submit for validation" in page.text
    done = client.post(
        f"/seizures/{seizure.id}/submit",
        data={"csrf_token": csrf_token(page.text), "version": "1"},
        follow_redirects=True,
    )
    assert "Submitted for validation." in done.text
    assert f"/seizures/{seizure.id}/edit" not in done.text  # out of the investigator's hands
    other = app.test_client()
    sign_in(other, supervisor)
    page = other.get(f"/seizures/{seizure.id}")
    assert "Validate" in page.text
    assert "Return for corrections" in page.text
    stale = other.post(
        f"/seizures/{seizure.id}/validate",
        data={"csrf_token": csrf_token(page.text), "version": "1"},
    )
    assert stale.status_code == 409
    assert "Changed by someone else" in stale.text
    validated = other.post(
        f"/seizures/{seizure.id}/validate",
        data={"csrf_token": csrf_token(page.text), "version": "2"},
        follow_redirects=True,
    )
    assert "Seizure validated." in validated.text
    again = other.post(
        f"/seizures/{seizure.id}/return",
        data={"csrf_token": csrf_token(page.text), "version": "3"},
        follow_redirects=True,
    )
    assert "cannot become draft" in again.text
    with tx(db):
        db.expire_all()
        assert db.get(Seizure, seizure.id).status is SeizureStatus.VALIDATED


def test_link_existing_and_new_records_then_unlink(
    client: FlaskClient, signed_in: Callable[..., User], db: Session
) -> None:
    user = signed_in(Role.INVESTIGATOR)
    seizure = make_record(db, user, "seizure")
    container = make_record(db, user, "conveyance")
    url = f"/seizures/{seizure.id}/link?kind=conveyance"
    found = client.post(
        url,
        data={
            "csrf_token": csrf_token(client.get(url).text),
            "version": "1",
            "kind": "conveyance",
            "entry-query": "CSQU 305438-3",
            "row_action": "find:entry",
        },
    )
    assert f'value="{container.id}"' in found.text
    linked = client.post(
        url,
        data={
            "csrf_token": csrf_token(found.text),
            "version": "1",
            "kind": "conveyance",
            "entry-role": "container",
            "entry-existing_id": str(container.id),
        },
    )
    assert linked.status_code == 302
    url = f"/seizures/{seizure.id}/link?kind=person"
    refused = client.post(
        url,
        data={
            "csrf_token": csrf_token(client.get(url).text),
            "version": "2",
            "kind": "person",
            "entry-role": "driver",
            "entry-birth_year": "2999",
        },
    )
    assert refused.status_code == 200
    assert "a person needs at least one name" in refused.text
    created = client.post(
        url,
        data={
            "csrf_token": csrf_token(refused.text),
            "version": "2",
            "kind": "person",
            "entry-role": "driver",
            "entry-full_name": "Ольга Смирнова",
        },
        follow_redirects=True,
    )
    assert "Ольга Смирнова" in created.text
    assert "Means of transport" not in created.text
    assert "Container" in created.text
    unlink = created.text.split(f'action="/seizures/{seizure.id}/unlink/person/')[1].split('"')[0]
    response = client.post(
        f"/seizures/{seizure.id}/unlink/person/{unlink}",
        data={"csrf_token": csrf_token(created.text), "version": "3"},
        follow_redirects=True,
    )
    assert "Link removed." in response.text
    assert "Ольга Смирнова" not in response.text


def test_missing_and_deleted_seizures_are_404(
    client: FlaskClient, signed_in: Callable[..., User], db: Session
) -> None:
    user = signed_in(Role.SUPERVISOR)
    for url in (
        f"/seizures/{uuid.uuid4()}",
        f"/seizures/{uuid.uuid4()}/history",
        f"/seizures/{uuid.uuid4()}/edit",
        "/seizures/not-a-uuid",
    ):
        response = client.get(url)
        assert response.status_code == 404, url
        assert "Traceback" not in response.text
    seizure = make_record(db, user, "seizure")
    page = client.get(f"/seizures/{seizure.id}")
    deleted = client.post(
        f"/seizures/{seizure.id}/delete",
        data={"csrf_token": csrf_token(page.text), "version": "1"},
        follow_redirects=True,
    )
    assert "deleted" in deleted.text
    assert client.get(f"/seizures/{seizure.id}").status_code == 404


def test_administrators_read_no_seizures(
    client: FlaskClient, signed_in: Callable[..., User], db: Session
) -> None:
    signed_in(Role.ADMINISTRATOR)
    seizure = make_record(db, make_user(db, Role.INVESTIGATOR), "seizure")
    assert client.get("/seizures").status_code == 403
    assert client.get(f"/seizures/{seizure.id}").status_code == 403
    assert client.get(f"/seizures/{seizure.id}/history").status_code == 403
    assert "Seizures" not in client.get("/home").text
