"""The rows of the person list, built in Python from Core rows (what the template writes).

As for the seizure list (`web.seizures.rows`): the shown columns come as rows, the names,
nationalities and document numbers of the page in one statement each
(`ncen.persons.queries.list_collections`), and each look-up (URL, labels, badges) is done once
per page (`web.rowcells`); the template only writes the cells. Same HTML, character for
character.
"""

from __future__ import annotations

import functools
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from ncen.persons.queries import ListedPerson
from web.codes import request_locale
from web.labels import partial_date
from web.rowcells import RowCells

# Birth dates written, kept per process (Babel's date formatting is the costliest cell).
BORN_CACHE_SIZE = 8192


@functools.lru_cache(maxsize=BORN_CACHE_SIZE)
def _born(year: int | None, month: int | None, day: int | None, _locale: str) -> str:
    """`web.labels.partial_date`, remembered per date and request language (a miss runs in
    the request whose language is the key's, so a hit gives the very same text)."""
    return partial_date(year, month, day)


@dataclass(frozen=True, slots=True)
class PersonRow:
    """One row of the person list: every cell's text."""

    url: str
    name: str
    provenance: Markup
    handling: Markup | None  # None for H0 (the list shows no badge then)
    other_names: str
    gender: str
    born: str
    nationalities: list[tuple[str, str]]  # (code, label)
    documents: str
    updated: str


def person_rows(rows: Sequence[Any], listed: dict[uuid.UUID, ListedPerson]) -> list[PersonRow]:
    """The list rows of ``rows`` (`ncen.persons.queries.LIST_COLUMNS`) with their collections
    (`ncen.persons.queries.list_collections`)."""
    cells = RowCells()
    prefix = cells.link_prefix("persons.show", "person_id")
    locale = request_locale()
    shown = []
    for row in rows:
        person = listed[row.id]
        shown.append(
            PersonRow(
                url=prefix + str(row.id),
                name=person.display_name,
                provenance=cells.provenance(row.origin_node),
                handling=None
                if row.handling_code.value == "H0"
                else cells.handling(row.handling_code),
                other_names=", ".join(full_name for full_name, _kind in person.names[1:]),
                gender=cells.enum("gender", row.gender),
                born=_born(row.birth_year, row.birth_month, row.birth_day, locale),
                nationalities=[(c, cells.code("countries", c)) for c in person.nationalities],
                documents=", ".join(person.documents),
                updated=cells.format_datetime(row.updated_at, "short"),
            )
        )
    return shown
