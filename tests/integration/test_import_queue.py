"""The import runner: queued wizard runs are done once, survive a crash, and fail cleanly.

Issue 11 (the wizard must take the big files of a legacy system): a run queued by the wizard
is done by `ncen.imports.queue.run_next` in transactions of its own, so these tests use a
migrated scratch database whose commits are real, as a node's are.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from ncen import migrate
from ncen.accounts.actor import Actor
from ncen.accounts.models import Role, User
from ncen.audit import AuditEvent
from ncen.db import make_engine
from ncen.dbroles import APP_ROLE
from ncen.errors import ValidationError
from ncen.imports import queue, saved
from ncen.imports.jobs import RunOptions, job_state
from ncen.imports.mapping import load_mapping
from ncen.imports.models import ImportProgress, ImportUpload
from ncen.imports.running import Mode
from ncen.merging.models import DuplicatePair
from ncen.merging.scanner import scan_changed, start_duplicate_scanner
from ncen.persons.models import Person
from ncen.seizures.models import Seizure
from tests.conftest import make_actor
from tests.import_support import MAPPING, awkward_csv


@pytest.fixture
def node(empty_database: Callable[[str], Any]) -> Iterator[Engine]:
    """A migrated scratch database; the application role's engine."""
    db = empty_database("import_queue")
    owner = make_engine(db.owner)
    try:
        migrate.upgrade(owner, app_role=APP_ROLE)
    finally:
        owner.dispose()
    engine = make_engine(db.app)
    yield engine
    engine.dispose()


def _queue(
    engine: Engine,
    source: str,
    *,
    dry_run: bool = False,
    content: bytes | None = None,
    mapping: str | None = None,
) -> tuple[Any, Actor]:
    """A supervisor's upload (the awkward CSV of seizures unless ``content`` and a mapping of
    its own), queued in good-rows mode with the test mapping (source ``source``); returns the
    upload id and the supervisor."""
    text = mapping or MAPPING.replace("legacy-cases", source)
    kind = load_mapping(text).record
    with Session(engine) as session:
        actor = make_actor(session, Role.SUPERVISOR)  # commits the new user
        upload = saved.store_upload(session, actor, "cases.csv", content or awkward_csv(), kind)
        queue.queue_run(
            session,
            actor,
            upload.id,
            mapping_text=text,
            mapping=load_mapping(text),
            options=RunOptions(Mode.GOOD_ROWS, dry_run),
        )
        session.commit()
        return upload.id, actor


def _seizures(engine: Engine, source: str) -> int:
    with Session(engine) as session:
        return int(
            session.scalar(
                select(func.count()).select_from(Seizure).where(Seizure.source == source)
            )
            or 0
        )


def _upload(engine: Engine, upload_id: Any) -> ImportUpload:
    with Session(engine, expire_on_commit=False) as session:
        found = session.get(ImportUpload, upload_id)
        assert found is not None
        return found


def test_a_queued_run_is_done_once_with_its_result(node: Engine) -> None:
    upload_id, actor = _queue(node, "queued-import")
    with (
        Session(node) as session,
        session.begin(),
        pytest.raises(ValidationError),  # one run of an upload at a time
    ):
        queue.queue_run(
            session,
            actor,
            upload_id,
            mapping_text=MAPPING,
            mapping=load_mapping(MAPPING),
            options=RunOptions(Mode.GOOD_ROWS, False),
        )
    assert job_state(_upload(node, upload_id)) == "queued"
    assert queue.queued_count(node) == 1

    assert queue.run_next(node) == upload_id
    assert queue.run_next(node) is None  # done once: nothing is left in the queue
    upload = _upload(node, upload_id)
    assert job_state(upload) == "imported"
    assert upload.result is not None
    assert upload.result["rows_stored"] == 4  # one of them repeats another row's seizure
    assert upload.result["refused_rows"] == 4
    assert upload.report_csv is not None
    assert upload.report_csv.count("\r\n") == 5
    assert upload.queued is None
    assert upload.failure is None
    assert _seizures(node, "queued-import") == 3
    with Session(node) as session:
        actions = session.scalars(
            select(AuditEvent.action).where(AuditEvent.record_id == str(upload_id))
        ).all()
        assert "import.queue" in actions
        assert session.get(ImportProgress, upload_id) is None  # the page shows the result
        by = session.scalar(
            select(AuditEvent.actor_name).where(AuditEvent.action == "import.run").limit(1)
        )
        assert by == actor.username  # the run acts as the user who queued it


