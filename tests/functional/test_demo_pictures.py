"""The demo's concealment pictures are served like uploaded ones to a signed-in investigator:
every thumbnail (national and received) answers 200 with the stored JPEG, the planted
seizure's page shows its gallery, and every planted record's page renders."""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from ncen.accounts.models import Role, User
from ncen.demo.cast import COMPANIES, CONVEYANCES, FOREIGN_NODE, PERSONS, SEIZURES
from ncen.demo.gallery import PICTURES
from ncen.demo.load import DemoPlan, load_demo_into
from ncen.demo.rings import planted_id
from ncen.pictures.models import Picture, PictureLink
from ncen.pictures.store import Kind, PictureStore
from ncen.seizures.models import Seizure
from tests.web_support import tx


def test_demo_thumbnails_are_served_to_an_investigator(
    app: Flask, client: FlaskClient, signed_in: Callable[..., User], db: Session
) -> None:
    store = PictureStore(app.extensions["ncen.settings"].picture_path)
    with tx(db):
        load_demo_into(
            db, DemoPlan(persons=0, seizures=0, companies=0, conveyances=0), pictures=store
        )
    signed_in(Role.INVESTIGATOR)
    with tx(db):
        rows = db.execute(
            select(Picture.id, Picture.sha256, Seizure.origin_node)
            .join(PictureLink, PictureLink.picture_id == Picture.id)
            .join(Seizure, Seizure.id == PictureLink.seizure_id)
        ).all()
    assert len(rows) == len(PICTURES)
    assert FOREIGN_NODE in {origin for _, _, origin in rows}
    for picture_id, sha256, _ in rows:
        response = client.get(f"/pictures/{picture_id}/thumbnail")
        assert response.status_code == 200, picture_id
        assert response.mimetype == "image/jpeg"
        assert response.data == store.read_derivative(Kind.THUMBNAIL, sha256)
    page = client.get(f"/seizures/{planted_id('seizure:DEMO-A-02')}")
    assert page.status_code == 200
    assert page.text.count("gallery-thumb") == sum(p.seizure == "DEMO-A-02" for p in PICTURES)


def test_every_planted_record_page_renders(
    client: FlaskClient, signed_in: Callable[..., User], db: Session
) -> None:
    with tx(db):
        load_demo_into(db, DemoPlan(persons=0, seizures=0, companies=0, conveyances=0))
    signed_in(Role.INVESTIGATOR)
    pages = [
        *(f"/seizures/{planted_id(f'seizure:{s.reference}')}" for s in SEIZURES),
        *(f"/persons/{planted_id(f'person:{p.key}')}" for p in PERSONS),
        *(f"/companies/{planted_id(f'company:{c.key}')}" for c in COMPANIES),
        *(f"/conveyances/{planted_id(f'conveyance:{v.key}')}" for v in CONVEYANCES),
    ]
    for url in pages:
        assert client.get(url).status_code == 200, url
    foreign = client.get(f"/seizures/{planted_id(f'seizure:{FOREIGN_NODE}/UZ-TAS-2026-00187')}")
    assert FOREIGN_NODE in foreign.text
    assert "RAKHIMOV Farrukh" in client.get(f"/persons/{planted_id('person:A1')}").text
