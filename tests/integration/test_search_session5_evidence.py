"""Cantonese names, parents named on any name form, and what the store says of a name, through
the real person search on PostgreSQL: true pairs match strongly, the look-alikes do not."""

from __future__ import annotations

import pytest

from ncen.persons.services import create_person
from ncen.search.explain import Transformation
from ncen.search.keys import analyse
from ncen.search.persons import retrieval_statements, search_persons
from ncen.search.query import person_query
from ncen.search.results import STRONG_MATCH
from tests.factories import person_data


def add(session, actor, *names, **fields):
    data = person_data(names=[{"full_name": n} for n in names], documents=[], **fields)
    with session.begin():
        return create_person(session, actor, data).id


def hits(session, analyst, name, **query):
    results = search_persons(session, analyst, person_query(name=name, **query))
    return {h.person_id: h for h in results.hits}, results.hits


def kinds(hit):
    return {(q.qualifier, q.outcome) for q in hit.explanation.qualifiers}


# --- Cantonese -------------------------------------------------------------------------------


@pytest.fixture
def hong_kong(session, system):
    return {
        "chan": add(session, system, "陳大文"),
        "chan_other": add(session, system, "陳大明"),
        "wong": add(session, system, "黄伟杰"),
        "wong_other": add(session, system, "王伟明"),
        "cheung": add(session, system, "CHEUNG Ka Ming"),
        "lam": add(session, system, "Lin Jiaxin"),
    }


CANTONESE_QUERIES = [
    ("Chan Tai Man", "chan"),
    ("CHAN Tai-man", "chan"),
    ("Tai Man CHAN", "chan"),
    ("Can Daai Man", "chan"),  # Jyutping
    ("Chen Dawen", "chan"),  # pinyin (no Cantonese involved)
    ("Wong Wai Kit", "wong"),
    ("Ka-ming Cheung", "cheung"),  # Western order against the identity card's
    ("张家明", "cheung"),  # characters against the romanisation
    ("Zhang Jiaming", "cheung"),  # pinyin against the romanisation
    ("Lam Ka Yan", "lam"),  # Hong Kong romanisation against pinyin
]


@pytest.mark.parametrize(("query", "expected"), CANTONESE_QUERIES)
def test_cantonese_names_are_found_strongly(session, analyst, hong_kong, query, expected):
    _by_id, ranked = hits(session, analyst, query)
    assert ranked, query
    assert ranked[0].person_id == hong_kong[expected], [h.explanation.summary() for h in ranked]
    assert ranked[0].score >= STRONG_MATCH
    if query not in {"Chen Dawen", "Ka-ming Cheung"}:  # pinyin as stored; the same spelling
        assert Transformation.CANTONESE in ranked[0].explanation.transformations


@pytest.mark.parametrize(("query", "expected"), CANTONESE_QUERIES[:4])
def test_cantonese_spellings_are_stored_keys(session, hong_kong, query, expected):
    parsed = person_query(name=query)
    first = retrieval_statements(session, parsed, analyse(parsed.name))[0]
    assert hong_kong[expected] in {row.person_id for row in session.execute(first)}


def test_another_given_name_is_not_a_strong_cantonese_match(session, analyst, hong_kong):
    by_id, _ = hits(session, analyst, "Chan Tai Man")
    assert by_id[hong_kong["chan_other"]].score < STRONG_MATCH
    by_id, _ = hits(session, analyst, "Wong Wai Kit")
    assert by_id.get(hong_kong["wong_other"]) is None or (
        by_id[hong_kong["wong_other"]].score < STRONG_MATCH
    )


def test_cantonese_given_names_one_syllable_apart_are_other_names(session, analyst, system):
    other = add(session, system, "TSANG Wai Hung")
    by_id, _ = hits(session, analyst, "Tsang Wai Tung")
    assert by_id[other].score < STRONG_MATCH
    assert ("other_name", "too_weak") in kinds(by_id[other])


# --- Parents ---------------------------------------------------------------------------------


