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
(retrieval in PostgreSQL), `matching` and `qualifiers` (re-ranking) and `explain`.
"""
