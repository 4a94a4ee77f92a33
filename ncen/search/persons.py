"""Person name search: "have we seen this person before?", across scripts and spellings.

`search_persons` retrieves candidate name forms in PostgreSQL (`ncen.search.candidates`),
re-ranks them in Python (`ncen.search.matching`), applies the qualifiers of the query
(`ncen.search.qualifiers`) and returns each person once, with the best of its name forms and
an `Explanation`. Soft-deleted persons are never returned. Every search is audited as
``search.persons`` with its settings and the number of hits, never the name searched for or
the names found.

Filters (birth-year range, nationality, gender) are conditions of the retrieval statements in
SQL, so the bounded retrieval steps work within the filtered population and the top hits are
the top of what passes. A person whose filtered fact is unknown (no birth year, no
nationality, gender unknown) is excluded unless ``include_unknown`` is set.

Hits are ordered deterministically, so two nodes holding the same records rank them alike
whatever the order they were written in: by score (then the score before clamping and caps),
then by the record's completeness (`COMPLETENESS`: how many facts it holds), then by its
reference: display name, date of birth, origin node and origin id; the random record id only
separates records that show identically.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Integer, Row, and_, func, literal, or_, select
from sqlalchemy.orm import Session

from ncen.accounts.actor import Actor
from ncen.identifiers import normalize_document_number
from ncen.persons.models import (
    Gender,
    IdentityDocument,
    Person,
    PersonAddress,
    PersonContact,
    PersonName,
    PersonNationality,
)
from ncen.policy import Action, require
from ncen.scripts import detect_script
from ncen.search import candidates, evidence, prior, qualifiers
from ncen.search.auditing import describe_query, record_search
from ncen.search.explain import Explanation, QualifierEffect
from ncen.search.keys import Token, analyse
from ncen.search.matching import Matcher, NameComparison
from ncen.search.normalise import check_query_text
from ncen.search.parents import parent_effects, parent_words, unmarked_parent_effects
from ncen.search.query import PersonQuery
from ncen.search.results import (
    IDS,
    SearchResults,
    among,
    display_names,
    no_words_error,
    read,
)

# The facts counted by a record's completeness (a tie-breaker): each filled field counts 1,
# each name, nationality, identity document, address and contact detail 1 more.
COMPLETENESS = (
    "gender known",
    "birth year",
    "birth month",
    "birth day",
    "birth place",
    "birth country",
    "description",
    "names",
    "nationalities",
    "identity documents",
    "addresses",
    "contacts",
)


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
    same = _scripts(query)
    if same is not None:
        stmt = stmt.where(PersonName.script.in_(same))
    return stmt.where(*_filters(query))


_HAN_CODES = ("Hani", "Hans", "Hant")


def _scripts(query: PersonQuery) -> tuple[str, ...] | None:
    """The scripts of the name forms searched: all (None) with transliteration, else the
    query's own script."""
    if query.options.transliteration:
        return None
    script = detect_script(query.name)
    # Names may be stored as simplified or traditional Chinese (ISO 15924 Hans/Hant), while
    # detection only tells Han text apart: the three codes are one script here.
    return _HAN_CODES if script in _HAN_CODES else (script,)


def _filters(query: PersonQuery) -> list[Any]:
    """The SQL conditions of the query's filters (unknown facts pass with ``include_unknown``)."""
    conditions: list[Any] = []
    unknown = query.include_unknown
    years = []
    if query.birth_year_from is not None:
        years.append(Person.birth_year >= query.birth_year_from)
    if query.birth_year_to is not None:
        years.append(Person.birth_year <= query.birth_year_to)
    if years:
        conditions.append(
            or_(and_(*years), Person.birth_year.is_(None)) if unknown else and_(*years)
        )
    if query.only_gender is not None:
        gender = Person.gender == query.only_gender
        conditions.append(or_(gender, Person.gender == Gender.UNKNOWN) if unknown else gender)
    if query.only_nationality is not None:
        held = select(PersonNationality.person_id).where(PersonNationality.person_id == Person.id)
        nationality = held.where(PersonNationality.country == query.only_nationality).exists()
        conditions.append(or_(nationality, ~held.exists()) if unknown else nationality)
    return conditions


