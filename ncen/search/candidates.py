"""Candidate retrieval in PostgreSQL: which name forms are worth re-ranking.

Retrieval is the union of up to five steps. Each step takes at most `PREFILTER` forms that
meet its condition through the GIN indexes, keeps the `CANDIDATES` of them closest to the
query's Latin reading (pg_trgm similarity), and has the forms not yet seen re-ranked. No step
is skipped because an earlier one found "something good enough": a strong match found early
(a Latin "Mukhamad Aliyev" born in another year) must never hide the person that only a later
step reaches (the Cyrillic "Мохамад Алиев" with the right birth year), since qualifiers applied
after retrieval can reorder them. The only steps left out are those whose rows are provably
already in hand: the conditions of the first four are nested (exact ⊂ anchored ⊂ strict ⊂
loose), so the loose step runs first, and when it returns fewer than `CANDIDATES` forms it
was not truncated and the three narrower steps are not run. "Any word" (which does not
contain the loose step: a word found only through a typo neighbour) always runs. The work of
a query is bounded by cost alone: at most five statements of at most `CANDIDATES` forms each
(`MAX_FORMS` re-ranked), whatever the size of the tables or the commonness of the name. A name form
qualifies when its ``search_terms`` or ``phonetic_codes`` arrays overlap the keys of every
required query word (``&&`` on GIN-indexed arrays: one bitmap index scan per key set,
intersected); from three words on all but one must meet, so that an extra word does not hide
the person, and patronymics in the query are never required. The steps differ in the keys of a word:

1. exact: the word, its other spellings and its variants and nicknames (`ncen.search.variants`);
2. anchored (queries of two words or more, phonetic matching on): one word by its exact keys,
   the others by their strict keys;
3. strict: also its first phonetic code, if it has two consonant classes or more (skipped
   when phonetic matching is off);
4. loose: also its other phonetic codes, its typo neighbours (up to `TYPO_NEIGHBOURS`
   vocabulary terms within trigram distance, from ``name_terms`` through its GIN trigram
   index) and, for codes of four classes or more, the codes one edit away, so that a
   misspelt name is still found;
5. any word: forms that meet the strict keys, with every phonetic code, of at least one query
   word (one word of the name may be beyond recognition). A common word meets tens of
   thousands of forms here, so this step chooses its closest forms among the name forms
   alone and only then joins their records (`_names_first`): each record lookup costs, and
   reading names does not. Filters then apply to the forms chosen: the filtered population
   is retrieved completely by the other steps, and this safety net only adds to it.

When the query has no filter on the records (``names_only`` of `retrieve`: only "the record is
live", restated on the name table), every step chooses its forms among the names that way: the
forms chosen are the same, and only the `CANDIDATES` chosen cost a record lookup.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Hashable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Row,
    String,
    and_,
    bindparam,
    false,
    func,
    or_,
    select,
    text,
)
from sqlalchemy.orm import InstrumentedAttribute, Session

from ncen.search.keys import Token
from ncen.search.matching import NameComparison
from ncen.search.phonetic import code_neighbours
from ncen.search.variants import variants_of

CANDIDATES = 300
PREFILTER = 20_000
STEPS = ("exact", "anchored", "strict", "loose", "any_word")
MAX_FORMS = CANDIDATES * len(STEPS)
MIN_CODE_CLASSES = 2
NEIGHBOUR_CODE_CLASSES = 4

Columns = tuple[
    InstrumentedAttribute[str], InstrumentedAttribute[list[str]], InstrumentedAttribute[list[str]]
]
Best = dict[uuid.UUID, tuple[NameComparison, Row[Any]]]
TYPO_NEIGHBOURS = 8
TYPO_MIN_LENGTH = 4

# The retrieval statements end in LIMIT. When the planner overestimates how many rows meet
# an array condition (it does for long key arrays), the LIMIT makes "walk the table or a
# B-tree and filter until enough rows turn up" look cheap, and a query that meets a dozen rows
# reads millions. Plain and index scans are switched off for the retrieval statements only
# (transaction-local, restored after), which leaves the GIN bitmap scans.
_BITMAP_ONLY = text(
    "SELECT current_setting('enable_seqscan'), current_setting('enable_indexscan'), "
    "set_config('enable_seqscan', 'off', true), set_config('enable_indexscan', 'off', true)"
)
_RESTORE = text(
    "SELECT set_config('enable_seqscan', :seqscan, true), "
    "set_config('enable_indexscan', :indexscan, true)"
)

_NEIGHBOURS = text(
    "SELECT q.word, t.term FROM unnest(CAST(:words AS text[])) AS q(word) "
    "CROSS JOIN LATERAL (SELECT term FROM name_terms WHERE term % q.word AND term <> q.word "
    "ORDER BY similarity(term, q.word) DESC, term LIMIT :n) AS t"
)


@dataclass(frozen=True, slots=True)
class WordKeys:
    """The keys one query word is looked up by."""

    terms: tuple[str, ...]
    codes: tuple[str, ...]
    required: bool


def typo_neighbours(session: Session, words: Sequence[str]) -> dict[str, list[str]]:
    """Vocabulary terms similar to each of ``words`` (trigram similarity, index-backed)."""
    long_words = sorted({w for w in words if len(w) >= TYPO_MIN_LENGTH})
    found: dict[str, list[str]] = {}
    if long_words:
        rows = session.execute(_NEIGHBOURS, {"words": long_words, "n": TYPO_NEIGHBOURS})
        for word, term in rows:
            found.setdefault(word, []).append(term)
    return found


def _classes(code: str) -> int:
    return len(code.removeprefix("A"))


def word_keys(
    session: Session,
    tokens: Sequence[Token],
    *,
    phonetic: bool,
    loose: bool = False,
    exact: bool = False,
    every_code: bool = False,
) -> list[WordKeys]:
    """The lookup keys of each query word, in query order.

    Exact keys are the word, its other spellings and its variants; strict keys add its first
    phonetic code (``every_code``: all of them); loose keys add all its codes, its typo
    neighbours and the codes one edit away.
    """
    neighbours = typo_neighbours(session, [t.text for t in tokens]) if loose else {}
    keys = []
    for token in tokens:
        terms = {token.text, *token.extra, *neighbours.get(token.text, ())}
        terms |= variants_of(token.text)
        # A code of one consonant class (Ali: AL) finds half the table and says little. Codes
        # of fewer than four classes are one edit from every other name (SNK: Zhang, Jing,
        # Sun...), so only longer codes are widened, to codes as long: short words rely on
        # their typo neighbours.
        strong = [c for c in token.codes if _classes(c) >= MIN_CODE_CLASSES]
        codes: set[str] = set()
        if phonetic and not exact:
            # Strict lookups use the word's first reading only (ch as in Chernov, not as in
            # German Chruschtschow): every alternative multiplies the names that qualify.
            # The stored names keep all their readings, and the loose step uses all of them.
            codes.update(strong if loose or every_code else strong[:1])
        if loose and phonetic:
            codes.update(
                n
                for code in strong
                if _classes(code) >= NEIGHBOUR_CODE_CLASSES
                for n in code_neighbours(code)
                if _classes(n) >= NEIGHBOUR_CODE_CLASSES
            )
        keys.append(WordKeys(tuple(sorted(terms)), tuple(sorted(codes)), not token.optional))
    if not any(k.required for k in keys):
        keys = [WordKeys(k.terms, k.codes, True) for k in keys]
    return keys


def name_condition(
    terms: InstrumentedAttribute[list[str]],
    codes: InstrumentedAttribute[list[str]],
    keys: Sequence[WordKeys],
    bind: _Binder | None = None,
) -> ColumnElement[bool]:
    """Rows whose arrays meet the keys of every required word (all but one from three on).

    With ``bind``, the key arrays are named parameters without values (see `_Binder`)."""
    clauses: list[ColumnElement[bool]] = []
    for k in keys:
        if not k.required:
            continue
        word = terms.overlap(bind(terms) if bind else list(k.terms))
        if k.codes:
            word = or_(word, codes.overlap(bind(codes) if bind else list(k.codes)))
        clauses.append(word)
    if not clauses:
        return false()
    if len(clauses) <= 2:
        return and_(*clauses)
    return or_(
        *(and_(*(c for j, c in enumerate(clauses) if j != skip)) for skip in range(len(clauses)))
    )


class _Binder:
    """Names the key arrays of a statement being built, in the order they are bound
    (``ncen_k0``, ``ncen_k1``...): the statement then holds no value and serves every query
    of its shape (`_key_values` gives the values, in the same order)."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, column: InstrumentedAttribute[list[str]]) -> Any:
        name = f"ncen_k{self.count}"
        self.count += 1
        return bindparam(name, type_=column.type)


