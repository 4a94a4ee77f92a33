"""Import jobs through the REST API: dry run then import, state, reports, policy, bad input."""

from __future__ import annotations

import io
import json

from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ncen.accounts.actor import Actor
from ncen.accounts.models import Role
from ncen.audit import AuditEvent
from ncen.imports import saved
from ncen.seizures.models import Seizure
from tests.api_support import call, make_token
from tests.import_support import BAD_ROWS, MAPPING, awkward_csv
from tests.web_support import make_user, tx


def _count(db: Session, source: str) -> int:
    with tx(db):
        stmt = select(func.count()).select_from(Seizure).where(Seizure.source == source)
        return int(db.execute(stmt).scalar_one())


def _upload(client: FlaskClient, token: str, data: bytes, **fields: str) -> object:
    return call(
        client,
        "POST",
        "/imports",
        token,
        data={"file": (io.BytesIO(data), "cases.csv"), **fields},
        content_type="multipart/form-data",
    )


def test_dry_run_then_import_with_reports(client: FlaskClient, db: Session) -> None:
    user = make_user(db, Role.SUPERVISOR)
    token = make_token(db, user)
    mapping = MAPPING.replace("legacy-cases", "api-test")

    dry = _upload(client, token, awkward_csv(), mapping=mapping, dry_run="true", mode="good-rows")
    assert dry.status_code == 201, dry.text  # type: ignore[attr-defined]
    job = dry.get_json()  # type: ignore[attr-defined]
    assert dry.headers["Location"] == f"/api/v1/imports/{job['id']}"  # type: ignore[attr-defined]
    assert job["state"] == "dry-run"
    assert job["record_type"] == "seizure"
    assert job["result"]["rows_stored"] == 4  # three good rows, one of them twice
    assert job["result"]["refused_rows"] == len(BAD_ROWS)
    assert _count(db, "api-test") == 0

    run = call(client, "POST", f"/imports/{job['id']}/run", token, json={"mode": "good-rows"})
    assert run.status_code == 200, run.text
    assert run.get_json()["state"] == "imported"
    assert _count(db, "api-test") == 3

    read = call(client, "GET", f"/imports/{job['id']}", token)
    assert read.get_json()["result"]["problems_total"] == len(read.get_json()["result"]["problems"])
    assert len({p["row"] for p in read.get_json()["result"]["problems"]}) == len(BAD_ROWS)
    report = call(client, "GET", f"/imports/{job['id']}/report.csv", token)
    assert report.status_code == 200
    assert report.mimetype == "text/csv"
    text = report.data.decode("utf-8-sig")
    assert text.startswith("row,column,reason")
    assert text.count("\r\n") == 1 + read.get_json()["result"]["problems_total"]

    again = call(client, "POST", f"/imports/{job['id']}/run", token, json={"mode": "good-rows"})
    assert again.get_json()["result"]["created"] == {}
    assert _count(db, "api-test") == 3  # idempotent

    with tx(db):
        actions = list(
            db.execute(
                select(AuditEvent.action).where(
                    AuditEvent.actor_id == user.id, AuditEvent.action.like("import.%")
                )
            ).scalars()
        )
    assert actions.count("import.upload") == 1
    assert actions.count("import.run") == 2
    assert "import.report" in actions


def test_all_or_nothing_refuses_and_saved_mapping(client: FlaskClient, db: Session) -> None:
    user = make_user(db, Role.SUPERVISOR)
    token = make_token(db, user)
    mapping = MAPPING.replace("legacy-cases", "api-saved")
    with tx(db):
        mapping_id = saved.save_mapping(db, Actor.of(user), "Legacy", mapping).id
    response = _upload(client, token, awkward_csv(), mapping_id=str(mapping_id))
    assert response.status_code == 201, response.text  # type: ignore[attr-defined]
    assert response.get_json()["state"] == "refused"  # type: ignore[attr-defined]
    assert _count(db, "api-saved") == 0
    # Someone else's saved mapping does not exist for this user.
    other = make_token(db, make_user(db, Role.SUPERVISOR))
    foreign = _upload(client, other, awkward_csv(), mapping_id=str(mapping_id))
    assert foreign.status_code == 404  # type: ignore[attr-defined]
    job_id = response.get_json()["id"]  # type: ignore[attr-defined]
    assert call(client, "GET", f"/imports/{job_id}", other).status_code == 404


