"""Naming traditions through the real search service on PostgreSQL: a person recorded in one
tradition is retrieved (not only scored) by a query written in another, ahead of similar
names that are other people, and the explanation names the convention that was undone."""

from __future__ import annotations

import pytest

from ncen.persons.services import create_person
from ncen.search.explain import Transformation
from ncen.search.keys import analyse
from ncen.search.persons import retrieval_statements, search_persons
from ncen.search.query import person_query
from tests.factories import person_data


def add(session, actor, name, **fields):
    data = person_data(names=[{"full_name": name}], documents=[], **fields)
    with session.begin():
        return create_person(session, actor, data)


# (recorded as, other people with similar names)
RECORDS: dict[str, tuple[str, list[str]]] = {
    "xin_qiu": ("欣秋", ["欣秀", "秦秋"]),  # not 辛球: it reads xin qiu too
    "jin_ping": ("金平", ["金兵", "秦平"]),  # not 金萍 or 靳平: they read jin ping too
    "deng": ("邓小平", ["邓小明"]),
    "zhou": ("Чжоу Эньлай", ["Чжоу Энь"]),
    "tursun": ("مەمەت تۇرسۇن", ["مەمەت تۇردى"]),
    "ilham": ("伊力哈木·土赫提", ["伊力哈木·吐尔逊"]),
    "cafarov": ("Джафаров Джавид", ["Сафаров Джавид", "Джафаров Рашид"]),
    "jumayev": ("Джумаев Довлет", ["Джумаев Мурат"]),
    "nazarbaev": ("Назарбаев Нұрсұлтан Әбішұлы", ["Назаров Нұрлан"]),
    "shakirov": ("Шакиров Джамал", ["Шакиров Рустам"]),
    "elbegdorj": ("Цахиагийн Элбэгдорж", ["Батын Болд"]),
    "karim_son": ("Ali Khan s/o Karim", ["Ali Hassan Khan"]),
    "ismail": ("احمد بن اسماعیل", ["احمد بن علی"]),
}

# (query, expected record, the transformation its explanation names)
QUERIES = [
    ("Hsin Chiu", "xin_qiu", Transformation.WADE_GILES),
    ("Цзинь Пин", "jin_ping", Transformation.PALLADIUS),
    ("Jin Ping", "jin_ping", Transformation.TRANSLITERATION),
    ("Teng Hsiao-p'ing", "deng", Transformation.WADE_GILES),
    ("Дэн Сяопин", "deng", Transformation.PALLADIUS),
    ("Chou En-lai", "zhou", Transformation.WADE_GILES),
    ("Zhou Enlai", "zhou", Transformation.PALLADIUS),
    ("Memet Tursun", "tursun", Transformation.UYGHUR),
    ("买买提·吐尔逊", "tursun", Transformation.UYGHUR),
    ("Ilham Toxti", "ilham", Transformation.UYGHUR),
    ("Cəfərov Cavid", "cafarov", Transformation.TURKIC_LATIN),
    ("Jumaýew Döwlet", "jumayev", Transformation.TURKIC_LATIN),
    ("Nazarbaev Nūrsūltan", "nazarbaev", Transformation.TRANSLITERATION),
    ("Djamel Chakirov", "shakirov", Transformation.FRENCH),
    ("Tsakhia Elbegdorj", "elbegdorj", Transformation.MONGOLIAN_GENITIVE),
    ("Ali Khan", "karim_son", Transformation.PARENTAGE_MARKER),
    ("Ali Khan son of Karim", "karim_son", Transformation.PARENTAGE_MARKER),
    ("Ahmad bin Ismail", "ismail", Transformation.PARENTAGE_MARKER),
]


@pytest.fixture
def recorded(session, system):
    found = {}
    for key, (name, others) in RECORDS.items():
        found[key] = add(session, system, name).id
        for other in others:
            add(session, system, other)
    return found


@pytest.mark.parametrize("case", QUERIES, ids=[q[0] for q in QUERIES])
def test_recorded_in_one_tradition_found_in_another(session, analyst, recorded, case):
    query, expected, via = case
    results = search_persons(session, analyst, person_query(name=query))
    assert results.hits, query
    top = results.hits[0]
    assert top.person_id == recorded[expected], [h.explanation.summary() for h in results.hits]
    assert top.score >= 0.85, top.explanation.summary()
    assert via in top.explanation.transformations, top.explanation.summary()


def test_conflicting_parent_is_evidence_against(session, analyst, system):
    son_of_karim = add(session, system, "Imran s/o Karim Baig").id
    son_of_hassan = add(session, system, "Imran s/o Hassan Baig").id
    results = search_persons(session, analyst, person_query(name="Imran Baig s/o Karim"))
    scores = {h.person_id: h for h in results.hits}
    assert results.hits[0].person_id == son_of_karim
    agree = scores[son_of_karim].explanation
    conflict = scores[son_of_hassan].explanation
    assert [q.outcome for q in agree.qualifiers if q.qualifier == "parentage"] == ["agrees"]
    assert [q.outcome for q in conflict.qualifiers if q.qualifier == "parentage"] == ["conflicts"]
    assert scores[son_of_hassan].score < 0.85
    assert "parentage marker s/o ignored" in agree.summary()


def test_marker_in_arabic_script_is_a_relation(session, analyst, system):
    person = add(session, system, "علی ولد کریم").id
    other = add(session, system, "علی ولد حسن").id
    results = search_persons(session, analyst, person_query(name="Ali s/o Karim"))
    assert results.hits[0].person_id == person
    words = {w.query for w in results.hits[0].explanation.words}
    assert "s/o" in words
    by_id = {h.person_id: h.score for h in results.hits}
    assert by_id.get(other, 0.0) < by_id[person] - 0.1


# Djamel against Джамал: the French e for Arabic a is a vowel, which only the phonetic steps
# ignore (the search above finds it there).
BY_SOUND_ONLY = {"Djamel Chakirov"}


@pytest.mark.parametrize(
    ("query", "expected"), [q[:2] for q in QUERIES if q[0] not in BY_SOUND_ONLY]
)
def test_first_retrieval_step_finds_it_by_stored_keys(session, recorded, query, expected):
    """The stored keys carry the other convention's spelling: the exact-key step, which looks
    up only the words, their spellings and variants (no phonetic codes, no typo neighbours),
    already retrieves the person."""
    parsed = person_query(name=query)
    first = retrieval_statements(session, parsed, analyse(parsed.name))[0]
    found = {row.person_id for row in session.execute(first)}
    assert recorded[expected] in found


def test_a_search_for_the_father_does_not_strongly_match_the_son(session, analyst, system):
    father = add(session, system, "Karim Baig").id
    son = add(session, system, "Imran s/o Karim Baig").id
    results = search_persons(session, analyst, person_query(name="Karim Baig"))
    scores = {h.person_id: h.score for h in results.hits}
    assert results.hits[0].person_id == father
    assert scores.get(son, 0.0) < 0.85
