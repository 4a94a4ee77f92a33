"""``ncen pictures similar`` and ``ncen pictures rehash``, run in-process on a committed
database with the picture store in the node's instance folder."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from ncen import migrate
from ncen.accounts.models import Role
from ncen.db import make_engine
from ncen.dbroles import APP_ROLE
from ncen.pictures.models import Picture, PictureHash
from ncen.pictures.services import add_pictures
from ncen.pictures.store import PictureStore
from ncen.seizures.services import record_seizure
from ncen.settings import Settings
from tests.conftest import make_actor
from tests.factories import seizure_data
from tests.integration.test_pictures import encode, scene
from web.cli import cli

BASE = scene(1200, 900, seed=61)


@pytest.fixture
def node(empty_database, tmp_path, monkeypatch):
    db = empty_database("ncen_pictures_cli")
    for env_name, value in db.env.items():
        monkeypatch.setenv(env_name, value)
    instance = tmp_path / "instance"
    monkeypatch.setenv("NCEN_INSTANCE_PATH", str(instance))
    monkeypatch.delenv("NCEN_CONFIG", raising=False)
    owner = make_engine(db.owner)
    migrate.upgrade(owner, app_role=APP_ROLE)
    owner.dispose()
    engine = make_engine(db.app)
    store = PictureStore(Settings(instance_path=instance).picture_path)
    with Session(engine) as session:
        actor = make_actor(session, Role.INVESTIGATOR, username="cli-pictures")
        session.commit()
        with session.begin():
            seizure = record_seizure(session, actor, seizure_data())
            add_pictures(
                session,
                actor,
                store,
                Settings(),
                [("a.jpg", encode(BASE, "JPEG")), ("b.jpg", encode(scene(seed=62), "JPEG"))],
                seizure_id=seizure.id,
            )
        reference = seizure.reference
    yield engine, reference
    engine.dispose()


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def test_similar_prints_the_nearest_pictures_and_stores_nothing(node, tmp_path):
    engine, reference = node
    probe = tmp_path / "probe.png"
    probe.write_bytes(encode(BASE.resize((600, 450)), "PNG"))
    code, out, _ = run("pictures", "similar", str(probe), "--json", "--limit", "5")
    assert code == 0
    document = json.loads(out)
    assert document["count"] == 1
    hit = document["results"][0]
    assert hit["distance"] == hit["phash_distance"] + hit["dhash_distance"] <= 22
    assert hit["seizures"][0]["reference"] == reference
    code, out, _ = run("pictures", "similar", str(probe))
    assert code == 0
    assert reference in out
    assert out.lstrip().startswith("1. distance")
    with Session(engine) as session:
        assert session.execute(select(func.count()).select_from(Picture)).scalar_one() == 2


def test_similar_refuses_a_file_that_is_not_a_picture(node, tmp_path):
    bad = tmp_path / "notes.txt"
    bad.write_text("not a picture")
    code, _, err = run("pictures", "similar", str(bad))
    assert code == 1
    assert "error: file: only JPEG, PNG" in err


def test_rehash_fills_missing_hashes(node):
    engine, _ = node
    with Session(engine) as session, session.begin():
        session.execute(delete(PictureHash))
    code, out, _ = run("pictures", "rehash")
    assert code == 0
    assert "2 pictures hashed" in out
    with Session(engine) as session:
        assert session.execute(select(func.count()).select_from(PictureHash)).scalar_one() == 2
