"""``ncen import persons`` and ``ncen search``, run in-process against a committed database."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ncen.accounts.actor import Actor
from ncen.conveyances.services import create_conveyance
from ncen.persons.models import Person
from tests.cli_support import cli_database, run_cli

PERSONS = [
    {
        "names": [{"full_name": "Алиев Мухаммад"}],
        "gender": "M",
        "birth_year": 1984,
        "nationalities": ["UZ"],
        "documents": [{"doc_type": "passport", "number": "FA1234567"}],
    },
    {"names": [{"given_names": "Anna", "family_name": "Schmidt"}], "gender": "F"},
    {"names": [{"full_name": "Aliyeva Madina"}], "gender": "F", "birth_year": 1990},
]


@pytest.fixture
def node(empty_database, tmp_path, monkeypatch):
    engine = cli_database(empty_database, tmp_path, monkeypatch, "ncen_search_cli")
    yield engine
    engine.dispose()


def write_lines(path, rows) -> str:
    path.write_text(
        "\n".join(r if isinstance(r, str) else json.dumps(r, ensure_ascii=False) for r in rows)
        + "\n",
        encoding="utf-8",
    )
    return str(path)


def count_persons(engine) -> int:
    with Session(engine) as session:
        return session.execute(select(func.count()).select_from(Person)).scalar_one()


def test_import_then_search_persons_json(node, tmp_path):
    code, out, err = run_cli("import", "persons", write_lines(tmp_path / "p.jsonl", PERSONS))
    assert code == 0, err
    assert "imported 3 persons" in out
    assert count_persons(node) == 3

    code, out, err = run_cli("search", "persons", "Mohammed Aliyev", "--json")
    assert code == 0, err
    document = json.loads(out)
    assert document["type"] == "persons"
    top = document["results"][0]
    assert top["name"] == "Алиев Мухаммад"
    assert 0 < top["score"] <= 1
    assert "transliteration" in top["explanation"]["transformations"]
    assert top["explanation"]["summary"]
    # A qualifier moves the score and says so.
    code, out, _ = run_cli(
        "search", "persons", "Mohammed Aliyev", "--birth-year", "1984", "--nationality", "uz",
        "--json",
    )  # fmt: skip
    boosted = json.loads(out)["results"][0]
    assert boosted["id"] == top["id"]
    assert {q["qualifier"] for q in boosted["explanation"]["qualifiers"]} >= {"nationality"}


def test_search_persons_filters_and_strong_mark(node, tmp_path):
    run_cli("import", "persons", write_lines(tmp_path / "p.jsonl", PERSONS))
    code, out, err = run_cli("search", "persons", "Mukhammad Aliev", "--json")
    assert code == 0, err
    top = json.loads(out)["results"][0]
    assert top["name"] == "Алиев Мухаммад"
    assert top["strong"] is True
    code, out, _ = run_cli("search", "persons", "Mukhammad Aliev")
    assert "strong" in out.splitlines()[0]
    asked = ("search", "persons", "Mukhammad Aliev", "--json", "--birth-year")
    # As a filter, 1986 keeps the man born in 1984 (±2), 1987 does not; a wider tolerance does.
    assert json.loads(run_cli(*asked, "1986", "--birth-year-filter")[1])["count"] >= 1
    filtered = json.loads(run_cli(*asked, "1987", "--birth-year-filter")[1])["results"]
    assert "Алиев Мухаммад" not in {hit["name"] for hit in filtered}
    wider = run_cli(*asked, "1987", "--birth-year-filter", "--tolerance", "3")[1]
    assert "Алиев Мухаммад" in {hit["name"] for hit in json.loads(wider)["results"]}
    # As a qualifier, 1960 keeps him, below the strong threshold.
    qualified = json.loads(run_cli(*asked, "1960")[1])["results"]
    him = next(hit for hit in qualified if hit["name"] == "Алиев Мухаммад")
    assert him["strong"] is False
    # Anna Schmidt has no birth year nor nationality: filters drop her unless asked.
    anna = ("search", "persons", "Anna Schmidt", "--json", "--nationality", "DE")
    assert json.loads(run_cli(*anna, "--nationality-filter")[1])["count"] == 0
    kept = run_cli(*anna, "--nationality-filter", "--include-unknown")[1]
    assert json.loads(kept)["results"][0]["name"] == "Anna Schmidt"


@pytest.mark.parametrize(
    "extra",
    [
        ("--birth-year-filter",),
        ("--birth-year", "1984", "--birth-year-filter", "--tolerance", "11"),
        ("--nationality", "ZZ"),
    ],
)
def test_search_persons_bad_filters_are_refused(node, extra):
    code, out, err = run_cli("search", "persons", "Mukhammad Aliev", *extra)
    assert code != 0
    assert "Traceback" not in out + err
    assert ("birth_year" in err) or ("nationality" in err) or ("tolerance" in err)


def test_search_persons_text_output_and_switches(node, tmp_path):
    run_cli("import", "persons", write_lines(tmp_path / "p.jsonl", PERSONS))
    code, out, _ = run_cli("search", "persons", "Anna Schmidt", "--limit", "1")
    assert code == 0
    assert "1. " in out
    assert "Anna Schmidt" in out
    # Without transliteration a Latin query finds no Cyrillic name.
    code, out, _ = run_cli("search", "persons", "Mukhammad Aliev", "--no-transliteration", "--json")
    assert code == 0
    assert all(r["name"] != "Алиев Мухаммад" for r in json.loads(out)["results"])


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("persons", "a"), "error: name:"),
        (("persons", "   "), "error: name:"),
        (("persons", "x" * 10_000), "error: name:"),
        (("persons", "Anna", "--nationality", "Kazakhstan"), "error: nationality:"),
        (("conveyances", "ab"), "error: identifier:"),
    ],
)
def test_search_refuses_bad_input_cleanly(node, args, message):
    code, _, err = run_cli("search", *args)
    assert code == 1
    assert message in err


def test_search_companies_and_conveyances(node):
    with Session(node) as session, session.begin():
        create_conveyance(
            session,
            Actor.system("test"),
            {"kind": "vessel", "name": "Caspian Star",
             "identifiers": [{"kind": "imo", "value": "9074729"}]},
        )  # fmt: skip
    code, out, err = run_cli("search", "conveyances", "IMO 9074729", "--json")
    assert code == 0, err
    results = json.loads(out)["results"]
    assert [r["name"] for r in results] == ["Caspian Star"]
    assert results[0]["explanation"]["match"] == "exact"
    code, out, err = run_cli("search", "companies", "Nobody Trading LLC", "--json")
    assert code == 0, err
    assert json.loads(out)["results"] == []


def test_import_is_all_or_nothing_and_reports_every_bad_line(node, tmp_path):
    rows = [
        PERSONS[0],
        {"names": [{"kind": "alias"}], "gender": "Q"},
        "{not json",
        "[1, 2]",
        "",
        {"names": [{"full_name": "Ok Person"}], "nationalities": ["ZZ"]},
    ]
    code, _, err = run_cli("import", "persons", write_lines(tmp_path / "bad.jsonl", rows))
    assert code == 1
    assert "line 2: names.0.full_name:" in err
    assert "line 2: gender:" in err
    assert "line 3: line: is not valid JSON" in err
    assert "line 4: line: must be a JSON object" in err
    assert "line 6: nationalities" in err
    assert "line 1:" not in err
    assert "nothing imported" in err
    assert count_persons(node) == 0


def test_import_refuses_invalid_utf8(node, tmp_path):
    path = tmp_path / "latin1.jsonl"
    path.write_bytes(b'{"names": [{"full_name": "M\xfcller"}]}\n')
    code, _, err = run_cli("import", "persons", str(path))
    assert code == 1
    assert "line 1: line: is not valid UTF-8" in err


def test_import_reports_hostile_numbers_strings_and_nesting_per_line(node, tmp_path):
    """Issue 12, item 16: each of these used to crash the import with a traceback (or, for
    1990.5, be cut to 1990 silently); now each is a numbered line error and nothing is kept."""
    name = '"names": [{"full_name": "Anna Schmidt"}]'
    rows = [
        "{" + name + ', "birth_year": 1e999}',
        "{" + name + ', "birth_year": -Infinity}',
        "{" + name + ', "birth_year": NaN}',
        '{"names": [{"full_name": "Anna \\ud800 Schmidt"}]}',
        '{"names": ' + "[" * 50_000 + "]" * 50_000 + "}",
        '{"names": ' + "[" * 40 + '"deep"' + "]" * 40 + "}",  # parses, but too deep
        "{" + name + ', "birth_year": 1990.5}',
        "{" + name + ', "birth_year": 1990.0}',
        '{"\\udfff": 1, ' + name + "}",
    ]
    code, out, err = run_cli("import", "persons", write_lines(tmp_path / "hostile.jsonl", rows))
    assert code == 1, out
    assert "Traceback" not in err
    assert "line 1: line: number 1e999 is out of range" in err
    assert "line 2: line: -Infinity is not a number" in err
    assert "line 3: line: NaN is not a number" in err
    assert "line 4: line: contains an invalid character (U+D800" in err
    assert "line 5: line: is nested too deeply" in err
    assert "line 6: line: is nested too deeply" in err
    assert "line 7: birth_year: must be a whole number" in err
    assert "line 8:" not in err  # 1990.0 is a whole number
    assert "line 9: line: contains an invalid character (U+DFFF" in err
    assert "8 bad line(s), nothing imported" in err
    assert count_persons(node) == 0


def test_import_accepts_a_byte_order_mark(node, tmp_path):
    path = tmp_path / "bom.jsonl"
    path.write_bytes(
        b"\xef\xbb\xbf" + json.dumps(PERSONS[1]).encode() + b"\n" + json.dumps(PERSONS[2]).encode()
    )
    code, out, err = run_cli("import", "persons", str(path))
    assert code == 0, err
    assert "imported 2 persons" in out
    assert count_persons(node) == 2