def _key_values(key_lists: Sequence[Sequence[WordKeys]]) -> dict[str, Any]:
    """The values of the parameters `name_condition` names (with a `_Binder`) for each of
    ``key_lists`` in turn."""
    values: list[list[str]] = []
    for keys in key_lists:
        for k in keys:
            if k.required:
                values.append(list(k.terms))
                if k.codes:
                    values.append(list(k.codes))
    return {f"ncen_k{i}": v for i, v in enumerate(values)}


def _shape(key_lists: Sequence[Sequence[WordKeys]]) -> tuple[Any, ...]:
    """What a statement built from ``key_lists`` depends on besides the values of the keys."""
    return tuple(tuple((k.required, bool(k.codes)) for k in keys) for keys in key_lists)


# Statements built for a shape of query (see `plan`), with named parameters: building one costs
# more than running it. Bounded: a new shape past the bound empties the cache.
_STATEMENTS: dict[Hashable, Any] = {}
MAX_STATEMENTS = 1024
_LATIN = "ncen_latin"


def _bounded(base: Any, condition: Any, text_column: Any, latin: Any) -> Any:
    """At most `PREFILTER` rows meeting ``condition``, then the `CANDIDATES` closest of them.

    The inner LIMIT bounds the work whatever the query: a condition met by a hundred thousand
    forms (a common name) costs the same as one met by two thousand.
    """
    inner = base.add_columns(text_column.label("search_text_")).where(condition)
    sub = inner.limit(PREFILTER).subquery()
    closest = func.similarity(sub.c.search_text_, latin).desc()
    return (
        select(*(c for c in sub.c if c.name != "search_text_")).order_by(closest).limit(CANDIDATES)
    )


