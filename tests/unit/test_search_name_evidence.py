"""Namesakes told apart by the words of the names themselves (`ncen.search.evidence`,
`ncen.search.parents`, `ncen.search.matching`), without a database: patronymics written inside
the name, Turkic oglu/qizi, multi-word parents' names (s/o, bin, binti), Chinese syllables and
surnames that are only similar."""

from __future__ import annotations

import pytest

from ncen.persons.models import Gender
from ncen.search.evidence import (
    cap_reasons,
    capped,
    name_effects,
    patronymic_words,
    with_patronymics,
)
from ncen.search.keys import analyse
from ncen.search.matching import Matcher
from ncen.search.parents import names_agree, parent_effects
from ncen.search.results import STRONG_MATCH


def _score(query: str, record: str, *, patronymics: tuple[str, ...] = ()) -> tuple[float, set]:
    """The score a person search gives ``record`` for ``query`` (gender male, no other facts),
    and the (qualifier, outcome) kinds of its effects."""
    q, r = analyse(query), analyse(record)
    matcher = Matcher(q)
    comparison = matcher.compare(r)
    words = [t for p in patronymics for t in patronymic_words(p, None)]
    effects = [
        *name_effects(
            q,
            with_patronymics(r, words),
            comparison.words,
            Gender.MALE,
            lambda a, b: matcher.word(a, b)[0],
        ),
        *parent_effects(q, r),
    ]
    raw = comparison.score + sum(e.delta for e in effects)
    effects += capped(raw, cap_reasons(q, r, comparison.words))
    final = min(1.0, comparison.score + sum(e.delta for e in effects))
    return final, {(e.qualifier, e.outcome) for e in effects}


# 1. Patronymics written inside the full name, in Cyrillic or any Latin spelling.
@pytest.mark.parametrize(
    ("query", "record"),
    [
        ("Nikitin Vladislav Gennadevich", "Никитин Владислав Максимович"),
        ("Никитин Владислав Геннадьевич", "Nikitin Vladislav Maksimovich"),
        ("Nikitine Vladislav Guennadievitch", "Никитин Владислав Максимович"),  # French
        ("Nikitin Wladislaw Gennadjewitsch", "Никитин Владислав Максимович"),  # German
        ("Nikitina Olga Gennadevna", "Никитина Ольга Максимовна"),
        ("Kuzmenko Oksana Petrivna", "Кузьменко Оксана Іванівна"),  # Ukrainian -івна
    ],
)
def test_conflicting_patronymic_in_the_name_is_evidence_against(query, record):
    score, kinds = _score(query, record)
    assert ("patronymic", "conflicts") in kinds
    assert score < STRONG_MATCH


@pytest.mark.parametrize(
    ("query", "record"),
    [
        ("Nikitin Vladislav Gennadevich", "Никитин Владислав Геннадьевич"),
        ("Nikitin Vladislav Gennadevich", "Никитин Владислав"),  # omitted: neutral
        ("Nikitin Vladislav", "Никитин Владислав Максимович"),
    ],
)
def test_same_or_omitted_patronymic_stays_strong(query, record):
    score, kinds = _score(query, record)
    assert ("patronymic", "conflicts") not in kinds
    assert score >= STRONG_MATCH


def test_patronymic_of_another_name_form_or_of_the_field_is_compared():
    # The best name form leaves the patronymic out; the person's other form records it.
    other = ("Никитин Владислав Максимович",)
    score, kinds = _score("Nikitin Vladislav Gennadevich", "Nikitin Vladislav", patronymics=other)
    assert ("patronymic", "conflicts") in kinds
    assert score < STRONG_MATCH
    same = ("Никитин Владислав Геннадьевич",)
    assert _score("Nikitin Vladislav Gennadevich", "Nikitin Vladislav", patronymics=same)[0] > 0.95
    field = [t.text for t in patronymic_words("Никитин Владислав", "Максимович")]
    assert field == ["maksimovich"]


# 2. Turkic "X Y oglu": Y is the father; the given name is compared as the given name.
@pytest.mark.parametrize(
    ("query", "record"),
    [
        ("Cavadov Kamil Kamil oğlu", "Cavadov Vüqar Kamil oğlu"),
        ("Dzhavadov Vugar Vugar ogly", "Джавадов Эльшан Вугар оглы"),
        ("Dzhavadov Vugar", "Джавадов Эльшан Вугар оглы"),
        ("Məmmədova Leyla Rasim qızı", "Məmmədova Aynur Leyla qızı"),
    ],
)
def test_turkic_given_name_is_not_rescued_by_the_fathers_name(query, record):
    score, _ = _score(query, record)
    assert score < STRONG_MATCH


