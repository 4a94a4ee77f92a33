"""Pictures in the web interface: gallery files, the sealed original (permission and audit),
uploads to a record with refusals next to the file input, captions, detaching."""

from __future__ import annotations

import hashlib
import io
from collections.abc import Callable

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from ncen.accounts.models import Role, User
from ncen.audit import AuditEvent
from ncen.pictures.models import Picture
from ncen.pictures.store import Kind, PictureStore
from tests.functional.conftest import sign_in
from tests.web_support import csrf_token, jpeg, make_record, make_user, tx


def _upload(client: FlaskClient, record_url: str, seizure_id: object, files: list, **data: str):
    page = client.get(record_url)
    return client.post(
        f"/pictures/attach/seizure/{seizure_id}",
        data={
            "csrf_token": csrf_token(page.text),
            "version": data.pop("version", "1"),
            "files": files,
            **data,
        },
        content_type="multipart/form-data",
    )


def test_upload_show_and_download(
    app: Flask, client: FlaskClient, signed_in: Callable[..., User], db: Session
) -> None:
    user = signed_in(Role.INVESTIGATOR)
    seizure = make_record(db, user, "seizure")
    url = f"/seizures/{seizure.id}"
    original = jpeg(80, 60, (10, 200, 10))
    response = _upload(
        client,
        url,
        seizure.id,
        [(io.BytesIO(original), "a.jpg"), (io.BytesIO(jpeg(60, 80)), "b.jpg")],
        caption="Hidden <in> tyres",
        concealment_method="tyres",
    )
    assert response.status_code == 302
    page = client.get(url).text
    assert page.count("gallery-thumb") == 2
    assert "Hidden &lt;in&gt; tyres" in page
    assert "Tyres or spare wheel" in page
    with tx(db):
        picture = db.execute(
            select(Picture).where(Picture.sha256 == hashlib.sha256(original).hexdigest())
        ).scalar_one()
    thumb = client.get(f"/pictures/{picture.id}/thumbnail")
    assert thumb.status_code == 200
    assert thumb.mimetype == "image/jpeg"
    assert client.get(f"/pictures/{picture.id}/display").mimetype == "image/jpeg"
    download = client.get(f"/pictures/{picture.id}/original")
    assert download.status_code == 200
    assert download.data == original
    assert "attachment" in download.headers["Content-Disposition"]
    with tx(db):
        actions = db.execute(
            select(AuditEvent.action).where(AuditEvent.record_id == str(picture.id))
        ).scalars()
        assert "picture.download_original" in list(actions)
    # An analyst sees the gallery but not the original.
    analyst = app.test_client()
    sign_in(analyst, make_user(db, Role.ANALYST))
    assert analyst.get(f"/pictures/{picture.id}/thumbnail").status_code == 200
    assert analyst.get(f"/pictures/{picture.id}/original").status_code == 403
    assert f"/pictures/{picture.id}/original" not in analyst.get(url).text


def test_refused_files_are_named_next_to_the_input(
    client: FlaskClient, signed_in: Callable[..., User], db: Session
) -> None:
    user = signed_in(Role.INVESTIGATOR)
    seizure = make_record(db, user, "seizure")
    response = _upload(
        client,
        f"/seizures/{seizure.id}",
        seizure.id,
        [(io.BytesIO(jpeg()), "good.jpg"), (io.BytesIO(b"<svg onload=alert(1)>"), "bad<x>.svg")],
        caption="kept caption",
    )
    assert response.status_code == 200
    assert "bad&lt;x&gt;.svg" in response.text
    assert "choose them again (good.jpg, bad&lt;x&gt;.svg)" in response.text
    assert 'value="kept caption"' in response.text
    assert 'class="form-control is-invalid" id="files"' in response.text
    with tx(db):
        assert db.execute(select(Picture)).first() is None
    stale = _upload(
        client, f"/seizures/{seizure.id}", seizure.id, [(io.BytesIO(jpeg()), "a.jpg")], version="7"
    )
    assert "The record changed while you were adding pictures" in stale.text


