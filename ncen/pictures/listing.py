"""Listing and searching pictures: by the record they belong to, by sha256, or by likeness.

A picture is listed only while it belongs to at least one live record (a picture whose every
record was deleted is as gone as they are). `PictureFilters` checks its input on
construction, so a bad filter is a `ValidationError` naming the field, whatever the caller
(the API, a page, the console). `list_statement` selects the matching pictures, newest change
first, for keyset paging; `similar_to` answers the near-duplicates of a listed picture,
nearest first, through the dHash index (`ncen.pictures.queries.similar_pictures`).
Neither audits: the caller audits what it shows.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from typing import Any, Final

from sqlalchemy import ColumnElement, Select, and_, exists, or_, select
from sqlalchemy.orm import Session

from ncen.accounts.actor import Actor
from ncen.companies.models import Company
from ncen.conveyances.models import Conveyance
from ncen.errors import NotFoundError, ValidationError
from ncen.persons.models import Person
from ncen.pictures.models import Picture, PictureLink
from ncen.pictures.queries import LINK_COLUMNS, RECORD_TYPE, similar_pictures
from ncen.policy import Action, require
from ncen.records import RecordMixin
from ncen.seizures.models import Seizure

MODELS: Final[dict[str, type[RecordMixin]]] = {
    "seizure": Seizure,
    "person": Person,
    "company": Company,
    "conveyance": Conveyance,
}
_SHA256: Final = re.compile(r"[0-9a-f]{64}")
# The most near-duplicates one similarity search returns (all of them are paged through).
MAX_SIMILAR: Final = 200


@dataclass(frozen=True, slots=True)
class PictureFilters:
    """Which pictures to list; every field optional. ``record_type`` and ``record_id`` go
    together (the pictures of one record); ``sha256`` is the original's digest (64 hex digits,
    either case). Raises `ValidationError` naming each bad field."""

    record_type: str | None = None
    record_id: uuid.UUID | None = None
    sha256: str | None = None

    def __post_init__(self) -> None:
        errors: dict[str, str] = {}
        if self.record_type is not None and self.record_type not in MODELS:
            errors["record_type"] = "must be seizure, person, company or conveyance"
        if (self.record_type is None) != (self.record_id is None):
            key = "record_id" if self.record_id is None else "record_type"
            errors.setdefault(key, "record_type and record_id go together")
        if self.sha256 is not None:
            digest = self.sha256.strip().lower()
            if not _SHA256.fullmatch(digest):
                errors["sha256"] = "must be 64 hexadecimal digits"
            object.__setattr__(self, "sha256", digest)
        if errors:
            raise ValidationError(errors)

    def describe(self) -> dict[str, Any]:
        """The filters that are set, as JSON for the audit trail."""
        described: dict[str, Any] = {}
        if self.record_type is not None:
            described["record_type"] = self.record_type
            described["record_id"] = str(self.record_id)
        if self.sha256 is not None:
            described["sha256"] = self.sha256
        return described


def _on_live_record(link_filter: ColumnElement[bool] | None = None) -> ColumnElement[bool]:
    """A picture has a link (matching ``link_filter``) to a record that is not deleted."""
    live = or_(
        *(
            exists().where(
                MODELS[record_type].id == getattr(PictureLink, column),
                MODELS[record_type].deleted_at.is_(None),
            )
            for record_type, column in LINK_COLUMNS.items()
        )
    )
    condition = and_(PictureLink.picture_id == Picture.id, live)
    if link_filter is not None:
        condition = and_(condition, link_filter)
    return exists().where(condition)


def list_statement(session: Session, filters: PictureFilters) -> Select[Any]:
    """The pictures matching ``filters`` that belong to a live record, newest change first.

    Raises `NotFoundError` when the record named by the filters is unknown or deleted (as
    reading it would).
    """
    link_filter = None
    if filters.record_type is not None:
        model = MODELS[filters.record_type]
        record = session.get(model, filters.record_id)
        if record is None or record.deleted_at is not None:
            raise NotFoundError(filters.record_type, filters.record_id)
        column = getattr(PictureLink, LINK_COLUMNS[filters.record_type])
        link_filter = column == filters.record_id
    stmt = select(Picture).where(_on_live_record(link_filter))
    if filters.sha256 is not None:
        stmt = stmt.where(Picture.sha256 == filters.sha256)
    return stmt.order_by(Picture.updated_at.desc(), Picture.id.desc())


def similar_to(
    session: Session,
    actor: Actor,
    picture_id: uuid.UUID,
    filters: PictureFilters,
    *,
    max_distance: int = 8,
) -> list[tuple[Picture, int]]:
    """The listed pictures (``filters``) that look like the picture ``picture_id``, with their
    dHash distance, nearest first, the picture itself left out; at most `MAX_SIMILAR`.

    Requires ``READ_RECORDS``. Raises `NotFoundError` when ``picture_id`` is unknown or
    belongs to no live record, `ValidationError` for a distance outside 0..15.
    """
    require(actor, Action.READ_RECORDS)
    listed = session.scalars(
        select(Picture).where(Picture.id == picture_id, _on_live_record())
    ).one_or_none()
    if listed is None:
        raise NotFoundError(RECORD_TYPE, picture_id)
    near = similar_pictures(
        session, actor, listed.phash, max_distance=max_distance, limit=MAX_SIMILAR + 1
    )
    candidates = [p.id for p, _ in near if p.id != picture_id]
    if not candidates:
        return []
    kept = set(
        session.scalars(
            list_statement(session, filters)
            .with_only_columns(Picture.id)
            .where(Picture.id.in_(candidates))
        )
    )
    return [(p, d) for p, d in near if p.id in kept][:MAX_SIMILAR]
