"""The node's own format: export everything from a demo node, import it into an empty node, and
the two snapshots (every exported table, row by row) are identical."""

from __future__ import annotations

import json
from typing import Any

import pytest
from sqlalchemy import Engine, select, text
from sqlalchemy.orm import Session

from ncen.accounts.actor import Actor
from ncen.accounts.models import Role
from ncen.audit.events import AuditEvent
from ncen.demo.load import DemoPlan, load_demo
from ncen.errors import PermissionDeniedError, ValidationError
from ncen.exports.nodeformat import ASSIGNED, TABLES, export_node, table
from ncen.exports.restore import import_node
from ncen.persons.services import create_person, update_person
from ncen.pictures.services import add_pictures
from ncen.pictures.store import PictureStore
from ncen.settings import load_settings
from tests.cli_support import cli_database
from tests.conftest import make_actor
from tests.factories import create_user, person_data
from tests.web_support import jpeg

CONSOLE = Actor.system("test")


def snapshot(engine: Engine) -> dict[str, list[Any]]:
    """Every exported table as JSON rows in key order, without the columns a target assigns
    itself (the history's identity key) or maps (references to users, documented)."""
    out: dict[str, list[Any]] = {}
    with Session(engine) as session:
        for name in TABLES:
            dropped = set(ASSIGNED.get(name, ())) | {
                c.name for c in table(name).columns
                if any(fk.column.table.name == "users" for fk in c.foreign_keys)
            }  # fmt: skip
            keys = ", ".join(f'"{c.name}"' for c in table(name).primary_key.columns)
            rows = session.execute(text(f'SELECT row_to_json(t) FROM "{name}" t ORDER BY {keys}'))
            out[name] = [{k: v for k, v in r[0].items() if k not in dropped} for r in rows]
        # The history in the order it was written (its key is assigned anew).
        out["record_versions"].sort(key=json.dumps)
    return out


@pytest.fixture
def source(empty_database, tmp_path, monkeypatch) -> Engine:
    engine = cli_database(empty_database, tmp_path, monkeypatch, "ncen_nodeformat_source")
    load_demo(engine, DemoPlan(persons=30, seizures=40, seed=7))
    with Session(engine) as session, session.begin():
        user = create_user(session, Role.INVESTIGATOR)
        actor = Actor.of(user)
        person_id = create_person(
            session, actor, person_data(handling_code="H3", handling_restrictions="No court")
        ).id
    with Session(engine) as session, session.begin():
        update_person(session, actor, person_id, 1, person_data(description="= edited"))
        # Picture metadata, hashes and links travel too (the files are `ncen backup`'s).
        add_pictures(
            session, actor, PictureStore(tmp_path / "pictures"), load_settings(),
            [("evidence.jpg", jpeg())], person_id=person_id, caption="Passport photo",
        )  # fmt: skip
    return engine


def test_round_trip_is_lossless(source, empty_database, tmp_path, monkeypatch):
    with Session(source) as session, session.begin():
        data = b"".join(export_node(session, CONSOLE))
    target = cli_database(empty_database, tmp_path / "t", monkeypatch, "ncen_nodeformat_target")
    try:
        with Session(target) as session, session.begin():
            counts = import_node(session, CONSOLE, data.splitlines())
        before, after = snapshot(source), snapshot(target)
        assert counts == {name: len(rows) for name, rows in before.items()}
        assert counts["seizures"] >= 40
        assert counts["persons"] > 30
        assert counts["record_versions"] >= 2
        assert counts["seizure_persons"] > 0
        for name in TABLES:
            assert before[name] == after[name], name
        with Session(target) as session:
            event = session.scalars(
                select(AuditEvent).where(AuditEvent.action == "node.import")
            ).one()
        assert event.details["rows"] == counts
        # A second import is refused: the node is no longer empty.
        with (
            pytest.raises(ValidationError, match="empty node"),
            Session(target) as session,
            session.begin(),
        ):
            import_node(session, CONSOLE, data.splitlines())
    finally:
        target.dispose()
        source.dispose()


def _import_refused(session: Session, lines: list[bytes]) -> str:
    with pytest.raises(ValidationError) as caught:
        import_node(session, CONSOLE, lines)
    return str(caught.value)


def test_damaged_files_are_refused(session):
    header = b'{"format": "ncen-node", "version": 1, "tables": []}'
    row = b'{"table": "persons", "row": {"id": "00000000-0000-0000-0000-000000000001"}}'
    assert "not a node export" in _import_refused(session, [b"PK\x03\x04"])
    assert "unknown version" in _import_refused(session, [b'{"format": "ncen-node"}'])
    assert "cut short" in _import_refused(session, [header, b'{"table": "countries", "row": {}}'])
    assert "not a row" in _import_refused(session, [header, b'{"table": "users", "row": {}}'])
    assert "out of order" in _import_refused(
        session, [header, row, b'{"table": "countries", "row": {}}']
    )
    assert "counts other rows" in _import_refused(session, [header, b'{"end": true, "rows": 5}'])


def test_only_the_console_exports_the_node(session):
    actor = make_actor(session, Role.SUPERVISOR)
    with pytest.raises(PermissionDeniedError):
        next(export_node(session, actor))
    with pytest.raises(PermissionDeniedError):
        import_node(session, actor, [])
