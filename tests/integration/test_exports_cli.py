"""``ncen export`` and ``ncen import ncen`` from the console: files written whole, filters
checked, the node format read back by another node."""

from __future__ import annotations

import csv
import io
import json

from openpyxl import load_workbook
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ncen.accounts.actor import Actor
from ncen.accounts.models import Role
from ncen.audit.events import AuditEvent
from ncen.demo.load import DemoPlan, load_demo
from ncen.investigations.services import open_case
from ncen.seizures.models import Seizure
from tests.cli_support import cli_database, run_cli
from tests.web_support import make_record, make_user, tx


def test_console_exports(empty_database, tmp_path, monkeypatch):
    engine = cli_database(empty_database, tmp_path, monkeypatch, "ncen_exports_cli")
    try:
        load_demo(engine, DemoPlan(persons=20, seizures=30, seed=3))
        with Session(engine) as session:
            validated = session.scalar(
                select(func.count()).select_from(Seizure).where(Seizure.status == "validated")
            )
        out = tmp_path / "seizures.csv"
        code, _, stderr = run_cli(
            "export", "seizures", "--format", "csv", "--filter", "status=validated", "-o", str(out)
        )
        assert code == 0, stderr
        rows = list(csv.DictReader(io.StringIO(out.read_bytes().decode("utf-8-sig"))))
        assert len(rows) == validated
        assert {r["status_code"] for r in rows} == {"validated"}
        assert not (tmp_path / "seizures.csv.partial").exists()

        code, _, _ = run_cli("export", "all", "--format", "xlsx", "-o", str(tmp_path / "a.xlsx"))
        assert code == 0
        sheets = load_workbook(tmp_path / "a.xlsx", read_only=True).sheetnames
        assert {"seizure", "person", "company", "conveyance"} <= set(sheets)

        code, _, _ = run_cli("export", "persons", "--format", "ftm", "-o", str(tmp_path / "p"))
        assert code == 0
        first = json.loads((tmp_path / "p").read_text().splitlines()[0])
        assert first["schema"] == "Person"

        code, _, stderr = run_cli(
            "export", "seizures", "--format", "csv", "--filter", "colour=red", "-o", str(out)
        )
        assert code == 1
        assert "NAME=VALUE" in stderr
        code, _, stderr = run_cli("export", "all", "--format", "csv", "-o", str(out))
        assert code == 1
        assert "one list" in stderr

        node = tmp_path / "node.jsonl"
        code, _, stderr = run_cli("export", "all", "--format", "ncen", "-o", str(node))
        assert code == 0, stderr
        with Session(engine) as session:
            actions = set(session.scalars(select(AuditEvent.action)))
        assert {"seizure.export", "person.export", "node.export"} <= actions
    finally:
        engine.dispose()
    target = cli_database(empty_database, tmp_path / "t", monkeypatch, "ncen_exports_cli_t")
    try:
        code, _stdout, stderr = run_cli("import", "ncen", str(node))
        assert code == 0, stderr
        with Session(target) as session:
            assert session.scalar(select(func.count()).select_from(Seizure)) >= 30
        code, _, stderr = run_cli("import", "ncen", str(node))
        assert code == 1
        assert "empty node" in stderr
    finally:
        target.dispose()


def test_console_exports_an_investigation(empty_database, tmp_path, monkeypatch):
    engine = cli_database(empty_database, tmp_path, monkeypatch, "ncen_exports_cli_case")
    try:
        with Session(engine) as session:
            lead = make_user(session, Role.INVESTIGATOR)
            seizure = make_record(session, lead, "seizure")
            with tx(session):
                case = open_case(
                    session, Actor.of(lead), title="Console case",
                    restricted=True, items=[("seizure", seizure.id)],
                )  # fmt: skip
                reference, case_id = case.reference, case.id
        out = tmp_path / "case.xlsx"
        code, stdout, stderr = run_cli(
            "export",
            "investigation",
            "--case",
            reference.lower(),
            "--format",
            "xlsx",
            "-o",
            str(out),
        )
        assert code == 0, stderr
        assert "1 records" in stdout
        book = load_workbook(out, read_only=True)
        assert book.sheetnames == ["investigation", "seizure"]
        code, _, stderr = run_cli(
            "export", "investigation", "--case", str(case_id), "--format", "ftm", "-o", str(out)
        )
        assert code == 0, stderr
        assert json.loads(out.read_text().splitlines()[0])["schema"]
        code, _, stderr = run_cli(
            "export", "investigation", "--case", "INV-NOPE", "--format", "csv", "-o", str(out)
        )
        assert code == 1
        code, _, stderr = run_cli("export", "investigation", "--format", "csv", "-o", str(out))
        assert code == 1
        assert "--case" in stderr
        code, _, stderr = run_cli(
            "export", "persons", "--case", reference, "--format", "csv", "-o", str(out)
        )
        assert code == 1
        with Session(engine) as session:
            sources = {
                e.details.get("investigation_id")
                for e in session.scalars(
                    select(AuditEvent).where(AuditEvent.action == "seizure.export")
                )
            }
        assert sources == {str(case_id)}
    finally:
        engine.dispose()
