"""Removing a record's nominal content for a retention deletion, wherever the node keeps it.

`erase_record` runs inside the deleting transaction (`ncen.retention.services.delete_record`)
after the record row is locked. It leaves the row itself as a content-free shell (id, type,
version, handling code, provenance, a seizure's reference, ``deleted_at``), because a shell
keeps a received record from being brought back by a later update of its originator
(`exchange.records.foreign` refuses to update a deleted record) and keeps the ids that the tombstone
and the audit trail name. Everything else goes:

- the record's own nominal columns (names of columns in `_COLUMNS`) and child rows (names,
  nationalities, documents, addresses, contacts, identifiers, items, route, concealments);
- its links to other records (seizure–entity, person–company), with their notes;
- its picture links, and the pictures no other record uses (rows here; the caller removes the
  files after commit, `remove_picture_files`);
- its history snapshots and diffs (the rows stay, who and when, with ``{"erased": ...}``), the
  link notes about it in other seizures' history, merge snapshots, alerts and record watches;
- the name-vocabulary terms that no remaining name uses.

The audit trail is append-only and is not touched: its events name record ids, not content.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from sqlalchemy import Text, cast, delete, func, select, text, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from ncen.companies.models import Company, CompanyName, PersonCompany
from ncen.conveyances.models import Conveyance, ConveyanceIdentifier
from ncen.history import RecordVersion
from ncen.merging.models import Merge, MergeDecision
from ncen.persons.models import (
    Gender,
    IdentityDocument,
    Person,
    PersonAddress,
    PersonContact,
    PersonName,
    PersonNationality,
)
from ncen.pictures.models import Picture, PictureLink
from ncen.records import RecordMixin
from ncen.seizures.models import (
    Seizure,
    SeizureCompany,
    SeizureConcealment,
    SeizureConveyance,
    SeizureItem,
    SeizurePerson,
    SeizureTransitCountry,
)
from ncen.watch.models import Alert, Watch, WatchKind

ERASED = {"erased": "retention review"}

# Nullable columns of each record type that hold nominal content or free text.
_COLUMNS: dict[str, tuple[str, ...]] = {
    "seizure": ("narrative", "concealment_description", "place", "locode"),
    "person": ("birth_year", "birth_month", "birth_day", "birth_place", "birth_country"),
    "company": (
        "country",
        "registration_number",
        "registration_number_norm",
        "tax_number",
        "tax_number_norm",
        "address_line",
        "address_city",
        "address_country",
    ),
    "conveyance": ("name", "flag"),
}
# Child tables deleted with the record's content, as (model, foreign-key column).
_CHILDREN: dict[str, tuple[tuple[type[Any], str], ...]] = {
    "seizure": (
        (SeizureItem, "seizure_id"),
        (SeizureTransitCountry, "seizure_id"),
        (SeizureConcealment, "seizure_id"),
    ),
    "person": (
        (PersonName, "person_id"),
        (PersonNationality, "person_id"),
        (IdentityDocument, "person_id"),
        (PersonAddress, "person_id"),
        (PersonContact, "person_id"),
    ),
    "company": ((CompanyName, "company_id"),),
    "conveyance": ((ConveyanceIdentifier, "conveyance_id"),),
}
_RELATIONSHIPS: dict[str, tuple[str, ...]] = {
    "seizure": ("items", "transit_countries", "concealment_methods"),
    "person": ("names", "nationalities", "documents", "addresses", "contacts"),
    "company": ("names",),
    "conveyance": ("identifiers",),
}
# Link tables the record appears in, as (model, column naming the record).
_LINKS: dict[str, tuple[tuple[type[Any], str], ...]] = {
    "seizure": (
        (SeizurePerson, "seizure_id"),
        (SeizureCompany, "seizure_id"),
        (SeizureConveyance, "seizure_id"),
    ),
    "person": ((SeizurePerson, "person_id"), (PersonCompany, "person_id")),
    "company": ((SeizureCompany, "company_id"), (PersonCompany, "company_id")),
    "conveyance": ((SeizureConveyance, "conveyance_id"),),
}
# The key under which a seizure's history snapshot lists links to each entity type.
_SNAPSHOT_KEY = {"person": "persons", "company": "companies", "conveyance": "conveyances"}
MODELS: dict[str, type[RecordMixin]] = {
    "seizure": Seizure,
    "person": Person,
    "company": Company,
    "conveyance": Conveyance,
}


def _name_terms(session: Session, record_type: str, record_id: uuid.UUID) -> list[str]:
    if record_type == "person":
        rows = select(func.unnest(PersonName.search_terms)).where(PersonName.person_id == record_id)
    elif record_type == "company":
        rows = select(func.unnest(CompanyName.search_terms)).where(
            CompanyName.company_id == record_id
        )
    else:
        return []
    return sorted({str(term) for term in session.execute(rows).scalars()})


def _forget_terms(session: Session, terms: list[str]) -> None:
    """Delete vocabulary terms that no remaining person or company name uses (GIN lookups)."""
    if terms:
        session.execute(
            text(
                "DELETE FROM name_terms n WHERE n.term = ANY(CAST(:terms AS text[])) "
                "AND NOT EXISTS (SELECT 1 FROM person_names p "
                "WHERE p.search_terms @> ARRAY[n.term]) "
                "AND NOT EXISTS (SELECT 1 FROM company_names c "
                "WHERE c.search_terms @> ARRAY[n.term])"
            ),
            {"terms": terms},
        )


def _scrub_notes(value: Any, record_id: str) -> Any:
    """``value`` (history JSON) with the note of every link entry naming ``record_id`` removed."""
    if isinstance(value, dict):
        if value.get("id") == record_id and "note" in value:
            return {**value, "note": None}
        return {k: _scrub_notes(v, record_id) for k, v in value.items()}
    if isinstance(value, list):
        return [_scrub_notes(v, record_id) for v in value]
    return value


def _erase_history(session: Session, record_type: str, record_id: uuid.UUID) -> None:
    session.execute(
        update(RecordVersion)
        .where(RecordVersion.record_id == record_id)
        .values(snapshot=ERASED, changes={})
    )
    key = _SNAPSHOT_KEY.get(record_type)
    if key is None:
        return
    # A seizure's snapshots list its links with their free-text notes (about this entity).
    # A scan of seizure history for the id: a review action, not a hot path.
    needle = f"%{record_id}%"
    rows = session.execute(
        select(RecordVersion).where(
            RecordVersion.record_type == "seizure",
            (cast(RecordVersion.snapshot, Text).like(needle))
            | (cast(RecordVersion.changes, Text).like(needle)),
        )
    ).scalars()
    for row in rows:
        row.snapshot = _scrub_notes(row.snapshot, str(record_id))
        row.changes = _scrub_notes(row.changes, str(record_id))


def _erase_pictures(session: Session, record_type: str, record_id: uuid.UUID) -> list[str]:
    column = getattr(PictureLink, f"{record_type}_id")
    picture_ids = list(
        session.execute(select(PictureLink.picture_id).where(column == record_id)).scalars()
    )
    session.execute(delete(PictureLink).where(column == record_id))
    if not picture_ids:
        return []
    orphans = session.execute(
        select(Picture.id, Picture.sha256).where(
            Picture.id.in_(picture_ids),
            ~select(PictureLink.id).where(PictureLink.picture_id == Picture.id).exists(),
        )
    ).all()
    if orphans:
        session.execute(delete(Picture).where(Picture.id.in_([row.id for row in orphans])))
    return sorted(row.sha256 for row in orphans)


def _erase_merges_and_watches(session: Session, record_id: uuid.UUID) -> None:
    for merge in session.execute(
        select(Merge).where((Merge.survivor_id == record_id) | (Merge.merged_id == record_id))
    ).scalars():
        if merge.survivor_id == record_id:
            merge.survivor_snapshot = ERASED
        if merge.merged_id == record_id:
            merge.merged_snapshot = ERASED
        merge.dropped_links = _scrub_notes(
            [{**entry, "row": {**entry["row"], "note": None}} for entry in merge.dropped_links],
            str(record_id),
        )
    session.execute(
        update(MergeDecision)
        .where((MergeDecision.record_a_id == record_id) | (MergeDecision.record_b_id == record_id))
        .values(evidence=ERASED)
    )
    session.execute(delete(Alert).where(Alert.record_id == record_id))
    session.execute(
        delete(Watch).where(Watch.kind == WatchKind.RECORD, Watch.record_id == record_id)
    )


def erase_record(session: Session, record_type: str, record: RecordMixin) -> list[str]:
    """Remove the nominal content of ``record`` (see the module docstring); return the sha256
    of every picture that no record uses any more, whose files the caller removes after commit.
    The record must be locked by the caller; nothing is flushed that the caller did not load."""
    record_id = record.id
    terms = _name_terms(session, record_type, record_id)
    for model, column in _CHILDREN[record_type]:
        session.execute(delete(model).where(getattr(model, column) == record_id))
    for name in _RELATIONSHIPS[record_type]:
        # The rows are gone from the database; make the loaded collections agree.
        for child in list(getattr(record, name)):
            session.expunge(child)
        set_committed_value(record, name, [])
    for model, column in _LINKS[record_type]:
        session.execute(delete(model).where(getattr(model, column) == record_id))
    for name in _COLUMNS[record_type]:
        setattr(record, name, None)
    record.handling_restrictions = None
    if hasattr(record, "description"):
        setattr(record, "description", None)  # noqa: B010 - not every record type has one
    if isinstance(record, Person):
        record.gender = Gender.UNKNOWN
    pictures = _erase_pictures(session, record_type, record_id)
    _erase_history(session, record_type, record_id)
    _erase_merges_and_watches(session, record_id)
    _forget_terms(session, terms)
    return pictures


def remove_picture_files(picture_root: Path, hashes: Iterable[str]) -> None:
    """Remove every stored file (original, display, thumbnail) of the pictures ``hashes``.

    Called after the deleting transaction committed, so a rollback never leaves rows pointing
    at missing files. Files already gone are fine (a repeated or interrupted removal)."""
    from ncen.pictures.store import Kind, PictureStore, check_sha256

    store = PictureStore(picture_root)
    for sha256 in hashes:
        for kind in Kind:
            store.path(kind, check_sha256(sha256)).unlink(missing_ok=True)
