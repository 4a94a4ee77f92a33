"""Search: names across scripts and spellings, exact identifiers, and full text.

Entry points (each takes the session and the acting user, checks ``Action.SEARCH`` and writes
one audit event without nominal data):

- `ncen.search.persons.search_persons` and `ncen.search.companies.search_companies`: scored,
  explained name search (queries built with `ncen.search.query.person_query` /
  `company_query`);
- `ncen.search.identifiers.search_identifiers`: exact, normalised identifier lookup;
- `ncen.search.fulltext.search_fulltext`: seizure texts with highlighted snippets.

The write path keeps the index current through `ncen.search.index`. Matching is built from
`normalise` → `transliterate` → `phonetic` → `keys` (stored and query keys), `candidates`
(retrieval in PostgreSQL, bounded by cost, never stopped by a "good enough" score), `matching`,
`qualifiers` and `evidence` (re-ranking, with the facts and name forms that separate
namesakes) and `explain`.

**Strong match**: `ncen.search.results.STRONG_MATCH` (0.85) is the one threshold at which a
scored name hit is called strong (web badge, CLI mark, default of name watches); test it with
`ncen.search.results.is_strong`. It is calibrated by ``benchmarks/bench_search.py`` to at most
5 % false positives on similar-name negative queries with recall@10 of at least 0.97; see
docs/search.md for the qualifiers, filters and tie-breaking.
"""
