"""Taiwan-style names: Wade–Giles with the given name hyphenated and the apostrophes lost, as
Taiwan passports write them (Chen Shui-bian, Tsai Ing-wen, Lee Teng-hui), meet the same name
in characters and in pinyin, and a one-syllable given name does not meet a two-syllable one."""

from __future__ import annotations

import pytest

from ncen.search import chinese
from ncen.search.keys import analyse, person_name_keys
from ncen.search.matching import Matcher
from ncen.search.results import STRONG_MATCH


def score(query: str, record: str) -> float:
    return Matcher(analyse(query)).compare(analyse(record)).score


@pytest.mark.parametrize(
    ("taiwan", "characters", "pinyin"),
    [
        ("Chen Shui-bian", "陈水扁", "Chen Shuibian"),
        ("Tsai Ing-wen", "蔡英文", "Cai Yingwen"),
        ("Lee Teng-hui", "李登辉", "Li Denghui"),
        ("Hsieh Chang-ting", "谢长廷", "Xie Changting"),
        ("Teng Hsiao-p'ing", "邓小平", "Deng Xiaoping"),
        ("Fan Shu-chen", "范淑贞", "Fan Shuzhen"),  # ch = zh
        ("Wei Shui-pien", "魏水扁", "Wei Shuibian"),  # p = b
        ("Tien Chien-ping", "田建平", "Tian Jianping"),  # t, ch, p without apostrophes
    ],
)
def test_taiwan_spelling_meets_characters_and_pinyin(taiwan, characters, pinyin):
    for record in (characters, pinyin):
        assert score(taiwan, record) >= STRONG_MATCH, record
        assert score(record, taiwan) >= STRONG_MATCH, record


def test_hyphenated_given_name_is_one_token_with_every_reading():
    surname, given = analyse("Tien Chien-ping")
    assert given.text == "chienping"
    assert {"jianping", "qianping", "jianbing", "qianbing"} <= set(given.extra)
    assert {"tian", "dian"} <= set(surname.extra)
    assert analyse("Fan Shu-chen")[1].text == "shuchen"
    assert "shuzhen" in analyse("Fan Shu-chen")[1].extra


def test_stored_keys_hold_the_joined_readings():
    terms = set(person_name_keys("Fan Shu-chen").terms)
    assert {"shuchen", "shuzhen"} <= terms


def test_zero_initial_and_taiwan_surname_spellings():
    assert chinese.wade_giles_syllable("ing") == ("ying",)
    assert chinese.wade_giles_syllable("in") == ("yin",)
    assert chinese.wade_giles_syllable("lee") == ("li",)


@pytest.mark.parametrize(
    ("query", "record"),
    [
        ("Chiu Ping", "邱建平"),  # the record has another given syllable
        ("Chen Shui", "陈水扁"),
        ("Fan Shu-chen", "范淑芬"),  # another second syllable
        ("Tsai Ing-wen", "蔡英"),
    ],
)
def test_other_given_names_are_not_strong(query, record):
    assert score(query, record) < STRONG_MATCH


@pytest.mark.parametrize(("query", "record"), [("Wang Xin-Qiu", "王欣秋"), ("欣·秋", "Xin Qiu")])
def test_hyphenated_pinyin_still_meets(query, record):
    assert score(query, record) >= STRONG_MATCH