def _names_first(
    base: Any,
    condition: Any,
    text_column: Any,
    latin: Any,
    names_only: Sequence[ColumnElement[bool]] = (),
) -> Any:
    """Like `_bounded`, but the closest forms are chosen among the name forms alone, before
    ``base`` joins their records: a form read costs no record lookup, so `PREFILTER` forms
    stay cheap. ``names_only`` are conditions on the name table that apply while choosing;
    the other filters of ``base`` apply to the `CANDIDATES` chosen."""
    table = text_column.class_
    inner = (
        select(table.id, text_column.label("t"))
        .where(condition, *names_only)
        .limit(PREFILTER)
        .subquery()
    )
    closest = func.similarity(inner.c.t, latin).desc()
    chosen = select(inner.c.id).order_by(closest).limit(CANDIDATES)
    return _bounded(base, table.id.in_(chosen), text_column, latin)


@dataclass(frozen=True, slots=True)
class Step:
    """One retrieval step: its name (one of `STEPS`) and how to build its statement, which
    returns the statement and the values of its named parameters."""

    name: str
    build: Callable[[], tuple[Any, dict[str, Any]]]


def plan(
    session: Session,
    base: Any,
    columns: Columns,
    tokens: Sequence[Token],
    phonetic: bool,
    *,
    names_only: Sequence[ColumnElement[bool]] | None = None,
    shape: Hashable | None = None,
) -> list[Step]:
    """The retrieval steps that apply to ``tokens``, narrowest first (see the module docstring).

    Statements are built on demand: the loose keys cost a vocabulary lookup. ``names_only``:
    see `retrieve`. ``shape``, when given, stands for ``base``, ``columns`` and ``names_only``
    (equal shapes: equal statements whatever their values): a step's statement is then built
    once for every query of its shape and kept, the keys being parameters.
    """
    text_column, terms, codes = columns
    latin = " ".join(t.text for t in tokens)

    def prepared(
        name: str,
        key_lists: Callable[[], list[list[WordKeys]]],
        condition: Callable[[list[list[WordKeys]], _Binder], ColumnElement[bool]],
        *,
        names_first: bool = False,
    ) -> tuple[Any, dict[str, Any]]:
        lists = key_lists()
        values = {**_key_values(lists), _LATIN: latin}
        key = None if shape is None else (shape, name, _shape(lists))
        statement = None if key is None else _STATEMENTS.get(key)
        if statement is None:
            where = condition(lists, _Binder())
            reading = bindparam(_LATIN, type_=String())
            if names_first or names_only is not None:
                statement = _names_first(base, where, text_column, reading, names_only or ())
            else:
                statement = _bounded(base, where, text_column, reading)
            if key is not None:
                if len(_STATEMENTS) >= MAX_STATEMENTS:
                    _STATEMENTS.clear()
                _STATEMENTS[key] = statement
        return statement, values

    def each(lists: list[list[WordKeys]], bind: _Binder) -> ColumnElement[bool]:
        return name_condition(terms, codes, lists[0], bind)

    def exact() -> list[WordKeys]:
        return word_keys(session, tokens, phonetic=phonetic, exact=True)

    def strict() -> list[WordKeys]:
        return word_keys(session, tokens, phonetic=phonetic)

    def anchored_keys() -> list[list[WordKeys]]:
        # One word exactly as written, the others by sound. A rare exact word keeps the set
        # small where two common codes would let in thousands of names.
        ex, st = exact(), strict()
        return [[*st[:i], ex[i], *st[i + 1 :]] for i in range(len(st)) if st[i].required]

    def any_of(lists: list[list[WordKeys]], bind: _Binder) -> ColumnElement[bool]:
        return or_(*(name_condition(terms, codes, keys, bind) for keys in lists))

    def every_keys() -> list[list[WordKeys]]:
        every = word_keys(session, tokens, phonetic=phonetic, every_code=True)
        return [[k] for k in every]

    required = sum(not t.optional for t in tokens) or len(tokens)
    found = [Step("exact", lambda: prepared("exact", lambda: [exact()], each))]
    if phonetic and required > 1:
        found.append(Step("anchored", lambda: prepared("anchored", anchored_keys, any_of)))
    if phonetic:
        found.append(Step("strict", lambda: prepared("strict", lambda: [strict()], each)))

    def loose() -> list[list[WordKeys]]:
        return [word_keys(session, tokens, phonetic=phonetic, loose=True)]

    found.append(Step("loose", lambda: prepared("loose", loose, each)))
    if len(tokens) > 1:
        found.append(
            Step("any_word", lambda: prepared("any_word", every_keys, any_of, names_first=True))
        )
    return found


