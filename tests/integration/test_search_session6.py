"""Session 6 of name matching, through the real person search on PostgreSQL: Hong Kong
government spellings of names recorded in characters, and fathers' names that look alike but
are two names (Ruslanovich is not Rustamovich)."""

from __future__ import annotations

import pytest

from ncen.persons.services import create_person
from ncen.search.explain import Transformation
from ncen.search.persons import search_persons
from ncen.search.query import person_query
from ncen.search.results import STRONG_MATCH
from tests.factories import person_data


def add(session, actor, *names, **fields):
    data = person_data(names=[{"full_name": n} for n in names], documents=[], contacts=[], **fields)
    with session.begin():
        return create_person(session, actor, data).id


def hits(session, analyst, name, **query):
    results = search_persons(session, analyst, person_query(name=name, **query))
    return {h.person_id: h for h in results.hits}, results.hits


def kinds(hit):
    return {(q.qualifier, q.outcome) for q in hit.explanation.qualifiers}


@pytest.mark.parametrize(
    ("recorded", "query"),
    [
        ("丁俊海", "TING Chun Hoi"),  # the table spells 丁 ding; identity cards Ting
        ("蔣華", "Wah Tseung"),
        ("曹寶德", "TSO Po Tak"),
        ("江美", "KONG Mei"),  # pinyin too (孔美), so a likely reading, still strong
    ],
)
def test_government_spellings_find_names_in_characters(session, analyst, system, recorded, query):
    person = add(session, system, recorded, gender="M", nationalities=["HK"])
    by_id, ranked = hits(session, analyst, query)
    assert ranked[0].person_id == person, [h.explanation.summary() for h in ranked]
    assert by_id[person].score >= STRONG_MATCH
    assert Transformation.CANTONESE in by_id[person].explanation.transformations


def test_a_father_whose_name_looks_alike_is_another_father(session, analyst, system):
    person = add(session, system, "Хасанов Тимур Рустамович", birth_year=1980)
    by_id, _ = hits(session, analyst, "Khasanov Timur Ruslanovich", birth_year=1980)
    assert by_id[person].score < STRONG_MATCH
    assert ("patronymic", "conflicts") in kinds(by_id[person])
    # A slip in the same patronymic is still the same father.
    by_id, _ = hits(session, analyst, "Khasanov Timur Rustamovic", birth_year=1980)
    assert by_id[person].score >= STRONG_MATCH


def test_a_patronymic_meets_the_fathers_name_written_after_it(session, analyst, system):
    # Uzbek Latin writes the father's name and o'g'li; a Russian form, Rustamovich.
    person = add(session, system, "Karimov Aziz Rustam oʻgʻli", birth_year=1980)
    by_id, _ = hits(session, analyst, "Karimov Aziz Rustamovich", birth_year=1980)
    assert by_id[person].score >= STRONG_MATCH
    by_id, _ = hits(session, analyst, "Karimov Aziz Ruslanovich", birth_year=1980)
    assert by_id[person].score < STRONG_MATCH
