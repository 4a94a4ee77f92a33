"""Namesakes must not hide the person asked for: complete retrieval, and qualifiers that
separate them (gendered forms, patronymics, full birth dates), on real PostgreSQL."""

from __future__ import annotations

import pytest

from ncen.persons.services import create_person
from ncen.search.candidates import CANDIDATES
from ncen.search.persons import search_persons
from ncen.search.query import person_query
from ncen.search.results import STRONG_MATCH
from tests.factories import person_data


def add(session, actor, *names, **fields):
    fields.setdefault("documents", [])
    data = person_data(names=[{"full_name": n} for n in names], **fields)
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


def _hit(results, person):
    return next(h for h in results.hits if h.person_id == person.id)


def _kinds(hit):
    return {(q.qualifier, q.outcome) for q in hit.explanation.qualifiers}


def test_other_gender_form_is_not_a_strong_match_unless_the_gender_is_unknown(
    session, analyst, system
):
    brother = add(session, system, "Иванов Сергей", gender="M")
    unknown = add(session, system, "Иванов Сергей", gender="U", birth_year=1970)
    results = search_persons(session, analyst, person_query(name="Ivanova Sergey"))
    hit = _hit(results, brother)
    assert ("gendered_form", "conflicts") in _kinds(hit)
    assert hit.score < STRONG_MATCH
    assert "other-gender form" in hit.explanation.summary()
    assert ("gendered_form", "conflicts") not in _kinds(_hit(results, unknown))
    assert results.hits[0].person_id == unknown.id


def test_conflicting_patronymic_is_evidence_against(session, analyst, system):
    other = add(session, system, "Ахметов Рустам Ибрагимович", gender="M")
    same = add(session, system, "Ахметов Рустам Сергеевич", gender="M")
    results = search_persons(session, analyst, person_query(name="Akhmetov Rustam Sergeyevich"))
    assert results.hits[0].person_id == same.id
    assert results.hits[0].score >= STRONG_MATCH
    hit = _hit(results, other)
    assert ("patronymic", "conflicts") in _kinds(hit)
    assert hit.score < STRONG_MATCH


def test_conflicting_full_birth_date_is_evidence_against(session, analyst, system):
    other = add(session, system, "Мухаммад Алиев", birth_year=1984, birth_month=3, birth_day=2)
    same = add(session, system, "Мухаммад Алиев", birth_year=1984, birth_month=7, birth_day=9)
    query = person_query(name="Mukhammad Aliev", birth_year=1984, birth_month=7, birth_day=9)
    results = search_persons(session, analyst, query)
    assert results.hits[0].person_id == same.id
    hit = _hit(results, other)
    assert ("birth_date", "conflicts") in _kinds(hit)
    assert hit.score < STRONG_MATCH


def test_one_name_in_common_or_a_surname_that_only_sounds_alike_is_never_strong(
    session, analyst, system
):
    akhmedov = add(session, system, "Ахмедов Рустам", gender="M")
    rustam = add(
        session,
        system,
        "Рустам Назарбеков",
        gender="M",
        documents=[{"doc_type": "passport", "number": "N0001234", "issuing_country": "KZ"}],
    )
    results = search_persons(session, analyst, person_query(name="Akhmetov Rustam"))
    hit = _hit(results, akhmedov)
    assert ("sound_only", "too_weak") in _kinds(hit)
    assert hit.explanation.name_score >= STRONG_MATCH  # the name alone would have been strong
    assert hit.score < STRONG_MATCH
    # Even a shared document does not make one word in common a strong match.
    single = search_persons(
        session, analyst, person_query(name="Rustam", document_numbers=["N0001234"])
    )
    hit = _hit(single, rustam)
    assert ("name_words", "too_few") in _kinds(hit)
    assert hit.score < STRONG_MATCH


@pytest.mark.xfail(
    strict=True,
    raises=AssertionError,
    reason="known miss, reported to the lead (session 7): every retrieval step keeps the "
    "CANDIDATES forms closest to the query's Latin reading, so more than CANDIDATES exact "
    "namesakes fill every step and the person reached only by the phonetic steps is never "
    "re-ranked (found with CANDIDATES - 20 namesakes, missed with CANDIDATES + 20). Remove this "
    "marker when retrieval is fixed; strict: the test fails the day it passes.",
)
def test_more_namesakes_than_the_retrieval_limit_do_not_hide_the_person(session, analyst, system):
    """At the edge of the cost bound: more Latin namesakes than `CANDIDATES` (the forms each
    retrieval step keeps), each scoring higher on the name alone than the real person, who is
    spelt in Cyrillic so that no word of his is an exact key of the query. Asked with his birth
    year as a qualifier, he must still be found, and first."""
    count = CANDIDATES + 20
    with session.begin():
        namesakes = [
            create_person(
                session,
                system,
                person_data(
                    names=[{"full_name": "Mukhamad Aliyev"}],
                    documents=[],
                    nationalities=[],
                    gender="M",
                    birth_year=1950 + (i % 30),  # never 1984
                ),
            ).id
            for i in range(count)
        ]
    real = add(session, system, "Мохамад Алиев", birth_year=1984, gender="M")
    query = person_query(name="Mukhamad Aliyev", birth_year=1984)
    results = search_persons(session, analyst, query)
    name_only = {hit.person_id: hit.explanation.name_score for hit in results.hits}
    assert real.id in name_only, "he was not retrieved"
    listed = set(name_only) & set(namesakes)
    assert listed, "namesakes are listed after him"
    # Every namesake bears the same name form, so one's name score is all of theirs.
    assert min(name_only[n] for n in listed) > name_only[real.id]
    assert results.hits[0].person_id == real.id, [h.explanation.summary() for h in results.hits[:3]]
    assert results.hits[0].score >= STRONG_MATCH
