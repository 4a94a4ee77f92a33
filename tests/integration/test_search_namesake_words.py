"""Namesakes told apart by the words of the names, through `search_persons` on PostgreSQL:
patronymics written in the name, in another name form or in the patronymic field; Turkic
oglu/qizi; parents' names of several words; Chinese syllables; similar surnames."""

from __future__ import annotations

from ncen.persons.services import create_person
from ncen.search.persons import search_persons
from ncen.search.query import person_query
from ncen.search.results import STRONG_MATCH
from tests.factories import person_data


def add(session, actor, *names, **fields):
    fields.setdefault("documents", [])
    fields.setdefault("gender", "M")
    data = person_data(
        names=[n if isinstance(n, dict) else {"full_name": n} for n in names], **fields
    )
    data.setdefault("nationalities", [])
    with session.begin():
        return create_person(session, actor, data).id


def _hits(session, actor, name):
    results = search_persons(session, actor, person_query(name=name))
    return {h.person_id: h for h in results.hits}


def _kinds(hit):
    return {(q.qualifier, q.outcome) for q in hit.explanation.qualifiers}


def test_patronymic_in_the_name_is_compared_wherever_it_is_recorded(session, analyst, system):
    in_name = add(session, system, "Никитин Владислав Максимович")
    in_field = add(
        session,
        system,
        {"full_name": "Никитин Владислав", "patronymic": "Максимович"},
    )
    other_form = add(session, system, "Nikitin Vladislav", "Никитин Владислав Максимович")
    same = add(session, system, "Никитин Владислав Геннадьевич")
    omitted = add(session, system, "Никитин Владислав")
    hits = _hits(session, analyst, "Nikitin Vladislav Gennadevich")
    for person in (in_name, in_field, other_form):
        assert hits[person].score < STRONG_MATCH
        assert ("patronymic", "conflicts") in _kinds(hits[person])
    assert hits[same].score >= STRONG_MATCH
    assert hits[omitted].score >= STRONG_MATCH  # an omitted patronymic is neutral
    assert ("patronymic", "conflicts") not in _kinds(hits[omitted])
    ranked = list(hits)
    assert ranked[0] == same


def test_turkic_given_name_and_father_are_compared_apart(session, analyst, system):
    brother = add(session, system, "Cavadov Vüqar Kamil oğlu")
    son = add(session, system, "Cavadov Kamil Rəşid oğlu")
    elshan = add(session, system, "Джавадов Эльшан Вугар оглы")
    hits = _hits(session, analyst, "Cavadov Kamil Kamil oğlu")
    assert hits[brother].score < STRONG_MATCH  # same father, another given name
    assert hits[son].score < STRONG_MATCH  # same given name, another father
    assert ("parentage", "conflicts") in _kinds(hits[son])
    hits = _hits(session, analyst, "Dzhavadov Vugar Vugar ogly")
    assert hits[elshan].score < STRONG_MATCH
    hits = _hits(session, analyst, "Dzhavadov Vugar")
    assert hits[elshan].score < STRONG_MATCH
    assert ("parent_name", "too_weak") in _kinds(hits[elshan])
    hits = _hits(session, analyst, "Dzhavadov Vugar Kamil ogly")
    assert hits[brother].score >= STRONG_MATCH
    assert ("parentage", "agrees") in _kinds(hits[brother])


def test_parent_names_of_several_words_agree_word_for_word(session, analyst, system):
    sarwar = add(session, system, "Karim Baig s/o Ghulam Sarwar")
    nabi = add(session, system, "Karim Baig s/o Nabi")
    saif = add(session, system, "Mansoor bin Saif Al-Muhairi")
    zakaria = add(session, system, "Siti Aishah binti Zakaria", gender="F")
    hits = _hits(session, analyst, "Karim Baig s/o Ghulam Nabi")
    assert hits[sarwar].score < STRONG_MATCH
    assert ("parentage", "conflicts") in _kinds(hits[sarwar])
    assert hits[nabi].score >= STRONG_MATCH  # one word of the father's name left out
    assert ("parentage", "agrees") in _kinds(hits[nabi])
    assert _hits(session, analyst, "Mansoor bin Zaid Al-Muhairi")[saif].score < STRONG_MATCH
    assert _hits(session, analyst, "Siti Aishah binti Yusof")[zakaria].score < STRONG_MATCH


def test_chinese_syllables_and_surnames(session, analyst, system):
    jin_ping = add(session, system, "金平")
    zeng_ping = add(session, system, "曾平")
    jin_jianping = add(session, system, "金建平")
    hits = _hits(session, analyst, "金建平")
    assert hits[jin_jianping].score >= STRONG_MATCH
    assert jin_ping not in hits or hits[jin_ping].score < 1.0
    assert jin_ping not in hits or hits[jin_ping].score < STRONG_MATCH
    hits = _hits(session, analyst, "Peng Ping")
    assert zeng_ping not in hits or hits[zeng_ping].score < STRONG_MATCH
    hits = _hits(session, analyst, "彭平")
    assert hits[zeng_ping].score < STRONG_MATCH
    assert ("syllable", "too_weak") in _kinds(hits[zeng_ping])


def test_similar_surname_with_the_same_given_name_is_not_strong(session, analyst, system):
    kadyrov = add(session, system, "Кадыров Рустам")
    kuchkarov = add(session, system, "Кучкаров Рустам")
    hits = _hits(session, analyst, "Kuchkarov Rustam")
    assert hits[kuchkarov].score >= STRONG_MATCH
    assert next(iter(hits)) == kuchkarov
    assert hits[kadyrov].score < STRONG_MATCH
    assert ("sound_only", "too_weak") in _kinds(hits[kadyrov])
