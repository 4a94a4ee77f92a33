"""Checks of a profile that need the database: reference codes and lookup list names.

`validate_expression` parses the text (`ncen.targeting.language`), then checks that every code
of a reference-table field exists there and every ``lookup("name")`` names a list of the kind
the field holds; the first error raises `ExpressionError` at the criterion's place.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ncen.reference import models as reference
from ncen.targeting.ast import Node, criteria
from ncen.targeting.fields import FIELDS
from ncen.targeting.language import ExpressionError, parse_profile
from ncen.targeting.models import LookupList

_TABLES: dict[str, type[reference.CodeMixin]] = {
    "commodity_groups": reference.CommodityGroup,
    "countries": reference.Country,
    "customs_offices": reference.CustomsOffice,
    "transport_modes": reference.TransportMode,
    "concealment_methods": reference.ConcealmentMethod,
    "detection_methods": reference.DetectionMethod,
    "person_roles": reference.PersonRole,
}


def validate_expression(session: Session, text: str) -> Node:
    """The checked tree of ``text``. Raises `ExpressionError` (with line and column)."""
    tree = parse_profile(text)
    wanted: dict[str, set[str]] = {}
    for c in criteria(tree):
        source = FIELDS[c.field].codes
        if source.startswith("table:") and c.op in ("eq", "ne", "in"):
            values = c.value if isinstance(c.value, tuple) else (c.value,)
            wanted.setdefault(source[6:], set()).update(str(v) for v in values)
    known: dict[str, set[str]] = {}
    for table, codes in wanted.items():
        model = _TABLES[table]
        known[table] = set(
            session.execute(select(model.code).where(model.code.in_(sorted(codes)))).scalars()
        )
    lists = {
        name: kind.value
        for name, kind in session.execute(select(LookupList.name, LookupList.kind)).all()
    }
    for c in criteria(tree):
        field = FIELDS[c.field]
        if field.codes.startswith("table:") and c.op in ("eq", "ne", "in"):
            values = c.value if isinstance(c.value, tuple) else (c.value,)
            for value in values:
                if str(value) not in known[field.codes[6:]]:
                    raise ExpressionError(
                        f"unknown code “{value}” for {field.name}", c.line, c.column
                    )
        if c.op == "lookup":
            kind = lists.get(str(c.value))
            if kind is None:
                raise ExpressionError(f"no lookup list named “{c.value}”", c.line, c.column)
            if kind != field.list_kind:
                raise ExpressionError(
                    f"the list “{c.value}” holds {kind} values, not {field.list_kind} values",
                    c.line,
                    c.column,
                )
    return tree
