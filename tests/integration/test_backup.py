"""`ncen backup` and `ncen restore` end to end, on real PostgreSQL databases of the test cluster.

A source node (its own database and instance folder) gets data, pictures, exchange keys, a
secret key and a queued bundle. It is backed up, then changed (a new record, a picture file
deleted), and the archive is restored into a fresh database and instance folder. The restored
node must equal the source *as it was at backup time*: every table's row count and content
digest, every picture file byte for byte, every key file with its mode, and its audit chain.
Damaged archives (wrong passphrase, truncated, bit flipped) are refused with a clear message,
and a refused restore writes nothing: no table, no file.
"""

from __future__ import annotations

import io
import os
import random
import stat
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner
from PIL import Image, ImageDraw
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from ncen.accounts.actor import Actor
from ncen.audit import verify_chain
from ncen.backup.container import CHUNK_SIZE, HEADER_LENGTH, SALT_OFFSET, TAG_LENGTH
from ncen.backup.contents import INSTANCE_ITEMS
from ncen.db import make_engine
from ncen.demo.gallery import PICTURES as DEMO_PICTURES
from ncen.embedded import embedded_database
from ncen.persons.services import create_person
from ncen.pictures.services import add_pictures
from ncen.pictures.store import PictureStore
from ncen.settings import Settings, ensure_secret_key
from tests.conftest import ScratchDatabase
from tests.factories import person_data
from web.cli import cli

PASSPHRASE = "correct horse battery staple"


@dataclass(frozen=True)
class Limits:
    max_upload_mb: int = 5
    max_picture_pixels: int = 4_000_000


def picture(seed: int) -> bytes:
    rng = random.Random(seed)
    im = Image.new("RGB", (320, 240), (rng.randrange(256), 90, 30))
    draw = ImageDraw.Draw(im)
    for _ in range(12):
        x0, y0 = rng.randrange(320), rng.randrange(240)
        draw.rectangle((x0, y0, x0 + 40, y0 + 30), fill=(rng.randrange(256), 0, 0))
    buffer = io.BytesIO()
    im.save(buffer, "PNG")
    return buffer.getvalue()


def run(*args: str, expect: int = 0) -> str:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    assert result.exit_code == expect, result.output
    return result.output


def point_at(monkeypatch: pytest.MonkeyPatch, db: ScratchDatabase, instance: Path) -> None:
    for name, value in db.env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("NCEN_INSTANCE_PATH", str(instance))


def tables(engine: Engine) -> list[str]:
    with engine.connect() as conn:
        return list(
            conn.execute(
                text(
                    "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
                )
            ).scalars()
        )


def table_state(engine: Engine) -> dict[str, tuple[int, str]]:
    """Per table: (row count, md5 of every row's text in a stable order)."""
    state: dict[str, tuple[int, str]] = {}
    with engine.connect() as conn:
        for name in tables(engine):
            count, digest = conn.execute(
                text(
                    f"SELECT count(*), md5(coalesce(string_agg(t::text, chr(10) ORDER BY t::text), '')) FROM \"{name}\" t"  # noqa: E501 - names come from pg_tables
                )
            ).one()
            state[name] = (count, digest)
    return state


def files_of(root: Path) -> dict[str, tuple[bytes | None, int]]:
    """Every file and folder under ``root``: relative path -> (bytes or None for a folder, mode)."""
    found: dict[str, tuple[bytes | None, int]] = {}
    for path in sorted(root.rglob("*")):
        mode = stat.S_IMODE(path.lstat().st_mode)
        found[str(path.relative_to(root))] = (
            path.read_bytes() if path.is_file() else None,
            mode,
        )
    return found


def instance_secrets(instance: Path) -> dict[str, tuple[bytes | None, int]]:
    top = files_of(instance)
    found = {"secret_key": top["secret_key"], "secrets_key": top["secrets_key"]}
    found |= {f"keys/{k}": v for k, v in files_of(instance / "keys").items()}
    found["keys"] = (None, stat.S_IMODE((instance / "keys").stat().st_mode))
    found |= {f"exchange/outbox/{k}": v for k, v in files_of(instance / "exchange/outbox").items()}
    return found


@dataclass
class Source:
    engine: Engine
    instance: Path
    url: str