def _names_only(query: PersonQuery) -> list[Any] | None:
    """The conditions of `_statement` restated on the name forms alone, or None when the
    query filters on facts of the records (see `ncen.search.candidates.retrieve`).

    A live person is one not among the deleted, which a partial index lists
    (``ix_persons_deleted``): the few deleted persons are read once per statement, instead of
    each candidate form's person."""
    if _filters(query):
        return None
    deleted = select(Person.id).where(Person.deleted_at.is_not(None))
    conditions: list[Any] = [PersonName.person_id.not_in(deleted)]
    same = _scripts(query)
    if same is not None:
        conditions.append(PersonName.script.in_(same))
    return conditions


def retrieval_statements(
    session: Session, query: PersonQuery, tokens: Sequence[Token]
) -> list[Any]:
    """The statements of every retrieval step for ``query``, for inspection (EXPLAIN)."""
    columns = (PersonName.search_text, PersonName.search_terms, PersonName.phonetic_codes)
    return list(
        candidates.steps(
            session,
            _statement(query),
            columns,
            tokens,
            query.options.phonetic,
            names_only=_names_only(query),
        )
    )


def find_candidates(
    session: Session, query: PersonQuery, tokens: Sequence[Token], matcher: Matcher
) -> tuple[candidates.Best, int]:
    """The best name form of each candidate person (see `ncen.search.candidates.retrieve`)."""

    # A comparison is a function of the name form alone, and a common name is borne by many
    # of the candidates: each written form is compared once.
    compared: dict[tuple[str, str | None], NameComparison] = {}

    def compare(row: Row[Any]) -> tuple[uuid.UUID, NameComparison]:
        key = (row.full_name, row.patronymic)
        comparison = compared.get(key)
        if comparison is None:
            record = analyse(row.full_name, patronymic=row.patronymic)
            comparison = compared[key] = matcher.compare(record)
        return row.person_id, comparison

    columns = (PersonName.search_text, PersonName.search_terms, PersonName.phonetic_codes)
    names_only = _names_only(query)
    return candidates.retrieve(
        session,
        _statement(query),
        columns,
        tokens,
        phonetic=query.options.phonetic,
        compare=compare,
        names_only=names_only,
        # Without filters, the statements differ only by the script they keep (if any): each
        # is built once per shape of query (see `ncen.search.candidates.plan`).
        shape=None if names_only is None else ("person", _scripts(query)),
    )


def _nationalities(session: Session, ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, set[str]]:
    """The nationalities of each person of ``ids`` (persons without one are left out)."""
    nationalities: dict[uuid.UUID, set[str]] = {}
    if not ids:
        return nationalities
    rows = read(session, _NATIONALITIES, {IDS.key: list(ids)})
    for person_id, country in rows:
        nationalities.setdefault(person_id, set()).add(country)
    return nationalities


def _facts(
    session: Session, query: PersonQuery, ids: list[uuid.UUID]
) -> tuple[dict[uuid.UUID, set[str]] | None, set[uuid.UUID]]:
    """The nationalities of every candidate, when the query weighs them (None otherwise: they
    change no score, and only the hits returned show theirs), and the candidates sharing one
    of the query's document numbers."""
    nationalities = _nationalities(session, ids) if query.nationality else None
    shared: set[uuid.UUID] = set()
    numbers = [normalize_document_number(n) for n in query.document_numbers]
    if numbers:
        shared = set(
            session.execute(
                select(IdentityDocument.person_id).where(
                    among(IdentityDocument.person_id, ids),
                    IdentityDocument.number_norm.in_(numbers),
                )
            ).scalars()
        )
    return nationalities, shared


