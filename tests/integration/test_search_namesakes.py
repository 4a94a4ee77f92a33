"""Namesakes must not hide the person asked for: complete retrieval, and qualifiers that
separate them (gendered forms, patronymics, full birth dates), on real PostgreSQL."""

from __future__ import annotations

from ncen.persons.services import create_person
from ncen.search.persons import search_persons
from ncen.search.query import person_query
from ncen.search.results import STRONG_MATCH
from tests.factories import person_data


def add(session, actor, *names, **fields):
    data = person_data(names=[{"full_name": n} for n in names], documents=[], **fields)
    data.setdefault("nationalities", [])
    with session.begin():
        return create_person(session, actor, data)


def test_latin_namesakes_do_not_hide_the_cyrillic_person(session, analyst, system):
    # The old stopping rule: step 1 (exact words) finds the Latin namesakes, all scoring 1.0 on
    # the name; step 2 (one word exact) adds no new strong match, so retrieval stopped there.
    # The real person is spelt so that neither of its words is an exact key of the query:
    # only the phonetic step reaches it.
    namesakes = [
        add(session, system, "Mukhamad Aliyev", birth_year=year, gender="M")
        for year in (1961, 1970, 1990, 1999)
    ]
    real = add(session, system, "Мохамад Алиев", birth_year=1984, gender="M")
    results = search_persons(session, analyst, person_query(name="Mukhamad Aliyev"))
    found = [hit.person_id for hit in results.hits]
    assert real.id in found
    assert {n.id for n in namesakes} <= set(found)
    name_only = {hit.person_id: hit.explanation.name_score for hit in results.hits}
    assert all(name_only[n.id] >= 0.9 for n in namesakes)

    dated = search_persons(session, analyst, person_query(name="Mukhamad Aliyev", birth_year=1984))
    assert dated.hits[0].person_id == real.id
    assert dated.hits[0].score >= STRONG_MATCH
    for hit in dated.hits[1:]:
        assert hit.score < STRONG_MATCH  # a namesake born in another year is not strong
        kinds = {(q.qualifier, q.outcome) for q in hit.explanation.qualifiers}
        assert ("birth_date", "conflicts") in kinds
