"""Duplicate candidates: pairs of live national persons (or companies) that may be one.

Each record of a window of recently changed records is searched for with the search domain itself
(`ncen.search.candidates.retrieve` and `ncen.search.persons.rank`, or the company twin), over
the other live national records, using its own
primary name, birth date, gender, nationality and document numbers as the query's qualifiers,
so a candidate pair is scored and explained exactly like a search hit. Pairs whose latest
ledger decision is "not the same" are not proposed again.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import Row, func, or_, select
from sqlalchemy.orm import Session

from ncen.companies.models import Company, CompanyName
from ncen.errors import ValidationError
from ncen.identifiers import normalize_document_number
from ncen.merging.models import Decision, MergeDecision
from ncen.persons.models import Gender, Person, PersonName
from ncen.search import companies as company_search
from ncen.search import persons as person_search
from ncen.search.candidates import retrieve
from ncen.search.explain import Explanation
from ncen.search.keys import analyse
from ncen.search.matching import Matcher, NameComparison
from ncen.search.query import CompanyQuery, PersonQuery, SearchOptions

R = TypeVar("R", Person, Company)

RECORD_TYPES = ("person", "company")
DEFAULT_MIN_SCORE = 0.8
DEFAULT_WINDOW = 25  # records examined per call (a page of the candidates list)
MAX_FORMS = 5  # name forms searched per record


@dataclass(frozen=True, slots=True)
class Candidate:
    """A possible duplicate of ``record_id``: ``other_id``, its score and explanation."""

    record_type: str
    record_id: uuid.UUID
    record_name: str
    other_id: uuid.UUID
    other_name: str
    score: float
    explanation: Explanation

    @property
    def pair(self) -> tuple[uuid.UUID, uuid.UUID]:
        """The pair in ledger order (smaller id first)."""
        return ordered(self.record_id, self.other_id)


def ordered(a: uuid.UUID, b: uuid.UUID) -> tuple[uuid.UUID, uuid.UUID]:
    """The two ids with the smaller first: one key per pair, whichever way it is asked."""
    return (a, b) if str(a) < str(b) else (b, a)


def _person_hits(
    session: Session, person: Person, name: str, options: SearchOptions
) -> list[tuple[uuid.UUID, str, float, Explanation]]:
    query = PersonQuery(
        name=name,
        birth_year=person.birth_year,
        birth_month=person.birth_month,
        birth_day=person.birth_day,
        nationality=person.nationalities[0].country if person.nationalities else None,
        gender=None if person.gender is Gender.UNKNOWN else person.gender,
        document_numbers=tuple(d.number for d in person.documents),
        options=options,
    )
    tokens = analyse(query.name)
    if not tokens:
        return []
    # The record itself is left out of retrieval: it would always match exactly, and
    # retrieval stops at the first step that finds a good enough match.
    base = (
        select(
            PersonName.person_id,
            PersonName.full_name,
            PersonName.patronymic,
            PersonName.kind,
            PersonName.script,
            Person.gender,
            Person.birth_year,
            Person.birth_month,
            Person.birth_day,
        )
        .join(Person, Person.id == PersonName.person_id)
        .where(
            Person.deleted_at.is_(None),
            Person.origin_node.is_(None),
            Person.id != person.id,
        )
    )
    matcher = Matcher(tokens, phonetic=True)

    def compare(row: Row[Any]) -> tuple[uuid.UUID, NameComparison]:
        return row.person_id, matcher.compare(analyse(row.full_name, patronymic=row.patronymic))

    columns = (PersonName.search_text, PersonName.search_terms, PersonName.phonetic_codes)
    best, _ = retrieve(session, base, columns, tokens, phonetic=True, compare=compare)
    hits = person_search.rank(session, query, tokens, best)
    return [(h.person_id, h.display_name, h.score, h.explanation) for h in hits]


def _company_hits(
    session: Session, company: Company, name: str, options: SearchOptions
) -> list[tuple[uuid.UUID, str, float, Explanation]]:
    query = CompanyQuery(
        name=name,
        country=company.country,
        registration_number=company.registration_number,
        options=options,
    )
    tokens = analyse(query.name, company=True)
    if not tokens:
        return []
    registration = (
        normalize_document_number(company.registration_number)
        if company.registration_number
        else ""
    )
    base = (
        select(
            CompanyName.company_id,
            CompanyName.name,
            CompanyName.kind,
            CompanyName.script,
            Company.country,
            or_(
                Company.registration_number_norm == registration,
                Company.tax_number_norm == registration,
            ).label("shares_registration"),
        )
        .join(Company, Company.id == CompanyName.company_id)
        .where(
            Company.deleted_at.is_(None),
            Company.origin_node.is_(None),
            Company.id != company.id,
        )
    )
    matcher = Matcher(tokens, phonetic=True)

    def compare(row: Row[Any]) -> tuple[uuid.UUID, NameComparison]:
        return row.company_id, matcher.compare(analyse(row.name, company=True))

    columns = (CompanyName.search_text, CompanyName.search_terms, CompanyName.phonetic_codes)
    best, _ = retrieve(session, base, columns, tokens, phonetic=True, compare=compare)
    hits = company_search.rank(session, query, tokens, best)
    return [(h.company_id, h.display_name, h.score, h.explanation) for h in hits]


def rejected_pairs(session: Session, record_type: str) -> set[tuple[uuid.UUID, uuid.UUID]]:
    """Pairs whose latest decision is "not the same"."""
    latest: dict[tuple[uuid.UUID, uuid.UUID], Decision] = {}
    rows = session.execute(
        select(MergeDecision.record_a_id, MergeDecision.record_b_id, MergeDecision.decision)
        .where(MergeDecision.record_type == record_type)
        .order_by(MergeDecision.decided_at)
    )
    for a, b, decision in rows:
        latest[(a, b)] = decision
    return {pair for pair, decision in latest.items() if decision is Decision.NOT_SAME}


def _names(record: Person | Company) -> list[str]:
    if isinstance(record, Person):
        forms = [n.full_name for n in record.names]
    else:
        forms = [n.name for n in record.names]
    return list(dict.fromkeys(forms))[:MAX_FORMS]


def candidates_of(
    session: Session,
    record_type: str,
    record: Person | Company,
    *,
    min_score: float = DEFAULT_MIN_SCORE,
    limit: int = 10,
) -> list[Candidate]:
    """Other live national records that may be ``record``, best first (no ledger filter)."""
    options = SearchOptions(min_score=min_score, limit=limit + 1)
    # Every name form of the record is a query: "Silk Road Logistics" finds its twin by its
    # English name even where the primary names are in different languages.
    best: dict[uuid.UUID, tuple[uuid.UUID, str, float, Explanation]] = {}
    for name in _names(record):
        try:
            if isinstance(record, Person):
                hits = _person_hits(session, record, name, options)
            else:
                hits = _company_hits(session, record, name, options)
        except ValidationError:
            # A name that cannot be searched (no letters) finds no duplicates.
            continue
        for hit in hits:
            if hit[0] not in best or hit[2] > best[hit[0]][2]:
                best[hit[0]] = hit
    ranked = sorted(best.values(), key=lambda h: (-h[2], str(h[0])))
    return [
        Candidate(record_type, record.id, record.display_name, other, name, score, explanation)
        for other, name, score, explanation in ranked
        if other != record.id
    ][:limit]


def _recent(session: Session, model: type[R], offset: int, window: int) -> list[R]:
    return list(
        session.execute(
            select(model)
            .where(model.deleted_at.is_(None), model.origin_node.is_(None))
            .order_by(model.updated_at.desc(), model.id)
            .offset(offset)
            .limit(window)
        ).scalars()
    )


def count_records(session: Session, record_type: str) -> int:
    """How many live national records of the type there are (the pages of candidates)."""
    model: Any = Person if record_type == "person" else Company
    return session.execute(
        select(func.count())
        .select_from(model)
        .where(model.deleted_at.is_(None), model.origin_node.is_(None))
    ).scalar_one()


def duplicate_candidates(
    session: Session,
    record_type: str,
    *,
    min_score: float = DEFAULT_MIN_SCORE,
    offset: int = 0,
    window: int = DEFAULT_WINDOW,
) -> list[Candidate]:
    """Candidate pairs of ``window`` live national records, most recently changed first,
    skipping the first ``offset`` (the work per call is bounded by ``window``).

    Each pair appears once, with its best score; pairs judged "not the same" are left out.
    Reads only; the caller checks the right to see them.
    """
    records: list[Person] | list[Company] = (
        _recent(session, Person, offset, window)
        if record_type == "person"
        else _recent(session, Company, offset, window)
    )
    rejected = rejected_pairs(session, record_type)
    pairs: dict[tuple[uuid.UUID, uuid.UUID], Candidate] = {}
    for record in records:
        for candidate in candidates_of(session, record_type, record, min_score=min_score):
            if candidate.pair in rejected:
                continue
            known = pairs.get(candidate.pair)
            if known is None or candidate.score > known.score:
                pairs[candidate.pair] = candidate
    return sorted(pairs.values(), key=lambda c: (-c.score, str(c.pair)))