def _effects(  # noqa: PLR0917 - one candidate's every input, named at the one call
    tokens: Sequence[Token],
    matcher: Matcher,
    comparison: NameComparison,
    row: Row[Any],
    facts: tuple[QualifierEffect, ...],
    forms: _Forms,
    store: prior.StoreEvidence,
    named: dict[tuple[Any, ...], _NameEvidence] | None = None,
) -> tuple[tuple[QualifierEffect, ...], float]:
    """Every qualifier effect on one candidate, and its score before clamping and caps.

    ``facts`` are the effects of the query's qualifiers on the candidate's record
    (`qualifiers.person_effects`).
    ``forms`` holds the patronymic words and parents' names of all the person's name forms:
    a form that leaves them out still meets those another form (or the field) records.
    ``store`` is what the store says of the query's name (`ncen.search.prior`). ``named``
    keeps what the name says (`_name_evidence`) across the candidates of one search, which
    share ``tokens``, ``matcher`` and ``store``: namesakes then cost it once."""
    # ``forms`` by identity: each person's is one object for the whole search.
    key = (row.full_name, row.patronymic, row.gender, id(forms))
    evidence_ = None if named is None else named.get(key)
    if evidence_ is None:
        evidence_ = _name_evidence(tokens, matcher, comparison, row, forms, store)
        if named is not None:
            named[key] = evidence_
    effects = [*facts, *evidence_.effects]
    raw = round(comparison.score + sum(e.delta for e in effects), 4)
    if evidence_.reasons:
        effects += evidence.capped(raw, list(evidence_.reasons))
    return tuple(effects), raw


@dataclass(frozen=True, slots=True)
class _NameEvidence:
    """What a candidate's name form says, whatever the facts of its record: the effects of
    the name (after the record's qualifiers in a candidate's effects) and the reasons to cap
    its score."""

    effects: tuple[QualifierEffect, ...]
    reasons: tuple[tuple[str, str, str], ...]


def _name_evidence(  # noqa: PLR0917 - the name's every input, named at the one call
    tokens: Sequence[Token],
    matcher: Matcher,
    comparison: NameComparison,
    row: Row[Any],
    forms: _Forms,
    store: prior.StoreEvidence,
) -> _NameEvidence:
    """The effects and cap reasons of one name form (a function of ``row``'s name, patronymic
    and gender, ``forms``, and the search: see `_effects`)."""
    record = analyse(row.full_name, patronymic=row.patronymic)
    effects = [
        *evidence.name_effects(
            tokens,
            evidence.with_patronymics(record, forms.patronymics),
            comparison.words,
            row.gender,
            lambda q, r: matcher.word(q, r)[0],
        ),
        # A named parent (s/o, bin, oglu, a Mongolian genitive) is compared as a qualifier.
        *parent_effects(tokens, record, forms.parents),
        *unmarked_parent_effects(
            tokens, record, comparison.words, lambda q, r: matcher.word(q, r)[0]
        ),
    ]
    reasons = evidence.cap_reasons(tokens, record, comparison.words)
    pairs = evidence.matched_pairs(tokens, record, comparison.words)
    # Another parent or patronymic is another person, whatever else agrees (a namesake born
    # the same day): never a strong match. (The record's qualifiers are never about parents.)
    reasons += [
        (e.qualifier, "conflicts", "another parent: never a strong match")
        for e in effects
        if e.qualifier in {"parentage", "patronymic"} and e.outcome == "conflicts"
    ][:1]
    other_name = prior.other_name_reason(store, pairs)
    if other_name is not None:
        reasons.append(other_name)
    return _NameEvidence(tuple(effects), tuple(reasons))


@dataclass(frozen=True, slots=True)
class _Forms:
    """What every name form of a person says about their parents, for the qualifiers: the
    patronymic words (`evidence.patronymic_words`) and each form's parent's name."""

    patronymics: tuple[Token, ...] = ()
    parents: tuple[tuple[Token, ...], ...] = ()


_NO_FORMS = _Forms()


