"""The associates panel on the person, company and conveyance pages: shown with its evidence
and links to users who may analyse networks, absent for the others, audited."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from ncen.accounts.actor import Actor
from ncen.accounts.models import Role, User
from ncen.audit import AuditEvent
from tests.graph_support import Ring, plant_ring
from tests.web_support import make_user, tx


@pytest.fixture
def ring(db: Session) -> Ring:
    author = make_user(db, Role.SUPERVISOR)
    with tx(db):
        return plant_ring(db, Actor.of(author))


def test_person_page_shows_associates_with_evidence_and_links(
    client: FlaskClient, signed_in: Callable[..., User], db: Session, ring: Ring
) -> None:
    user = signed_in(Role.ANALYST)
    page = client.get(f"/persons/{ring.a.id}")
    assert page.status_code == 200
    assert "Associates" in page.text
    assert f'href="/companies/{ring.company.id}"' in page.text
    assert f'href="/persons/{ring.b.id}"' in page.text
    assert "same phone +77015551234" in page.text
    assert f"both in {ring.references['s1']} as Driver / Owner / Importer" in page.text
    assert "Gone Person" not in page.text  # deleted: never an associate
    with tx(db):
        shown = db.execute(
            select(AuditEvent.details).where(
                AuditEvent.action == "analysis.associates", AuditEvent.actor_id == user.id
            )
        ).scalar_one()
    assert str(ring.company) in shown["shown"]


def test_company_and_conveyance_pages_have_the_panel(
    client: FlaskClient, signed_in: Callable[..., User], ring: Ring
) -> None:
    signed_in(Role.INVESTIGATOR)
    company = client.get(f"/companies/{ring.company.id}").text
    assert "from KZ-NODE-2" in company  # the received person, with its origin
    assert f'href="/persons/{ring.foreign.id}"' in company
    truck = client.get(f"/conveyances/{ring.truck.id}").text
    assert "Associates" in truck
    assert f'href="/persons/{ring.b.id}"' in truck


def test_isolated_record_says_so(
    client: FlaskClient, signed_in: Callable[..., User], ring: Ring
) -> None:
    signed_in(Role.SUPERVISOR)
    page = client.get(f"/persons/{ring.isolated.id}").text
    assert "No associates" in page


def test_no_panel_without_analyse_network(
    client: FlaskClient, signed_in: Callable[..., User], db: Session, ring: Ring
) -> None:
    user = signed_in(Role.EXCHANGE_OFFICER)
    page = client.get(f"/persons/{ring.a.id}")
    assert page.status_code == 200
    assert "Associates" not in page.text
    assert "same phone" not in page.text
    with tx(db):
        events = db.execute(
            select(AuditEvent.id).where(
                AuditEvent.action == "analysis.associates", AuditEvent.actor_id == user.id
            )
        ).all()
    assert events == []
