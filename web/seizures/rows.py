"""The rows of the seizure list, built in Python from Core rows (what the template writes).

The list used to load fifty `Seizure` entities with their items and have the template call
``url_for``, ``main_item``, code labels, formatters and two record macros per row; the same
cells are now worked out here, with each look-up done once per page (`web.rowcells`), and the
template only writes them. The HTML is the same, character for character.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from web.formatting import main_item
from web.rowcells import RowCells
from web.seizures import place_label


@dataclass(frozen=True, slots=True)
class MainGoods:
    """The main item of a listed seizure, as its cell shows it."""

    label: str
    quantity: str | None  # None: no quantity recorded (the cell then shows none)
    description: str | None
    others: Markup | None  # "and 2 other items"; None for a seizure of one item


@dataclass(frozen=True, slots=True)
class SeizureRow:
    """One row of the seizure list: every cell's text."""

    url: str
    reference: str
    provenance: Markup
    date: str
    place: str
    goods: MainGoods | None
    departure: str | None
    departure_title: str
    destination: str | None
    destination_title: str
    status: str
    handling: Markup
    updated: str


def _goods(cells: RowCells, items: Sequence[Any]) -> MainGoods | None:
    main = main_item(items)
    if main is None:
        return None
    others = len(items) - 1
    return MainGoods(
        label=cells.code("commodity_groups", main.commodity_group),
        quantity=None if main.quantity is None else cells.quantity(main.quantity, main.unit),
        description=main.description,
        others=cells.counted(
            cells.ngettext("and %(num)s other item", "and %(num)s other items", others), others
        )
        if others
        else None,
    )


def seizure_rows(rows: Sequence[Any], items: dict[uuid.UUID, list[Any]]) -> list[SeizureRow]:
    """The list rows of ``rows`` (`ncen.seizures.queries.LIST_COLUMNS`) with their ``items``
    (`ncen.seizures.queries.list_items`)."""
    cells = RowCells()
    prefix = cells.link_prefix("seizures.show", "seizure_id")
    shown = []
    for row in rows:
        shown.append(
            SeizureRow(
                url=prefix + str(row.id),
                reference=row.reference,
                provenance=cells.provenance(row.origin_node),
                date=cells.format_date(row.occurred_at),
                place=place_label(row.place, row.origin_node),
                goods=_goods(cells, items[row.id]),
                departure=row.departure_country,
                departure_title=cells.code("countries", row.departure_country),
                destination=row.destination_country,
                destination_title=cells.code("countries", row.destination_country),
                status=cells.enum("status", row.status),
                handling=cells.handling(row.handling_code),
                updated=cells.format_datetime(row.updated_at, "short"),
            )
        )
    return shown


@dataclass(frozen=True, slots=True)
class LinkedSeizureRow:
    """One row of a record page's table of linked seizures: every cell's text."""

    url: str
    reference: str
    date: str
    place: str
    status: str
    role: str


def linked_rows(links: Sequence[tuple[Any, str]], roles: str) -> list[LinkedSeizureRow]:
    """The rows of the ``linked_seizures`` macro (``seizures/_linked.html``) for ``links``,
    (seizure, role) pairs of `ncen.seizures.queries.linked_seizure_rows`; ``roles`` names the
    code list of the roles. Each look-up is done once per page."""
    cells = RowCells()
    prefix = cells.link_prefix("seizures.show", "seizure_id")
    return [
        LinkedSeizureRow(
            url=prefix + str(seizure.id),
            reference=seizure.reference,
            date=cells.format_date(seizure.occurred_at),
            place=place_label(seizure.place, seizure.origin_node),
            status=cells.enum("status", seizure.status),
            role=cells.code(roles, role),
        )
        for seizure, role in links
    ]
