"""Taiwan-style names (Wade–Giles, given name hyphenated) found through `search_persons` on
PostgreSQL: the stored keys of either side let retrieval find the other, not only score it."""

from __future__ import annotations

import pytest

from ncen.persons.services import create_person
from ncen.search.persons import search_persons
from ncen.search.query import person_query
from ncen.search.results import STRONG_MATCH
from tests.factories import person_data


def add(session, actor, name):
    data = person_data(names=[{"full_name": name}], documents=[], gender="M")
    data.setdefault("nationalities", [])
    with session.begin():
        return create_person(session, actor, data).id


def _scores(session, actor, name):
    results = search_persons(session, actor, person_query(name=name))
    return {h.person_id: h.score for h in results.hits}


@pytest.mark.parametrize(
    ("recorded", "query"),
    [
        ("陈水扁", "Chen Shui-bian"),
        ("Chen Shui-bian", "陈水扁"),
        ("Chen Shui-bian", "Chen Shuibian"),
        ("Chen Shuibian", "Chen Shui-bian"),
        ("蔡英文", "Tsai Ing-wen"),
        ("李登辉", "Lee Teng-hui"),
        ("谢长廷", "Hsieh Chang-ting"),
        ("范淑贞", "Fan Shu-chen"),
        ("Fan Shu-chen", "范淑贞"),
        ("田建平", "Tien Chien-ping"),
        ("Tien Chien-ping", "Tian Jianping"),
    ],
)
def test_hyphenated_given_name_finds_the_joined_one(session, analyst, system, recorded, query):
    person = add(session, system, recorded)
    assert _scores(session, analyst, query).get(person, 0.0) >= STRONG_MATCH


def test_one_given_syllable_is_not_a_two_syllable_given_name(session, analyst, system):
    person = add(session, system, "邱建平")
    assert _scores(session, analyst, "Chiu Ping").get(person, 0.0) < STRONG_MATCH
