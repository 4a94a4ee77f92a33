"""Name evidence that separates namesakes (`ncen.search.evidence`) and the query's filter
modes (`ncen.search.query`), without a database."""

from __future__ import annotations

import pytest

from ncen.errors import ValidationError
from ncen.persons.models import Gender
from ncen.search.evidence import CAP, cap_reasons, capped, gendered_pair, name_effects, skeletons
from ncen.search.keys import analyse
from ncen.search.matching import Matcher
from ncen.search.query import DEFAULT_TOLERANCE, person_query, person_search_params
from ncen.search.results import STRONG_MATCH, is_strong


@pytest.mark.parametrize(
    ("query", "record", "gender"),
    [
        ("ivanova", "ivanov", Gender.FEMALE),
        ("ivanov", "ivanova", Gender.MALE),
        ("aliyeva", "aliev", Gender.FEMALE),
        ("petrovskaya", "petrovskiy", Gender.FEMALE),
        ("sergeevich", "sergeevna", Gender.MALE),
        ("ivanovna", "ivanovich", Gender.FEMALE),
        ("nasarbekowa", "nazarbekov", Gender.FEMALE),
    ],
)
def test_other_gender_forms_are_recognised(query, record, gender):
    assert gendered_pair(query, record) is gender


@pytest.mark.parametrize(
    ("query", "record"),
    [("ivanov", "ivanov"), ("ivanova", "ivanova"), ("ivanova", "petrov"), ("rustam", "rustam")],
)
def test_same_gender_or_other_stems_are_no_pair(query, record):
    assert gendered_pair(query, record) is None


def test_transliteration_habits_share_a_skeleton_but_other_consonants_do_not():
    assert skeletons("tschernow") & skeletons("chernov")
    assert skeletons("djamal") & skeletons("dzhamal")
    assert skeletons("bohm") & skeletons("bem")
    assert not skeletons("nazarbekov") & skeletons("nazarpekov")


def _effects(query, record, gender):
    q, r = analyse(query), analyse(record)
    matcher = Matcher(q)
    comparison = matcher.compare(r)
    return name_effects(q, r, comparison.words, gender, lambda a, b: matcher.word(a, b)[0])


def test_gendered_form_conflicts_only_when_the_record_gender_is_known():
    kinds = [e.qualifier for e in _effects("Ivanova Svetlana", "Иванов Светлан", Gender.MALE)]
    assert "gendered_form" in kinds
    assert _effects("Ivanova Svetlana", "Иванов Светлан", Gender.UNKNOWN) == []
    # a woman recorded under the masculine form is still the woman the query asks for
    assert _effects("Ivanova Svetlana", "Иванов Светлана", Gender.FEMALE) == []


def test_patronymic_conflict_and_agreement():
    conflict = _effects("Akhmetov Rustam Sergeevich", "Ахметов Рустам Ибрагимович", Gender.MALE)
    assert [(e.qualifier, e.outcome) for e in conflict] == [("patronymic", "conflicts")]
    assert conflict[0].delta < 0
    assert _effects("Akhmetov Rustam Sergeyevich", "Ахметов Рустам Сергеевич", Gender.MALE) == []
    assert _effects("Akhmetov Rustam", "Ахметов Рустам Ибрагимович", Gender.MALE) == []


def test_one_word_in_common_is_capped_under_the_threshold():
    q, r = analyse("Rustam"), analyse("Ахметов Рустам")
    comparison = Matcher(q).compare(r)
    reasons = cap_reasons(q, r, comparison.words)
    assert [reason[0] for reason in reasons] == ["name_words"]
    effects = capped(comparison.score + 0.25, reasons)
    assert comparison.score + 0.25 + effects[0].delta == pytest.approx(CAP)
    assert not is_strong(CAP)


@pytest.mark.parametrize(
    ("query", "record", "capped_"),
    [
        ("Akhmetov Rustam", "Ахмедов Рустам", True),  # t against d: another surname
        ("Yolgin Oleg", "Ёлкин Олег", True),
        ("Tschernow Oleg", "Чернов Олег", False),  # German spelling of the same letters
        ("Zhandarbegkov Fedor", "Жандарбеков Фёдор", False),  # a slipped letter: a typo
        ("Akhmedov Rustam", "Ахмедов Рустам", False),
    ],
)
def test_sound_only_surnames_are_capped_but_spelling_habits_are_not(query, record, capped_):
    q, r = analyse(query), analyse(record)
    reasons = cap_reasons(q, r, Matcher(q).compare(r).words)
    assert ([x[0] for x in reasons] == ["sound_only"]) is capped_


def test_filter_modes_become_ranges_and_filters():
    query = person_query(name="Aliev", birth_year="1984", birth_year_mode="filter")
    assert (query.birth_year_from, query.birth_year_to) == (
        1984 - DEFAULT_TOLERANCE,
        1984 + DEFAULT_TOLERANCE,
    )
    assert query.birth_year is None  # a filtering year no longer moves the score
    query = person_query(
        name="Aliev", birth_year=1984, birth_year_mode="filter", birth_year_tolerance="0"
    )
    assert (query.birth_year_from, query.birth_year_to) == (1984, 1984)
    query = person_query(name="Aliev", nationality="kz", nationality_mode="filter")
    assert (query.only_nationality, query.nationality) == ("KZ", None)
    assert person_query(name="Aliev", nationality="KAZ").nationality == "KZ"
    assert not person_query(name="Aliev").include_unknown


