"""Company name search: legal forms removed, names in every script, scored and explained.

The same retrieval and re-ranking as person search (`ncen.search.persons`), over company
names. "ТОО «Шелковый путь»", "Shelkovyy Put LLP" and "Шелковый путь" are one name once the
legal form is gone. The country and the registration or tax number of the query qualify the
score; ``only_country`` filters. Audited as ``search.companies`` (settings and hit count only).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Row, or_, select
from sqlalchemy.orm import Session

from ncen.accounts.actor import Actor
from ncen.companies.models import Company, CompanyName
from ncen.identifiers import normalize_document_number
from ncen.policy import Action, require
from ncen.scripts import detect_script
from ncen.search import candidates, qualifiers
from ncen.search.auditing import describe_query, record_search
from ncen.search.explain import Explanation
from ncen.search.keys import Token, analyse
from ncen.search.matching import Matcher, NameComparison
from ncen.search.normalise import check_query_text
from ncen.search.query import CompanyQuery
from ncen.search.results import SearchResults, display_names, no_words_error


@dataclass(frozen=True, slots=True)
class CompanyHit:
    """One company found, with the score and the explanation of its best name."""

    company_id: uuid.UUID
    display_name: str
    score: float
    explanation: Explanation
    country: str | None


def find_candidates(
    session: Session, query: CompanyQuery, tokens: Sequence[Token], matcher: Matcher
) -> tuple[candidates.Best, int]:
    """The best name of each candidate company (see `ncen.search.candidates.retrieve`)."""
    registration = (
        normalize_document_number(query.registration_number) if query.registration_number else ""
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
        .where(Company.deleted_at.is_(None))
    )
    if not query.options.transliteration:
        base = base.where(CompanyName.script == detect_script(query.name))
    if query.only_country is not None:
        base = base.where(Company.country == query.only_country)

    def compare(row: Row[Any]) -> tuple[uuid.UUID, NameComparison]:
        return row.company_id, matcher.compare(analyse(row.name, company=True))

    columns = (CompanyName.search_text, CompanyName.search_terms, CompanyName.phonetic_codes)
    return candidates.retrieve(
        session, base, columns, tokens, phonetic=query.options.phonetic, compare=compare
    )


def rank(
    session: Session, query: CompanyQuery, tokens: Sequence[Token], best: candidates.Best
) -> list[CompanyHit]:
    """Apply the qualifiers to each company's best name: hits best first, at most ``limit``."""
    query_form = " ".join(t.text for t in tokens)
    hits: list[tuple[float, float, uuid.UUID, Explanation, Row[Any]]] = []
    for company_id, (comparison, row) in best.items():
        effects = qualifiers.company_effects(
            query, row.country, bool(query.registration_number and row.shares_registration)
        )
        score = qualifiers.apply(comparison.score, effects)
        if score < query.options.min_score:
            continue
        explanation = Explanation(
            query_form,
            row.name,
            " ".join(t.text for t in analyse(row.name, company=True)),
            row.kind.value,
            row.script,
            comparison.words,
            comparison.transformations,
            comparison.score,
            effects,
            score,
        )
        raw = comparison.score + sum(e.delta for e in effects)
        hits.append((score, raw, company_id, explanation, row))
    # Ties on the clamped score go to the stronger evidence, then the better name.
    hits.sort(key=lambda h: (-h[0], -h[1], -h[3].name_score, str(h[2])))
    top = hits[: query.options.limit]
    names = display_names(session, CompanyName, CompanyName.company_id, [h[2] for h in top])
    return [
        CompanyHit(
            company_id,
            names.get(company_id, explanation.matched_form),
            score,
            explanation,
            row.country,
        )
        for score, _, company_id, explanation, row in top
    ]


def search_companies(
    session: Session, actor: Actor, query: CompanyQuery, *, audit: bool = True
) -> SearchResults[CompanyHit]:
    """Find companies whose names match ``query.name``, best first, with explanations.

    Raises `PermissionDeniedError` or `ValidationError` (see `search_persons`). Side effect: one
    ``search.companies`` audit event with the query and the ids of every hit returned, unless
    ``audit`` is False (the caller audits what it shows).
    """
    require(actor, Action.SEARCH)
    tokens = analyse(check_query_text(query.name, "name"), company=True)
    if not tokens:
        raise no_words_error()
    matcher = Matcher(tokens, phonetic=query.options.phonetic)
    best, examined = find_candidates(session, query, tokens, matcher)
    hits = rank(session, query, tokens, best)
    if audit:
        record_search(
            session,
            actor,
            "search.companies",
            query=describe_query(query),
            shown={"company": [h.company_id for h in hits]},
            details={
                "results": len(hits),
                "transliteration": query.options.transliteration,
                "phonetic": query.options.phonetic,
            },
        )
    return SearchResults(tuple(hits), examined)