@pytest.fixture
def source(empty_database, tmp_path, monkeypatch) -> Iterator[Source]:
    """A node with data, three pictures, exchange keys, a secret key and a queued bundle."""
    db = empty_database("ncen_backup_source")
    instance = tmp_path / "source"
    point_at(monkeypatch, db, instance)
    monkeypatch.setenv("NCEN_BACKUP_PASSPHRASE", PASSPHRASE)
    monkeypatch.delenv("NCEN_BACKUP_PASSPHRASE_FILE", raising=False)
    monkeypatch.delenv("NCEN_KEY_PASSPHRASE", raising=False)
    monkeypatch.delenv("NCEN_KEY_PASSPHRASE_FILE", raising=False)
    monkeypatch.delenv("NCEN_CONFIG", raising=False)
    run("demo", "--persons", "40", "--seizures", "25")
    run("keys", "init", "--unencrypted")
    ensure_secret_key(Settings(instance_path=instance))
    # The key of ncen.secretbox (sealed TOTP secrets and hit-check keys), as it creates it.
    fd = os.open(instance / "secrets_key", os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    os.write(fd, os.urandom(32))
    os.close(fd)
    outbox = instance / "exchange" / "outbox"
    outbox.mkdir(mode=0o700, parents=True)
    # Random bytes do not compress: the archive spans several chunks.
    (outbox / "3f1c2b8e-0000-4000-8000-000000000001.ncb").write_bytes(os.urandom(300_000))
    engine = make_engine(db.app)
    actor = Actor.system("test")
    with Session(engine) as session, session.begin():
        person = create_person(session, actor, person_data())
        add_pictures(
            session,
            actor,
            PictureStore(instance / "pictures"),
            Limits(),
            [(f"p{n}.png", picture(n)) for n in range(3)],
            person_id=person.id,
        )
    yield Source(engine, instance, db.app)
    engine.dispose()


def audit_actions(engine: Engine) -> list[str]:
    with engine.connect() as conn:
        return list(conn.execute(text("SELECT action FROM audit_events ORDER BY id")).scalars())


def assert_restored(engine: Engine, at_backup: dict[str, tuple[int, str]]) -> None:
    """Every table as at backup time; the audit trail too, plus one ``node.restore`` event."""
    restored = table_state(engine)
    audit_count = at_backup["audit_events"][0]
    assert {k: v for k, v in restored.items() if k != "audit_events"} == {
        k: v for k, v in at_backup.items() if k != "audit_events"
    }
    with engine.connect() as conn:
        first = conn.execute(
            text(
                "SELECT count(*), md5(string_agg(t::text, chr(10) ORDER BY t::text)) FROM "
                "(SELECT * FROM audit_events ORDER BY id LIMIT :n) t"
            ),
            {"n": audit_count},
        ).one()
    assert tuple(first) == at_backup["audit_events"]
    assert restored["audit_events"][0] == audit_count + 1
    assert audit_actions(engine)[-1] == "node.restore"
    with Session(engine) as session:
        assert verify_chain(session) == audit_count + 1


def test_backup_change_restore_compare(source, empty_database, tmp_path, monkeypatch):
    store = source.instance / "pictures"
    # A file without a picture row (an upload whose transaction rolled back) is not carried,
    # and a thumbnail lost before the backup is reported, not fatal.
    orphan = store / "originals" / "00" / "00" / ("00" * 32)
    orphan.parent.mkdir(parents=True)
    orphan.write_bytes(b"no row refers to me")
    lost_before = next(p for p in (store / "thumbs").rglob("*") if p.is_file())
    lost_before.unlink()
    os.removedirs(lost_before.parent)  # its empty folders too: a restore creates none
    at_backup = table_state(source.engine)
    pictures_at_backup = files_of(store)
    del pictures_at_backup["originals/00/00/" + "00" * 32]
    del pictures_at_backup["originals/00/00"]
    del pictures_at_backup["originals/00"]
    secrets_at_backup = instance_secrets(source.instance)
    # Every file the node keeps in its instance folder is carried (contents.INSTANCE_ITEMS) or
    # deliberately left out: a new secret file fails here until it is listed.
    carried = [item.path for item in INSTANCE_ITEMS]
    left_out = ["pictures", "pgdata", "exchange/incoming"]
    uncovered = [
        name
        for name, (data, _mode) in files_of(source.instance).items()
        if data is not None
        and not any(name == p or name.startswith(f"{p}/") for p in carried + left_out)
    ]
    assert uncovered == []
    # Three files per picture (the demo's and the three uploaded here), less the lost thumbnail.
    files = 3 * (len(DEMO_PICTURES) + 3) - 1
    assert len([p for p in pictures_at_backup.values() if p[0] is not None]) == files

    archive = tmp_path / "node.ncenbak"
    out = run("backup", "-o", str(archive))
    assert "backup written" in out
    assert "1 picture files were missing and 0 originals were altered" in out
    assert lost_before.name in out
    assert stat.S_IMODE(archive.stat().st_mode) == 0o600
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".node")] == []
    # Nothing of the plaintext is readable in the archive.
    assert b"PGDMP" not in archive.read_bytes()
    assert audit_actions(source.engine)[-1] == "node.backup"

    # Change the source after the backup: a new record, and a picture file lost.
    with Session(source.engine) as session, session.begin():
        create_person(session, Actor.system("test"), person_data())
    lost = next(p for p in (store / "originals").rglob("*") if p.is_file() and p != orphan)
    lost.unlink()
    assert table_state(source.engine)["persons"] != at_backup["persons"]

    # Restore into a fresh database and instance folder.
    target_db = empty_database("ncen_backup_target")
    target = tmp_path / "target"
    point_at(monkeypatch, target_db, target)
    out = run("restore", str(archive))
    assert "audit trail verified" in out
    assert "1 picture files were already missing" in out
    target_engine = make_engine(target_db.app)
    try:
        assert_restored(target_engine, at_backup)
    finally:
        target_engine.dispose()
    assert files_of(target / "pictures") == pictures_at_backup
    restored = instance_secrets(target)
    assert {k: v[0] for k, v in restored.items()} == {k: v[0] for k, v in secrets_at_backup.items()}
    # Secrets come back owner-only whatever the archive says.
    assert restored["secret_key"][1] == 0o600
    assert restored["secrets_key"][1] == 0o600
    assert restored["keys/identity.json"][1] == 0o600
    assert restored["keys"][1] == 0o700
    assert all(mode & 0o077 == 0 for _, mode in restored.values())
    assert [p.name for p in target.iterdir() if p.name.startswith(".restore")] == []

    # The target is not empty any more: a second restore is refused without --force, for the
    # instance folder and for the database, and writes nothing.
    out = run("restore", str(archive), expect=1)
    assert "already holds secret_key, secrets_key, keys, exchange/outbox, pictures" in out
    point_at(monkeypatch, target_db, tmp_path / "other")
    out = run("restore", str(archive), expect=1)
    assert "is not empty" in out
    assert not (tmp_path / "other").exists()
    point_at(monkeypatch, target_db, target)
    out = run("restore", str(archive), "--force")
    assert "audit trail verified" in out
    target_engine = make_engine(target_db.app)
    try:
        assert_restored(target_engine, at_backup)
    finally:
        target_engine.dispose()
    assert files_of(target / "pictures") == pictures_at_backup