def test_a_parent_on_another_name_form_is_compared(session, analyst, system):
    person = add(session, system, "Tariq Awan s/o Abdul Rashid", "Tariq Awan", birth_year=1980)
    by_id, _ = hits(session, analyst, "Tariq Awan s/o Ghulam Nabi", birth_year=1980)
    assert by_id[person].score < STRONG_MATCH
    assert ("parentage", "conflicts") in kinds(by_id[person])
    by_id, _ = hits(session, analyst, "Tariq Awan son of Abdulrashid", birth_year=1980)
    assert by_id[person].score >= STRONG_MATCH
    assert ("parentage", "agrees") in kinds(by_id[person])


def test_a_conflicting_parent_is_never_strong_even_with_the_same_birth_date(
    session, analyst, system
):
    person = add(
        session, system, "Adnan Mirza s/o Salleh", birth_year=1975, birth_month=3, birth_day=2
    )
    by_id, _ = hits(
        session,
        analyst,
        "Adnan Mirza s/o Osman",
        birth_year=1975,
        birth_month=3,
        birth_day=2,
    )
    assert by_id[person].score < STRONG_MATCH


def test_a_parent_nobody_recorded_is_no_evidence_against(session, analyst, system):
    person = add(session, system, "Junaid Cheema", birth_year=1990)
    by_id, _ = hits(session, analyst, "Junaid Cheema s/o Bashir")
    assert by_id[person].score >= STRONG_MATCH
    assert not any(q.qualifier == "parentage" for q in by_id[person].explanation.qualifiers)


@pytest.mark.parametrize(
    ("recorded", "query"),
    [
        ("Muthu a/l Raman", "Muthu s/o Raman"),
        ("Devi A/P Krishnan", "Devi d/o Krishnan"),
        ("Siti Aminah bt. Yusof", "Siti Aminah binti Yusuf"),
        ("Jimbun anak Pelle", "Jimbun Pelle"),
    ],
)
def test_malaysian_markers_are_relations(session, analyst, system, recorded, query):
    person = add(session, system, recorded)
    _by_id, ranked = hits(session, analyst, query)
    assert ranked[0].person_id == person
    assert ranked[0].score >= STRONG_MATCH
    assert Transformation.PARENTAGE_MARKER in ranked[0].explanation.transformations


# --- What the store says ---------------------------------------------------------------------


def test_a_name_many_bear_is_not_strong_on_the_name_alone(session, analyst, system):
    people = [add(session, system, "王伟", birth_year=1960 + i) for i in range(6)]
    by_id, _ = hits(session, analyst, "Wang Wei")
    assert all(by_id[p].score < STRONG_MATCH for p in people)
    assert ("common_name", "too_common") in kinds(by_id[people[0]])
    # The birth year singles one out.
    by_id, ranked = hits(session, analyst, "Wang Wei", birth_year=1963)
    assert ranked[0].person_id == people[3]
    assert ranked[0].score >= STRONG_MATCH


def test_a_few_namesakes_are_still_strong(session, analyst, system):
    people = [add(session, system, "Arshad Bhatti", birth_year=1960 + i) for i in range(2)]
    by_id, _ = hits(session, analyst, "Arshad Bhatti")
    assert all(by_id[p].score >= STRONG_MATCH for p in people)


def test_another_name_on_record_is_no_typo(session, analyst, system):
    nadia = add(session, system, "Nadia Bhatti")
    add(session, system, "Sadia Malik")  # Sadia is a name on record
    by_id, _ = hits(session, analyst, "Sadia Bhatti")
    assert by_id[nadia].score < STRONG_MATCH
    assert ("other_name", "too_weak") in kinds(by_id[nadia])
    # A misspelling that is nobody's name keeps its typo match.
    by_id, _ = hits(session, analyst, "Nadja Bhatti")
    assert by_id[nadia].score >= STRONG_MATCH


def test_a_vowel_less_spelling_must_begin_with_the_same_consonant(session, analyst, system):
    javed = add(session, system, "جاوید حیدری")
    by_id, _ = hits(session, analyst, "Shahid Chaudhry")
    assert by_id.get(javed) is None or by_id[javed].score < STRONG_MATCH
    by_id, _ = hits(session, analyst, "Javed Haidari")
    assert by_id[javed].score >= STRONG_MATCH
