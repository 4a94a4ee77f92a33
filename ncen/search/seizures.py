"""Advanced seizure search: the filters of the seizure list plus the analyst's ones, with
optional full text and highlighted snippets.

`SeizureSearch` extends `ncen.seizures.queries.SeizureFilters` (status, commodity group,
country on the route, transport mode, office, dates, provenance) with the departure, transit
and destination country separately, the HS chapter of an item, the detection method, the
source reliability and information grade, the role a person or a company has in the seizure
(codes of the ``person_roles`` and ``company_roles`` lists), and words to find in the texts
(the same prefix matching as `ncen.search.fulltext`, over the same GIN-indexed vectors).
`search_seizures` returns one page of hits and the total, and audits the search as
``search.seizures`` with the filters and words used (read by auditors only) and the seizures shown.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Select, func, or_, select, text
from sqlalchemy.orm import Session

from ncen.accounts.actor import Actor
from ncen.errors import ValidationError
from ncen.policy import Action, require
from ncen.search.auditing import record_search
from ncen.search.fulltext import SnippetPart, snippet_parts
from ncen.search.normalise import check_query_text, words
from ncen.seizures.models import (
    Seizure,
    SeizureCompany,
    SeizureItem,
    SeizurePerson,
    SeizureStatus,
    SeizureTransitCountry,
    SourceReliability,
)
from ncen.seizures.queries import SeizureFilters, list_statement

MAX_PER_PAGE = 100
_CHAPTER = re.compile(r"^\d{2}$")
_COUNTRY = re.compile(r"^[A-Z]{2}$")
_CODE = re.compile(r"^[A-Za-z0-9_.-]{1,40}$")


@dataclass(frozen=True, slots=True)
class SeizureSearch:
    """What to look for; every field is optional (no field: every live seizure)."""

    filters: SeizureFilters = field(default_factory=SeizureFilters)
    words: tuple[str, ...] = ()
    departure_country: str | None = None
    transit_country: str | None = None
    destination_country: str | None = None
    hs_chapter: str | None = None
    detection_method: str | None = None
    source_reliability: SourceReliability | None = None
    information_grade: int | None = None
    person_role: str | None = None
    company_role: str | None = None

    def describe(self) -> dict[str, Any]:
        """The filters that are set, as JSON for the audit trail (not the words)."""
        described = self.filters.describe()
        for key in (
            "departure_country",
            "transit_country",
            "destination_country",
            "hs_chapter",
            "detection_method",
            "source_reliability",
            "information_grade",
            "person_role",
            "company_role",
        ):
            value = getattr(self, key)
            if value is not None:
                described[key] = str(value)
        if self.words:
            described["words"] = len(self.words)
        return described


@dataclass(frozen=True, slots=True)
class SeizureHit:
    """A seizure found; ``snippet`` is empty when no words were searched for."""

    seizure: Seizure
    snippet: tuple[SnippetPart, ...]


class _Reader:
    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data
        self.errors: dict[str, str] = {}

    def raw(self, key: str) -> str | None:
        value = self.data.get(key)
        if value is None:
            return None
        value = str(value).strip()
        return value or None

    def matching(self, key: str, pattern: re.Pattern[str], message: str) -> str | None:
        value = self.raw(key)
        if value is None:
            return None
        if key.endswith("country"):
            value = value.upper()
        if not pattern.match(value):
            self.errors[key] = message
            return None
        return value

    def country(self, key: str) -> str | None:
        return self.matching(key, _COUNTRY, "must be a two-letter country code, e.g. KZ")

    def day(self, key: str) -> date | None:
        value = self.data.get(key)
        if value is None or isinstance(value, date):
            return value
        raw = self.raw(key)
        if raw is None:
            return None
        try:
            return date.fromisoformat(raw)
        except ValueError:
            self.errors[key] = "must be a date (YYYY-MM-DD)"
            return None

    def choice(self, key: str, enum: Any) -> Any:
        raw = self.raw(key)
        if raw is None:
            return None
        try:
            return enum(raw)
        except ValueError:
            self.errors[key] = "is not one of the offered values"
            return None


def seizure_search(**data: Any) -> SeizureSearch:
    """A checked `SeizureSearch` from raw input (strings or values); raises `ValidationError`
    naming every bad field. ``q`` holds the words; ``origin`` is ``national`` or ``foreign``."""
    r = _Reader(data)
    query_words: tuple[str, ...] = ()
    if r.raw("q") is not None:
        try:
            cleaned = check_query_text(data.get("q"), "q")
            query_words = tuple(w.lower() for w in words(cleaned) if len(w) >= 2)
            if not query_words:
                r.errors["q"] = "enter at least one word of two letters or more"
        except ValidationError as exc:
            r.errors.update(exc.errors)
    grade = r.raw("information_grade")
    information_grade = None
    if grade is not None:
        if grade in {"1", "2", "3", "4"}:
            information_grade = int(grade)
        else:
            r.errors["information_grade"] = "must be 1, 2, 3 or 4"
    code = "must be a code from the list"
    filters = SeizureFilters(
        status=r.choice("status", SeizureStatus),
        commodity_group=r.matching("commodity_group", _CODE, code),
        country=r.country("country"),
        transport_mode=r.matching("transport_mode", _CODE, code),
        office_code=r.matching("office_code", _CODE, code),
        date_from=r.day("date_from"),
        date_to=r.day("date_to"),
        foreign={"national": False, "foreign": True}.get(r.raw("origin") or ""),
    )
    search = SeizureSearch(
        filters=filters,
        words=query_words,
        departure_country=r.country("departure_country"),
        transit_country=r.country("transit_country"),
        destination_country=r.country("destination_country"),
        hs_chapter=r.matching("hs_chapter", _CHAPTER, "must be two digits, e.g. 24"),
        detection_method=r.matching("detection_method", _CODE, code),
        source_reliability=r.choice("source_reliability", SourceReliability),
        information_grade=information_grade,
        person_role=r.matching("person_role", _CODE, code),
        company_role=r.matching("company_role", _CODE, code),
    )
    if filters.date_from and filters.date_to and filters.date_from > filters.date_to:
        r.errors["date_to"] = "must not be before the start date"
    if r.errors:
        raise ValidationError(r.errors)
    return search


def tsquery_text(query_words: tuple[str, ...]) -> str:
    """The ``to_tsquery`` input: every word, quoted, as a prefix, all required."""
    return " & ".join("'" + w.replace("\\", "").replace("'", "''") + "':*" for w in query_words)


def statement(search: SeizureSearch) -> Select[Any]:
    """The live seizures matching ``search``, best text match first, then newest."""
    stmt = list_statement(search.filters).order_by(None)
    if search.departure_country:
        stmt = stmt.where(Seizure.departure_country == search.departure_country)
    if search.destination_country:
        stmt = stmt.where(Seizure.destination_country == search.destination_country)
    if search.transit_country:
        stmt = stmt.where(
            Seizure.id.in_(
                select(SeizureTransitCountry.seizure_id).where(
                    SeizureTransitCountry.country == search.transit_country
                )
            )
        )
    if search.hs_chapter:
        stmt = stmt.where(
            Seizure.id.in_(
                select(SeizureItem.seizure_id).where(
                    SeizureItem.hs_code.startswith(search.hs_chapter, autoescape=True)
                )
            )
        )
    if search.detection_method:
        stmt = stmt.where(Seizure.detection_method == search.detection_method)
    if search.source_reliability:
        stmt = stmt.where(Seizure.source_reliability == search.source_reliability)
    if search.information_grade:
        stmt = stmt.where(Seizure.information_grade == search.information_grade)
    if search.person_role:
        stmt = stmt.where(
            Seizure.id.in_(
                select(SeizurePerson.seizure_id).where(SeizurePerson.role == search.person_role)
            )
        )
    if search.company_role:
        stmt = stmt.where(
            Seizure.id.in_(
                select(SeizureCompany.seizure_id).where(SeizureCompany.role == search.company_role)
            )
        )
    if not search.words:
        return stmt.order_by(Seizure.occurred_at.desc(), Seizure.id)
    query = func.to_tsquery("ncen_search", tsquery_text(search.words))
    matches: ColumnElement[bool] = or_(
        Seizure.search_vector.op("@@")(query),
        Seizure.id.in_(
            select(SeizureItem.seizure_id).where(SeizureItem.search_vector.op("@@")(query))
        ),
    )
    rank = func.ts_rank_cd(Seizure.search_vector, query)
    return stmt.where(matches).order_by(rank.desc(), Seizure.occurred_at.desc(), Seizure.id)


_HEADLINES = text(
    """
    SELECT s.id,
           ts_headline('ncen_search', translate(concat_ws(' … ', s.narrative,
                           s.concealment_description, s.place, (
                               SELECT string_agg(concat_ws(' ', i.description, i.brand), '; '
                                                 ORDER BY i.position)
                               FROM seizure_items i WHERE i.seizure_id = s.id)),
                           E'\\x02\\x03', ''),
                       to_tsquery('ncen_search', :query),
                       'StartSel=' || chr(2) || ', StopSel=' || chr(3) ||
                       ', MaxFragments=2, MaxWords=24, MinWords=8, FragmentDelimiter=" … "')
    FROM seizures s WHERE s.id = ANY(:ids)
    """
)


def search_seizures(
    session: Session,
    actor: Actor,
    search: SeizureSearch,
    *,
    page: int = 1,
    per_page: int = 20,
    audit: bool = True,
) -> tuple[list[SeizureHit], int]:
    """One page (from 1) of the seizures matching ``search`` and how many match in all.

    Raises `PermissionDeniedError` without ``Action.SEARCH``. Side effect: one
    ``search.seizures`` audit event with the filters and words used, the page and the ids of
    the seizures on it, unless ``audit`` is False (the caller audits what it shows).
    """
    require(actor, Action.SEARCH)
    per_page = max(1, min(per_page, MAX_PER_PAGE))
    stmt = statement(search)
    total = int(
        session.execute(
            select(func.count()).select_from(stmt.order_by(None).subquery())
        ).scalar_one()
    )
    seizures = list(
        session.execute(stmt.limit(per_page).offset((max(1, page) - 1) * per_page)).scalars()
    )
    snippets: dict[uuid.UUID, tuple[SnippetPart, ...]] = {}
    if search.words and seizures:
        rows = session.execute(
            _HEADLINES,
            {"query": tsquery_text(search.words), "ids": [s.id for s in seizures]},
        )
        snippets = {row[0]: snippet_parts(row[1] or "") for row in rows}
    if audit:
        asked = search.describe()
        if search.words:
            asked["words"] = " ".join(search.words)
        record_search(
            session,
            actor,
            "search.seizures",
            query=asked,
            shown={"seizure": [s.id for s in seizures]},
            details={"page": page, "total": total},
        )
    return [SeizureHit(s, snippets.get(s.id, ())) for s in seizures], total


def matching_ids(
    session: Session, actor: Actor, search: SeizureSearch, *, limit: int
) -> list[uuid.UUID]:
    """The ids of the seizures matching ``search`` in the order of `statement` (best text match
    first, then newest), at most ``limit`` of them: an export of the whole result asks for one
    more than it may hold, to know it is too large. Unaudited: the caller audits what it
    exports. Raises `PermissionDeniedError` without ``Action.SEARCH``.
    """
    require(actor, Action.SEARCH)
    stmt = statement(search).with_only_columns(Seizure.id).limit(max(0, limit))
    return list(session.scalars(stmt))