def test_restore_into_an_embedded_node(source, tmp_path, monkeypatch):
    """A node rebuilt from nothing: no NCEN_DATABASE_URL, so restore starts its own cluster."""
    at_backup = table_state(source.engine)
    # Evidence altered on disk before the backup is reported, and never reinstated.
    altered = next(
        p for p in (source.instance / "pictures" / "originals").rglob("*") if p.is_file()
    )
    altered.chmod(0o640)
    altered.write_bytes(altered.read_bytes() + b"tampered")
    archive = tmp_path / "node.ncenbak"
    out = run("backup", "-o", str(archive))
    assert "0 picture files were missing and 1 originals were altered" in out
    monkeypatch.delenv("NCEN_DATABASE_URL")
    monkeypatch.delenv("NCEN_DATABASE_OWNER_URL")
    # Outside pytest's tmp_path, like the session cluster (tests/conftest.py): when the tests
    # run as root, the server runs as another user that must traverse the folders above it,
    # and concurrent pytest runs reset /tmp/pytest-of-root to 0700.
    with tempfile.TemporaryDirectory(prefix="ncen-test-restore-") as folder:
        target = Path(folder) / "instance"
        monkeypatch.setenv("NCEN_INSTANCE_PATH", str(target))
        out = run("restore", str(archive))
        assert "audit trail verified" in out
        assert f"{altered.name} was altered before the backup; not restored" in out
        restored_originals = {p.name for p in (target / "pictures/originals").rglob("*")}
        assert altered.name not in restored_originals
        assert len([n for n in restored_originals if len(n) == 64]) == 2 + len(DEMO_PICTURES)
        with embedded_database(target / "pgdata") as urls:
            engine = make_engine(urls.app)
            try:
                assert_restored(engine, at_backup)
            finally:
                engine.dispose()