def _all_forms(
    session: Session, tokens: Sequence[Token], ids: list[uuid.UUID]
) -> dict[uuid.UUID, _Forms]:
    """The patronymics and parents' names of every name form of each person, looked up only
    when the query names a patronymic or a parent itself (else they change nothing): a form
    that leaves them out still meets those another form (or the field) records."""
    wants_patronymic = any(t.optional and not t.parent for t in tokens)
    wants_parent = any(t.parent for t in tokens)
    if not (wants_patronymic or wants_parent) or not ids:
        return {}
    found: dict[uuid.UUID, tuple[dict[str, Token], list[tuple[Token, ...]]]] = {}
    rows = session.execute(
        select(PersonName.person_id, PersonName.full_name, PersonName.patronymic).where(
            among(PersonName.person_id, ids)
        )
    )
    for person_id, full_name, patronymic in rows:
        words, parents = found.setdefault(person_id, ({}, []))
        if wants_patronymic:
            for token in evidence.patronymic_words(full_name, patronymic):
                words.setdefault(token.text, token)
        if wants_parent:
            named = parent_words(analyse(full_name, patronymic=patronymic))
            if named and named not in parents:
                parents.append(named)
    return {
        person_id: _Forms(tuple(words.values()), tuple(parents))
        for person_id, (words, parents) in found.items()
    }


def _completeness() -> Any:
    """The SQL count of the facts a person holds (see `COMPLETENESS`)."""

    def count(model: Any) -> Any:
        return (
            select(func.count())
            .select_from(model)
            .where(model.person_id == Person.id)
            .scalar_subquery()
        )

    filled = sum(
        (func.cast(column.is_not(None), Integer) for column in _OPTIONAL_FACTS),
        func.cast(Person.gender != Gender.UNKNOWN, Integer),
    )
    return filled + sum(
        (
            count(m)
            for m in (PersonName, PersonNationality, IdentityDocument, PersonAddress, PersonContact)
        ),
        literal(0),
    )


_OPTIONAL_FACTS = (
    Person.birth_year,
    Person.birth_month,
    Person.birth_day,
    Person.birth_place,
    Person.birth_country,
    Person.description,
)


def _tie_breakers(
    session: Session, ids: Sequence[uuid.UUID], names: dict[uuid.UUID, str]
) -> dict[uuid.UUID, tuple[Any, ...]]:
    """Each person's sort key among hits of equal scores: completeness (most facts first, see
    `COMPLETENESS`), then the reference: display name, date of birth, origin, then id.

    ``names`` receives the display names of ``ids`` (`display_names`), which the caller
    shows."""
    if not ids:
        return {}
    names.update(display_names(session, PersonName, PersonName.person_id, ids))
    rows = read(session, _TIE_BREAKERS, {IDS.key: list(ids)})
    return {
        person_id: (
            -int(complete),
            names.get(person_id, "").casefold(),
            names.get(person_id, ""),
            *(-1 if v is None else v for v in (year, month, day)),
            origin_node or "",
            origin_id or "",
            str(person_id),
        )
        for person_id, complete, year, month, day, origin_node, origin_id in rows
    }


# Statements of every search, built once (see `ncen.search.results.IDS`).
_TIE_BREAKERS = select(
    Person.id,
    _completeness(),
    Person.birth_year,
    Person.birth_month,
    Person.birth_day,
    Person.origin_node,
    Person.origin_id,
).where(among(Person.id, IDS))
_NATIONALITIES = select(PersonNationality.person_id, PersonNationality.country).where(
    among(PersonNationality.person_id, IDS)
)


def _order(
    session: Session, hits: list[_Scored], limit: int, names: dict[uuid.UUID, str]
) -> list[_Scored]:
    """The first ``limit`` of ``hits``, best first: score, score before clamping,
    completeness, reference (see the module docstring). Completeness and references are
    looked up only for the tied hits that reach into the first ``limit``; ``names`` receives
    the display names of those (see `_tie_breakers`)."""
    hits = sorted(hits, key=lambda h: (-h[0], -h[1]))
    if len(hits) > limit:
        last = hits[limit - 1][:2]
        hits = [h for h in hits if (-h[0], -h[1]) <= (-last[0], -last[1])]
    groups: dict[tuple[float, float], int] = {}
    for hit in hits:
        groups[hit[0], hit[1]] = groups.get((hit[0], hit[1]), 0) + 1
    tied = [hit[2] for hit in hits if groups[hit[0], hit[1]] > 1]
    keys = _tie_breakers(session, tied, names)
    # A hit without a tie (or a record gone since) sorts as if it held nothing, by its id.
    return sorted(hits, key=lambda h: (-h[0], -h[1], *keys.get(h[2], (0, str(h[2])))))[:limit]


