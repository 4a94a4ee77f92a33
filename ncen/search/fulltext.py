"""Full-text search over seizure narratives, concealment descriptions, places and item
descriptions, with highlighted snippets.

Language: the texts are written in English, Russian, Kazakh, French, Chinese... and carry no
language tag, so they are indexed with ``ncen_search``, the 'simple' configuration behind
unaccent (migration 0003): every word of every script is kept as written, lower-cased and
without accents (ё = е, é = e), with no stemmer guessing the language. A stemmer of the wrong
language mangles words (the Russian one on Kazakh) and a per-language index would need the
language of every record and query. Stemming is replaced by prefix matching: each query word
matches the words it begins ("cigarette" finds "cigarettes", "сигарет" finds "сигареты").
All query words must occur. The vectors are generated columns maintained by PostgreSQL and
searched through GIN indexes.

Snippets come from ``ts_headline`` with control characters as markers, and are returned as
`SnippetPart`s so that templates escape the text and add the highlighting themselves.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import text
from sqlalchemy.orm import Session

from ncen.accounts.actor import Actor
from ncen.policy import Action, require
from ncen.search.auditing import record_search
from ncen.search.normalise import check_query_text, words
from ncen.search.results import SearchResults, no_words_error

MAX_LIMIT = 100
_START, _STOP = "\x02", "\x03"

_SEARCH = text(
    """
    WITH q AS (
        SELECT to_tsquery('ncen_search', string_agg(quote_literal(w) || ':*', ' & ')) AS query
        FROM unnest(CAST(:words AS text[])) AS w
    ), matched AS (
        SELECT s.id FROM seizures s, q WHERE s.search_vector @@ q.query
        UNION
        SELECT i.seizure_id FROM seizure_items i, q WHERE i.search_vector @@ q.query
    ), ranked AS (
        SELECT s.id, s.reference, s.occurred_at, count(*) OVER () AS total,
               ts_rank_cd(s.search_vector, q.query) + coalesce((
                   SELECT max(ts_rank_cd(i.search_vector, q.query))
                   FROM seizure_items i WHERE i.seizure_id = s.id), 0) AS rank
        FROM matched JOIN seizures s ON s.id = matched.id, q
        WHERE s.deleted_at IS NULL
        ORDER BY rank DESC, s.occurred_at DESC, s.id
        LIMIT :limit OFFSET :offset
    )
    SELECT r.id, r.reference, r.occurred_at, r.rank, r.total,
           ts_headline('ncen_search', translate(concat_ws(' … ', s.narrative,
                           s.concealment_description, s.place, (
                               SELECT string_agg(concat_ws(' ', i.description, i.brand), '; '
                                                 ORDER BY i.position)
                               FROM seizure_items i WHERE i.seizure_id = s.id)),
                           E'\\x02\\x03', ''),
                       q.query,
                       'StartSel=' || chr(2) || ', StopSel=' || chr(3) ||
                       ', MaxFragments=2, MaxWords=24, MinWords=8, FragmentDelimiter=" … "')
               AS headline
    FROM ranked r JOIN seizures s ON s.id = r.id, q
    ORDER BY r.rank DESC, r.occurred_at DESC, r.id
    """
)


@dataclass(frozen=True, slots=True)
class SnippetPart:
    """A piece of a snippet; ``highlighted`` pieces are the words that matched."""

    text: str
    highlighted: bool


@dataclass(frozen=True, slots=True)
class FullTextHit:
    """A seizure whose texts contain every query word."""

    seizure_id: uuid.UUID
    reference: str
    occurred_at: datetime
    rank: float
    snippet: tuple[SnippetPart, ...]


def snippet_parts(headline: str) -> tuple[SnippetPart, ...]:
    """Split a ``ts_headline`` result with the control-character markers into parts."""
    parts: list[SnippetPart] = []
    for i, chunk in enumerate(headline.split(_START)):
        marked, _, rest = chunk.partition(_STOP) if i else ("", "", chunk)
        if marked:
            parts.append(SnippetPart(marked, True))
        if rest:
            parts.append(SnippetPart(rest, False))
    return tuple(parts)


def search_fulltext(
    session: Session,
    actor: Actor,
    raw: str,
    *,
    limit: int = 20,
    offset: int = 0,
    audit: bool = True,
) -> SearchResults[FullTextHit]:
    """Seizures whose texts contain every word of ``raw`` (as word prefixes), best first.

    ``examined`` of the result is the total number of matching seizures, for pagination.
    Raises `PermissionDeniedError`, or `ValidationError` for an unusable query (see
    `check_query_text`; words of one letter are ignored). Side effect: one
    ``search.fulltext`` audit event with the words and the seizures returned, unless ``audit``
    is False (the caller audits what it shows).
    """
    require(actor, Action.SEARCH)
    query_words = [w.lower() for w in words(check_query_text(raw, "q")) if len(w) >= 2]
    if not query_words:
        raise no_words_error("q")
    rows = session.execute(
        _SEARCH,
        {
            "words": query_words,
            "limit": max(1, min(limit, MAX_LIMIT)),
            "offset": max(0, offset),
        },
    ).all()
    hits = tuple(
        FullTextHit(
            row.id,
            row.reference,
            row.occurred_at,
            float(row.rank),
            snippet_parts(row.headline or ""),
        )
        for row in rows
    )
    total = int(rows[0].total) if rows else 0
    if audit:
        record_search(
            session,
            actor,
            "search.fulltext",
            query={"words": raw},
            shown={"seizure": [h.seizure_id for h in hits]},
            details={"results": len(hits), "total": total},
        )
    return SearchResults(hits, total)
