"""``ncen targeting``: validate, import, list, show, export, back-test and hits, with --json."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from ncen.accounts.actor import Actor
from ncen.accounts.models import Role
from ncen.seizures.services import record_seizure
from ncen.targeting.hits import decide_hit
from ncen.targeting.models import Hit
from ncen.targeting.profiles import create_profile, set_status
from tests.cli_support import cli_database, run_cli
from tests.factories import create_user, seizure_data

GOOD = """format: ncen-risk-profile/1
name: Tobacco from China
purpose: Counterfeit cigarettes.
lane: high
score: 75
review_on: 2030-01-01
expression: |
  commodity_group == "tobacco"
  && departure_country == "CN"
"""
BAD = """profiles:
  - name: Broken
    expression: 'commodity_group == "tobacco" && quantty > 3'
"""


@pytest.fixture
def node(empty_database: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Engine]:
    engine = cli_database(empty_database, tmp_path, monkeypatch, "ncen_targeting_cli")
    with Session(engine) as session, session.begin():
        create_user(session, Role.ANALYST, username="ana")
        investigator = create_user(session, Role.INVESTIGATOR, username="ivan")
        for departure in ("CN", "CN", "TR"):
            record_seizure(
                session, Actor.of(investigator), seizure_data(departure_country=departure)
            )
    yield engine
    engine.dispose()


def test_validate_import_backtest_and_export(node: Engine, tmp_path: Path) -> None:
    good, bad = tmp_path / "good.yaml", tmp_path / "bad.yaml"
    good.write_text(GOOD, encoding="utf-8")
    bad.write_text(BAD, encoding="utf-8")
    code, out, _ = run_cli("targeting", "profiles", "validate", str(good), "--json")
    assert code == 0
    assert json.loads(out)["valid"] is True
    code, out, _ = run_cli("targeting", "profiles", "validate", str(bad), "--json")
    assert code == 1
    [result] = json.loads(out)["profiles"]
    assert result["errors"]["expression"] == "line 1, column 33: unknown field “quantty”"
    code, out, _ = run_cli("targeting", "backtest", str(good), "--json")
    assert code == 0
    backtest = json.loads(out)
    assert (backtest["total"], backtest["hits"]) == (3, 2)
    assert backtest["sample"][0]["explanation"][1]["values"] == ["CN"]
    code, out, err = run_cli(
        "targeting", "profiles", "import", str(good), "--owner", "ana", "--json"
    )
    assert code == 0, err
    [imported] = json.loads(out)["imported"]
    assert imported["created"] is True
    code, out, _ = run_cli("targeting", "profiles", "list", "--json")
    [listed] = json.loads(out)["profiles"]
    assert (listed["name"], listed["status"], listed["version"]) == (
        "Tobacco from China",
        "draft",
        1,
    )
    code, out, _ = run_cli("targeting", "profiles", "export", imported["id"])
    assert code == 0
    exported = tmp_path / "exported.yaml"
    exported.write_text(out, encoding="utf-8")
    # The export imports back: the same expression adds no version.
    code, out, _ = run_cli(
        "targeting", "profiles", "import", str(exported), "--owner", "ana", "--json"
    )
    assert json.loads(out)["imported"][0]["created"] is False
    code, out, _ = run_cli("targeting", "profiles", "show", "Tobacco from China", "--json")
    assert len(json.loads(out)["versions"]) == 1
    code, out, _ = run_cli("targeting", "backtest", "Tobacco from China", "--from", "2000-01-01")
    assert "hits: 2" in out
    code, _, err = run_cli("targeting", "backtest", "Tobacco from China", "--from", "yesterday")
    assert code == 1
    assert "YYYY-MM-DD" in err
    code, out, _ = run_cli("targeting", "hits", "--json")
    assert json.loads(out) == {"total": 0, "hits": []}


def test_a_file_that_is_not_yaml_is_refused(node: Engine, tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_bytes(b"name: [unclosed\n\xff")
    code, out, _ = run_cli("targeting", "profiles", "validate", str(broken), "--json")
    assert code == 1
    assert "file" in json.loads(out)["profiles"][0]["errors"]


def test_hits_filter_by_profile_and_status(node: Engine) -> None:
    with Session(node) as session, session.begin():
        analyst = Actor.of(create_user(session, Role.ANALYST, username="triager"))
        made = []
        for name, expression in (
            ("From China", 'departure_country == "CN"'),
            ("From Turkey", 'departure_country == "TR"'),
        ):
            profile = create_profile(
                session, analyst, {"name": name, "expression": expression, "score": "60"}
            )
            set_status(
                session, analyst, profile.id, "active", expected_version=profile.version,
                confirm=True,
            )  # fmt: skip
            made.append(profile)
        investigator = Actor.of(create_user(session, Role.INVESTIGATOR, username="irina"))
        for departure in ("CN", "CN", "TR"):
            record_seizure(session, investigator, seizure_data(departure_country=departure))
        china = session.scalars(select(Hit).where(Hit.profile_id == made[0].id)).all()
        assert len(china) == 2
        decide_hit(session, analyst, china[0].id, "dismissed", "Known trader")
        dismissed_id = str(china[0].id)
    code, out, _ = run_cli("targeting", "hits", "--json")
    assert json.loads(out)["total"] == 3
    code, out, _ = run_cli("targeting", "hits", "--profile", "From China", "--json")
    assert code == 0
    assert {h["profile"] for h in json.loads(out)["hits"]} == {"From China"}
    assert json.loads(out)["total"] == 2
    code, out, _ = run_cli("targeting", "hits", "--status", "dismissed", "--json")
    [dismissed] = json.loads(out)["hits"]
    assert (dismissed["id"], dismissed["status"]) == (dismissed_id, "dismissed")
    code, out, _ = run_cli(
        "targeting", "hits", "--profile", "From Turkey", "--status", "new", "--json"
    )
    [turkey] = json.loads(out)["hits"]
    assert turkey["profile"] == "From Turkey"
    code, _, err = run_cli("targeting", "hits", "--profile", "Nowhere")
    assert code == 1
    assert "Nowhere" in err or "no profile" in err.lower()
