"""Cantonese names (`ncen.search.cantonese`): Hong Kong government romanisation and Jyutping
read into pinyin, and names in characters carrying their Cantonese spellings."""

from __future__ import annotations

import pytest

from ncen.search import cantonese
from ncen.search.explain import Transformation
from ncen.search.keys import analyse, person_name_keys
from ncen.search.matching import Matcher


def _compare(query: str, record: str):
    return Matcher(analyse(query)).compare(analyse(record))


@pytest.mark.parametrize(
    ("query", "record"),
    [
        ("Chan Tai Man", "陳大文"),  # Hong Kong order, traditional characters
        ("Chan Tai Man", "陈大文"),  # simplified characters
        ("CHAN Tai-man", "陳大文"),  # identity-card style, hyphenated given name
        ("Tai Man CHAN", "陳大文"),  # Western order, surname in capitals
        ("Chan Taiman", "陳大文"),  # given name joined
        ("Can Daai Man", "陳大文"),  # Jyutping
        ("Can4 Daai6 Man4", "陳大文"),  # Jyutping with its tone digits
        ("CHAN TAI MAN", "陳大文"),  # all in capitals: Hong Kong order
        ("Wong Wai Kit", "黄伟杰"),  # Wong is Huang
        ("Cheung Ka Ming", "張家明"),
        ("Ka Ming Cheung", "张家明"),  # Western order: Cheung, not Ka, is the surname
        ("Lee Siu Lung", "李小龍"),
        ("Ho Chi Keung", "何志強"),
        ("Ng Wing Yan", "吳永欣"),
        ("Tsang Chi Wai", "曾志偉"),  # the surname reading of 曾 (Zeng), not ceng
    ],
)
def test_cantonese_spelling_meets_the_characters_exactly(query, record):
    found = _compare(query, record)
    assert found.score == 1.0, found.words
    assert Transformation.CANTONESE in found.transformations


@pytest.mark.parametrize(
    ("query", "record"),
    [("Chan Tai Man", "Chen Dawen"), ("Chen Dawen", "Chan Tai Man"), ("Lam Ka Yan", "Lin Jiaxin")],
)
def test_cantonese_spelling_meets_pinyin_as_a_likely_reading(query, record):
    found = _compare(query, record)
    assert found.score == pytest.approx(0.95)
    assert Transformation.CANTONESE in found.transformations


@pytest.mark.parametrize(
    ("query", "record"),
    [
        ("Chan Tai Man", "陳大明"),  # another given name
        ("Wong Wai Kit", "王偉明"),
        ("Cheung Ka Ming", "梁家明"),  # another surname
    ],
)
def test_another_character_is_not_met(query, record):
    assert _compare(query, record).score <= 0.5


@pytest.mark.parametrize("name", ["Li Ming", "Zeng Ping", "Lin Fang", "Peter Chan", "Ho Chi Minh"])
def test_pinyin_and_other_names_are_not_read_as_cantonese(name):
    assert all(t.via != cantonese.CANTONESE for t in analyse(name))


def test_a_pinyin_word_spelt_like_a_cantonese_reading_is_not_met():
    # 平 is Cantonese "peng" too: the pinyin surname Peng must not meet the given name.
    found = _compare("Peng Ping", "曾平")
    assert [(w.query, w.matched) for w in found.words if w.query == "peng"] != [("peng", "ping")]


def test_characters_store_their_cantonese_spellings_as_terms():
    keys = person_name_keys("陳大文")
    assert {"chan", "can", "taiman", "daaiman", "tai", "man"} <= set(keys.terms)
    assert keys.text == "chen dawen"


def test_han_readings_of_a_compound_surname():
    surname, given = cantonese.han_readings("歐陽家明", 2)
    assert "auyeung" in surname
    assert "kaming" in given


def test_split_word_into_syllables():
    assert cantonese.split_word("taiman") == ("tai", "man")
    assert cantonese.split_word("xyz") is None