@pytest.mark.parametrize(
    ("fields", "bad"),
    [
        ({"birth_year_mode": "filter"}, "birth_year"),
        ({"birth_year": 1984, "birth_year_mode": "sideways"}, "birth_year_mode"),
        ({"birth_year": 1984, "birth_year_mode": "filter", "birth_year_tolerance": "-1"},
         "birth_year_tolerance"),
        ({"birth_year": 1984, "birth_year_mode": "filter", "birth_year_tolerance": "11"},
         "birth_year_tolerance"),
        ({"birth_year": 1984, "birth_year_mode": "filter", "birth_year_tolerance": "two"},
         "birth_year_tolerance"),
        ({"birth_year": 1984, "birth_year_mode": "filter", "birth_year_from": 1980},
         "birth_year"),
        ({"nationality": "ZZ"}, "nationality"),
        ({"nationality": "UK", "nationality_mode": "filter"}, "nationality"),
        ({"nationality_mode": "filter"}, "nationality"),
        ({"nationality": "KZ", "nationality_mode": "filter", "only_nationality": "UZ"},
         "nationality"),
    ],
)  # fmt: skip
def test_bad_filters_are_refused_by_field(fields, bad):
    with pytest.raises(ValidationError) as caught:
        person_query(name="Aliev", **fields)
    assert bad in caught.value.errors


def test_the_form_reads_both_modes_and_unknowns():
    query = person_search_params(
        {"q": "Aliev", "birth_year": "1980", "birth_year_mode": "filter", "include_unknown": "y"}
    )
    assert (query.birth_year_from, query.birth_year_to, query.include_unknown) == (1978, 1982, True)
    assert person_search_params({"q": "Aliev", "only_nationality": "UZ"}).only_nationality == "UZ"


def test_one_threshold():
    assert is_strong(STRONG_MATCH)
    assert not is_strong(STRONG_MATCH - 0.001)


@pytest.mark.parametrize(
    ("query", "record", "capped_"),
    [
        # Two consonants apart, however alike the rest of the spelling: another surname.
        ("Dzhavadov Rustam", "Джафаров Рустам", True),
        # A consonant apart and other vowels as well: two edits, another surname.
        ("Frolov Pavel", "Карлов Павел", True),
        ("Komarov Oleg", "Тихомиров Олег", True),
        # One slip on top of another transliteration is still a typo.
        ("Dzhafarow Rustam", "Джафаров Рустам", False),
        ("Petrov Oleg", "Петров Олег", False),
    ],
)
def test_a_typo_more_than_one_slip_away_is_another_name(query, record, capped_):
    q, r = analyse(query), analyse(record)
    reasons = cap_reasons(q, r, Matcher(q).compare(r).words)
    assert ("sound_only" in [x[0] for x in reasons]) is capped_


@pytest.mark.parametrize(
    ("query", "record", "capped_"),
    [
        ("吐尔洪·买买提", "TUERXUN MAIMAITI", True),  # 洪 hong is not 逊 xun: Turghun, Tursun
        ("吐尔逊·买买提", "TUERXUN MAIMAITI", False),
        ("Hesen Niyaz", "AISHAN NIYAZI", False),  # two syllables by sound: left alone
    ],
)
def test_transcriptions_a_syllable_apart_are_other_names(query, record, capped_):
    q, r = analyse(query), analyse(record)
    reasons = cap_reasons(q, r, Matcher(q).compare(r).words)
    assert ("syllable" in [x[0] for x in reasons]) is capped_


@pytest.mark.parametrize(
    ("query", "record"),
    [
        ("Habib Ullah Khan", "حبیب\u200cالله خان"),
        ("Salah Eddine", "صلاح الدين"),
        ("Nour Eddine Amrani", "Noureddine Amrani"),
        ("Amrani Noureddine", "AMRANI Nur al-Din"),
        ("Gholam Hossein", "غلامحسین"),
    ],
)
def test_compound_given_names_meet_written_apart_or_joined(query, record):
    q, r = analyse(query), analyse(record)
    comparison = Matcher(q).compare(r)
    assert comparison.score >= 0.85, comparison
    assert cap_reasons(q, r, comparison.words) == []


def test_a_compound_element_written_apart_on_both_sides_is_not_joined():
    q, r = analyse("Ghulam Nabi"), analyse("Ghulam Sarwar")
    reasons = cap_reasons(q, r, Matcher(q).compare(r).words)
    assert [x[0] for x in reasons] == ["name_words"]


def test_a_given_name_that_meets_only_the_patronymic_is_capped():
    q, r = analyse("Valentina Orlova"), analyse("Орлова Нина Валентиновна")
    reasons = cap_reasons(q, r, Matcher(q).compare(r).words)
    assert "parent_name" in [x[0] for x in reasons]
    q = analyse("Nina Orlova")
    assert cap_reasons(q, r, Matcher(q).compare(r).words) == []
