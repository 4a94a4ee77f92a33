"""The API's pictures (metadata, files, the UI's access rules) and its OpenAPI document."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from openapi_spec_validator import validate
from sqlalchemy.orm import Session

from ncen.accounts.actor import Actor
from ncen.accounts.models import Role
from ncen.pictures.services import add_pictures
from ncen.pictures.store import PictureStore
from tests.api_support import call, make_token
from tests.web_support import jpeg, make_record, make_user, tx


def test_pictures_metadata_files_and_original_rule(
    app: Flask, client: FlaskClient, db: Session
) -> None:
    author = make_user(db, Role.INVESTIGATOR)
    seizure = make_record(db, author, "seizure")
    settings = app.extensions["ncen.settings"]
    with tx(db):
        (picture,) = add_pictures(
            db,
            Actor.of(author),
            PictureStore(settings.picture_path),
            settings,
            [("evidence.jpg", jpeg())],
            seizure_id=seizure.id,
        )
    analyst = make_token(db, make_user(db, Role.ANALYST), scope="read")
    listed = call(client, "GET", f"/seizures/{seizure.id}/pictures", analyst)
    assert listed.status_code == 200
    assert [p["id"] for p in listed.get_json()["items"]] == [str(picture.id)]
    meta = call(client, "GET", f"/pictures/{picture.id}", analyst).get_json()
    assert meta["sha256"] == picture.sha256
    assert meta["links"] == [{"record_type": "seizure", "record_id": str(seizure.id)}]
    display = call(client, "GET", f"/pictures/{picture.id}/display", analyst)
    assert display.status_code == 200
    assert display.mimetype == "image/jpeg"
    assert display.data[:2] == b"\xff\xd8"
    assert call(client, "GET", f"/pictures/{picture.id}/thumbnail", analyst).status_code == 200
    # The sealed original: investigators and supervisors only, as an opaque attachment.
    assert call(client, "GET", f"/pictures/{picture.id}/original", analyst).status_code == 403
    investigator = make_token(db, author, scope="read")
    original = call(client, "GET", f"/pictures/{picture.id}/original", investigator)
    assert original.status_code == 200
    assert original.mimetype == "application/octet-stream"
    assert original.headers["Content-Disposition"].startswith("attachment")
    assert call(client, "GET", f"/persons/{seizure.id}/pictures", analyst).status_code == 404


def test_openapi_document_validates_and_lists_every_api_route(
    app: Flask, client: FlaskClient
) -> None:
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = response.get_json()
    validate(document)  # raises on an invalid OpenAPI 3.1 document
    assert document["openapi"].startswith("3.1")
    operations = {
        (method.upper(), path) for path, methods in document["paths"].items() for method in methods
    }
    routes = {
        (method, "/api/v1" + rule.rule.removeprefix("/api/v1"))
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith("api.")
        and rule.endpoint not in {"api.openapi_document", "api.api_docs"}
        for method in rule.methods or ()
        if method not in {"HEAD", "OPTIONS"}
    }
    assert len(operations) == len(routes)
    assert ("PUT", "/api/v1/persons/{person_id}") in operations
    put = document["paths"]["/api/v1/persons/{person_id}"]["put"]
    assert {"412", "428", "422", "401", "403", "429"} <= put["responses"].keys()
    assert any(p["name"] == "If-Match" and p["required"] for p in put["parameters"])


def test_docs_page_is_served_locally(client: FlaskClient) -> None:
    page = client.get("/api/v1/docs")
    assert page.status_code == 200
    assert "/api/v1/persons/{person_id}" in page.text
    assert "https://" not in page.text  # nothing loaded from elsewhere
