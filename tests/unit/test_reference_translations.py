"""Every built-in code is labelled in English, French and Russian; country and currency names
come from CLDR in each language; labels sort the way their readers expect; and the message
catalogues that translate the enumerations compile without a fuzzy or missing entry."""

from __future__ import annotations

from pathlib import Path

import pycountry
import pytest
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from ncen.reference.codes import ALL_LISTS
from ncen.reference.labels import cldr_names, language_name, sort_key
from ncen.reference.translations import LOCALES, TRANSLATED_LISTS, seed_rows
from ncen.text import text_problem
from tests.web_support import compile_translations
from web.i18n import SOURCE_LANGUAGE, TRANSLATIONS_PATH
from web.i18n import language_name as own_name
from web.labels import LABELS

UNTRANSLATED_LISTS: set[str] = set()  # every built-in list is translated
# Codes whose label is the same word in English and in a translation (checked by hand).
SAME_WORD = {("quantity_units", code, "fr") for code in ("t", "l", "ml", "ampoules", "doses")} | {
    ("person_roles", "suspect", "fr")
}


# The interface's built-in languages: English and every committed catalogue.
LANGUAGES = (
    SOURCE_LANGUAGE,
    *sorted(
        path.parents[1].name
        for path in TRANSLATIONS_PATH.glob("*/LC_MESSAGES/messages.po")
        if path.parents[1].name != SOURCE_LANGUAGE
    ),
)


def test_the_languages_of_codes_are_those_of_the_interface() -> None:
    assert ("en", *LOCALES) == LANGUAGES


def test_each_language_is_named_as_cldr_names_it_in_itself() -> None:
    assert {code: own_name(code) for code in LANGUAGES} == {
        "en": "English",
        "fr": "Français",
        "ru": "Русский",
    }
    for code in LANGUAGES:
        endonym = language_name(code, code)
        assert own_name(code) == endonym[:1].upper() + endonym[1:]


@pytest.mark.parametrize("list_name", sorted(set(ALL_LISTS) - UNTRANSLATED_LISTS))
def test_every_built_in_code_has_a_french_and_a_russian_label(list_name: str) -> None:
    english = {code.code: code.label for code in ALL_LISTS[list_name]}
    translated = TRANSLATED_LISTS[list_name]
    assert set(translated) == set(english), "a code without translations, or one that is not"
    for code, labels in translated.items():
        assert len(labels) == len(LOCALES)
        for locale, label in zip(LOCALES, labels, strict=True):
            assert label.strip() == label != "", (list_name, code, locale)
            assert text_problem(label) is None, (list_name, code, locale)
            assert len(label) <= 500
            if (list_name, code, locale) not in SAME_WORD:
                assert label != english[code], (list_name, code, locale, "left in English")
        french, russian = labels
        assert any("\u0400" <= char <= "\u04ff" for char in russian), (list_name, code)
        assert not any("\u0400" <= char <= "\u04ff" for char in french), (list_name, code)


def test_no_list_is_left_out() -> None:
    assert set(TRANSLATED_LISTS) == set(ALL_LISTS) - UNTRANSLATED_LISTS


def test_the_seed_rows_cover_every_translation_once() -> None:
    rows = seed_rows()
    keys = [(r["list_name"], r["code"], r["locale"]) for r in rows]
    assert len(keys) == len(set(keys))
    expected = sum(len(codes) for codes in TRANSLATED_LISTS.values()) * len(LOCALES)
    assert len(rows) == expected
    assert rows[0] == {
        "list_name": "enforcement_areas",
        "code": "cultural_heritage",
        "locale": "fr",
        "label": "Patrimoine culturel",
    }


def test_the_issue_s_examples() -> None:
    assert TRANSLATED_LISTS["commodity_groups"]["medicines"][1] == (
        "Лекарственные средства и фармацевтическая продукция"
    )
    assert TRANSLATED_LISTS["transport_modes"]["maritime"] == (
        "Transport maritime",
        "Морской транспорт",
    )
    assert TRANSLATED_LISTS["person_roles"]["offender"][1] == "Правонарушитель"


