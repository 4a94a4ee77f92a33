"""Hostile or damaged reference files (issue 12, item 17): a NUL byte, one invalid byte in a
UTF-8 file, an unclosed quote. Each is refused with the line (and, for encodings, the byte
offset) named; nothing is guessed and no row after the damage is taken silently."""

from __future__ import annotations

from pathlib import Path

import pytest

from ncen.reference.loaders import (
    ReferenceFileError,
    open_text,
    parse_hs_csv,
    parse_unlocode_csv,
)

ASSETS = Path(__file__).resolve().parent.parent / "assets" / "reference"
CYRILLIC = "Табак и промышленные заменители табака".encode()
LOCODE = ',"DE","HAM","Hamburg","Hamburg","HH","12345---","AI","0401",,"5333N 00958E",""\n'


def _load_hs(path: Path, **kwargs: str) -> list[str]:
    return [row.description for row in parse_hs_csv(open_text(path, **kwargs), source=path.name)]


def test_one_invalid_byte_in_a_utf8_file_is_reported_not_decoded_as_latin1(
    tmp_path: Path,
) -> None:
    path = tmp_path / "hs.csv"
    path.write_bytes(b"code,description\n2401," + CYRILLIC + b"\n2402,Cigars \xff here\n")
    with pytest.raises(ReferenceFileError) as caught:
        _load_hs(path)
    (problem,) = caught.value.problems
    assert problem.line == 3
    offset = path.read_bytes().index(b"\xff")
    assert f"byte {offset}" in problem.reason  # offset in the file, from 0
    assert "not valid UTF-8" in problem.reason
    assert "--encoding" in problem.reason


def test_an_explicit_encoding_reads_the_official_latin1_unlocode_file() -> None:
    path = ASSETS / "unlocode_sample.csv"
    with pytest.raises(ReferenceFileError):
        list(parse_unlocode_csv(open_text(path)))
    rows = {row.code: row for row in parse_unlocode_csv(open_text(path, encoding="latin-1"))}
    assert rows["SEGOT"].name == "Göteborg"


def test_unknown_encoding_names_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "hs.csv"
    path.write_bytes(b"code,description\n")
    with pytest.raises(ReferenceFileError) as caught:
        open_text(path, encoding="rot13")
    assert "unknown encoding" in str(caught.value)


def test_a_byte_order_mark_is_still_accepted(tmp_path: Path) -> None:
    path = tmp_path / "hs.csv"
    path.write_bytes(b"\xef\xbb\xbfcode,description\n2401," + CYRILLIC + b"\n")
    assert _load_hs(path) == [CYRILLIC.decode()]


@pytest.mark.parametrize("encoding", ["utf-8", "latin-1"])
def test_a_nul_byte_is_refused_with_its_line(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "hs.csv"
    path.write_bytes(b"code,description\n0101,Horses\n0102,Bovine\x00 animals\n")
    with pytest.raises(ReferenceFileError) as caught:
        _load_hs(path, encoding=encoding)
    assert [(p.line, "NUL" in p.reason) for p in caught.value.problems] == [(3, True)]


def test_a_nul_in_lines_given_directly_is_refused() -> None:
    lines = ["code,description\n", "0101,Hor\x00ses\n", "0102,Bovine\n"]
    with pytest.raises(ReferenceFileError) as caught:
        list(parse_hs_csv(lines))
    assert [p.line for p in caught.value.problems] == [2]
    with pytest.raises(ReferenceFileError) as caught:
        list(parse_unlocode_csv([LOCODE.replace("Hamburg", "Ham\x00burg", 1)]))
    assert "NUL" in caught.value.problems[0].reason


def test_an_unclosed_quote_at_the_end_is_reported() -> None:
    lines = ["code,description\n", "0101,Horses\n", '0102,"Bovine\n', "0103,Swine\n"]
    with pytest.raises(ReferenceFileError) as caught:
        list(parse_hs_csv(lines))
    (problem,) = caught.value.problems
    assert problem.line == 3
    assert "unclosed quote" in problem.reason


def test_an_unclosed_quote_does_not_swallow_the_rows_that_follow() -> None:
    rows = [f"01{n:02d},Row {n}\n" for n in range(10, 60)]
    lines = ["code,description\n", '0101,"Horses\n', *rows, '0199,"Other"\n']
    with pytest.raises(ReferenceFileError) as caught:
        list(parse_hs_csv(lines))
    assert caught.value.problems[0].line == 2
    assert "unclosed quote" in caught.value.problems[0].reason


def test_an_unclosed_quote_in_the_unlocode_file_is_reported() -> None:
    lines = [LOCODE, ',"DE","MUC","München,"Muenchen","BY","12345---","AI","0401",,"",""\n', LOCODE]
    with pytest.raises(ReferenceFileError) as caught:
        list(parse_unlocode_csv(lines))
    assert any("quote" in p.reason for p in caught.value.problems)


def test_a_quoted_cell_over_two_lines_is_still_one_row() -> None:
    lines = ["code,description\n", '0101,"Live horses,\n', 'asses"\n', "0102,Bovine\n"]
    assert [row.description for row in parse_hs_csv(lines)] == ["Live horses, asses", "Bovine"]