def test_bad_input_is_a_problem(client: FlaskClient, db: Session) -> None:
    token = make_token(db, make_user(db, Role.SUPERVISOR))
    cases = [
        ({"mapping": "record: ["}, 422, "line 1"),
        ({}, 422, "mapping"),
        ({"mapping": MAPPING, "mapping_id": "x"}, 422, "mapping"),
        ({"mapping_id": "not-a-uuid"}, 422, "mapping_id"),
        ({"mapping": MAPPING, "mode": "some"}, 422, "mode"),
        ({"mapping": MAPPING, "dry_run": "maybe"}, 422, "dry_run"),
    ]
    for fields, status, field in cases:
        response = _upload(client, token, awkward_csv(), **fields)
        assert response.status_code == status, (fields, response.text)  # type: ignore[attr-defined]
        body = response.get_json()  # type: ignore[attr-defined]
        assert response.mimetype == "application/problem+json"  # type: ignore[attr-defined]
        assert field in body["errors"], body
    broken = _upload(client, token, b"PK\x03\x04 broken", mapping=MAPPING)
    assert broken.status_code == 422  # type: ignore[attr-defined]
    assert "file" in broken.get_json()["errors"]  # type: ignore[attr-defined]
    missing = _upload(client, token, b"Shoe size\n42\n", mapping=MAPPING)
    assert missing.status_code == 422  # type: ignore[attr-defined]
    as_json = call(client, "POST", "/imports", token, json={"mapping": MAPPING})
    assert as_json.status_code == 415
    empty = call(
        client, "POST", "/imports/00000000-0000-0000-0000-000000000000/run", token, json={}
    )
    assert empty.status_code == 404
    odd = call(
        client,
        "POST",
        "/imports/00000000-0000-0000-0000-000000000000/run",
        token,
        json={"mapping": 3},
    )
    assert odd.status_code == 422


def test_read_token_and_roles(client: FlaskClient, db: Session) -> None:
    supervisor = make_user(db, Role.SUPERVISOR)
    reader = make_token(db, supervisor, scope="read")
    refused = _upload(client, reader, awkward_csv(), mapping=MAPPING)
    assert refused.status_code == 403  # type: ignore[attr-defined]
    investigator = make_token(db, make_user(db, Role.INVESTIGATOR))
    denied = _upload(client, investigator, awkward_csv(), mapping=MAPPING)
    assert denied.status_code == 403  # type: ignore[attr-defined]
    assert json.loads(denied.data)["type"].endswith("problem-forbidden")  # type: ignore[attr-defined]


def test_background_runs_are_queued_with_202(client: FlaskClient, db: Session) -> None:
    """``background`` queues the run for the import runner (tests/integration/
    test_import_queue.py runs queued runs): 202, state ``queued``, nothing written yet, and
    no second run while one is queued."""
    token = make_token(db, make_user(db, Role.SUPERVISOR))
    mapping = MAPPING.replace("legacy-cases", "api-background")
    queued = _upload(client, token, awkward_csv(), mapping=mapping, background="true")
    assert queued.status_code == 202, queued.text  # type: ignore[attr-defined]
    job = queued.get_json()  # type: ignore[attr-defined]
    assert job["state"] == "queued"
    assert job["result"] is None
    assert _count(db, "api-background") == 0
    again = call(client, "POST", f"/imports/{job['id']}/run", token, json={"dry_run": True})
    assert again.status_code == 422, again.text
    assert "queued" in again.get_json()["errors"]["job"]
    bad = call(client, "POST", f"/imports/{job['id']}/run", token, json={"background": "soon"})
    assert bad.status_code == 422, bad.text
    assert "background" in bad.get_json()["errors"]
