"""Transliteration, phonetic codes, variants and stored keys of `ncen.search`."""

from __future__ import annotations

import pytest

from ncen.search.keys import analyse, company_name_keys, person_name_keys
from ncen.search.phonetic import arabic_codes, latin_codes
from ncen.search.transliterate import to_latin
from ncen.search.variants import is_patronymic, variants_of


@pytest.mark.parametrize(
    ("native", "latin"),
    [
        ("Мухаммад Алиев", "mukhammad aliev"),
        ("Қайрат Әбдірахманов", "kayrat abdirakhmanov"),  # Kazakh letters
        ("Ғаниев Өтегенов Ұлан", "ganiev otegenov ulan"),
        ("Ҷӯраев Раҳимов", "juraev rahimov"),  # Tajik letters
        ("Ўткир Тошматов", "otkir toshmatov"),  # Uzbek Cyrillic
        ("Щукин Хрущёв", "shchukin khrushchev"),
        ("محمد علی", "muhammad ali"),  # dictionary names restore the vowels
        ("رحیمی", "rhimi"),  # other words keep their written letters
        ("عمران خان", "imran khan"),  # Urdu
        ("ښکلی", "shkli"),  # Pashto letters
        ("王小明", "wang xiaoming"),
        ("欧阳娜娜", "ouyang nana"),  # compound surname
        ("单田芳", "shan tianfang"),  # surname reading
        ("Şahin Məmmədov Łukasz", "sahin mammadov lukasz"),
        ("Γιώργος", "giorgos"),
    ],
)
def test_latin_readings(native, latin):
    assert to_latin(native) == latin


@pytest.mark.parametrize(
    "spellings",
    [
        ("mukhammad", "mohammed", "muhammad", "muhammet", "mokhamed"),
        ("aliev", "aliyev", "alijew", "aliew"),
        ("mamedov", "mammadov", "memmedov"),
        ("khrushchev", "chruschtschow", "khrouchtchev"),
        ("chernov", "tschernow", "tchernov"),
        ("zaytsev", "sajzew", "zaitsev"),
        ("yusupov", "jusupow", "ioussoupov"),
        ("abdulrahman", "abdurakhman", "abdurrahman"),
        ("muller", "mueller"),
        ("hassan", "gasan", "khasan"),
        ("fatima", "fatemeh", "fatimah"),
    ],
)
def test_phonetic_codes_survive_transliteration_systems(spellings):
    code_sets = [set(latin_codes(s)) for s in spellings]
    assert set.intersection(*code_sets), dict(zip(spellings, code_sets, strict=True))


def test_arabic_script_codes_meet_latin_codes():
    assert set(arabic_codes("محمد")) & set(latin_codes("mohammed"))
    assert set(arabic_codes("عبدالرحمن")) & set(latin_codes("abdurakhman"))
    assert set(arabic_codes("فاطمه")) & set(latin_codes("fatima"))
    assert set(arabic_codes("الحسینی")) & set(latin_codes("husseini"))


def test_different_names_get_different_codes():
    assert not set(latin_codes("karimov")) & set(latin_codes("aliev"))
    assert not set(latin_codes("ivanov")) & set(latin_codes("petrov"))


def test_variant_dictionary():
    assert "sasha" in variants_of("aleksandr")
    assert "mukhammad" in variants_of("mohammed")
    assert variants_of("nobody") == frozenset()


def test_patronymics_are_optional_words():
    tokens = analyse("Алиев Мухаммад Ибрагимович")
    assert [(t.text, t.optional) for t in tokens] == [
        ("aliev", False),
        ("mukhammad", False),
        ("ibragimovich", True),
    ]
    turkic = analyse("Mammadov Rashid Kamal oglu")
    # The marker is a relation, not a word: the father's name is optional and carries it.
    assert [(t.text, t.parent, t.marker) for t in turkic if t.optional] == [("kamal", True, "oglu")]
    structured = analyse("Kasymov Nurlan Bolatuly", patronymic="Bolatuly")
    assert [t.text for t in structured if t.optional] == ["bolatuly"]
    assert is_patronymic("sergeevna")
    assert not is_patronymic("ivanov")


def test_person_keys():
    keys = person_name_keys("Hans Müller")
    assert keys.text == "hans muller"
    assert set(keys.terms) == {"hans", "muller", "mueller"}
    assert "MLR" in keys.codes
    han = person_name_keys("王小明")
    assert han.text == "wang xiaoming"
    assert {"xiao", "ming"} <= set(han.terms)
    joined = person_name_keys("Abdul Rahman Karimi")
    assert joined.text == "abdulrahman karimi"
    assert {"abdul", "rahman"} <= set(joined.terms)
    assert person_name_keys("Mr Ali al-Hashimi").text == "ali hashimi"
    assert person_name_keys("???") == person_name_keys("")


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("ТОО «Шелковый путь Логистик»", "shelkovyy put logistik"),
        ("Silk Road Logistics LLP", "silk road logistics"),
        ("ООО Восток", "vostok"),
        ("Kaspian Cargo GmbH", "kaspian cargo"),
        ("Anadolu Lojistik A.Ş.", "anadolu lojistik"),
        ("Yuandong Logistics Co. Ltd", "yuandong logistics"),
        ("Acme Limited Liability Company", "acme"),
        ("Sp. z o.o. Kowal", "kowal"),
        ("远东物流有限公司", "yuan dong wu liu"),
        ("شرکت آریانا تجارت", "ariana tjart"),
        ("LLC", "llc"),  # a legal form alone stays: it is all the name there is
    ],
)
def test_company_legal_forms_are_removed(name, text):
    assert company_name_keys(name).text == text
