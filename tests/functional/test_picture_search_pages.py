"""The picture gallery, "find similar pictures" and the near-duplicate list in the web app:
results with distance and seizure, a refused file explained next to the input (400, no 500),
the upload never stored, CSRF on the upload form, received/national near-duplicates badged,
the reads audited."""

from __future__ import annotations

import io
from collections.abc import Callable

from flask import Flask
from flask.testing import FlaskClient
from PIL import Image
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from ncen.accounts.models import Role, User
from ncen.audit import AuditEvent
from ncen.pictures.models import Picture
from ncen.seizures.models import Seizure
from tests.functional.test_pictures_web import _upload
from tests.integration.test_pictures import encode, scene
from tests.web_support import csrf_token, make_record, tx

BASE = scene(1200, 900, seed=33)


def _jpeg(im: Image.Image) -> bytes:
    return encode(im, "JPEG", quality=85)


def _with_picture(client, db, user, data: bytes, **seizure) -> Seizure:
    record = make_record(db, user, "seizure", **seizure)
    response = _upload(client, f"/seizures/{record.id}", record.id, [(io.BytesIO(data), "p.jpg")])
    assert response.status_code == 302, response.text
    return record


def _similar(client: FlaskClient, data: bytes, name: str = "probe.jpg", **extra: str):
    page = client.get("/pictures/similar")
    assert page.status_code == 200
    return client.post(
        "/pictures/similar",
        data={"csrf_token": csrf_token(page.text), "file": (io.BytesIO(data), name), **extra},
        content_type="multipart/form-data",
    )


def test_find_similar_from_an_upload(
    app: Flask, client: FlaskClient, signed_in: Callable[..., User], db: Session
) -> None:
    user = signed_in(Role.SUPERVISOR)
    record = _with_picture(client, db, user, _jpeg(BASE))
    _with_picture(client, db, user, _jpeg(scene(1200, 900, seed=34)))
    with tx(db):
        pictures_before = db.execute(select(func.count()).select_from(Picture)).scalar_one()
    response = _similar(client, _jpeg(BASE.resize((500, 375))))
    assert response.status_code == 200, response.text
    text = response.text
    assert text.count("similar-distance") == 1
    assert record.reference in text
    assert "Distance " in text
    with tx(db):
        assert db.execute(select(func.count()).select_from(Picture)).scalar_one() == (
            pictures_before
        )
        event = db.execute(
            select(AuditEvent)
            .where(AuditEvent.action == "picture.list")
            .order_by(AuditEvent.id.desc())
        ).scalar()
        assert event is not None
        assert event.details["seizures"] == [record.reference]


def test_bad_uploads_are_explained(client: FlaskClient, signed_in: Callable[..., User]) -> None:
    signed_in(Role.ANALYST)
    for data, message in (
        (b"", "the file is empty"),
        (b"%PDF-1.4 not a picture", "only JPEG, PNG"),
        (b"\xff\xd8\xff\xe0 truncated", "damaged"),
    ):
        response = _similar(client, data)
        assert response.status_code == 400, (data, response.status_code)
        assert message in response.text
    response = _similar(client, _jpeg(BASE), max_distance="999")
    assert response.status_code == 400
    # No CSRF token: refused, nothing searched.
    response = client.post(
        "/pictures/similar",
        data={"file": (io.BytesIO(_jpeg(BASE)), "a.jpg")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    assert "similar-results" not in response.text


def test_gallery_filters_badges_and_similar_from_a_stored_picture(
    client: FlaskClient, signed_in: Callable[..., User], db: Session
) -> None:
    user = signed_in(Role.SUPERVISOR)
    national = _with_picture(client, db, user, _jpeg(BASE))
    received = _with_picture(client, db, user, _jpeg(BASE.resize((800, 600))), transport_mode="air")
    with tx(db):
        db.execute(update(Seizure).where(Seizure.id == received.id).values(origin_node="KZ-NODE"))
    page = client.get("/pictures/search")
    assert page.status_code == 200
    assert page.text.count("gallery-thumb") == 2
    assert page.text.count("Near-duplicate across origins</span>") == 2
    air = client.get("/pictures/search?transport_mode=air")
    assert air.text.count("gallery-thumb") == 1
    assert received.reference in air.text
    assert national.reference not in air.text
    hostile = client.get("/pictures/search?concealment_method=%E2%80%AEx")
    assert hostile.status_code == 400
    # The seizure page badges its picture and links to the search.
    seizure_page = client.get(f"/seizures/{national.id}").text
    assert "Near-duplicate across origins" in seizure_page
    with tx(db):
        picture_id = db.execute(select(Picture.id).order_by(Picture.created_at)).scalars().first()
    similar = client.get(f"/pictures/{picture_id}/similar")
    assert similar.status_code == 200
    assert received.reference in similar.text
    duplicates = client.get("/pictures/duplicates")
    assert duplicates.status_code == 200
    assert received.reference in duplicates.text
    assert national.reference in duplicates.text
    assert client.get("/pictures/00000000-0000-0000-0000-000000000000/similar").status_code == 404
