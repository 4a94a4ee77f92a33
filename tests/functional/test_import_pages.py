"""The upload wizard over HTTP: ownership, bad files and mappings shown on the page (never a
500), the import and its report, saved mappings."""

from __future__ import annotations

import io
import re
import uuid
from collections.abc import Callable

from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ncen.accounts.actor import Actor
from ncen.accounts.models import Role, User
from ncen.imports.mapping import load_mapping
from ncen.imports.models import ImportProgress, ImportUpload
from ncen.imports.running import Mode, run_import
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


def test_a_large_file_is_imported_in_the_background(
    client: FlaskClient, db: Session, signed_in: Callable[..., User]
) -> None:
    """Above ``IMPORT_BACKGROUND_BYTES`` the wizard queues the run for the import runner
    (tests/integration/test_import_queue.py runs it) and the page follows it."""
    client.application.config["IMPORT_BACKGROUND_BYTES"] = 0  # every file is "large"
    user = signed_in(Role.SUPERVISOR)
    location = _upload(client, awkward_csv())
    upload_id = location.rstrip("/").rsplit("/", 1)[-1]
    page = client.get(location)
    mapping = MAPPING.replace("legacy-cases", "background-test")
    response = _post(
        client, f"/imports/{upload_id}/import", page.text, mapping=mapping, mode="good-rows"
    )
    assert response.status_code == 302  # type: ignore[attr-defined]
    assert response.location.endswith("#import-status")  # type: ignore[attr-defined]
    page = client.get(location)
    status = page.text.split('id="import-status"')[1].split("</section>")[0]
    assert "Waiting to be imported in the background" in status
    assert '<meta http-equiv="refresh"' in page.text
    assert 'id="import-button" disabled' in page.text
    # Nothing is written in the request, and a second run is refused while one is queued.
    with db.begin():
        stored = db.get(ImportUpload, uuid.UUID(upload_id))
        assert stored is not None
        assert stored.queued == {"mode": "good-rows", "dry_run": False}
        assert stored.owner_id == user.id
        assert (
            db.scalar(
                select(func.count()).select_from(Seizure).where(Seizure.source == "background-test")
            )
            == 0
        )
    again = _post(client, f"/imports/{upload_id}/preview", page.text, mapping=mapping)
    assert again.status_code == 422  # type: ignore[attr-defined]
    assert "already being imported" in again.text  # type: ignore[attr-defined]

    # The runner's progress, then its result (a dry run's preview), as the page shows them.
    with db.begin():
        db.add(ImportProgress(upload_id=uuid.UUID(upload_id), rows_done=2000, rows_total=8000))
    assert "2000 of 8000 rows done" in client.get(location).text.replace(",", "")
    with db.begin():
        stored = db.get(ImportUpload, uuid.UUID(upload_id))
        assert stored is not None
        report = run_import(
            db,
            Actor.of(user),
            stored.content,
            stored.filename,
            load_mapping(mapping),
            mode=Mode.GOOD_ROWS,
            dry_run=True,
        )
        stored.result, stored.queued, stored.queued_at = report.as_dict(), None, None
    page = client.get(location)
    assert '<meta http-equiv="refresh"' not in page.text
    preview = page.text.split('id="preview"')[1]
    assert "4 of 8 rows can be stored; 4 refused." in preview
    assert "Иван Петров" in preview.split('id="preview-rows"')[1]
