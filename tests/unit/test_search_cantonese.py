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


# --- session 6: the Hong Kong government conventions on Jyutping (ncen.search.hk_romanisation)


@pytest.mark.parametrize(
    ("query", "record"),
    [
        ("TING Chun Hoi", "丁俊海"),  # 丁 ding in the table, Ting on the identity card
        ("Chun-hoi Ting", "丁俊海"),
        ("TSEUNG Wah", "蔣華"),  # z is written ts; aa is a or ah
        ("CHAU Siu Kit", "鄒小潔"),  # 鄒 zau: Chau
        ("TSO Po Tak", "曹寶德"),  # ou is o; b and d lose their voicing letter
        ("TAI Lik Kuen", "戴力權"),  # yun is uen
        ("CHUK Wai", "祝偉"),  # a one-syllable given name
        ("TSUI Tai Tsz", "徐大子"),  # zi is tsz
    ],
)
def test_government_romanisation_meets_the_characters(query, record):
    found = _compare(query, record)
    assert found.score >= 0.95, found.words
    assert Transformation.CANTONESE in found.transformations


@pytest.mark.parametrize(
    ("query", "record"),
    [
        ("KONG Mei", "江美"),  # Kong is pinyin too (孔), and the Hong Kong spelling of 江
        ("LIU Lei", "廖莉"),
        ("MA Ming Man", "馬銘雯"),  # the given name's syllables meet its spelling as one word
    ],
)
def test_a_name_both_pinyin_and_cantonese_meets_the_characters_as_likely(query, record):
    found = _compare(query, record)
    assert 0.95 <= found.score < 1.0, found.words  # likely, never exact
    assert Transformation.CANTONESE in found.transformations


def test_plain_pinyin_still_prefers_its_own_characters():
    # Zeng Ping is 曾平 in pinyin; 鄭平 (Jyutping zeng) is only a likely reading.
    assert _compare("Zeng Ping", "曾平").score == 1.0
    assert _compare("Zeng Ping", "鄭平").score < 1.0


@pytest.mark.parametrize(
    ("syllable", "usual"),
    [("zoeng", "cheung"), ("ding", "ting"), ("gwok", "kwok"), ("jyun", "yuen"), ("si", "sze"),
     ("zi", "tsz"), ("seoi", "sui"), ("dou", "to"), ("coek", "cheuk"), ("ng", "ng")],
)  # fmt: skip
def test_jyutping_to_government_spellings(syllable, usual):
    from ncen.search.hk_romanisation import MAX_SPELLINGS, hk_spellings

    found = hk_spellings(syllable)
    assert found[0] == usual
    assert len(found) <= MAX_SPELLINGS
    assert hk_spellings("xyz") == ()