def test_a_queued_dry_run_keeps_its_preview_and_writes_nothing(node: Engine) -> None:
    upload_id, _ = _queue(node, "queued-dry", dry_run=True)
    assert queue.run_next(node) == upload_id
    upload = _upload(node, upload_id)
    assert job_state(upload) == "dry-run"
    assert upload.result is not None
    first = upload.result["preview"][0]
    assert first["row"] >= 1
    assert first["records"][0][0] == "seizure"
    assert _seizures(node, "queued-dry") == 0


def test_a_run_held_by_a_runner_is_skipped_and_a_crash_leaves_it_queued(node: Engine) -> None:
    upload_id, _ = _queue(node, "crashed-import")
    crashed = Session(node)
    try:
        crashed.begin()  # a runner that took the upload and dies mid-run
        crashed.execute(
            select(ImportUpload).where(ImportUpload.id == upload_id).with_for_update()
        ).scalar_one()
        assert queue.run_next(node) is None  # another runner never takes a held upload
    finally:
        crashed.rollback()  # what PostgreSQL does when the runner's connection dies
        crashed.close()
    assert job_state(_upload(node, upload_id)) == "queued"
    assert queue.run_next(node) == upload_id
    assert _seizures(node, "crashed-import") == 3


def test_runs_that_cannot_be_done_fail_cleanly(node: Engine) -> None:
    # A file that stopped the runner too often is given up, with nothing written.
    poison, _ = _queue(node, "poison-import")
    with Session(node) as session, session.begin():
        session.add(ImportProgress(upload_id=poison, attempts=queue.MAX_ATTEMPTS))
    assert queue.run_next(node) == poison
    upload = _upload(node, poison)
    assert job_state(upload) == "failed"
    assert "given up" in (upload.failure or "")
    assert _seizures(node, "poison-import") == 0

    # The owner lost the right to import meanwhile: the run acts with today's rights.
    revoked, actor = _queue(node, "revoked-import")
    with Session(node) as session, session.begin():
        user = session.get(User, actor.user_id)
        assert user is not None
        user.active = False
    assert queue.run_next(node) == revoked
    assert "disabled" in (_upload(node, revoked).failure or "")
    assert _seizures(node, "revoked-import") == 0

    # An unreadable file: the reason the owner can act on.
    broken, _ = _queue(node, "broken-import", content=b"\x00\x01\x02 not a table")
    assert queue.run_next(node) == broken
    failed = _upload(node, broken)
    assert job_state(failed) == "failed"
    assert failed.failure
    assert "internal error" not in failed.failure


def test_the_runner_thread_does_queued_runs(node: Engine) -> None:
    upload_id, _ = _queue(node, "threaded-import")
    thread, stop = queue.start_runner(node, interval=0.05)
    try:
        deadline = time.monotonic() + 60
        while queue.queued_count(node) and time.monotonic() < deadline:
            time.sleep(0.1)
    finally:
        stop.set()
        thread.join(timeout=30)
    assert not thread.is_alive()
    assert job_state(_upload(node, upload_id)) == "imported"
    assert _seizures(node, "threaded-import") == 3


def test_imported_look_alikes_reach_the_duplicate_candidates(node: Engine) -> None:
    """Two spellings of one man with no document in common: no key recognises them, so the
    import stores both, and the duplicate scan that ``ncen serve`` runs offers the pair."""
    mapping = (
        "record: person\nsource: look-alikes\nperson:\n  id: ID\n  fields:\n"
        "    full_name: Name\n    birth_date: Born\n"
    )
    content = b"ID,Name,Born\n1,Ivan Petrov,1980-06-15\n2,Ivan Petrow,1980-06-15\n"
    _queue(node, "look-alikes", content=content, mapping=mapping)
    assert queue.run_next(node) is not None
    with Session(node) as session:
        people = session.scalars(select(Person.id).where(Person.source == "look-alikes")).all()
        result = session.scalars(select(ImportUpload.result)).all()
    assert len(people) == 2
    assert any("duplicate scan" in note for r in result if r for note in r["notes"])
    assert start_duplicate_scanner(node, 0) is None  # NCEN_DUPLICATE_SCAN_MINUTES=0
    assert scan_changed(node) >= 2
    with Session(node) as session:
        pairs = session.execute(
            select(DuplicatePair.record_a_id, DuplicatePair.record_b_id).where(
                DuplicatePair.record_type == "person"
            )
        ).all()
    assert (min(people), max(people)) in {(a, b) for a, b in pairs}
