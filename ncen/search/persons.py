"""Person name search: "have we seen this person before?", across scripts and spellings.

`search_persons` retrieves candidate name forms in PostgreSQL (`ncen.search.candidates`),
re-ranks them in Python (`ncen.search.matching`), applies the qualifiers of the query
(`ncen.search.qualifiers`) and returns each person once, with the best of its name forms and
an `Explanation`. Soft-deleted persons are never returned. Every search is audited as
``search.persons`` with its settings and the number of hits, never the name searched for or
the names found.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Row, select
from sqlalchemy.orm import Session

from ncen.accounts.actor import Actor
from ncen.identifiers import normalize_document_number
from ncen.persons.models import Gender, IdentityDocument, Person, PersonName, PersonNationality
from ncen.policy import Action, require
from ncen.scripts import detect_script
from ncen.search import candidates, qualifiers
from ncen.search.auditing import describe_query, record_search
from ncen.search.explain import Explanation
from ncen.search.keys import Token, analyse
from ncen.search.matching import Matcher, NameComparison
from ncen.search.normalise import check_query_text
from ncen.search.parents import parent_effects
from ncen.search.query import PersonQuery
from ncen.search.results import SearchResults, display_names, no_words_error


@dataclass(frozen=True, slots=True)
class PersonHit:
    """One person found, with the score and the explanation of its best name form."""

    person_id: uuid.UUID
    display_name: str
    score: float
    explanation: Explanation
    gender: Gender
    birth_year: int | None
    nationalities: tuple[str, ...]


def _statement(query: PersonQuery) -> Any:
    stmt = (
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
        .where(Person.deleted_at.is_(None))
    )
    if not query.options.transliteration:
        stmt = stmt.where(PersonName.script == detect_script(query.name))
    if query.birth_year_from is not None:
        stmt = stmt.where(Person.birth_year >= query.birth_year_from)
    if query.birth_year_to is not None:
        stmt = stmt.where(Person.birth_year <= query.birth_year_to)
    if query.only_gender is not None:
        stmt = stmt.where(Person.gender == query.only_gender)
    if query.only_nationality is not None:
        stmt = stmt.where(
            select(PersonNationality.person_id)
            .where(
                PersonNationality.person_id == Person.id,
                PersonNationality.country == query.only_nationality,
            )
            .exists()
        )
    return stmt


def retrieval_statements(
    session: Session, query: PersonQuery, tokens: Sequence[Token]
) -> list[Any]:
    """The statements of every retrieval step for ``query``, for inspection (EXPLAIN)."""
    columns = (PersonName.search_text, PersonName.search_terms, PersonName.phonetic_codes)
    return list(
        candidates.steps(session, _statement(query), columns, tokens, query.options.phonetic)
    )


def find_candidates(
    session: Session, query: PersonQuery, tokens: Sequence[Token], matcher: Matcher
) -> tuple[candidates.Best, int]:
    """The best name form of each candidate person (see `ncen.search.candidates.retrieve`)."""

    def compare(row: Row[Any]) -> tuple[uuid.UUID, NameComparison]:
        return row.person_id, matcher.compare(analyse(row.full_name, patronymic=row.patronymic))

    columns = (PersonName.search_text, PersonName.search_terms, PersonName.phonetic_codes)
    return candidates.retrieve(
        session,
        _statement(query),
        columns,
        tokens,
        phonetic=query.options.phonetic,
        compare=compare,
    )


def _facts(
    session: Session, query: PersonQuery, ids: list[uuid.UUID]
) -> tuple[dict[uuid.UUID, set[str]], set[uuid.UUID]]:
    nationalities: dict[uuid.UUID, set[str]] = {}
    rows = session.execute(
        select(PersonNationality.person_id, PersonNationality.country).where(
            PersonNationality.person_id.in_(ids)
        )
    )
    for person_id, country in rows:
        nationalities.setdefault(person_id, set()).add(country)
    shared: set[uuid.UUID] = set()
    numbers = [normalize_document_number(n) for n in query.document_numbers]
    if numbers:
        shared = set(
            session.execute(
                select(IdentityDocument.person_id).where(
                    IdentityDocument.person_id.in_(ids), IdentityDocument.number_norm.in_(numbers)
                )
            ).scalars()
        )
    return nationalities, shared


def rank(
    session: Session, query: PersonQuery, tokens: Sequence[Token], best: candidates.Best
) -> list[PersonHit]:
    """Apply the qualifiers to each person's best form: hits best first, at most ``limit``."""
    nationalities, shared = _facts(session, query, list(best))
    hits: list[tuple[float, float, uuid.UUID, Explanation, Row[Any]]] = []
    query_form = " ".join(t.text for t in tokens)
    for person_id, (comparison, row) in best.items():
        facts = qualifiers.PersonFacts(
            row.gender,
            row.birth_year,
            row.birth_month,
            row.birth_day,
            frozenset(nationalities.get(person_id, ())),
            person_id in shared,
        )
        effects = qualifiers.person_effects(query, facts)
        # A named parent (s/o, bin, oglu, a Mongolian genitive) is compared as a qualifier.
        effects += parent_effects(tokens, analyse(row.full_name, patronymic=row.patronymic))
        score = qualifiers.apply(comparison.score, effects)
        if score < query.options.min_score:
            continue
        explanation = Explanation(
            query_form,
            row.full_name,
            " ".join(t.text for t in analyse(row.full_name, patronymic=row.patronymic)),
            row.kind.value,
            row.script,
            comparison.words,
            comparison.transformations,
            comparison.score,
            effects,
            score,
        )
        raw = comparison.score + sum(e.delta for e in effects)
        hits.append((score, raw, person_id, explanation, row))
    # Ties on the clamped score go to the stronger evidence, then the better name.
    hits.sort(key=lambda h: (-h[0], -h[1], -h[3].name_score, str(h[2])))
    top = hits[: query.options.limit]
    names = display_names(session, PersonName, PersonName.person_id, [h[2] for h in top])
    return [
        PersonHit(
            person_id,
            names.get(person_id, explanation.matched_form),
            score,
            explanation,
            row.gender,
            row.birth_year,
            tuple(sorted(nationalities.get(person_id, ()))),
        )
        for score, _, person_id, explanation, row in top
    ]


def search_persons(
    session: Session, actor: Actor, query: PersonQuery, *, audit: bool = True
) -> SearchResults[PersonHit]:
    """Find persons whose names match ``query.name``, best first, with explanations.

    Raises `PermissionDeniedError` without the search right and `ValidationError` for a name
    that cannot be searched (empty, too short, too long, no letters). Side effect: one
    ``search.persons`` audit event with the query and the ids of every hit returned, unless
    ``audit`` is False: the caller then writes the event of what it shows
    (`ncen.search.auditing.record_search`).
    """
    require(actor, Action.SEARCH)
    tokens = analyse(check_query_text(query.name, "name"))
    if not tokens:
        raise no_words_error()
    matcher = Matcher(tokens, phonetic=query.options.phonetic)
    best, examined = find_candidates(session, query, tokens, matcher)
    hits = rank(session, query, tokens, best)
    if audit:
        record_search(
            session,
            actor,
            "search.persons",
            query=describe_query(query),
            shown={"person": [h.person_id for h in hits]},
            details={
                "results": len(hits),
                "transliteration": query.options.transliteration,
                "phonetic": query.options.phonetic,
            },
        )
    return SearchResults(tuple(hits), examined)
