"""Turning forms with repeated rows into service data, and records back into form data.

Services take plain mappings with lists of row mappings (``names``, ``items``...). Values go as
typed (the services check them); rows left blank are not sent, and `Payload.positions` keeps,
for each list, the form row of every row sent, so that the service's ``names.<n>`` messages
are shown on the right row (`web.fielderrors.place_errors`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import Enum
from typing import Any

from wtforms import Form


@dataclass
class Payload:
    """What a form sends to a service, and where each sent row came from in the form."""

    data: dict[str, Any]
    positions: dict[str, list[int]] = field(default_factory=dict)


def rows_payload(
    form: Form, rows: Mapping[str, tuple[str, ...]], defaulted: tuple[str, ...] = ()
) -> Payload:
    """The lists ``rows`` (list name → column names) of ``form`` as service data.

    A row is sent if any column other than the ``defaulted`` ones (selects that always hold a
    value, such as the kind of a name) was filled.
    """
    payload = Payload(data={})
    for name, columns in rows.items():
        sent: list[dict[str, Any]] = []
        positions: list[int] = []
        for index, entry in enumerate(form[name]):
            values = {column: entry[column].data or "" for column in columns}
            if any(str(values[c]).strip() for c in columns if c not in defaulted):
                sent.append(values)
                positions.append(index)
        payload.data[name] = sent
        payload.positions[name] = positions
    return payload


def text_of(value: Any) -> str:
    """A stored value as a form shows it ("" for none, enums by value, plain decimals)."""
    if value is None:
        return ""
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)