# Score, score before clamping and caps, person, what its explanation is made of (built
# for the hits returned only), best name form.
_Scored = tuple[
    float, float, uuid.UUID, tuple[NameComparison, tuple[QualifierEffect, ...]], Row[Any]
]


def rank(
    session: Session,
    query: PersonQuery,
    tokens: Sequence[Token],
    best: candidates.Best,
    *,
    store_evidence: bool = False,
    matcher: Matcher | None = None,
) -> list[PersonHit]:
    """Apply the qualifiers to each person's best form: hits best first, at most ``limit``.

    With ``store_evidence`` (the person search), what the store says of the name counts too
    (`ncen.search.prior`: a name borne by many, a query word that is another name on record);
    the duplicates queue, which weighs its own evidence, leaves it out. ``matcher``: the one
    that retrieved ``best`` for ``tokens``, whose word scores are then not computed again."""
    store = prior.StoreEvidence()
    if store_evidence:
        store = prior.StoreEvidence(prior.attested_words(session, tokens))
    nationalities, shared = _facts(session, query, list(best))
    forms = _all_forms(session, tokens, list(best))
    if matcher is None:
        matcher = Matcher(tokens, phonetic=query.options.phonetic)
    hits: list[_Scored] = []
    query_form = " ".join(t.text for t in tokens)
    scored = []
    named: dict[tuple[Any, ...], _NameEvidence] = {}
    # Without a birth year, nationality, gender or document number asked for, no record's
    # facts move its score: they are not gathered.
    qualified = (
        query.birth_year is not None
        or bool(query.nationality)
        or query.gender is not None
        or bool(shared)
    )
    for person_id, (comparison, row) in best.items():
        facts: tuple[QualifierEffect, ...] = ()
        if qualified:
            facts = qualifiers.person_effects(
                query,
                qualifiers.PersonFacts(
                    row.gender,
                    row.birth_year,
                    row.birth_month,
                    row.birth_day,
                    frozenset((nationalities or {}).get(person_id, ())),
                    person_id in shared,
                ),
            )
        effects, raw = _effects(
            tokens,
            matcher,
            comparison,
            row,
            facts,
            forms.get(person_id, _NO_FORMS),
            store,
            named,
        )
        scored.append((person_id, comparison, row, effects, raw))
    if store_evidence:
        # How many candidates could be the person asked for: only then is the name common.
        store = prior.StoreEvidence(
            store.attested, prior.count_namesakes((c.score, e) for _, c, _, e, _ in scored)
        )
        scored = [
            (pid, c, row, prior.with_common_name(store, c.score, e), raw)
            for pid, c, row, e, raw in scored
        ]
    for person_id, comparison, row, effects, raw in scored:
        score = qualifiers.apply(comparison.score, effects)
        if score >= query.options.min_score:
            hits.append((score, raw, person_id, (comparison, effects), row))
    names: dict[uuid.UUID, str] = {}
    top = _order(session, hits, query.options.limit, names)
    # The display names of the tied hits are in hand already (a name does not depend on the
    # other ids asked for).
    missing = [h[2] for h in top if h[2] not in names]
    names.update(display_names(session, PersonName, PersonName.person_id, missing))
    if nationalities is None:
        nationalities = _nationalities(session, [h[2] for h in top])
    found = []
    for score, _, person_id, (comparison, effects), row in top:
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
        found.append(
            PersonHit(
                person_id,
                names.get(person_id, row.full_name),
                score,
                explanation,
                row.gender,
                row.birth_year,
                tuple(sorted(nationalities.get(person_id, ()))),
            )
        )
    return found


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
    hits = rank(session, query, tokens, best, store_evidence=True, matcher=matcher)
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
