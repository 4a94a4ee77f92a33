"""Spreadsheet files for the import tests, generated here (no binary blobs in the repository).

`awkward_csv` writes the seizure sheet of a legacy system the way such systems really do:
Windows-1251 (or any encoding), semicolons, a title row above the header, empty trailing
columns, decimal commas, day-first dates with two-digit years, a field spanning lines, and
rows that are wrong in the ways `BAD_ROWS` names. `xlsx_bytes` writes a minimal but valid
XLSX workbook (inline strings and numbers) with the standard library's zipfile.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence
from xml.sax.saxutils import escape

HEADER = [
    "Case No",
    "Date",
    "Mode",
    "Goods",
    "Qty",
    "Offender",
    "Passport",
    "Nationality",
    "Born",
    "Company",
    "Reg No",
    "Truck plate",
    "Notes",
]

GOOD_ROWS = [
    [
        "A-1",
        "03.02.21",
        "Automobile",
        "Heroin",
        "1 234,5",
        "Иван Петров",
        "P1234567",
        "RU",
        "15.06.1980",
        "ООО Ромашка",
        "77-111",
        "A123BC",
        "Found in\nthe spare tyre",
    ],
    [
        "A-2",
        "25/12/2022",
        "Truck",
        "Cigarettes",
        "12000",
        "Ivan Petrov",
        "P1234567",
        "RU",
        "15.06.1980",
        "",
        "",
        "A123BC",
        "Same courier",
    ],
    [
        "A-3",
        "2023-01-05",
        "Automobile",
        "Heroin",
        "0,75",
        "Anna Smith",
        "",
        "GB; IE",
        "",
        "",
        "",
        "",
        "x" * 10_000,
    ],
]
# Each bad row, and the column the report must blame.
BAD_ROWS = [
    (["A-4", "01.01.1900", "Automobile", "Heroin", "1", "Bob", "", "", "", "", "", "", ""], "Date"),
    (["A-5", "01.01.2099", "Automobile", "Heroin", "1", "Bob", "", "", "", "", "", "", ""], "Date"),
    (
        ["A-6", "03.02.21", "Automobile", "Unobtainium", "1", "Bob", "", "", "", "", "", "", ""],
        "Goods",
    ),
    (["A-7", "03.02.21", "Automobile", "Heroin", "lots", "Bob", "", "", "", "", "", "", ""], "Qty"),
]

MAPPING = """
record: seizure
source: legacy-cases
dates: {formats: ["%d.%m.%y", "%d.%m.%Y", "%d/%m/%Y"], day_first: true}
numbers: {decimal: ",", thousands: " "}
seizure:
  id: Case No
  fields:
    occurred_at: Date
    transport_mode: {column: Mode, codes: {Automobile: road, Truck: road}}
    narrative: Notes
    source_reliability: {value: B}
  items:
    - commodity_group: {column: Goods, codes: {Heroin: drugs, Cigarettes: tobacco}}
      quantity: Qty
      unit: {value: kg}
persons:
  - role: offender
    fields:
      full_name: Offender
      document_number: Passport
      nationalities: {column: Nationality, split: ";"}
      birth_date: Born
companies:
  - role: importer
    fields:
      name: Company
      registration_number: Reg No
conveyances:
  - role: means_of_transport
    fields:
      kind: {value: vehicle}
      plate: Truck plate
"""


def csv_text(rows: Sequence[Sequence[str]], sep: str = ";", title: bool = True) -> str:
    """The rows as CSV text with ``sep``, quoted where needed, with a title row above the
    header and two empty trailing columns, and mixed line ends."""

    def cell(value: str) -> str:
        if any(ch in value for ch in (sep, '"', "\n", "\r")):
            return '"' + value.replace('"', '""') + '"'
        return value

    lines = ["Seizures exported from LEGACY v2" + sep * 2] if title else []
    lines.append(sep.join(HEADER) + sep + sep)
    lines += [sep.join(cell(v) for v in row) + sep + sep for row in rows]
    # Mixed line endings, as files edited on two systems have.
    return "".join(line + ("\r\n" if i % 2 else "\n") for i, line in enumerate(lines))


def awkward_csv(encoding: str = "cp1251", bad: bool = True, duplicate: bool = True) -> bytes:
    """The good rows (one duplicated), then the bad rows, encoded as ``encoding``."""
    rows = [
        *GOOD_ROWS,
        *([GOOD_ROWS[0]] if duplicate else []),
        *([r for r, _ in BAD_ROWS] if bad else []),
    ]
    return csv_text(rows).encode(encoding)


def xlsx_bytes(rows: Sequence[Sequence[object]]) -> bytes:
    """A one-sheet XLSX workbook of ``rows`` (str cells inline, int/float cells numeric)."""
    sheet_rows = []
    for r, row in enumerate(rows, 1):
        cells = []
        for c, value in enumerate(row):
            ref = f"{_column(c)}{r}"
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                cells.append(f'<c r="{ref}"><v>{value}</v></c>')
            else:
                text = escape(str(value))
                cells.append(
                    f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{text}</t></is></c>'
                )
        sheet_rows.append(f'<row r="{r}">{"".join(cells)}</row>')
    sheet = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f"<sheetData>{''.join(sheet_rows)}</sheetData></worksheet>"
    )
    main = "application/vnd.openxmlformats-officedocument.spreadsheetml"
    rels = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    package = "http://schemas.openxmlformats.org/package/2006"
    parts = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            f'<Types xmlns="{package}/content-types">'
            '<Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" '
            f'ContentType="{main}.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" '
            f'ContentType="{main}.worksheet+xml"/>'
            "</Types>"
        ),
        "_rels/.rels": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            f'<Relationships xmlns="{package}/relationships">'
            f'<Relationship Id="rId1" Type="{rels}/officeDocument" Target="xl/workbook.xml"/>'
            "</Relationships>"
        ),
        "xl/workbook.xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            f'<Relationships xmlns="{package}/relationships">'
            f'<Relationship Id="rId1" Type="{rels}/worksheet" Target="worksheets/sheet1.xml"/>'
            "</Relationships>"
        ),
        "xl/worksheets/sheet1.xml": sheet,
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return out.getvalue()


def _column(index: int) -> str:
    name = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(65 + rest) + name
    return name
