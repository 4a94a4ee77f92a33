"""RFIs linked to investigations: the exchange officer links by reference from the RFI list
(a restricted case of another team is refused like a missing one, and a link to it is not
shown), the case's team reads question and reply on the case page (audited), others do not."""

from __future__ import annotations

import uuid

from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from exchange.casemodels import InvestigationRfi
from exchange.netmodels import Direction, InformationRequest, RequestState
from ncen.accounts.actor import Actor
from ncen.accounts.models import Role, User
from ncen.audit import AuditEvent
from ncen.investigations.models import Investigation, InvestigationEvent
from ncen.investigations.services import open_case
from tests.functional.conftest import post_form, sign_in
from tests.functional.test_exchange_pages import _peer
from tests.web_support import make_user, tx


def _rfi(db: Session, subject: str, reply: str | None = None) -> uuid.UUID:
    rfi_id = uuid.uuid4()
    with tx(db):
        db.add(
            InformationRequest(
                id=rfi_id, direction=Direction.SENT, peer_node_id="de-ncen", subject=subject,
                question="Who drives truck KZ 123?", legal_basis="Naples II",
                state=RequestState.ANSWERED if reply else RequestState.OPEN, reply=reply,
                created_by="officer",
            )
        )  # fmt: skip
    return rfi_id


def _case(db: Session, lead: User, **fields: object) -> Investigation:
    with tx(db):
        return open_case(db, Actor.of(lead), **fields)  # type: ignore[arg-type]


def _switch(client: FlaskClient, user: User) -> None:
    post_form(client, "/auth/sign-out", {})
    assert sign_in(client, user).status_code == 302


def test_link_by_reference_and_read_on_the_case_page(client: FlaskClient, db: Session) -> None:
    _peer(db)
    lead = make_user(db, Role.ANALYST)
    member = make_user(db, Role.INVESTIGATOR)
    outsider = make_user(db, Role.INVESTIGATOR)
    officer = make_user(db, Role.EXCHANGE_OFFICER)
    case = _case(db, lead, title="Kordai trucks", members=[member.id])
    secret = _case(db, lead, title="Secret", restricted=True)
    rfi_id = _rfi(db, "Truck KZ 123", reply="Driver: N. Nazarov")
    assert sign_in(client, officer).status_code == 302
    url = f"/exchange/rfis/{rfi_id}/investigation"
    linked = post_form(client, url, {"reference": case.reference.lower()}, follow_redirects=True)
    assert f"Linked to investigation {case.reference}" in linked.text
    # A restricted case of another team and a missing one get the same answer.
    hidden = post_form(client, url, {"reference": secret.reference}, follow_redirects=True)
    missing = post_form(client, url, {"reference": "INV-1999-00001"}, follow_redirects=True)
    for page in (hidden, missing):
        assert "no investigation has this reference, or you may not link to it" in page.text
    assert post_form(client, url, {"reference": "INV\x00"}).status_code == 302
    with tx(db):
        links = db.execute(select(InvestigationRfi.investigation_id)).scalars().all()
        history = (
            db.execute(
                select(InvestigationEvent.action).where(
                    InvestigationEvent.investigation_id == case.id
                )
            )
            .scalars()
            .all()
        )
    assert links == [case.id]
    assert "rfi_link" in history
    assert case.reference in client.get("/exchange/rfis").text
    # The team reads the RFI and its reply on the case page; the read is audited.
    _switch(client, member)
    page = client.get(f"/investigations/{case.id}").text
    assert "Truck KZ 123" in page
    assert "Driver: N. Nazarov" in page
    with tx(db):
        actions = (
            db.execute(select(AuditEvent.action).where(AuditEvent.actor_id == member.id))
            .scalars()
            .all()
        )
    assert "investigation_rfi.list" in actions
    # Someone outside the team sees the case exists, not its RFIs.
    _switch(client, outsider)
    page = client.get(f"/investigations/{case.id}").text
    assert "Truck KZ 123" not in page
    # The exchange officer unlinks.
    _switch(client, officer)
    removed = post_form(client, f"{url}/{case.id}/remove", {})
    assert removed.status_code == 302
    with tx(db):
        assert db.execute(select(InvestigationRfi)).first() is None
    assert post_form(client, f"{url}/{case.id}/remove", {}).status_code == 404


def test_a_link_to_a_restricted_case_is_not_shown_to_other_exchange_officers(
    client: FlaskClient, db: Session
) -> None:
    from exchange.services.caselinks import link_rfi

    _peer(db)
    supervisor = make_user(db, Role.SUPERVISOR, Role.EXCHANGE_OFFICER)
    secret = _case(db, supervisor, title="Secret", restricted=True)
    rfi_id = _rfi(db, "Container MSKU")
    with tx(db):
        link_rfi(db, Actor.of(supervisor), rfi_id, secret.reference)
    assert sign_in(client, make_user(db, Role.EXCHANGE_OFFICER)).status_code == 302
    page = client.get("/exchange/rfis").text
    assert "Container MSKU" in page
    assert secret.reference not in page
