"""Saved searches: a user's named searches, rerun on demand, optionally alerting on new results.

A `SavedSearch` keeps what was asked (``kind`` and the query ``params`` as the search pages
read them from the query string), its owner, and what its last run found (``last_seen_ids``,
``last_result_count``, ``last_run_at``). Only the owner may list, run or delete it. With
``alert`` set, the watch-list machinery calls `new_results` to learn which results appeared
since the last run.

Running a saved search goes through the same domain search as the page it was saved from
(`run_saved_search`), so the rights, validation and audit are those of that search.
"""

from __future__ import annotations

import enum
import uuid
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    DateTime,
    ForeignKey,
    Integer,
    String,
    UniqueConstraint,
    func,
    select,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, Session, mapped_column

from ncen.accounts.actor import Actor
from ncen.audit import record_event
from ncen.db import Base, UUIDPrimaryKey, enum_column, utcnow
from ncen.errors import NotFoundError, ValidationError
from ncen.policy import Action, require
from ncen.search.companies import search_companies
from ncen.search.persons import search_persons
from ncen.search.query import MAX_LIMIT, company_query, person_search_params
from ncen.search.seizures import search_seizures, seizure_search
from ncen.text import text_problem
from ncen.validation import check_filter_texts

MAX_NAME = 120
MAX_PARAMS = 30
MAX_SEEN = 1000
RECORD_TYPE = "saved_search"


class SearchKind(enum.StrEnum):
    """Which search a saved search reruns."""

    PERSONS = "persons"
    COMPANIES = "companies"
    SEIZURES = "seizures"


class SavedSearch(UUIDPrimaryKey, Base):
    """A named search of one user."""

    __tablename__ = "saved_searches"
    __table_args__ = (UniqueConstraint("owner_id", "name"),)

    owner_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(MAX_NAME))
    kind: Mapped[SearchKind] = mapped_column(enum_column(SearchKind, 16))
    params: Mapped[dict[str, Any]] = mapped_column(JSONB)
    alert: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), default=utcnow
    )
    last_run_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_seen_ids: Mapped[list[str]] = mapped_column(JSONB, default=list)
    last_result_count: Mapped[int | None] = mapped_column(Integer)


def _owner(actor: Actor) -> uuid.UUID:
    require(actor, Action.SEARCH)
    if actor.user_id is None:
        raise ValidationError({"owner": "saved searches belong to a signed-in user"})
    return actor.user_id


def clean_params(kind: SearchKind, params: Mapping[str, Any]) -> dict[str, str]:
    """The query parameters worth keeping: strings only, no page number, checked by running
    them through the query builder of ``kind``; raises `ValidationError`."""
    kept = {
        str(k): str(v)
        for k, v in params.items()
        if k not in {"page", "csrf_token"} and isinstance(v, str | int) and str(v).strip()
    }
    if len(kept) > MAX_PARAMS or any(len(k) > 40 or len(v) > 1000 for k, v in kept.items()):
        raise ValidationError({"params": "too many or too long search parameters"})
    # Kept as JSON: PostgreSQL refuses NUL there, and a saved query is shown again later.
    if any(text_problem(k) for k in kept):
        raise ValidationError({"params": "a parameter name contains a control character"})
    check_filter_texts(kept, max_len=1000)
    _build(kind, kept)
    return kept


def _build(kind: SearchKind, params: Mapping[str, str]) -> Any:
    switches = {
        "transliteration": "no_transliteration" not in params,
        "phonetic": "no_phonetic" not in params,
    }
    if kind is SearchKind.PERSONS:
        return person_search_params(params)
    if kind is SearchKind.COMPANIES:
        return company_query(
            name=params.get("q"), only_country=params.get("only_country"), limit=MAX_LIMIT,
            **switches,
        )  # fmt: skip
    return seizure_search(**params)


