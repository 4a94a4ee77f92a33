"""Unicode clean-up, folding and query validation of `ncen.search.normalise`."""

from __future__ import annotations

import pytest

from ncen.errors import ValidationError
from ncen.search.normalise import (
    MAX_QUERY_CHARS,
    check_query_text,
    clean,
    fold_latin,
    latin_variants,
    words,
)


def test_clean_normalises_and_drops_invisible_and_invalid_code_points():
    assert clean("  Ｍüller\u200b\u00ad  Hans\n") == "Müller Hans"
    assert clean("Ali\ud800ev") == "Aliev"  # a lone surrogate (invalid Unicode) is dropped
    assert clean("Ali\x00ev\x07") == "Ali ev"  # controls separate words
    assert clean("O‘g‘li Il'ich") == "Ogli Ilich"  # apostrophes inside words go


def test_fold_latin_removes_diacritics_and_keeps_passport_spellings():
    assert fold_latin("Şahin") == "sahin"
    assert fold_latin("Məmmədov") == "mammadov"
    assert fold_latin("Straße") == "strasse"
    assert latin_variants("Müller") == ("muller", "mueller")
    assert latin_variants("Muller") == ("muller",)


def test_words_split_on_punctuation_and_emoji_but_keep_hyphenated_names():
    assert words("Abdul-Rahman, al-Hashimi 🙂 (Bob)") == ["Abdul-Rahman", "al-Hashimi", "Bob"]
    assert words("ТОО «Шелковый путь»") == ["ТОО", "Шелковый", "путь"]
    assert words("王小明") == ["王小明"]


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("", "enter the text"),
        ("   \t ", "enter the text"),
        ("a", "at least 2"),
        ("🙂🙂🙂", "at least 2"),
        ("%_*", "at least 2"),
        ("x" * 10_000, f"at most {MAX_QUERY_CHARS}"),
        ("a " * 20, "at most 8 words"),
        (None, "enter the text"),
        (42, "enter the text"),
    ],
)
def test_unusable_queries_say_what_to_fix(raw, message):
    with pytest.raises(ValidationError) as caught:
        check_query_text(raw, "name")
    assert message in caught.value.errors["name"]


@pytest.mark.parametrize(
    "raw", ["O'Brien", "'; DROP TABLE persons; --", "Ali.*ev (x|y)+", "王小明", "Ali 🙂 ev"]
)
def test_metacharacters_and_mixed_scripts_are_accepted(raw):
    assert check_query_text(raw) == clean(raw)
