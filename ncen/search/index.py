"""Keeping the name index current: keys are computed in Python whenever a name is written.

The person and company services call `refresh_person_keys` / `refresh_company_keys` after
they set a record's names and before the change is flushed; the demo bulk loader computes the
same keys with `person_name_keys` / `company_name_keys` and fills the vocabulary with
`add_terms_sql`. `backfill_name_keys` recomputes every stored key in batches: migration 0003
runs it for the rows that existed before the keys did, and it is the re-index to run after a
change to the key algorithm.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection, text
from sqlalchemy.orm import Session

from ncen.companies.models import Company
from ncen.persons.models import Person
from ncen.search.keys import NameKeys, company_name_keys, person_name_keys

BACKFILL_BATCH = 5000

# One statement for any number of terms; ON CONFLICT makes concurrent writers safe, and the
# terms are sorted so that two writers lock shared terms in the same order (no deadlock).
ADD_TERMS = text(
    "INSERT INTO name_terms (term) SELECT DISTINCT unnest(CAST(:terms AS text[])) "
    "ORDER BY 1 ON CONFLICT DO NOTHING"
)


def add_terms_sql() -> str:
    """The SQL of `ADD_TERMS` for a raw DB-API cursor (one ``%s`` parameter: a list of terms)."""
    return str(ADD_TERMS).replace(":terms", "%s")


def _set_keys(name: Any, keys: NameKeys) -> None:
    name.search_text = keys.text
    name.search_terms = list(keys.terms)
    name.phonetic_codes = list(keys.codes)


# session.info key of the terms collected by `collect_terms` (a bulk write in progress).
_COLLECTING = "ncen.search.collected_terms"


@contextmanager
def collect_terms(session: Session) -> Iterator[set[str]]:
    """Inside the block, `add_terms` only collects the terms into the set it yields; the
    caller writes them later with `add_terms` (outside any block).

    For bulk writers (`ncen.bulk`) that run the services' validation on thousands of records:
    one INSERT into ``name_terms`` per batch instead of one per record, and none for the
    records that are refused. The previous collector, if any, is restored at the end.
    """
    previous = session.info.get(_COLLECTING)
    collected: set[str] = set()
    session.info[_COLLECTING] = collected
    try:
        yield collected
    finally:
        if previous is None:
            del session.info[_COLLECTING]
        else:
            session.info[_COLLECTING] = previous


def add_terms(session: Session, terms: Iterable[str]) -> None:
    """Add ``terms`` to the vocabulary (existing ones are skipped). Does not flush the session.
    Inside `collect_terms` the terms are only collected."""
    deferred: set[str] | None = session.info.get(_COLLECTING)
    if deferred is not None:
        deferred.update(terms)
        return
    unique = sorted(set(terms))
    if unique:
        with session.no_autoflush:
            session.execute(ADD_TERMS, {"terms": unique})


def refresh_person_keys(session: Session, person: Person) -> None:
    """Compute the search keys of every name of ``person`` and add their terms to the vocabulary.

    Call after the names are set, before the change is flushed. Side effect: one INSERT into
    ``name_terms``; the keys themselves are written with the names by the next flush.
    """
    terms: list[str] = []
    for name in person.names:
        keys = person_name_keys(name.full_name, name.patronymic)
        _set_keys(name, keys)
        terms.extend(keys.terms)
    add_terms(session, terms)


def refresh_company_keys(session: Session, company: Company) -> None:
    """Compute the search keys of every name of ``company``; see `refresh_person_keys`."""
    terms: list[str] = []
    for name in company.names:
        keys = company_name_keys(name.name)
        _set_keys(name, keys)
        terms.extend(keys.terms)
    add_terms(session, terms)


def _person_row_keys(row: Sequence[Any]) -> NameKeys:
    return person_name_keys(row[1], row[2])


def _company_row_keys(row: Sequence[Any]) -> NameKeys:
    return company_name_keys(row[1])


_TABLES: dict[str, tuple[str, Callable[[Sequence[Any]], NameKeys]]] = {
    "person_names": ("full_name, patronymic", _person_row_keys),
    "company_names": ("name", _company_row_keys),
}


def backfill_name_keys(connection: Connection, batch: int = BACKFILL_BATCH) -> int:
    """Recompute the keys of every person and company name, ``batch`` rows per statement.

    Walks each table in primary-key order (keyset pagination, so memory stays bounded) and adds
    every term to the vocabulary. Returns the number of name rows written. Runs in the
    connection's transaction; plain SQL, so it also works inside a migration.
    """
    written = 0
    for table, (columns, compute) in _TABLES.items():
        last = None
        while True:
            rows = connection.execute(
                text(
                    f"SELECT id, {columns} FROM {table} "  # noqa: S608 - fixed names above
                    "WHERE CAST(:last AS uuid) IS NULL OR id > :last ORDER BY id LIMIT :n"
                ),
                {"last": last, "n": batch},
            ).all()
            if not rows:
                break
            updates: list[dict[str, Any]] = []
            terms: set[str] = set()
            for row in rows:
                keys = compute(row)
                updates.append(
                    {"id": row[0], "t": keys.text, "s": list(keys.terms), "c": list(keys.codes)}
                )
                terms.update(keys.terms)
            connection.execute(
                text(
                    f"UPDATE {table} SET search_text = :t, search_terms = :s, "  # noqa: S608
                    "phonetic_codes = :c WHERE id = :id"
                ),
                updates,
            )
            connection.execute(ADD_TERMS, {"terms": sorted(terms)})
            written += len(rows)
            last = rows[-1][0]
    return written
