"""Use cases for conveyances. Each identifier is checked by its kind's checker (check digits)."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from sqlalchemy.orm import Session

from ncen import identifiers
from ncen.accounts.actor import Actor
from ncen.conveyances.models import Conveyance, ConveyanceIdentifier, ConveyanceKind, IdentifierKind
from ncen.recordkeeping import (
    RecordKind,
    common_snapshot,
    create_record,
    jsonable_dict,
    read_handling,
    replace_children,
    set_deleted,
    update_record,
)
from ncen.records import Provenance
from ncen.reference.models import Country
from ncen.validation import Checker

RECORD_TYPE = "conveyance"


def snapshot(conveyance: Conveyance) -> dict[str, Any]:
    """The conveyance as plain JSON, for history, diffs and exchange."""
    return jsonable_dict(
        {
            **common_snapshot(conveyance),
            "kind": conveyance.kind,
            "name": conveyance.name,
            "flag": conveyance.flag,
            "description": conveyance.description,
            "identifiers": sorted(
                (
                    {"kind": i.kind.value, "value": i.value, "country": i.country}
                    for i in conveyance.identifiers
                ),
                key=lambda i: (i["kind"], i["value"]),
            ),
        }
    )


def _read_identifiers(c: Checker) -> list[ConveyanceIdentifier]:
    result: list[ConveyanceIdentifier] = []
    seen: set[tuple[IdentifierKind, str]] = set()
    for i, raw in enumerate(c.items("identifiers")):
        ic = c.nested(raw, f"identifiers.{i}")
        kind = ic.choice("kind", IdentifierKind, required=True)
        country = ic.code("country", Country)
        if kind is None:
            continue
        check = identifiers.CONVEYANCE_IDENTIFIER_CHECKS[kind.value]
        value = ic.identifier("value", check, required=True)
        if value is None or (kind, value) in seen:
            continue
        seen.add((kind, value))
        result.append(ConveyanceIdentifier(kind=kind, value=value, country=country))
    return result


def _apply(session: Session, conveyance: Conveyance, data: Mapping[str, Any]) -> None:
    c = Checker(session, data)
    kind = c.choice("kind", ConveyanceKind, required=True)
    name = c.text("name")
    flag = c.code("flag", Country)
    description = c.text("description", max_len=10_000)
    handling, restrictions = read_handling(c)
    idents = _read_identifiers(c)
    if not name and not idents and "identifiers" not in c.errors:
        c.fail("identifiers", "give at least a name or one identifier")
    c.raise_if_errors()
    assert kind is not None  # required=True reported it otherwise
    # Children first: their flush must not carry the parent's UPDATE (one version bump).
    replace_children(session, conveyance, identifiers=idents)
    conveyance.kind = kind
    conveyance.name = name
    conveyance.flag = flag
    conveyance.description = description
    conveyance.handling_code = handling
    conveyance.handling_restrictions = restrictions


CONVEYANCE: RecordKind[Conveyance] = RecordKind(Conveyance, RECORD_TYPE, _apply, snapshot)


def create_conveyance(session: Session, actor: Actor, data: Mapping[str, Any]) -> Conveyance:
    """Create a national conveyance record from ``data`` (see `create_record`)."""
    return create_record(session, actor, CONVEYANCE, data)


def import_foreign_conveyance(
    session: Session, actor: Actor, data: Mapping[str, Any], provenance: Provenance
) -> Conveyance:
    """Create a conveyance received from another node: a foreign record with ``provenance``,
    never merged into a national one; ``data`` is validated like `create_conveyance`'s (see
    `create_record`).
    """
    return create_record(session, actor, CONVEYANCE, data, provenance=provenance)


def update_conveyance(
    session: Session,
    actor: Actor,
    conveyance_id: uuid.UUID,
    expected_version: int,
    data: Mapping[str, Any],
) -> Conveyance:
    """Replace the conveyance's fields if ``expected_version`` is current (see `update_record`)."""
    return update_record(
        session, actor, CONVEYANCE, conveyance_id, expected_version=expected_version, data=data
    )


def delete_conveyance(
    session: Session, actor: Actor, conveyance_id: uuid.UUID, expected_version: int
) -> Conveyance:
    """Soft-delete a conveyance (see `set_deleted`)."""
    return set_deleted(
        session,
        actor,
        Conveyance,
        conveyance_id,
        expected_version,
        record_type=RECORD_TYPE,
        snapshot=snapshot,
        deleted=True,
    )