@pytest.mark.parametrize("locale", list(LANGUAGES))
def test_every_iso_country_has_a_cldr_name_in_every_language(locale: str) -> None:
    names = cldr_names("countries", locale)
    missing = [c.alpha_2 for c in pycountry.countries if not names.get(c.alpha_2)]
    assert missing == []


# ISO 4217 codes CLDR does not name (funds and units of account): shown with the ISO label.
CLDR_CURRENCY_GAPS = {"UYW", "VED", "XAD", "XSU", "XUA"}


@pytest.mark.parametrize("locale", list(LANGUAGES))
def test_every_iso_currency_but_a_few_funds_has_a_cldr_name(locale: str) -> None:
    names = cldr_names("currencies", locale)
    missing = {c.alpha_3 for c in pycountry.currencies if not names.get(c.alpha_3)}
    assert missing <= CLDR_CURRENCY_GAPS
    assert (
        names["USD"]
        == {"en": "US Dollar", "fr": "Dollar des États-Unis", "ru": "Доллар США"}[locale]
    )


def test_names_come_from_cldr() -> None:
    assert cldr_names("countries", "ru")["TR"] == "Турция"
    assert cldr_names("countries", "fr")["TR"] == "Turquie"
    assert cldr_names("countries", "xx-nowhere") == {}
    assert language_name("fr", "ru") == "французский"
    assert language_name("en", "fr") == "anglais"
    assert language_name("zz", "fr") == "zz"


def test_sort_key_ignores_case_and_accents_first() -> None:
    french = ["Équateur", "Espagne", "Égypte", "estonie", "Éthiopie", "Érythrée"]
    assert sorted(french, key=sort_key) == [
        "Égypte",
        "Équateur",
        "Érythrée",
        "Espagne",
        "estonie",
        "Éthiopie",
    ]
    russian = ["Япония", "Ёлкино", "Австрия", "Египет", "Ямайка"]
    assert sorted(russian, key=sort_key) == ["Австрия", "Египет", "Ёлкино", "Ямайка", "Япония"]
    # Ties broken by the label itself: a total, stable order.
    assert sorted(["e", "E", "é"], key=sort_key) == sorted(["é", "E", "e"], key=sort_key)


def test_russian_country_picker_order() -> None:
    names = cldr_names("countries", "ru")
    ordered = sorted((names[c.alpha_2] for c in pycountry.countries), key=sort_key)
    assert ordered[0] == "Австралия"
    assert ordered.index("Турция") < ordered.index("Япония") == len(ordered) - 1


@pytest.mark.parametrize("locale", ["fr", "ru"])
def test_every_enumeration_label_is_translated(locale: str) -> None:
    """Statuses, grading, handling codes and the other enumerations of `web.labels`."""
    path = TRANSLATIONS_PATH / locale / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as handle:
        catalog = read_po(handle, locale=locale)
    for kind, labels in LABELS.items():
        for key, label in labels.items():
            msgid = label._args[0]  # type: ignore[attr-defined]
            message = catalog.get(msgid)
            assert message is not None, (kind, key, "not in the catalogue")
            assert message.string, (kind, key, locale)
            assert not message.fuzzy, (kind, key, locale)


def test_the_catalogues_compile_and_translate_the_enumerations(tmp_path: Path) -> None:
    compiled = compile_translations(tmp_path)
    for locale in ("fr", "ru"):
        with (compiled / locale / "LC_MESSAGES" / "messages.mo").open("rb") as handle:
            catalog = read_mo(handle)
        assert catalog.get("Validated") is not None
        assert catalog["Validated"].string not in {"", "Validated"}
        assert catalog.get("H2 – no onward transmission without the originator's consent")
