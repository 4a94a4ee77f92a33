"""Retrieval that chooses candidate forms among the names before joining their persons.

A query without filters on the records retrieves its forms among the name forms alone
(`ncen.search.candidates.retrieve`, ``names_only``): the forms of deleted persons must then be
left out while choosing, or they would take the candidate places of the living.
"""

from __future__ import annotations

import pytest

from ncen.persons.models import PersonName
from ncen.persons.services import create_person, delete_person
from ncen.search import candidates
from ncen.search.keys import analyse
from ncen.search.matching import Matcher
from ncen.search.persons import _names_only, _statement, find_candidates, search_persons
from ncen.search.query import PersonQuery, SearchOptions, person_query
from tests.factories import person_data


def add(session, actor, *names, **fields):
    data = person_data(names=[{"full_name": n} for n in names], documents=[], **fields)
    with session.begin():
        return create_person(session, actor, data)


def test_deleted_persons_take_no_candidate_place(session, analyst, supervisor, system, monkeypatch):
    # Two places per step: three deleted namesakes spelt exactly as asked are closer to the
    # query than the living person's typo, and would fill both places if they were chosen.
    monkeypatch.setattr(candidates, "CANDIDATES", 2)
    for _ in range(3):
        gone = add(session, system, "Rustam Akhmedov", birth_year=1980)
        with session.begin():
            delete_person(session, supervisor, gone.id, gone.version)
    living = add(session, system, "Rustam Akhmedoff", birth_year=1980)
    results = search_persons(session, analyst, person_query(name="Rustam Akhmedov"))
    assert [hit.person_id for hit in results.hits] == [living.id]


@pytest.mark.parametrize(
    "name",
    ["Rustam Akhmedov", "Akhmedov", "Рустам Ахмедов", "Rustam Karimov Akhmedov", "Rustem Ahmedoff"],
)
def test_names_first_retrieves_the_forms_a_join_first_retrieves(session, supervisor, system, name):
    for spelling in ["Rustam Akhmedov", "Рустам Ахмедов", "Rustam Ahmedov", "Rustem Akhmedoff"]:
        add(session, system, spelling, birth_year=1980)
        gone = add(session, system, spelling, birth_year=1981)
        with session.begin():
            delete_person(session, supervisor, gone.id, gone.version)
    add(session, system, "Karim Akhmedov", "Карим Ахмедов")
    add(session, system, "Rustam Karimov")
    query = PersonQuery(name, options=SearchOptions())
    tokens = analyse(name)
    assert _names_only(query) is not None

    def retrieved(names_only):
        matcher = Matcher(tokens)
        columns = (PersonName.search_text, PersonName.search_terms, PersonName.phonetic_codes)
        best, examined = candidates.retrieve(
            session,
            _statement(query),
            columns,
            tokens,
            phonetic=True,
            compare=lambda row: (row.person_id, matcher.compare(analyse(row.full_name))),
            names_only=names_only,
        )
        return {pid: comparison.score for pid, (comparison, _) in best.items()}, examined

    assert retrieved(_names_only(query)) == retrieved(None)
    best, _ = find_candidates(session, query, tokens, Matcher(tokens))
    assert {pid: c.score for pid, (c, _) in best.items()} == retrieved(None)[0]


def test_a_filtered_query_joins_first(session):
    assert _names_only(PersonQuery("Rustam", birth_year_from=1980)) is None
    assert _names_only(PersonQuery("Rustam", birth_year=1980)) is not None
