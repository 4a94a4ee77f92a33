"""Retrieval statements built once per shape of query (`ncen.search.candidates.plan`): the
key arrays are parameters, so a statement kept for one query must find another query's
persons, never the first one's."""

from __future__ import annotations

from ncen.persons.services import create_person
from ncen.search import candidates
from ncen.search.persons import search_persons
from ncen.search.query import person_query
from tests.factories import person_data


def add(session, actor, *names):
    data = person_data(names=[{"full_name": n} for n in names], documents=[])
    with session.begin():
        return create_person(session, actor, data)


def test_a_kept_statement_serves_another_query_of_its_shape(session, analyst, system):
    candidates._STATEMENTS.clear()
    nazarov = add(session, system, "Timur Nazarov").id
    sultanov = add(session, system, "Bakhyt Sultanov").id
    first = search_persons(session, analyst, person_query(name="Timur Nazarov"))
    kept = dict(candidates._STATEMENTS)
    assert kept  # the statements of this shape (two required words) are kept
    second = search_persons(session, analyst, person_query(name="Bakhyt Sultanov"))
    assert dict(candidates._STATEMENTS) == kept  # the same statements, reused
    assert [h.person_id for h in first.hits][:1] == [nazarov]
    assert [h.person_id for h in second.hits][:1] == [sultanov]
    assert nazarov not in {h.person_id for h in second.hits}


def test_queries_with_filters_or_another_script_are_kept_apart(session, analyst, system):
    candidates._STATEMENTS.clear()
    add(session, system, "Timur Nazarov", "Тимур Назаров")
    search_persons(session, analyst, person_query(name="Timur Nazarov"))
    shapes = set(candidates._STATEMENTS)
    # A filter on the records: built for the query, never kept.
    filtered = search_persons(session, analyst, person_query(name="Timur Nazarov", only_gender="M"))
    assert set(candidates._STATEMENTS) == shapes
    assert filtered.hits
    # Transliteration off: the query's script is part of the shape.
    cyrillic = search_persons(
        session, analyst, person_query(name="Тимур Назаров", transliteration=False)
    )
    assert set(candidates._STATEMENTS) > shapes
    assert cyrillic.hits
    assert {h.explanation.matched_script for h in cyrillic.hits} == {"Cyrl"}
