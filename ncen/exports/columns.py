"""The shape of an export's table: `Column`, `Table`, the values of cells, and the columns
every record type ends with (handling code, provenance, version).

A column whose values are codes names its code list (``code_list``, a reference table such as
``countries``) or its enumeration (``enum``, a kind of `web.labels.enum_label`): writers then
give two columns, ``<name>_code`` with the code and ``<name>`` with its label in the reader's
language (the CSV rule of `web.csvexport`). A multi-valued column (``multi``) holds a tuple;
writers join its codes with a space and its labels with ``"; "``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from ncen.records import RecordMixin

Value = str | int | Decimal | date | datetime | tuple[str, ...] | None


@dataclass(frozen=True)
class Column:
    """One column: its field name and, for coded values, where their labels come from."""

    name: str
    code_list: str | None = None  # a reference table (countries, transport_modes...)
    enum: str | None = None  # an enumeration kind (status, handling, gender...)
    multi: bool = False  # several codes in one cell (a tuple)

    @property
    def coded(self) -> bool:
        """True when the column holds codes (written as a code and a label column)."""
        return self.code_list is not None or self.enum is not None


@dataclass
class Table:
    """Rows of one record type, ready for a writer (a list, or a stream read once)."""

    record_type: str
    columns: list[Column]
    rows: Iterable[list[Value]] = field(default_factory=list)


def common_tail() -> list[Column]:
    """The columns every record type ends with."""
    return [
        Column("handling_code", enum="handling"),
        Column("handling_restrictions"),
        Column("origin_node"),
        Column("origin_id"),
        Column("version"),
        Column("updated_at"),
    ]


def tail(record: RecordMixin) -> list[Value]:
    """The values of `common_tail` for ``record``."""
    return [
        record.handling_code.value,
        record.handling_restrictions,
        record.origin_node,
        record.origin_id,
        record.version,
        record.updated_at,
    ]
