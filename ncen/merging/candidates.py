"""Duplicate candidates: pairs of live national persons (or companies) that may be one.

Each record of a window of recently changed records is searched for with the search domain itself
(`ncen.search.candidates.retrieve` and `ncen.search.persons.rank`, or the company twin), over
the other live national records, using its own primary name, birth date, gender, nationality
and document numbers as the query's qualifiers. For persons the hits found by name are then
judged as duplicates (`ncen.merging.evidence`): the name score of the best pair of forms plus
the evidence for (shared documents, contacts, addresses, seizures, the same date of birth) and
against (another patronymic, gender, gendered ending, date of birth or nationality), with the
facts of every person of the window read in one batch (`ncen.merging.facts`). Companies keep
the search score. Pairs whose latest ledger decision is "not the same" are not proposed again.
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
from ncen.merging.evidence import Evidence, PersonFacts, judge
from ncen.merging.facts import person_facts
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
# Persons are retrieved by name down to this search score, and as many as this per name form,
# before the evidence is weighed: a true duplicate in another script (name 0.85) must not be
# crowded out by a dozen exact namesakes.
NAME_FLOOR = 0.6
HITS_PER_FORM = 30

Hit = tuple[uuid.UUID, str, float, Explanation]


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
    # The search score of the pair (the ranking before the duplicate evidence) and, for
    # persons, the evidence for and against behind ``score`` (`ncen.merging.evidence`).
    search_score: float = 0.0
    evidence: tuple[Evidence, ...] = ()

    @property
    def evidence_for(self) -> tuple[Evidence, ...]:
        """The evidence that the two records are one."""
        return tuple(e for e in self.evidence if e.direction == "for")

    @property
    def evidence_against(self) -> tuple[Evidence, ...]:
        """The evidence that they are two."""
        return tuple(e for e in self.evidence if e.direction == "against")

    @property
    def pair(self) -> tuple[uuid.UUID, uuid.UUID]:
        """The pair in ledger order (smaller id first)."""
        return ordered(self.record_id, self.other_id)


def ordered(a: uuid.UUID, b: uuid.UUID) -> tuple[uuid.UUID, uuid.UUID]:
    """The two ids with the smaller first: one key per pair, whichever way it is asked."""
    return (a, b) if str(a) < str(b) else (b, a)


def _person_hits(session: Session, person: Person, name: str, options: SearchOptions) -> list[Hit]:
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
) -> list[Hit]:
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


def name_hits(
    session: Session, record: Person | Company, options: SearchOptions
) -> dict[uuid.UUID, Hit]:
    """The best search hit of each other record, over every name form of ``record``."""
    # Every name form of the record is a query: "Silk Road Logistics" finds its twin by its
    # English name even where the primary names are in different languages.
    best: dict[uuid.UUID, Hit] = {}
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
            kept = best.get(hit[0])
            if hit[0] != record.id and (kept is None or hit[3].name_score > kept[3].name_score):
                best[hit[0]] = hit
    return best


def judge_hits(
    session: Session,
    record_type: str,
    found: dict[uuid.UUID, tuple[Person | Company, dict[uuid.UUID, Hit]]],
) -> list[Candidate]:
    """Every hit of every record of ``found`` as a `Candidate` (persons judged in one batch)."""
    facts: dict[uuid.UUID, PersonFacts] = {}
    if record_type == "person":
        ids = set(found) | {other for _, hits in found.values() for other in hits}
        facts = person_facts(session, ids)
    out: list[Candidate] = []
    for record_id, (record, hits) in found.items():
        for other, name, search_score, explanation in hits.values():
            score: float = search_score
            evidence: tuple[Evidence, ...] = ()
            if record_id in facts and other in facts:
                judgement = judge(explanation.name_score, facts[record_id], facts[other])
                score, evidence = judgement.score, judgement.evidence
            out.append(
                Candidate(
                    record_type,
                    record_id,
                    record.display_name,
                    other,
                    name,
                    score,
                    explanation,
                    search_score,
                    evidence,
                )
            )
    return out


def options_for(record_type: str, min_score: float, limit: int) -> SearchOptions:
    if record_type == "person":
        return SearchOptions(min_score=min(min_score, NAME_FLOOR), limit=max(limit, HITS_PER_FORM))
    return SearchOptions(min_score=min_score, limit=limit + 1)


def _best_first(found: list[Candidate]) -> list[Candidate]:
    return sorted(found, key=lambda c: (-c.score, -c.explanation.name_score, str(c.pair)))


def candidates_of(
    session: Session,
    record_type: str,
    record: Person | Company,
    *,
    min_score: float = DEFAULT_MIN_SCORE,
    limit: int = 10,
) -> list[Candidate]:
    """Other live national records that may be ``record``, best first (no ledger filter)."""
    hits = name_hits(session, record, options_for(record_type, min_score, limit))
    judged = judge_hits(session, record_type, {record.id: (record, hits)})
    return [c for c in _best_first(judged) if c.score >= min_score][:limit]


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
    options = options_for(record_type, min_score, 10)
    found = {record.id: (record, name_hits(session, record, options)) for record in records}
    pairs: dict[tuple[uuid.UUID, uuid.UUID], Candidate] = {}
    for candidate in judge_hits(session, record_type, found):
        if candidate.score < min_score or candidate.pair in rejected:
            continue
        known = pairs.get(candidate.pair)
        if known is None or candidate.score > known.score:
            pairs[candidate.pair] = candidate
    return _best_first(list(pairs.values()))