@pytest.fixture
def archive(source, tmp_path) -> bytes:
    path = tmp_path / "node.ncenbak"
    run("backup", "-o", str(path))
    return path.read_bytes()


def refused(archive_bytes: bytes, tmp_path: Path, empty_database, monkeypatch, name: str) -> str:
    """Restore ``archive_bytes`` into a fresh target; assert it fails and writes nothing."""
    path = tmp_path / f"{name}.ncenbak"
    path.write_bytes(archive_bytes)
    db = empty_database(f"ncen_backup_{name}")
    target = tmp_path / name
    target.mkdir()
    point_at(monkeypatch, db, target)
    out = run("restore", str(path), expect=1)
    engine = make_engine(db.owner)
    try:
        assert tables(engine) == []
    finally:
        engine.dispose()
    assert list(target.iterdir()) == []
    return out


def test_wrong_passphrase_is_refused(archive, tmp_path, empty_database, monkeypatch):
    monkeypatch.setenv("NCEN_BACKUP_PASSPHRASE", "not the passphrase at all")
    out = refused(archive, tmp_path, empty_database, monkeypatch, "wrong")
    assert "wrong passphrase" in out


def test_passphrase_file_option(archive, tmp_path, empty_database, monkeypatch):
    monkeypatch.setenv("NCEN_BACKUP_PASSPHRASE", "too short")
    out = run("backup", "-o", str(tmp_path / "weak.ncenbak"), expect=1)
    assert "at least 12 characters" in out
    assert not (tmp_path / "weak.ncenbak").exists()
    monkeypatch.delenv("NCEN_BACKUP_PASSPHRASE")
    secret = tmp_path / "passphrase"
    secret.write_text(PASSPHRASE + "\n")
    secret.chmod(0o644)
    path = tmp_path / "a.ncenbak"
    path.write_bytes(archive)
    target = tmp_path / "viafile"
    point_at(monkeypatch, empty_database("ncen_backup_viafile"), target)
    out = run("restore", str(path), "--passphrase-file", str(secret), expect=1)
    assert "chmod 600" in out
    secret.chmod(0o600)
    out = run("restore", str(path), "--passphrase-file", str(secret))
    assert "audit trail verified" in out


@pytest.mark.parametrize(
    ("name", "damage", "message"),
    [
        ("cut_mid_chunk", lambda b: b[: len(b) - 100], "truncated"),
        ("cut_at_chunk", lambda b: b[: HEADER_LENGTH + 2 * (CHUNK_SIZE + TAG_LENGTH)], "truncated"),
        ("header_only", lambda b: b[:40], "truncated"),
        ("flip_body", lambda b: flip(b, len(b) // 2), "altered"),
        ("flip_end", lambda b: flip(b, len(b) - 1), "altered"),
        ("flip_salt", lambda b: flip(b, SALT_OFFSET + 3), "wrong passphrase"),
        ("not_a_backup", lambda b: b"PK\x03\x04" + b[4:], "not an ncen backup"),
    ],
)
def test_damaged_archive_is_refused(  # noqa: PLR0917 - pytest fixtures and params
    archive, tmp_path, empty_database, monkeypatch, name, damage, message
):
    assert len(archive) > 4 * CHUNK_SIZE, "the archive must span several chunks"
    out = refused(damage(archive), tmp_path, empty_database, monkeypatch, name)
    assert message in out


def flip(data: bytes, at: int) -> bytes:
    return data[:at] + bytes([data[at] ^ 0x01]) + data[at + 1 :]
