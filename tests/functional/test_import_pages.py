"""The upload wizard over HTTP: ownership, bad files and mappings shown on the page (never a
500), the import and its report, saved mappings."""

from __future__ import annotations

import io
import re
from collections.abc import Callable

from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ncen.accounts.models import Role, User
from ncen.seizures.models import Seizure
from tests.functional.conftest import sign_in
from tests.import_support import MAPPING, awkward_csv
from tests.web_support import csrf_token, make_user


def _upload(client: FlaskClient, data: bytes, name: str = "cases.csv") -> str:
    token = csrf_token(client.get("/imports").text)
    response = client.post(
        "/imports",
        data={"csrf_token": token, "record_type": "seizure", "file": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302, response.text
    return str(response.location)


def _post(client: FlaskClient, url: str, page: str, **data: str) -> object:
    return client.post(url, data={"csrf_token": csrf_token(page), **data})


def test_wizard_imports_and_reports(
    client: FlaskClient, db: Session, signed_in: Callable[..., User]
) -> None:
    signed_in(Role.SUPERVISOR)
    location = _upload(client, awkward_csv())
    page = client.get(location)
    assert page.status_code == 200
    assert "cp1251" in page.text
    assert "Truck plate" in page.text  # proposed mapping
    upload_id = location.rstrip("/").rsplit("/", 1)[-1]
    response = _post(client, f"/imports/{upload_id}/preview", page.text, mapping="record: [")
    assert response.status_code == 422  # type: ignore[attr-defined]
    assert "not valid YAML" in response.text  # type: ignore[attr-defined]
    assert "record: [" in response.text  # the user's text is kept  # type: ignore[attr-defined]
    mapping = MAPPING.replace("legacy-cases", "wizard-test")
    response = _post(
        client, f"/imports/{upload_id}/import", page.text, mapping=mapping, mode="good-rows"
    )
    assert response.status_code == 302  # type: ignore[attr-defined]
    assert (
        db.execute(
            select(func.count()).select_from(Seizure).where(Seizure.source == "wizard-test")
        ).scalar_one()
        == 3
    )
    report = client.get(f"/imports/{upload_id}/report.csv")
    assert report.headers["Content-Disposition"].endswith('cases-refused-rows.csv"')
    assert report.data.decode("utf-8-sig").startswith("row,column,reason")
    assert report.data.decode("utf-8-sig").count("\r\n") == 5  # the header and 4 rows
    response = _post(
        client, "/imports/mappings", page.text, mapping=mapping, name="Legacy", upload_id=upload_id
    )
    assert response.status_code == 302  # type: ignore[attr-defined]
    assert "Legacy" in client.get(f"/imports/{upload_id}").text


def test_unreadable_file_is_explained(client: FlaskClient, signed_in: Callable[..., User]) -> None:
    signed_in(Role.SUPERVISOR)
    odd = _upload(client, b"Case No;Shoe size\nA-1;42\n")
    assert "Shoe size" in client.get(odd).text.split('id="unmatched"')[1]
    location = _upload(client, b"PK\x03\x04 broken", "cases.xlsx")
    page = client.get(location)
    assert page.status_code == 200
    assert "not an XLSX workbook" in page.text
    upload_id = location.rstrip("/").rsplit("/", 1)[-1]
    response = _post(client, f"/imports/{upload_id}/preview", page.text, mapping=MAPPING)
    assert response.status_code == 422  # type: ignore[attr-defined]


def test_empty_upload_is_a_clear_400(client: FlaskClient, signed_in: Callable[..., User]) -> None:
    signed_in(Role.SUPERVISOR)
    token = csrf_token(client.get("/imports").text)
    response = client.post("/imports", data={"csrf_token": token, "record_type": "seizure"})
    assert response.status_code == 400
    assert "choose a file" in response.text


def test_uploads_are_their_owners_alone(client: FlaskClient, db: Session) -> None:
    first, second = make_user(db, Role.SUPERVISOR), make_user(db, Role.SUPERVISOR)
    assert sign_in(client, first).status_code == 302
    location = _upload(client, awkward_csv())
    client.post("/auth/sign-out", data={"csrf_token": csrf_token(client.get("/home").text)})
    assert sign_in(client, second).status_code == 302
    assert client.get(location).status_code == 404
    assert client.get(location + "/report.csv").status_code == 404
    assert re.search(r"No uploads yet", client.get("/imports").text)
