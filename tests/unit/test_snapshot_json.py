"""Snapshot values as plain JSON (`ncen.recordkeeping.jsonable`), each type's conversion
chosen once and reused: enums by value (before their str/int base), ids, decimals and dates
as strings, containers recursively, other values unchanged."""

from __future__ import annotations

import datetime as dt
import enum
import uuid
from collections import OrderedDict
from decimal import Decimal

from ncen.recordkeeping import jsonable, jsonable_dict


class _Colour(enum.StrEnum):
    RED = "red"


class _Grade(enum.IntEnum):
    TWO = 2


class _Text(str):
    """A str subclass that is no enum: left as it is."""


def test_every_value_type_is_converted_as_before_and_again_the_same() -> None:
    record_id = uuid.UUID(int=7)
    value = {
        "colour": _Colour.RED,
        "grade": _Grade.TWO,
        "id": record_id,
        "amount": Decimal("1.50"),
        "day": dt.date(2020, 1, 2),
        "moment": dt.datetime(2020, 1, 2, 3, 4, tzinfo=dt.UTC),
        "pair": (1, "a"),
        "nested": OrderedDict([(1, [_Colour.RED, None, True, 1.5])]),
        "text": _Text("as is"),
    }
    expected = {
        "colour": "red",
        "grade": 2,
        "id": str(record_id),
        "amount": "1.50",
        "day": "2020-01-02",
        "moment": "2020-01-02T03:04:00+00:00",
        "pair": [1, "a"],
        "nested": {"1": ["red", None, True, 1.5]},
        "text": "as is",
    }
    first = jsonable_dict(value)
    assert first == expected
    assert type(first["colour"]) is str
    assert type(first["grade"]) is int
    assert jsonable_dict(value) == first  # the cached conversions give the same
    assert jsonable(None) is None
