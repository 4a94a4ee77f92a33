"""Reading conveyances: the filtered list statement and the audited detail view."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from ncen.accounts.actor import Actor
from ncen.conveyances.models import Conveyance, ConveyanceIdentifier, ConveyanceKind
from ncen.identifiers import normalize_identifier
from ncen.reading import note_read
from ncen.recordkeeping import get_live
from ncen.seizures.models import Seizure
from ncen.seizures.queries import seizures_linked_to
from ncen.validation import check_filter_texts


@dataclass(frozen=True)
class ConveyanceFilters:
    """List filters (all optional). ``identifier`` matches any identifier kind exactly."""

    identifier: str | None = None
    kind: ConveyanceKind | None = None
    flag: str | None = None
    foreign: bool | None = None

    def __post_init__(self) -> None:
        # Typed text reaches a query and the audit trail: refuse what may not be searched for.
        check_filter_texts(self.__dict__)

    def describe(self) -> dict[str, Any]:
        """The filters that are set, as JSON (for the audit trail)."""
        return {k: str(v) for k, v in self.__dict__.items() if v is not None}


def list_statement(filters: ConveyanceFilters, *, descending: bool = True) -> Select[Conveyance]:
    """Live conveyances matching ``filters``, most recently changed first."""
    stmt = select(Conveyance).where(Conveyance.deleted_at.is_(None))
    if filters.identifier:
        # Canonical values are upper-case alphanumerics (plus IMO prefix): compare on that key.
        keys = {normalize_identifier(kind.value, filters.identifier) for kind in ConveyanceKind}
        keys.add(normalize_identifier("container", filters.identifier))
        stmt = stmt.where(
            Conveyance.id.in_(
                select(ConveyanceIdentifier.conveyance_id).where(
                    ConveyanceIdentifier.value.in_(keys)
                )
            )
        )
    if filters.kind:
        stmt = stmt.where(Conveyance.kind == filters.kind)
    if filters.flag:
        stmt = stmt.where(Conveyance.flag == filters.flag)
    if filters.foreign is not None:
        column = Conveyance.origin_node
        stmt = stmt.where(column.is_not(None) if filters.foreign else column.is_(None))
    order = Conveyance.updated_at.desc() if descending else Conveyance.updated_at.asc()
    return stmt.order_by(order, Conveyance.id)


@dataclass
class ConveyanceDetail:
    """A conveyance with every seizure it was used in (and the role)."""

    conveyance: Conveyance
    seizures: list[tuple[Seizure, str]] = field(default_factory=list)


def read_conveyance(session: Session, actor: Actor, conveyance_id: uuid.UUID) -> ConveyanceDetail:
    """The conveyance with its seizures. Audited."""
    note_read(session, actor, "conveyance", record_id=conveyance_id)
    conveyance = get_live(session, Conveyance, conveyance_id, "conveyance")
    return ConveyanceDetail(
        conveyance=conveyance,
        seizures=seizures_linked_to(session, "conveyance", conveyance_id),
    )
