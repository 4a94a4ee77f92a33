"""What every search service returns, and the small helpers the name searches share."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import InstrumentedAttribute, Session

from ncen.errors import ValidationError
from ncen.persons.models import NameKind

HitT = TypeVar("HitT")


@dataclass(frozen=True, slots=True)
class SearchResults(Generic[HitT]):
    """The hits of one search, best first; ``examined`` counts the name forms re-ranked."""

    hits: tuple[HitT, ...]
    examined: int


def no_words_error(field: str = "name") -> ValidationError:
    """The error for a query that has letters but no word that can be searched."""
    return ValidationError({field: "enter a name with at least one word to search for"})


def display_names(
    session: Session,
    model: Any,
    owner: InstrumentedAttribute[uuid.UUID],
    ids: Sequence[uuid.UUID],
) -> dict[uuid.UUID, str]:
    """The display name of each record in ``ids``: its first primary name, else its first name.

    ``model`` is `PersonName` or `CompanyName`; ``owner`` its column pointing at the record.
    """
    if not ids:
        return {}
    label = model.full_name if hasattr(model, "full_name") else model.name
    rows = session.execute(
        select(owner, label, model.kind)
        .where(owner.in_(ids))
        .order_by(owner, (model.kind == NameKind.PRIMARY).desc(), model.position)
    )
    names: dict[uuid.UUID, str] = {}
    for record_id, name, _kind in rows:
        names.setdefault(record_id, name)
    return names