def test_caption_edit_and_detach(
    app: Flask, client: FlaskClient, signed_in: Callable[..., User], db: Session
) -> None:
    user = signed_in(Role.INVESTIGATOR)
    seizure = make_record(db, user, "seizure")
    _upload(client, f"/seizures/{seizure.id}", seizure.id, [(io.BytesIO(jpeg()), "a.jpg")])
    with tx(db):
        picture = db.execute(select(Picture)).scalar_one()
    edit_url = f"/pictures/{picture.id}/edit?next=/seizures/{seizure.id}"
    page = client.get(edit_url)
    assert page.status_code == 200
    saved = client.post(
        edit_url,
        data={
            "csrf_token": csrf_token(page.text),
            "caption": "x" * 2001,
            "concealment_method": "",
            "next": f"/seizures/{seizure.id}",
        },
    )
    assert "Field cannot be longer than 2000 characters." in saved.text
    saved = client.post(
        edit_url,
        data={
            "csrf_token": csrf_token(page.text),
            "caption": "Spare wheel",
            "concealment_method": "nonsense",
            "next": f"/seizures/{seizure.id}",
        },
    )
    assert "unknown code" in saved.text
    saved = client.post(
        edit_url,
        data={
            "csrf_token": csrf_token(page.text),
            "caption": "Spare wheel",
            "concealment_method": "tyres",
            "next": "//evil.example/",
        },
    )
    assert saved.status_code == 302
    assert saved.location == "/"
    other = app.test_client()
    sign_in(other, make_user(db, Role.INVESTIGATOR))
    assert other.get(edit_url).status_code == 403
    page = client.get(f"/seizures/{seizure.id}")
    assert "Spare wheel" in page.text
    link_id = page.text.split('action="/pictures/links/')[1].split("/detach")[0]
    detached = client.post(
        f"/pictures/links/{link_id}/detach",
        data={"csrf_token": csrf_token(page.text), "version": "2"},
        follow_redirects=True,
    )
    assert "Picture detached from this record." in detached.text
    assert "gallery-thumb" not in detached.text
    with tx(db):
        assert db.get(Picture, picture.id) is not None  # evidence is kept


def test_a_missing_file_is_explained(
    app: Flask, client: FlaskClient, signed_in: Callable[..., User], db: Session
) -> None:
    user = signed_in(Role.SUPERVISOR)
    seizure = make_record(db, user, "seizure")
    data = jpeg()
    _upload(client, f"/seizures/{seizure.id}", seizure.id, [(io.BytesIO(data), "a.jpg")])
    store = PictureStore(app.extensions["ncen.settings"].picture_path)
    sha256 = hashlib.sha256(data).hexdigest()
    path = store.path(Kind.ORIGINAL, sha256)
    path.chmod(0o600)
    path.unlink()
    with tx(db):
        picture = db.execute(select(Picture)).scalar_one()
    response = client.get(f"/pictures/{picture.id}/original")
    assert response.status_code == 500
    assert "missing or damaged on the server" in response.text
    assert "Traceback" not in response.text


def test_another_investigator_cannot_attach_to_a_record_they_may_not_edit(
    app: Flask, client: FlaskClient, signed_in: Callable[..., User], db: Session
) -> None:
    """Issue 12 item 13: no upload form, no attach page and a refused POST for a record that
    the user may not edit (here another investigator's seizure)."""
    owner = make_user(db, Role.INVESTIGATOR)
    seizure = make_record(db, owner, "seizure")
    signed_in(Role.INVESTIGATOR)
    url = f"/seizures/{seizure.id}"
    assert 'action="/pictures/attach/' not in client.get(url).text
    assert client.get(f"/pictures/attach/seizure/{seizure.id}").status_code == 403
    response = _upload(client, url, seizure.id, [(io.BytesIO(jpeg()), "a.jpg")])
    assert response.status_code == 403
    with tx(db):
        assert db.execute(select(Picture)).first() is None