def steps(
    session: Session,
    base: Any,
    columns: Columns,
    tokens: Sequence[Token],
    phonetic: bool,
    *,
    names_only: Sequence[ColumnElement[bool]] | None = None,
) -> Iterator[Any]:
    """The statements of every retrieval step, narrowest first, their values bound (for
    inspection: EXPLAIN)."""
    for step in plan(session, base, columns, tokens, phonetic, names_only=names_only):
        statement, values = step.build()
        yield statement.params(values)


def retrieve(
    session: Session,
    base: Any,
    columns: Columns,
    tokens: Sequence[Token],
    *,
    phonetic: bool,
    compare: Callable[[Row[Any]], tuple[uuid.UUID, NameComparison]],
    names_only: Sequence[ColumnElement[bool]] | None = None,
    shape: Hashable | None = None,
) -> tuple[Best, int]:
    """Run the retrieval steps on ``base``; keep each record's best-scoring form.

    ``base`` selects name forms joined to their live records; ``columns`` are the name table's
    ``search_text``, ``search_terms`` and ``phonetic_codes``; ``compare`` scores one row and
    names its record. The loose step runs first; when it comes back untruncated (fewer than
    `CANDIDATES` forms) it holds every row of the exact, anchored and strict steps, which are
    then not run; otherwise they run too. The any-word step always runs.

    ``names_only``, when given, are conditions on the name table alone that select exactly
    the forms ``base`` selects (its record conditions restated on the names: the record is
    live, no other filter): every step then chooses its forms among the names, and only the
    `CANDIDATES` chosen are joined to their records (`_names_first`). The forms retrieved are
    the same; a lookup of the record of each of up to `PREFILTER` forms is saved. Without it
    (a query with filters on the records) the steps join first and choose among the forms
    whose records pass. ``shape``: see `plan` (the caller vouches that ``base``, ``columns``
    and ``names_only`` are the same for every query given that shape).
    Nothing else stops retrieval: never a score (see the module docstring). A form returned by
    several steps is re-ranked once. Returns the best form of each record and the number of
    distinct forms re-ranked (at most `MAX_FORMS`).
    """
    best: Best = {}
    seen: set[Row[Any]] = set()
    planned = plan(session, base, columns, tokens, phonetic, names_only=names_only, shape=shape)
    by_name = {step.name: step for step in planned}
    with bitmap_scans_only(session):
        # Untruncated, the loose step holds every row of the three steps nested in it.
        complete = _run(session, by_name["loose"], seen, best, compare)
        narrower = [] if complete else ["exact", "anchored", "strict"]
        for name in [*narrower, "any_word"]:
            if name in by_name:
                _run(session, by_name[name], seen, best, compare)
    return best, len(seen)


def _run(
    session: Session,
    step: Step,
    seen: set[Row[Any]],
    best: Best,
    compare: Callable[[Row[Any]], tuple[uuid.UUID, NameComparison]],
) -> bool:
    """Run one step, re-rank the forms not seen yet into ``best``; True when untruncated."""
    # Through the session's connection, without the ORM's row loading: the statement selects
    # columns, never entities, and `bitmap_scans_only` has already run through the session
    # (flushing what was pending), so the rows are the same.
    statement, values = step.build()
    rows = session.connection().execute(statement, values).all()
    for row in rows:
        before = len(seen)
        seen.add(row)  # hashing a row hashes each of its values: once
        if len(seen) == before:
            continue
        owner, comparison = compare(row)
        kept = best.get(owner)
        if kept is None or comparison.score > kept[0].score:
            best[owner] = (comparison, row)
    return len(rows) < CANDIDATES


@contextmanager
def bitmap_scans_only(session: Session) -> Iterator[None]:
    """Switch plain and index scans off in the session's transaction, then back as they were.

    See `_BITMAP_ONLY` for why the retrieval statements need it.
    """
    saved = session.execute(_BITMAP_ONLY).one()
    try:
        yield
    finally:
        session.execute(_RESTORE, {"seqscan": saved[0], "indexscan": saved[1]})
