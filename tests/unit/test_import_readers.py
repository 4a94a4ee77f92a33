"""Reading awkward and hostile spreadsheet files (`ncen.imports.readers`), generated here."""

from __future__ import annotations

import io
import tracemalloc
import zipfile

import pytest

from ncen.imports.readers import Limits, UnreadableFileError, read_table
from tests.import_support import GOOD_ROWS, HEADER, csv_text, xlsx_bytes


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1251", "utf-16"])
@pytest.mark.parametrize("sep", [";", "\t", ","])
def test_encodings_and_separators(encoding: str, sep: str) -> None:
    table = read_table(csv_text(GOOD_ROWS, sep).encode(encoding), "cases.csv")
    assert table.header == tuple(HEADER)
    assert table.delimiter == sep
    assert table.rows[0].cells[5] == "Иван Петров"
    assert table.rows[0].cells[12] == "Found in\nthe spare tyre"  # a field over two lines
    assert table.rows[2].cells[12] == "x" * 10_000
    assert table.header_row == 2  # the title row was skipped
    assert [r.number for r in table.rows] == [3, 4, 5]


def test_empty_trailing_columns_and_rows_are_dropped() -> None:
    text = "a,b,,\r\n1,2,,\r\n,,,\r\n3,4,,\r\n"
    table = read_table(text.encode(), "x.csv")
    assert table.header == ("a", "b")
    assert [r.cells for r in table.rows] == [("1", "2"), ("3", "4")]


def test_invalid_bytes_in_utf8_are_read_as_a_legacy_encoding_or_refused() -> None:
    with pytest.raises(UnreadableFileError, match="binary"):
        read_table(b"a,b\n\x00\x00\xff\xfe\n", "x.csv")


def test_broken_quoting_names_the_line() -> None:
    with pytest.raises(UnreadableFileError, match="line"):
        read_table(b'a,b\n1,"2\n3,4\n', "x.csv")


def test_enormous_cell_is_refused() -> None:
    data = b"a,b\n1," + b"x" * 200_001 + b"\n"
    with pytest.raises(UnreadableFileError, match="longer than"):
        read_table(data, "x.csv", Limits(max_cell=100_000))


def test_a_million_empty_rows_stop_early_in_bounded_memory() -> None:
    data = b"a,b\n1,2\n" + b",\n" * 1_000_000 + b"3,4\n"
    tracemalloc.start()
    table = read_table(data, "x.csv", Limits(max_empty_run=1000))
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert [r.cells for r in table.rows] == [("1", "2")]
    assert any("empty rows" in note for note in table.notes)
    assert peak < 200_000_000


def test_too_many_rows_is_refused() -> None:
    data = b"a\n" + b"1\n" * 50
    with pytest.raises(UnreadableFileError, match="more than 10 rows"):
        read_table(data, "x.csv", Limits(max_rows=10))


def test_too_large_file_is_refused() -> None:
    with pytest.raises(UnreadableFileError, match="larger than"):
        read_table(b"a\n" * 1000, "x.csv", Limits(max_bytes=1000))


def test_xlsx_is_read() -> None:
    data = xlsx_bytes([["Title"], ["ID", "Name", "Born"], [1, "Олег", 29221], [2.5, "B", ""]])
    table = read_table(data, "people.xlsx")
    assert table.header == ("ID", "Name", "Born")
    assert table.rows[0].cells == ("1", "Олег", "29221")
    assert table.rows[1].cells[0] == "2.5"


def test_zip_bomb_is_refused_before_inflating() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"<" + b" " * 50_000_000 + b">")
    with pytest.raises(UnreadableFileError, match="ZIP bomb"):
        read_table(out.getvalue(), "bomb.xlsx")


def test_a_zip_that_is_not_a_workbook_is_refused() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("readme.txt", "hello")
    with pytest.raises(UnreadableFileError, match="not an XLSX"):
        read_table(out.getvalue(), "x.xlsx")


def test_legacy_xls_is_refused_with_advice() -> None:
    with pytest.raises(UnreadableFileError, match="save the sheet as XLSX"):
        read_table(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "old.xls")


def test_a_row_wider_than_the_header_is_marked_not_fatal() -> None:
    table = read_table(b"a,b\n1,2\n1,2,3\n4,5\n", "x.csv")
    assert [r.problem is None for r in table.rows] == [True, False, True]
    assert "more cells than the header" in str(table.rows[1].problem)
