"""``ncen investigations list|show``: text and JSON, by id or reference, reads audited."""

from __future__ import annotations

import json

from sqlalchemy import select
from sqlalchemy.orm import Session

from ncen.accounts.actor import Actor
from ncen.accounts.models import Role
from ncen.audit import AuditEvent
from ncen.investigations import services, tasks
from tests.cli_support import cli_database, run_cli
from tests.factories import create_user


def test_list_and_show(empty_database, tmp_path, monkeypatch) -> None:
    engine = cli_database(empty_database, tmp_path, monkeypatch, "ncen_investigations_cli")
    try:
        with Session(engine) as session, session.begin():
            lead = Actor.of(create_user(session, Role.ANALYST, username="lead"))
            case = services.open_case(session, lead, title="Pamir route", restricted=True)
            tasks.add_task(session, lead, case.id, title="Ask the post", due_on="2026-12-24")
            reference, case_id = case.reference, case.id
        code, out, _err = run_cli("investigations", "list", "--json")
        assert code == 0
        listed = json.loads(out)
        assert listed["total"] == 1
        assert listed["investigations"][0]["reference"] == reference
        assert listed["investigations"][0]["restricted"] is True
        code, out, _err = run_cli("investigations", "show", reference.lower(), "--json")
        assert code == 0
        shown = json.loads(out)
        assert shown["id"] == str(case_id)
        assert shown["tasks"][0]["due_on"] == "2026-12-24"
        code, out, _err = run_cli("investigations", "show", str(case_id))
        assert code == 0
        assert "Pamir route" in out
        assert "[ ] Ask the post" in out
        code, _out, err = run_cli("investigations", "show", "INV-1999-00001")
        assert code != 0
        assert "no investigation" in err
        code, _out, err = run_cli("investigations", "list", "--status", "bogus")
        assert code != 0
        with Session(engine) as session:
            actions = (
                session.execute(select(AuditEvent.action).where(AuditEvent.actor_name == "[cli]"))
                .scalars()
                .all()
            )
        assert "investigation.list" in actions
        assert "investigation.read" in actions
    finally:
        engine.dispose()
