"""Originals are downloads, never pages (issue 12, item 18): whatever the stored type, the sealed
original is served as ``application/octet-stream`` with ``Content-Disposition: attachment`` and
``nosniff``, so a browser neither renders nor sniffs it. GIF and TIFF uploads are accepted
through the form, and their gallery files are JPEG derivatives."""

from __future__ import annotations

import hashlib
import io
from collections.abc import Callable

import pytest
from flask.testing import FlaskClient
from PIL import Image
from sqlalchemy import select
from sqlalchemy.orm import Session

from ncen.accounts.models import Role, User
from ncen.pictures.models import Picture
from tests.functional.test_pictures_web import _upload
from tests.web_support import make_record, tx


def _encode(fmt: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (90, 60), (30, 140, 200)).save(buffer, fmt)
    return buffer.getvalue()


@pytest.mark.parametrize(
    "case",
    [("GIF", "xray.gif", "image/gif"), ("TIFF", "scan.tif", "image/tiff"),
     ("PNG", "photo.png", "image/png")],
)  # fmt: skip
def test_original_is_an_attachment_of_no_renderable_type(
    client: FlaskClient, signed_in: Callable[..., User], db: Session, case: tuple[str, str, str]
) -> None:
    fmt, name, mime = case
    user = signed_in(Role.INVESTIGATOR)
    seizure = make_record(db, user, "seizure")
    original = _encode(fmt)
    response = _upload(
        client, f"/seizures/{seizure.id}", seizure.id, [(io.BytesIO(original), name)]
    )
    assert response.status_code == 302, response.text[-500:]
    with tx(db):
        picture = db.execute(
            select(Picture).where(Picture.sha256 == hashlib.sha256(original).hexdigest())
        ).scalar_one()
    assert picture.mime_type == mime
    download = client.get(f"/pictures/{picture.id}/original")
    assert download.status_code == 200
    assert download.data == original
    assert download.mimetype == "application/octet-stream"
    assert download.headers["Content-Disposition"].startswith("attachment;")
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    display = client.get(f"/pictures/{picture.id}/display")
    assert display.mimetype == "image/jpeg"
    assert Image.open(io.BytesIO(display.data)).format == "JPEG"