def test_turkic_conflicting_father_is_evidence_against():
    score, kinds = _score("Cavadov Vüqar Rasim oğlu", "Cavadov Vüqar Kamil oğlu")
    assert ("parentage", "conflicts") in kinds
    assert score < STRONG_MATCH
    same, kinds = _score("Dzhavadov Vugar Kamil ogly", "Cavadov Vüqar Kamil oğlu")
    assert ("parentage", "agrees") in kinds
    assert same >= STRONG_MATCH


def test_matcher_pairs_the_fathers_name_with_the_fathers_name():
    words = Matcher(analyse("Cavadov Kamil Kamil oğlu")).compare(
        analyse("Cavadov Vüqar Kamil oğlu")
    )
    own, father = [w for w in words.words if w.query == "kamil"]
    assert own.matched is None
    assert father.matched == "kamil"


# 3. A parent's name of several words agrees only word for word.
@pytest.mark.parametrize(
    ("query", "record"),
    [
        ("Karim s/o Ghulam Nabi", "Karim s/o Ghulam Sarwar"),
        ("Mansoor bin Zaid Al-Muhairi", "Mansoor bin Saif Al-Muhairi"),
        ("Siti Aishah binti Yusof", "Siti Aishah binti Zakaria"),
        ("Ahmad ibn Ali ibn Hasan", "Ahmad ibn Ali ibn Yusuf Qasim"),
    ],
)
def test_a_parent_word_present_on_both_sides_and_different_conflicts(query, record):
    score, kinds = _score(query, record)
    assert ("parentage", "conflicts") in kinds
    assert score < STRONG_MATCH


@pytest.mark.parametrize(
    ("query", "record"),
    [
        ("Karim s/o Ghulam Nabi", "Karim s/o Nabi"),  # one word left out
        ("Karim s/o Ghulam Nabi", "Karim s/o Ghulam Nabi"),
        ("Mansoor bin Zaid Al-Muhairi", "Mansoor bin Zaid"),
    ],
)
def test_a_parent_name_with_a_word_left_out_still_agrees(query, record):
    score, kinds = _score(query, record)
    assert ("parentage", "agrees") in kinds
    assert score >= STRONG_MATCH


def test_names_agree_word_for_word():
    def same(a, b):
        return a.text == b.text

    def words(text):
        return analyse(text)

    assert names_agree(words("ghulam nabi"), words("nabi"), same)
    assert names_agree(words("nabi"), words("ghulam nabi"), same)
    assert not names_agree(words("ghulam nabi"), words("ghulam sarwar"), same)
    assert not names_agree(words("nabi"), words("sarwar"), same)


# 4. Chinese: one syllable more or another, and another surname.
@pytest.mark.parametrize(
    ("query", "record"),
    [
        ("金建平", "金平"),
        ("Jin Jianping", "Jin Ping"),
        ("金平", "金建平"),
        ("Zhang Wei", "Zhang Wen"),
    ],
)
def test_chinese_extra_or_other_given_syllable_is_not_the_same_name(query, record):
    score, _ = _score(query, record)
    assert score < STRONG_MATCH


@pytest.mark.parametrize(
    ("query", "record"),
    [("彭平", "曾平"), ("Peng Ping", "Zeng Ping"), ("Zhang Ping", "章兵")],
)
def test_chinese_other_syllable_is_capped(query, record):
    score, kinds = _score(query, record)
    assert ("syllable", "too_weak") in kinds
    assert score < STRONG_MATCH


def test_chinese_same_name_in_characters_and_pinyin_stays_strong():
    assert _score("Jin Jianping", "金建平")[0] >= STRONG_MATCH
    assert _score("Peng Ping", "彭平")[0] >= STRONG_MATCH
    # a slip in a given name of two syllables is a typo, not another syllable
    assert _score("Zheng Zixun", "郑梓萱")[0] >= STRONG_MATCH


# 5. A different but similar surname met only as a typo of its sounds.
@pytest.mark.parametrize(
    ("query", "record"),
    [
        ("Kuchkarov Rustam", "Кадыров Рустам"),
        ("Kuchkarov Rustam", "Kadyrov Rustam"),
        ("Karpov Igor", "Комаров Игорь"),
    ],
)
def test_similar_other_surname_is_not_strong(query, record):
    assert _score(query, record)[0] < STRONG_MATCH


@pytest.mark.parametrize(
    ("query", "record"),
    [
        ("Kuchkarov Rustam", "Кучкаров Рустам"),
        ("Kuchkarov Rustam", "Kuchkarow Rustam"),  # a slip of the spelling
        ("Kadyrov Rustam", "Qodirov Rustam"),
    ],
)
def test_the_same_surname_in_another_spelling_stays_strong(query, record):
    assert _score(query, record)[0] >= STRONG_MATCH
