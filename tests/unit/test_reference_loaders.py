"""The streaming HS and UN/LOCODE parsers: layouts, encodings, and every bad row reported."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TypeVar

import pytest

from ncen.errors import NcenError
from ncen.reference.loaders import (
    HsRow,
    LocodeRow,
    Problem,
    ReferenceFileError,
    open_text,
    parse_hs_csv,
    parse_unlocode_csv,
)

ASSETS = Path(__file__).resolve().parent.parent / "assets" / "reference"
SAMPLE = ASSETS / "unlocode_sample.csv"  # the official layout and encoding (ISO-8859-1)

T = TypeVar("T")


def drain(rows: Iterator[T]) -> tuple[list[T], list[Problem]]:
    """Collect the good rows a parser yields and the problems it raises at the end."""
    good: list[T] = []
    try:
        for row in rows:
            good.append(row)
    except ReferenceFileError as error:
        return good, error.problems
    return good, []


# --- open_text -------------------------------------------------------------------------------


def test_utf8_file_is_read_as_utf8() -> None:
    path = ASSETS / "hs_sample.csv"
    assert any("Maté" in line for line in open_text(path))


def test_official_unlocode_file_is_latin1() -> None:
    path = ASSETS / "unlocode_sample.csv"
    assert b"G\xf6teborg" in path.read_bytes()  # the official ISO-8859-1 spelling
    assert any("Göteborg" in line for line in open_text(path, "latin-1"))


def test_utf8_byte_order_mark_is_dropped(tmp_path: Path) -> None:
    path = tmp_path / "bom.csv"
    path.write_bytes(b"\xef\xbb\xbfcode,description\n0903,Mat\xc3\xa9\n")
    assert list(parse_hs_csv(open_text(path))) == [HsRow("0903", "Maté")]


def test_line_endings_are_kept_for_csv(tmp_path: Path) -> None:
    path = tmp_path / "crlf.csv"
    path.write_bytes(b"a\r\nb\r\n")
    assert list(open_text(path)) == ["a\r\n", "b\r\n"]


def test_missing_file_fails_when_opened(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        open_text(tmp_path / "absent.csv")


# --- HS --------------------------------------------------------------------------------------


def test_hs_sample_yields_headings_and_subheadings_as_digits() -> None:
    rows = list(parse_hs_csv(open_text(ASSETS / "hs_sample.csv")))
    assert [row.code for row in rows] == [
        "0101",
        "010121",
        "010129",
        "010130",
        "0901",
        "090111",
        "0903",
        "970121",
    ]
    assert rows[0] == HsRow("0101", "Live horses, asses, mules and hinnies")
    assert rows[1].description == "- - Pure-bred breeding animals"
    assert rows[1].chapter == "01"
    assert rows[6].description == "Maté"


def test_hs_file_in_latin1_is_read_when_named(tmp_path: Path) -> None:
    path = tmp_path / "hs_latin1.csv"
    path.write_bytes("code,description\n0903,Maté\n".encode("latin-1"))
    assert list(parse_hs_csv(open_text(path, "latin-1"))) == [HsRow("0903", "Maté")]


@pytest.mark.parametrize(
    "header",
    [
        "code,description",
        "hscode,description",
        "HS Code,Description",
        "hs_code,text",
        "HSCode,Text",
    ],
)
def test_hs_header_variants_are_accepted(header: str) -> None:
    rows = list(parse_hs_csv([header + "\n", "0101.21,Pure-bred\n"]))
    assert rows == [HsRow("010121", "Pure-bred")]


def test_hs_extra_columns_and_any_column_order() -> None:
    # The layout of the public datasets/harmonized-system export.
    lines = [
        "section,hscode,description,parent,level\n",
        "I,01,Animals; live,TOTAL,2\n",
        'I,0101,"Horses, asses, mules and hinnies; live",01,4\n',
        "I,010121,Horses; live pure-bred breeding animals,0101,6\n",
    ]
    assert [row.code for row in parse_hs_csv(lines)] == ["0101", "010121"]


def test_hs_semicolon_file_from_a_spreadsheet() -> None:
    lines = ["HS Code;Description\n", "0101.21;Pure-bred, breeding\n"]
    assert list(parse_hs_csv(lines)) == [HsRow("010121", "Pure-bred, breeding")]


def test_hs_comtrade_text_loses_its_code_prefix() -> None:
    lines = ["hscode,text\n", '010121,"010121 - Horses; live, pure-bred breeding animals"\n']
    assert list(parse_hs_csv(lines)) == [
        HsRow("010121", "Horses; live, pure-bred breeding animals")
    ]


def test_hs_bad_rows_are_all_reported_after_the_good_rows() -> None:
    good, problems = drain(parse_hs_csv(open_text(ASSETS / "hs_bad.csv")))
    assert good == [
        HsRow("0101", "Live horses, asses, mules and hinnies"),
        HsRow("010130", "A description spanning two lines"),
        HsRow("0102", "Live bovine animals"),
    ]
    assert [problem.line for problem in problems] == [3, 4, 5, 6, 7, 8, 12]
    reasons = [problem.reason for problem in problems]
    assert "leading zero" in reasons[0]
    assert "no description" in reasons[1]
    assert "not in an HS chapter" in reasons[2]  # chapter 77 is reserved
    assert "not in an HS chapter" in reasons[3]  # chapter 99 is national, not HS
    assert "not digits" in reasons[4]
    assert "repeats line 2" in reasons[5]
    assert "columns" in reasons[6]


def test_hs_error_names_the_file_and_every_line() -> None:
    with pytest.raises(ReferenceFileError) as caught:
        list(parse_hs_csv(open_text(ASSETS / "hs_bad.csv"), source="hs_bad.csv"))
    error = caught.value
    assert isinstance(error, NcenError)
    assert error.source == "hs_bad.csv"
    assert str(error).startswith("hs_bad.csv: 7 bad row(s): line 3: ")
    assert "line 12: " in str(error)


def test_hs_long_problem_lists_are_shortened_in_the_message_only() -> None:
    lines = ["code,description\n"] + [f"{n:03d},x\n" for n in range(100, 130)]
    with pytest.raises(ReferenceFileError) as caught:
        list(parse_hs_csv(lines))
    assert len(caught.value.problems) == 30
    assert str(caught.value).endswith("; and 10 more")


@pytest.mark.parametrize(
    "lines",
    [
        [],
        ["\n", "  \n"],
        ["number,label\n", "0101,Horses\n"],
        ["id,text\n", "0101,Horses\n"],  # Comtrade's "id" is not taken for a code column
        ["0101,Horses\n"],
    ],
)
def test_hs_file_without_header_fails_before_any_row(lines: list[str]) -> None:
    with pytest.raises(ReferenceFileError) as caught:
        next(parse_hs_csv(lines))
    assert len(caught.value.problems) == 1


def test_hs_parser_streams() -> None:
    def endless() -> Iterator[str]:
        yield "code,description\n"
        n = 0
        while True:
            n += 1
            yield f"01{n % 100:02d}{n // 100 % 100:02d},Row {n}\n"

    rows = parse_hs_csv(endless())
    assert next(rows).code == "010100"
    assert next(rows).code == "010200"


# --- UN/LOCODE -------------------------------------------------------------------------------


def test_unlocode_sample_yields_locations_only() -> None:
    rows = list(parse_unlocode_csv(open_text(ASSETS / "unlocode_sample.csv", "latin-1")))
    # No country headers (".GERMANY"), no "=" reference entry, no row marked X for removal.
    assert [row.code for row in rows] == ["DEHAM", "DEMUC", "DEZZW", "SEGOT", "SEMMA"]
    assert rows[0] == LocodeRow(
        code="DEHAM",
        name="Hamburg",
        name_ascii="Hamburg",
        subdivision="HH",
        function="12345---",
        coordinates="5333N 00958E",
    )
    assert rows[0].country == "DE"


def test_unlocode_diacritics_from_latin1() -> None:
    rows = {
        row.code: row
        for row in parse_unlocode_csv(open_text(ASSETS / "unlocode_sample.csv", "latin-1"))
    }
    assert rows["SEGOT"].name == "Göteborg"
    assert rows["SEGOT"].name_ascii == "Goteborg"
    assert rows["SEGOT"].subdivision == "O"
    assert rows["DEMUC"].name == "München"


def test_unlocode_empty_fields_become_none() -> None:
    rows = {
        row.code: row
        for row in parse_unlocode_csv(open_text(ASSETS / "unlocode_sample.csv", "latin-1"))
    }
    assert rows["DEZZW"].subdivision is None
    assert rows["DEZZW"].coordinates is None
    assert rows["DEZZW"].function == "--3-----"


def test_unlocode_same_file_in_utf8(tmp_path: Path) -> None:
    path = tmp_path / "utf8.csv"
    text = (ASSETS / "unlocode_sample.csv").read_bytes().decode("latin-1")
    path.write_bytes(text.encode("utf-8"))
    names = [row.name for row in parse_unlocode_csv(open_text(path))]
    assert "Göteborg" in names


def test_unlocode_status_before_function_is_understood() -> None:
    lines = [',"DE","HAM","Hamburg","Hamburg","HH","AI","12345---","0401",,"5333N 00958E",""\n']
    (row,) = parse_unlocode_csv(lines)
    assert row.function == "12345---"


def test_unlocode_without_remarks_column_and_empty_names() -> None:
    lines = [',"DE","HAM","Hamburg","","HH","12345---","AI","0401",,""\n']
    (row,) = parse_unlocode_csv(lines)
    assert row.name_ascii == "Hamburg"
    assert row.coordinates is None


def test_unlocode_bad_rows_are_all_reported() -> None:
    good, problems = drain(parse_unlocode_csv(open_text(ASSETS / "unlocode_bad.csv")))
    assert [row.code for row in good] == ["DEHAM", "FRNCE"]
    assert [(problem.line, problem.reason.split(":")[0]) for problem in problems] == [
        (3, "DEHA1"),
        (4, "DXYZ"),
        (5, "DEBER"),
        (6, "DEHAM repeats line 2"),
        (7, "FRPAR"),
        (8, "expected 12 columns, found 4"),
    ]
    assert "location 'HA1'" in problems[0].reason
    assert "country 'D'" in problems[1].reason
    assert "name is empty" in problems[2].reason
    assert "coordinates" in problems[4].reason


def test_unlocode_line_numbers_count_physical_lines() -> None:
    lines = [
        ',"DE","AAA","A","A",,"1-------","AI","0001",,,"a remark\n',
        'on two lines"\n',
        "\n",
        ',"DE","aaa","B","B",,"1-------","AI","0001",,,""\n',
    ]
    good, problems = drain(parse_unlocode_csv(lines))
    assert [row.code for row in good] == ["DEAAA"]
    assert problems == [Problem(4, "DEaaa: location 'aaa' is not three of A-Z and 2-9")]


def test_unreadable_csv_stops_with_a_problem() -> None:
    huge = "x" * 200_000  # beyond the csv module's field size limit
    lines = [
        ',"DE","HAM","Hamburg","Hamburg","HH","12345---","AI","0401",,"5333N 00958E",""\n',
        f',"DE","BIG","{huge}","x",,"1-------","AI","0001",,,""\n',
        ',"DE","MUC","Munich","Munich","BY","1234----","AI","0001",,,""\n',
    ]
    good, problems = drain(parse_unlocode_csv(lines))
    assert [row.code for row in good] == ["DEHAM"]
    assert len(problems) == 1
    assert problems[0].line == 2
    assert "unreadable CSV" in problems[0].reason


def test_unlocode_short_country_header_and_removed_rows_are_skipped() -> None:
    lines = [',"DE",,".GERMANY"\n', 'X,"DE","OLD","Altort"\n']
    assert list(parse_unlocode_csv(lines)) == []
