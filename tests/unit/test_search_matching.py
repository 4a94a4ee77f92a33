"""Re-ranking, qualifiers and explanations, without a database."""

from __future__ import annotations

import pytest

from ncen.errors import ValidationError
from ncen.persons.models import Gender
from ncen.search.explain import Transformation
from ncen.search.keys import analyse
from ncen.search.matching import Matcher
from ncen.search.qualifiers import PersonFacts, apply, person_effects
from ncen.search.query import PersonQuery, company_query, person_query


def compare(query, record, *, phonetic=True):
    return Matcher(analyse(query), phonetic=phonetic).compare(analyse(record))


def test_exact_match_scores_one():
    result = compare("Hans Müller", "Hans Müller")
    assert result.score == 1.0
    assert result.transformations == (Transformation.EXACT,)


@pytest.mark.parametrize(
    ("query", "record", "expected"),
    [
        (
            "Mohammed Aliyev",
            "Мухаммад Алиев",
            {Transformation.NICKNAME, Transformation.TRANSLITERATION},
        ),
        (
            "Aliyev Mohammed",
            "Mukhammad Aliev",
            {Transformation.ORDER_SWAP, Transformation.PHONETIC},
        ),
        ("Sergei Ivanov", "Иванов Сергей Петрович", {Transformation.PATRONYMIC_OMITTED}),
        ("Zhumabaev Erlam", "Zhumabaev Erlan", {Transformation.TYPO}),
        ("Wang Xiao Ming", "Wang Xiaoming", {Transformation.SPACING}),
        ("Sasha Petrov", "Александр Петров", {Transformation.NICKNAME}),
    ],
)
def test_transformations_are_named(query, record, expected):
    result = compare(query, record)
    assert expected <= set(result.transformations)
    assert result.score >= 0.85


def test_different_people_score_low():
    assert compare("Rustam Nazarov", "Рустам Каримов").score <= 0.5
    assert compare("Timofei Khakimov", "Тимур Каримов").score < 0.85
    assert compare("Ivan Petrov", "Hans Müller").score == 0.0


def test_missing_and_extra_words_cost_but_order_does_not():
    full = compare("Mukhammad Aliev", "Mukhammad Aliev").score
    assert compare("Aliev Mukhammad", "Mukhammad Aliev").score == full
    assert compare("Aliev", "Mukhammad Aliev").score < full
    assert compare("Mukhammad Aliev Karimovich", "Mukhammad Aliev").score > 0.95
    assert compare("Mukhammad Aliev Rustam", "Mukhammad Aliev").score < 0.8


def test_phonetic_switch_turns_codes_off():
    assert Transformation.PHONETIC in compare("Muller Hans", "Hans Mueler").transformations
    off = compare("Muller Hans", "Hans Mueler", phonetic=False)
    assert Transformation.PHONETIC not in off.transformations


def facts(**overrides):
    values = {
        "gender": Gender.MALE,
        "birth_year": 1984,
        "birth_month": 7,
        "birth_day": 1,
        "nationalities": frozenset({"KZ"}),
        "shares_document": False,
    }
    values.update(overrides)
    return PersonFacts(**values)


def test_qualifiers():
    query = PersonQuery("x", birth_year=1984, nationality="KZ", gender=Gender.MALE)
    assert {e.qualifier: e.outcome for e in person_effects(query, facts())} == {
        "birth_date": "agrees",
        "nationality": "agrees",
    }
    conflicts = person_effects(
        query, facts(birth_year=1970, gender=Gender.FEMALE, nationalities=frozenset({"RU"}))
    )
    assert {e.outcome for e in conflicts} == {"conflicts"}
    assert apply(0.9, conflicts) < 0.7
    dated = PersonQuery("x", birth_year=1984, birth_month=7, birth_day=1)
    assert person_effects(dated, facts())[0].detail == "same date of birth"
    assert person_effects(PersonQuery("x"), facts(shares_document=True))[0].delta > 0.2
    assert person_effects(query, facts(birth_year=None, nationalities=frozenset())) == ()
    assert apply(0.99, person_effects(dated, facts())) == 1.0


def test_explanation_renders():
    from ncen.search.explain import Explanation

    result = compare("Mohammed Aliyev", "Мухаммад Алиев")
    explanation = Explanation(
        "mohammed aliyev",
        "Мухаммад Алиев",
        "mukhammad aliev",
        "primary",
        "Cyrl",
        result.words,
        result.transformations,
        result.score,
        (),
        result.score,
    )
    assert "Cyrillic" in explanation.summary()
    assert "transliteration" in explanation.summary()
    data = explanation.as_dict()
    assert data["words"][0]["via"] == "nickname"
    assert data["score"] == round(result.score, 3)


def test_query_validation_reports_every_field():
    with pytest.raises(ValidationError) as caught:
        person_query(name="", birth_year="soon", nationality="Kazakhstan", gender="male", limit=0)
    assert set(caught.value.errors) == {"name", "birth_year", "nationality", "gender", "limit"}
    with pytest.raises(ValidationError) as caught:
        person_query(name="Ali Karimov", birth_year_from=1990, birth_year_to=1980)
    assert "birth_year_to" in caught.value.errors
    query = person_query(name=" Ali  Karimov ", phonetic="off", transliteration="1", limit="5")
    assert (query.name, query.options.phonetic, query.options.transliteration) == (
        "Ali Karimov",
        False,
        True,
    )
    assert company_query(name="Kaspian", country="az").country == "AZ"
