"""Facets of the seizure list: "seizures having this value" in one dimension of the statistics.

A facet is a pair ``(dimension, value)``, written ``dimension:value`` in a URL
(``?facet=transit:KZ&facet=commodity:drugs``); every facet must hold. They exist so that every
number of the statistics (`ncen.analysis.statistics`) links to exactly the seizures behind it,
including the multi-valued dimensions, where a seizure with transit countries KZ and RU is in
both the KZ and the RU list. The rules here read the base tables, independently of the
statistics' own tables, which is what the tests that compare both rely on:

- a linked person counts only while not deleted (``nationality``);
- ``provenance`` is ``national`` or ``received`` (a record from another node);
- ``hs_chapter`` is the first two digits of an item's HS code.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from sqlalchemy import ColumnElement, and_, exists, or_, select

from ncen.errors import ValidationError
from ncen.persons.models import Person, PersonNationality
from ncen.seizures.models import (
    Seizure,
    SeizureConcealment,
    SeizureItem,
    SeizurePerson,
    SeizureTransitCountry,
)

# dimension -> (shape of a value, the code list of the values or None)
# The shape of a code (the rule of `ncen.reference.services.add_code`).
_CODE = re.compile(r"^[A-Za-z0-9_-]{1,32}$")
# dimension -> (shape of a value, the code list of the values or None)
FACET_DIMENSIONS: dict[str, tuple[re.Pattern[str], str | None]] = {
    "commodity": (_CODE, "commodity_groups"),
    "hs_chapter": (re.compile(r"^[0-9]{2}$"), "hs_chapters"),
    "office": (_CODE, "customs_offices"),
    "transport": (_CODE, "transport_modes"),
    "detection": (_CODE, "detection_methods"),
    "concealment": (_CODE, "concealment_methods"),
    "departure": (_CODE, "countries"),
    "transit": (_CODE, "countries"),
    "destination": (_CODE, "countries"),
    "route": (_CODE, "countries"),
    "nationality": (_CODE, "countries"),
    "provenance": (re.compile(r"^(national|received)$"), None),
}
MAX_FACETS = 12

Facet = tuple[str, str]


def parse_facets(raw: list[str] | tuple[str, ...], field: str = "facet") -> tuple[Facet, ...]:
    """Read ``dimension:value`` strings into facets. Pure.

    Raises `ValidationError` (under ``field``) for an unknown dimension, a value of the wrong
    shape (a code is 1-32 letters, digits, dashes or underscores), or more than `MAX_FACETS`.
    Whether a well-shaped code exists is not checked: an unknown code matches no seizure.
    """
    if len(raw) > MAX_FACETS:
        raise ValidationError({field: f"at most {MAX_FACETS} filters of this kind"})
    facets: list[Facet] = []
    for item in raw:
        dimension, sep, value = item.partition(":")
        if not sep or dimension not in FACET_DIMENSIONS:
            known = ", ".join(FACET_DIMENSIONS)
            shown = item[:40].encode("unicode_escape").decode("ascii")
            raise ValidationError(
                {field: f"{shown!r} is not dimension:value with a dimension among {known}"}
            )
        pattern, _codes = FACET_DIMENSIONS[dimension]
        if not pattern.fullmatch(value):
            shown = value[:40].encode("unicode_escape").decode("ascii")
            raise ValidationError({field: f"{shown!r} is not a valid {dimension} code"})
        if (dimension, value) not in facets:
            facets.append((dimension, value))
    return tuple(facets)


def _in_table(model: Any, *conditions: ColumnElement[bool]) -> ColumnElement[bool]:
    return Seizure.id.in_(select(model.seizure_id).where(*conditions))


def _nationality(value: str) -> ColumnElement[bool]:
    return exists(
        select(SeizurePerson.id)
        .join(Person, Person.id == SeizurePerson.person_id)
        .join(PersonNationality, PersonNationality.person_id == Person.id)
        .where(
            SeizurePerson.seizure_id == Seizure.id,
            Person.deleted_at.is_(None),
            PersonNationality.country == value,
        )
    )


def _route(value: str) -> ColumnElement[bool]:
    return or_(
        Seizure.departure_country == value,
        Seizure.destination_country == value,
        _in_table(SeizureTransitCountry, SeizureTransitCountry.country == value),
    )


def _provenance(value: str) -> ColumnElement[bool]:
    received = value == "received"
    return Seizure.origin_node.is_not(None) if received else Seizure.origin_node.is_(None)


_CONDITIONS: dict[str, Callable[[str], ColumnElement[bool]]] = {
    "commodity": lambda v: _in_table(SeizureItem, SeizureItem.commodity_group == v),
    "hs_chapter": lambda v: _in_table(
        SeizureItem, SeizureItem.hs_code.startswith(v, autoescape=True)
    ),
    "concealment": lambda v: _in_table(SeizureConcealment, SeizureConcealment.method == v),
    "transit": lambda v: _in_table(SeizureTransitCountry, SeizureTransitCountry.country == v),
    "route": _route,
    "nationality": _nationality,
    "provenance": _provenance,
    "office": lambda v: Seizure.office_code == v,
    "transport": lambda v: Seizure.transport_mode == v,
    "detection": lambda v: Seizure.detection_method == v,
    "departure": lambda v: Seizure.departure_country == v,
    "destination": lambda v: Seizure.destination_country == v,
}
assert set(_CONDITIONS) == set(FACET_DIMENSIONS)


def facet_condition(dimension: str, value: str) -> ColumnElement[bool]:
    """The WHERE condition on `Seizure` for one facet (see the module docstring)."""
    return _CONDITIONS[dimension](value)


def facets_condition(facets: tuple[Facet, ...]) -> ColumnElement[bool]:
    """Every facet at once (AND)."""
    return and_(*(facet_condition(d, v) for d, v in facets))