def save_search(
    session: Session,
    actor: Actor,
    *,
    name: str,
    kind: str,
    params: Mapping[str, Any],
    alert: bool = False,
) -> SavedSearch:
    """Save a search of ``actor`` under ``name`` (unique per owner).

    Raises `PermissionDeniedError` without ``Action.SEARCH`` and `ValidationError` for a bad
    name, kind or parameters. Writes the row and a ``saved_search.create`` audit event.
    """
    owner = _owner(actor)
    errors: dict[str, str] = {}
    label = (name or "").strip()
    if not label:
        errors["name"] = "give the search a name"
    elif problem := text_problem(label):
        errors["name"] = problem
    elif len(label) > MAX_NAME:
        errors["name"] = f"use at most {MAX_NAME} characters"
    elif session.execute(
        select(SavedSearch.id).where(SavedSearch.owner_id == owner, SavedSearch.name == label)
    ).first():
        errors["name"] = "you already have a saved search with this name"
    try:
        search_kind = SearchKind(kind)
    except ValueError:
        errors["kind"] = "is not a kind of search that can be saved"
        search_kind = None
    cleaned: dict[str, str] = {}
    if search_kind is not None:
        try:
            cleaned = clean_params(search_kind, params)
        except ValidationError as exc:
            errors["params"] = "; ".join(f"{k}: {v}" for k, v in exc.errors.items())
    if errors or search_kind is None:
        raise ValidationError(errors)
    saved = SavedSearch(
        id=uuid.uuid4(),
        owner_id=owner,
        name=label,
        kind=search_kind,
        params=cleaned,
        alert=alert,
        created_at=utcnow(),
        last_seen_ids=[],
    )
    session.add(saved)
    session.flush()
    record_event(
        session,
        actor,
        "saved_search.create",
        record_type=RECORD_TYPE,
        record_id=saved.id,
        details={"kind": search_kind.value, "alert": alert},
    )
    return saved


def list_saved_searches(session: Session, actor: Actor) -> list[SavedSearch]:
    """The saved searches of ``actor``, by name."""
    owner = _owner(actor)
    return list(
        session.execute(
            select(SavedSearch).where(SavedSearch.owner_id == owner).order_by(SavedSearch.name)
        ).scalars()
    )


def get_saved_search(session: Session, actor: Actor, saved_id: uuid.UUID) -> SavedSearch:
    """One saved search of ``actor``; another user's is `NotFoundError` (it is not theirs to
    know about)."""
    owner = _owner(actor)
    saved = session.get(SavedSearch, saved_id)
    if saved is None or saved.owner_id != owner:
        raise NotFoundError(RECORD_TYPE, saved_id)
    return saved


def delete_saved_search(session: Session, actor: Actor, saved_id: uuid.UUID) -> None:
    """Delete a saved search of ``actor``; writes a ``saved_search.delete`` audit event."""
    saved = get_saved_search(session, actor, saved_id)
    session.delete(saved)
    session.flush()
    record_event(session, actor, "saved_search.delete", record_type=RECORD_TYPE, record_id=saved_id)


def current_ids(session: Session, actor: Actor, saved: SavedSearch) -> list[str]:
    """The ids of what ``saved`` finds now (at most `MAX_SEEN`), best first; audited by the
    search it runs."""
    query = _build(saved.kind, saved.params)
    if saved.kind is SearchKind.PERSONS:
        return [str(h.person_id) for h in search_persons(session, actor, query).hits]
    if saved.kind is SearchKind.COMPANIES:
        return [str(h.company_id) for h in search_companies(session, actor, query).hits]
    hits, _total = search_seizures(session, actor, query, per_page=MAX_SEEN // 10)
    return [str(h.seizure.id) for h in hits]


def new_results(
    session: Session, saved: SavedSearch, actor: Actor | None = None
) -> list[uuid.UUID]:
    """The results of ``saved`` that its last run had not seen, and remember them as seen.

    Runs as its owner's stand-in ``actor`` (default: the system acting for alerts). Updates
    ``last_run_at``, ``last_seen_ids`` and ``last_result_count``; the caller owns the
    transaction.
    """
    ids = current_ids(session, actor or Actor.system("saved-search"), saved)
    seen = set(saved.last_seen_ids or [])
    fresh = [uuid.UUID(i) for i in ids if i not in seen]
    _remember(saved, ids)
    return fresh


def _remember(saved: SavedSearch, ids: list[str]) -> None:
    saved.last_run_at = utcnow()
    saved.last_seen_ids = ids[:MAX_SEEN]
    saved.last_result_count = len(ids)


def run_saved_search(
    session: Session, actor: Actor, saved_id: uuid.UUID
) -> tuple[SavedSearch, int]:
    """Rerun a saved search of ``actor``: returns it and how many of its results are new since
    its last run (everything on the first run). Records the run on the row."""
    saved = get_saved_search(session, actor, saved_id)
    ids = current_ids(session, actor, saved)
    seen = set(saved.last_seen_ids or [])
    new = sum(1 for i in ids if i not in seen)
    _remember(saved, ids)
    session.flush()
    return saved, new
