"""``GET /api/v1/pictures``: the pictures of a record, by sha256, or like another; cursor paged,
audited, pictures of deleted records never answered, bad filters refused with a 4xx."""

from __future__ import annotations

import io
import random
import uuid
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from PIL import Image, ImageDraw
from sqlalchemy import select
from sqlalchemy.orm import Session

from ncen.accounts.actor import Actor
from ncen.accounts.models import Role
from ncen.audit import flush_events
from ncen.audit.events import AuditEvent
from ncen.pictures.services import add_pictures
from ncen.pictures.store import PictureStore
from ncen.seizures.models import Seizure
from ncen.seizures.services import delete_seizure
from tests.api_support import call, make_token
from tests.web_support import make_record, make_user, tx


def _scene(width: int, height: int, seed: int) -> Image.Image:
    """A picture of coloured boxes: another seed, another picture; resized, a near-duplicate."""
    rng = random.Random(seed)
    im = Image.new("RGB", (width, height), (30, 90, rng.randrange(256)))
    draw = ImageDraw.Draw(im)
    for _ in range(20):
        x0, y0 = rng.randrange(width), rng.randrange(height)
        box = (x0, y0, x0 + rng.randrange(20, width // 2), y0 + rng.randrange(20, height // 2))
        draw.rectangle(box, fill=(rng.randrange(256), rng.randrange(256), rng.randrange(256)))
    return im


def _encoded(im: Image.Image, fmt: str) -> bytes:
    buffer = io.BytesIO()
    im.save(buffer, fmt)
    return buffer.getvalue()


def _attach(app: Flask, db: Session, author: Any, files: list[tuple[str, bytes]], **record: Any):
    settings = app.extensions["ncen.settings"]
    with tx(db):
        return add_pictures(
            db, Actor.of(author), PictureStore(settings.picture_path), settings, files, **record
        )


def _ids(response: Any) -> list[str]:
    assert response.status_code == 200, response.get_json()
    return [item["id"] for item in response.get_json()["items"]]


def test_list_by_record_sha256_and_likeness(app: Flask, client: FlaskClient, db: Session) -> None:
    author = make_user(db, Role.INVESTIGATOR)
    seizure = make_record(db, author, "seizure")
    person = make_record(db, author, "person")
    doomed = make_record(db, author, "seizure")
    big = _scene(1200, 900, seed=51)
    first, other = _attach(
        app, db, author,
        [("a.jpg", _encoded(big, "JPEG")), ("b.jpg", _encoded(_scene(1200, 900, 52), "JPEG"))],
        seizure_id=seizure.id,
    )  # fmt: skip
    (copy,) = _attach(
        app, db, author, [("a-small.png", _encoded(big.resize((600, 450)), "PNG"))],
        person_id=person.id,
    )  # fmt: skip
    (gone,) = _attach(
        app, db, author, [("c.jpg", _encoded(_scene(800, 600, 53), "JPEG"))],
        seizure_id=doomed.id,
    )  # fmt: skip
    supervisor = Actor.of(make_user(db, Role.SUPERVISOR))
    with tx(db):
        version = db.get(Seizure, doomed.id).version  # type: ignore[union-attr]
        delete_seizure(db, supervisor, doomed.id, version)
    analyst_user = make_user(db, Role.ANALYST)
    token = make_token(db, analyst_user, scope="read")

    of_seizure = call(client, "GET", f"/pictures?record_type=seizure&record_id={seizure.id}", token)
    assert sorted(_ids(of_seizure)) == sorted([str(first.id), str(other.id)])
    of_person = call(client, "GET", f"/pictures?record_type=person&record_id={person.id}", token)
    assert _ids(of_person) == [str(copy.id)]
    by_hash = call(client, "GET", f"/pictures?sha256={copy.sha256.upper()}", token)
    assert _ids(by_hash) == [str(copy.id)]
    assert by_hash.get_json()["items"][0]["sha256"] == copy.sha256
    # Every listed picture, one per page; the picture of the deleted seizure never shows.
    seen: list[str] = []
    url = "/pictures?limit=1"
    while True:
        page = call(client, "GET", url, token)
        seen += _ids(page)
        cursor = page.get_json()["next_cursor"]
        if cursor is None:
            break
        url = f"/pictures?limit=1&cursor={cursor}"
    assert sorted(seen) == sorted(str(p.id) for p in (first, other, copy))
    assert str(gone.id) not in seen
    assert _ids(call(client, "GET", f"/pictures?sha256={gone.sha256}", token)) == []

    # Near-duplicates of the first picture: its resized copy (on another record), not itself.
    like = call(client, "GET", f"/pictures?similar_to={first.id}&max_distance=6", token)
    assert _ids(like) == [str(copy.id)]
    assert like.get_json()["items"][0]["distance"] <= 4
    assert like.get_json()["next_cursor"] is None
    scoped = f"/pictures?similar_to={first.id}&record_type=seizure&record_id={seizure.id}"
    assert _ids(call(client, "GET", scoped, token)) == []
    assert call(client, "GET", f"/pictures?similar_to={gone.id}", token).status_code == 404

    flush_events(db)
    events = list(
        db.scalars(
            select(AuditEvent)
            .where(AuditEvent.action == "picture.list")
            .order_by(AuditEvent.occurred_at, AuditEvent.id)
        )
    )
    assert events[0].actor_id == analyst_user.id
    assert events[0].details["record_id"] == str(seizure.id)
    assert sorted(events[0].details["ids"]) == sorted([str(first.id), str(other.id)])
    assert any(e.details.get("similar_to") == str(first.id) for e in events)
    read = db.scalars(
        select(AuditEvent).where(
            AuditEvent.action == "seizure.read", AuditEvent.record_id == str(seizure.id)
        )
    ).first()
    assert read is not None
    assert read.details["view"] == "pictures"


def test_bad_filters_are_refused(app: Flask, client: FlaskClient, db: Session) -> None:
    author = make_user(db, Role.INVESTIGATOR)
    seizure = make_record(db, author, "seizure")
    token = make_token(db, make_user(db, Role.SUPERVISOR), scope="read")
    nobody = uuid.uuid4()
    for query, field in (
        (f"record_type=ship&record_id={seizure.id}", "record_type"),
        (f"record_id={seizure.id}", "record_type"),
        ("record_type=seizure", "record_id"),
        ("record_type=seizure&record_id=not-a-uuid", "record_id"),
        ("sha256=xyz", "sha256"),
        ("sha256=%00", "sha256"),
        ("similar_to=12", "similar_to"),
        (f"similar_to={nobody}&max_distance=99", "max_distance"),
    ):
        refused = call(client, "GET", f"/pictures?{query}", token)
        assert refused.status_code == 422, (query, refused.get_json())
        assert field in refused.get_json()["errors"], (query, refused.get_json())
    unknown = call(client, "GET", f"/pictures?record_type=person&record_id={nobody}", token)
    assert unknown.status_code == 404
    assert call(client, "GET", f"/pictures?similar_to={nobody}", token).status_code == 404
    assert call(client, "GET", "/pictures?cursor=forged", token).status_code == 400
    assert call(client, "GET", "/pictures?limit=0", token).status_code == 400
