"""Signed audit checkpoints: what `ncen audit verify` detects that the hash chain alone cannot.

Issue 12, item 1: with the owner's rights an attacker can disable the trigger, rewrite or delete
rows and recompute every later hash, and the chain still verifies. Against a checkpoint signed
with a key outside the database, each of these is detected. Runs the real CLI against a
committed scratch database.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from ncen.accounts.actor import Actor
from ncen.audit import record_event, verify_chain
from ncen.audit.events import GENESIS, content_hash
from ncen.db import make_engine
from web.cli import cli


@pytest.fixture
def node(empty_database, tmp_path, monkeypatch):
    """A migrated node with 10 committed audit events; yields (app engine, owner engine)."""
    db = empty_database("ncen_audit_cp")
    for name, value in db.env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("NCEN_INSTANCE_PATH", str(tmp_path / "instance"))
    monkeypatch.delenv("NCEN_CONFIG", raising=False)
    assert run("db", "upgrade")[0] == 0
    app, owner = make_engine(db.app), make_engine(db.owner)
    write_events(app, 10)
    yield app, owner
    app.dispose()
    owner.dispose()


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.output


def write_events(engine: Engine, n: int, start: int = 0) -> None:
    actor = Actor.system("test")
    with Session(engine) as session, session.begin():
        for i in range(start, start + n):
            record_event(session, actor, "test.event", details={"n": i})


def rechain(owner: Engine, tamper: str) -> None:
    """As the owner: disable the guard, run ``tamper``, recompute every hash, re-enable."""
    with owner.begin() as conn:
        conn.execute(text("ALTER TABLE audit_events DISABLE TRIGGER USER"))
        conn.execute(text(tamper))
        prev = GENESIS
        rows = conn.execute(text("SELECT * FROM audit_events ORDER BY id")).mappings().all()
        for row in rows:
            digest = content_hash(prev, row)
            conn.execute(
                text("UPDATE audit_events SET prev_hash = :p, hash = :h WHERE id = :id"),
                {"p": prev, "h": digest, "id": row["id"]},
            )
            prev = digest
        conn.execute(text("ALTER TABLE audit_events ENABLE TRIGGER USER"))


def test_checkpoint_then_verify_passes(node):
    code, out = run("audit", "checkpoint")
    assert code == 0, out
    assert "checkpoint at event" in out
    assert run("audit", "checkpoint")[1].startswith("the trail has not moved")
    write_events(node[0], 3, start=10)
    code, out = run("audit", "verify")
    assert code == 0, out
    assert "checked against 1 signed checkpoints" in out
    assert "3 events since" in out


FIFTH = "(SELECT min(id) + 4 FROM audit_events)"
LAST = "(SELECT max(id) FROM audit_events)"


@pytest.mark.parametrize(
    "tamper",
    [
        f"UPDATE audit_events SET details = '{{\"n\": 99}}' WHERE id = {FIFTH}",
        f"DELETE FROM audit_events WHERE id = {FIFTH}",
        f"DELETE FROM audit_events WHERE id > {LAST} - 2",
    ],
    ids=["rewritten-row", "deleted-middle-row", "truncated-tail"],
)
def test_verify_detects_a_rechained_trail_against_the_checkpoint(node, tamper):
    app, owner = node
    assert run("audit", "checkpoint")[0] == 0
    rechain(owner, tamper)
    with Session(app) as session:
        verify_chain(session)  # the re-chained trail fools the chain alone...
    code, out = run("audit", "verify")  # ...but not the signed checkpoint
    assert code == 1
    assert "checkpoint" in out


def test_a_tampered_chain_is_never_signed(node):
    _app, owner = node
    with owner.begin() as conn:
        conn.execute(text("ALTER TABLE audit_events DISABLE TRIGGER USER"))
        conn.execute(text(f"UPDATE audit_events SET action = 'forged' WHERE id = {LAST}"))
        conn.execute(text("ALTER TABLE audit_events ENABLE TRIGGER USER"))
    code, out = run("audit", "checkpoint")
    assert code == 1
    assert "does not verify" in out


def test_exported_checkpoints_verify_elsewhere_and_forgeries_fail(node, tmp_path):
    assert run("audit", "checkpoint")[0] == 0
    exported = tmp_path / "kept-elsewhere.jsonl"
    code, out = run("audit", "export-checkpoints", "-o", str(exported))
    assert code == 0, out
    public = Path(str(exported) + ".pub.pem")
    assert public.read_text().startswith("-----BEGIN PUBLIC KEY-----")
    code, out = run("audit", "verify", "--checkpoints", str(exported), "--public-key", str(public))
    assert code == 0, out
    # A checkpoint edited to match a rewritten trail no longer carries a valid signature.
    forged = exported.read_text().replace('"count":10', '"count":9')
    exported.write_text(forged)
    code, out = run("audit", "verify", "--checkpoints", str(exported), "--public-key", str(public))
    assert code == 1
    assert "not signed by this audit key" in out


def test_the_audit_key_is_private_to_the_node(node, tmp_path):
    assert run("audit", "checkpoint")[0] == 0
    key = tmp_path / "instance" / "audit_signing_key"
    assert oct(key.stat().st_mode & 0o777) == "0o600"
    key.chmod(0o644)
    code, out = run("audit", "checkpoint")
    assert code == 1
    assert "chmod 600" in out


def test_a_checkpoint_goes_to_syslog(node, tmp_path):
    """Checkpoints can be sent off the host through syslog (here: a socket standing in for
    /dev/log, read back to see the signed line)."""
    import socket

    from ncen.audit import checkpoints as cp

    app, _owner = node
    address = str(tmp_path / "log.sock")
    receiver = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    receiver.bind(address)
    receiver.settimeout(5)
    try:
        key = cp.load_or_create_key(tmp_path / "key")
        with Session(app) as session:
            checkpoint = cp.write_checkpoint(session, key, tmp_path / "cp.jsonl", "xx-ncen")
        assert checkpoint is not None
        cp.send_to_syslog(checkpoint, address=address)
        message = receiver.recv(65536).decode()
    finally:
        receiver.close()
    assert "ncen-audit-checkpoint" in message
    assert checkpoint.signature in message


def test_an_empty_or_missing_checkpoint_copy_does_not_pass(node, tmp_path):
    empty = tmp_path / "empty.jsonl"
    empty.write_text("")
    assert run("audit", "checkpoint")[0] == 0
    code, out = run("audit", "verify", "--checkpoints", str(empty))
    assert code == 1
    assert "holds no signed checkpoint" in out
    code, _out = run("audit", "verify", "--checkpoints", str(tmp_path / "missing.jsonl"))
    assert code != 0


def test_checkpoint_writers_take_turns(node, tmp_path):
    """The serve thread and a cron `ncen audit checkpoint` must not interleave their read of the
    last checkpoint and their append (the file would go back in the chain)."""
    import fcntl
    import threading

    from ncen.audit import checkpoints as cp

    app, _owner = node
    key = cp.load_or_create_key(tmp_path / "key")
    path = tmp_path / "cp.jsonl"
    done: list[object] = []

    def writer() -> None:
        with Session(app) as session:
            done.append(cp.write_checkpoint(session, key, path, "xx-ncen"))

    with open(tmp_path / "cp.jsonl.lock", "w") as held:
        fcntl.flock(held, fcntl.LOCK_EX)  # another writer is at work
        thread = threading.Thread(target=writer)
        thread.start()
        thread.join(timeout=1)
        assert thread.is_alive()  # it waits for its turn
        assert not path.exists()
    thread.join(timeout=30)
    assert done
    assert done[0] is not None
    assert len(cp.read_checkpoints(path, key.public_key())) == 1


def test_the_serve_thread_walks_the_whole_trail_first_and_never_signs_a_tampered_one(
    node, tmp_path, caplog
):
    """The periodic rounds check only the events since the last checkpoint; an older row
    changed without re-chaining must still stop the signing (found by review)."""
    from ncen.audit.checkpointer import start_checkpointer
    from ncen.settings import load_settings

    app, owner = node
    settings = load_settings()  # the node fixture's environment
    assert run("audit", "checkpoint")[0] == 0
    write_events(app, 2, start=100)
    with owner.begin() as conn:
        conn.execute(text("ALTER TABLE audit_events DISABLE TRIGGER USER"))
        conn.execute(text(f"UPDATE audit_events SET action = 'forged' WHERE id = {FIFTH}"))
        conn.execute(text("ALTER TABLE audit_events ENABLE TRIGGER USER"))
    before = settings.audit_checkpoint_path.read_text()
    thread, stop = start_checkpointer(app, settings)
    stop.set()  # one round, then the last checkpoint a stopping node writes
    thread.join(timeout=30)
    assert settings.audit_checkpoint_path.read_text() == before  # nothing signed
    assert "does not verify" in caplog.text
