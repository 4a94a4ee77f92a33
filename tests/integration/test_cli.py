"""The `ncen` command line, run in-process with click's runner against a committed database."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from ncen import migrate
from ncen.accounts.models import Role, User
from ncen.accounts.passwords import verify_password
from ncen.db import make_engine
from ncen.demo import cast
from ncen.demo.duplicates import KINDS, PAIRS_PER_KIND
from ncen.demo.gallery import PICTURES
from ncen.persons.models import Person
from ncen.pictures.models import Picture
from ncen.seizures.models import Seizure, SeizurePerson
from web.cli import cli

ASSETS = Path(__file__).resolve().parents[1] / "assets" / "reference"


@pytest.fixture
def node(empty_database, tmp_path, monkeypatch):
    """Environment of a node whose database is a fresh, empty database in the test cluster."""
    db = empty_database("ncen_cli")
    for name, value in db.env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("NCEN_INSTANCE_PATH", str(tmp_path / "instance"))
    monkeypatch.delenv("NCEN_CONFIG", raising=False)
    engine = make_engine(db.app)
    yield engine
    engine.dispose()


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.output


def test_db_upgrade_current_downgrade(node):
    code, out = run("db", "current")
    assert code == 0
    assert "base (empty)" in out
    code, out = run("db", "upgrade")
    assert code == 0
    assert f"database at revision {migrate.head_revision(node)}" in out
    code, out = run("db", "downgrade", "base", "--yes")
    assert (code, "revision base" in out) == (0, True)


def test_demo_creates_admin_with_one_time_password_and_linked_data(node):
    code, out = run("demo", "--persons", "300", "--seizures", "200")
    assert code == 0, out
    password = re.search(r"one-time password: (\S+)", out).group(1)
    with Session(node) as session:
        admin = session.execute(select(User).where(User.username == "admin")).scalar_one()
        assert verify_password(admin.password_hash, password)
        assert admin.must_change_password
        # The generated records, plus the planted networks (ncen.demo.cast) and their pictures,
        # plus both records of each planted true duplicate (ncen.demo.duplicates).
        planted = 300 + len(cast.PERSONS) + 2 * len(KINDS) * PAIRS_PER_KIND
        persons = session.execute(select(func.count()).select_from(Person)).scalar_one()
        assert persons == planted
        seizures = session.execute(select(func.count()).select_from(Seizure)).scalar_one()
        assert seizures == 200 + len(cast.SEIZURES)
        pictures = session.execute(select(func.count()).select_from(Picture)).scalar_one()
        assert pictures == len(PICTURES)
        links = session.execute(select(func.count()).select_from(SeizurePerson)).scalar_one()
        assert links >= 200
        scripts = set(session.execute(text("SELECT DISTINCT script FROM person_names")).scalars())
        assert {"Cyrl", "Arab", "Hani", "Latn"} <= scripts
        # Each demo record has its first history version, like records made by the services.
        versions = session.execute(
            text("SELECT count(*) FROM record_versions WHERE record_type = 'person'")
        ).scalar_one()
        assert versions == planted
    # The newcomer is told where to start, and gets an analyst account to start with: the
    # administrator reads no nominal data, so it cannot open a chart or a picture.
    assert "DEMO-A-10" in out
    analyst_password = re.search(r"demo analyst: analyst, first password (\S+)", out).group(1)
    with Session(node) as session:
        analyst = session.execute(select(User).where(User.username == "analyst")).scalar_one()
        assert verify_password(analyst.password_hash, analyst_password)
        assert analyst.must_change_password
        assert analyst.roles == frozenset({Role.ANALYST})
    # Running the demo again (or `serve --demo` after `ncen demo`) keeps the data and the
    # passwords printed the first time: no second, different password.
    code, out = run("demo", "--persons", "300", "--seizures", "200")
    assert "already loaded" in out
    assert "one-time password" not in out
    assert "administrator: admin (exists; sign in with the password printed" in out
    assert "demo analyst: analyst (exists; its password is unchanged)" in out
    with Session(node) as session:
        admin = session.execute(select(User).where(User.username == "admin")).scalar_one()
        assert verify_password(admin.password_hash, password)


def test_user_add_list_disable(node):
    run("db", "upgrade")
    code, out = run(
        "user",
        "add",
        "a.karimova",
        "--name",
        "Aigul Karimova",
        "--role",
        "analyst",
        "--role",
        "supervisor",
    )
    assert code == 0, out
    assert "one-time password:" in out
    code, out = run("user", "list")
    assert re.search(r"a\.karimova\s+active\s+analyst,supervisor", out)
    code, out = run("user", "disable", "a.karimova")
    assert code == 0
    code, out = run("user", "list")
    assert "disabled" in out


def test_user_add_bad_input_reports_every_field(node):
    run("db", "upgrade")
    code, out = run("user", "add", "X!", "--name", " ", "--role", "analyst")
    assert code == 1
    assert "error: username:" in out
    assert "error: display_name:" in out


def test_user_add_refuses_an_administrator_who_reads_nominal_data(node):
    # Issue 12, item 3: the console is bound by the separation of duties too.
    run("db", "upgrade")
    code, out = run(
        "user",
        "add",
        "root.reader",
        "--name",
        "Root",
        "--role",
        "administrator",
        "--role",
        "analyst",
    )
    assert code == 1
    assert "error: roles:" in out
    assert "cannot be combined" in out
    code, out = run("user", "add", "the.auditor", "--name", "Auditor", "--role", "auditor")
    assert code == 0, out
    with Session(node) as session:
        auditor = session.execute(select(User).where(User.username == "the.auditor")).scalar_one()
        assert {r.value for r in auditor.roles} == {"auditor"}
        assert not session.execute(select(User).where(User.username == "root.reader")).first()


def test_user_disable_unknown(node):
    run("db", "upgrade")
    code, out = run("user", "disable", "nobody")
    assert code == 1
    assert "user nobody does not exist" in out


def test_reference_load_and_refusal_of_bad_file(node):
    run("db", "upgrade")
    code, out = run("reference", "load", "--hs", str(ASSETS / "hs_sample.csv"))
    assert code == 0, out
    assert "HS nomenclature:" in out
    # The official UN/LOCODE files are ISO-8859-1: named, never guessed.
    code, out = run(
        "reference",
        "load",
        "--locode",
        str(ASSETS / "unlocode_sample.csv"),
        "--encoding",
        "latin-1",
    )
    assert code == 0, out
    with Session(node) as session:
        hs = session.execute(text("SELECT count(*) FROM hs_subheadings")).scalar_one()
        locodes = session.execute(text("SELECT count(*) FROM un_locodes")).scalar_one()
    assert hs > 0
    assert locodes > 0
    code, out = run("reference", "load", "--hs", str(ASSETS / "hs_bad.csv"))
    assert code == 1
    assert "bad row" in out
    with Session(node) as session:
        assert session.execute(text("SELECT count(*) FROM hs_subheadings")).scalar_one() == hs


def test_reference_load_reports_damaged_files_without_a_traceback(node, tmp_path):
    """Issue 12, item 17: a NUL byte crashed the load; one invalid byte made it store Cyrillic
    as Latin-1 mojibake and report success; an unclosed quote swallowed the rows after it."""
    run("db", "upgrade")
    cyrillic = "Табак".encode()
    files = {
        "nul.csv": (b"code,description\n0101,Horses\n0102,Bo\x00vine\n", "line 3: contains a NUL"),
        "mixed.csv": (
            b"code,description\n2401," + cyrillic + b"\n2402,Cigars \xff\n",
            "line 3: byte 45 (0xFF, byte 13 of the line) is not valid UTF-8",
        ),
        "quote.csv": (
            b'code,description\n0101,"Horses\n0102,Bovine\n0103,Swine\n',
            "line 2: unclosed quote",
        ),
    }
    for name, (content, message) in files.items():
        (tmp_path / name).write_bytes(content)
        result = CliRunner().invoke(cli, ["reference", "load", "--hs", str(tmp_path / name)])
        assert result.exception is None or isinstance(result.exception, SystemExit), name
        assert result.exit_code == 1, (name, result.output)
        assert message in result.output, (name, result.output)
    with Session(node) as session:
        assert session.execute(text("SELECT count(*) FROM hs_subheadings")).scalar_one() == 0


def test_audit_verify(node):
    run("db", "upgrade")
    run("user", "add", "someone", "--name", "Some One", "--role", "analyst")
    code, out = run("audit", "verify")
    assert code == 0
    assert re.search(r"audit trail verified: [1-9]\d* events", out)


def test_bad_configuration_is_a_clean_error(node, monkeypatch):
    monkeypatch.setenv("NCEN_PORT", "eighty")
    result = CliRunner().invoke(cli, ["db", "current"])
    assert result.exit_code == 2
    assert "NCEN_PORT: must be a whole number" in result.output


def test_db_upgrade_seals_totp_secrets_stored_in_clear(node):
    """Issue 12 item 12: a secret from before sealing does not wait for its next use."""
    assert run("db", "upgrade")[0] == 0
    code, out = run("user", "add", "old.officer", "--name", "Old Officer", "--role", "analyst")
    assert code == 0, out
    with node.begin() as conn:
        conn.execute(
            text("UPDATE users SET totp_secret = 'JBSWY3DPEHPK3PXP' WHERE username = 'old.officer'")
        )
    code, out = run("db", "upgrade")
    assert code == 0, out
    assert "sealed 1 TOTP secrets stored in clear" in out
    with node.connect() as conn:
        stored = conn.execute(
            text("SELECT totp_secret FROM users WHERE username = 'old.officer'")
        ).scalar_one()
    assert stored != "JBSWY3DPEHPK3PXP"
