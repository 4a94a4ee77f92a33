"""Match explanations and alert reasons are rendered in the reader's language
(`web.explanations`): every phrase goes through the catalogue with its values as named
placeholders and counted phrases through plural forms, numbers follow the locale, and kinds the
web does not know yet (added to the matcher later) still show, in English.

The Russian catalogue used here is the committed one plus test translations of the new
messages ("RU:" + the English text), so the test proves the wiring (message ids, placeholders,
plural forms), whatever the translators later write."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import Flask
from flask_babel import get_babel

from ncen.search.explain import Explanation, QualifierEffect, Transformation, WordMatch
from web.explanations import alert_reason, explanation_view
from web.i18n import TRANSLATIONS_PATH

SENTENCE = (
    "“%(query)s” matched “%(form)s” (%(kind)s, %(script)s): %(words)s, "
    "name score %(name_score)s, score %(score)s."
)
WORDS = ("%(matched)s of %(count)s word met", "%(matched)s of %(count)s words met")
GAP = ("%(count)s year apart", "%(count)s years apart")
TEST_MESSAGES = (
    SENTENCE,
    "born %(found)s, not %(searched)s (%(gap)s)",
    "same nationality",
    "carries the identifier “%(value)s”.",
    "“%(query)s” is the other-gender form of “%(matched)s”",
    "only “%(word)s” of the name matched",
    "“%(query)s” and “%(matched)s” are different Chinese syllables",
    "“%(word)s” matched only the parent's name",
    "same parent (%(parent)s)",
    "parent %(found)s, not %(searched)s",
    "only the parent's name (%(parent)s)",
)


def _russian_catalogue(target: Path) -> Path:
    po_path = TRANSLATIONS_PATH / "ru" / "LC_MESSAGES" / "messages.po"
    with po_path.open("rb") as handle:
        catalog: Catalog = read_po(handle, locale="ru")
    # Catalog.add keeps an existing entry's translation, so the real ones are removed first.
    for message in TEST_MESSAGES:
        if message in catalog:
            catalog.delete(message)
        catalog.add(message, f"RU:{message}")
    for singular, plural in (WORDS, GAP):
        if singular in catalog:
            catalog.delete(singular)
        forms = tuple(f"RU{n}:{plural}" for n in range(catalog.num_plurals))
        catalog.add((singular, plural), forms)
    mo_path = target / "ru" / "LC_MESSAGES" / "messages.mo"
    mo_path.parent.mkdir(parents=True)
    with mo_path.open("wb") as handle:
        write_mo(handle, catalog)
    return target


def _explanation(*, words: int = 2, extra: tuple[QualifierEffect, ...] = ()) -> Explanation:
    pairs = [("aliev", "алиев"), ("mukhammad", None), ("ibragim", "ибрагимович")][:words]
    return Explanation(
        query_form="Aliev Mukhammad",
        matched_form="Алиев Мухаммад",
        matched_reading="aliev mukhammad",
        matched_kind="primary",
        matched_script="Cyrl",
        words=tuple(
            WordMatch(q, m, Transformation.TRANSLITERATION if m else None, 1.0 if m else 0.0)
            for q, m in pairs
        ),
        transformations=(Transformation.TRANSLITERATION,),
        name_score=0.9,
        qualifiers=(
            QualifierEffect("birth_date", "conflicts", -0.15, "born 1984, not 1990"),
            QualifierEffect("nationality", "agrees", 0.05, "same nationality"),
            *extra,
        ),
        score=0.8,
    )


@pytest.fixture
def russian_app(make_app: Callable[..., Flask], tmp_path: Path) -> Flask:
    app = make_app()
    get_babel(app).translation_directories = [str(_russian_catalogue(tmp_path / "tr"))]
    return app


def test_russian_explanation_goes_through_the_catalogue(russian_app: Flask) -> None:
    with russian_app.test_request_context(headers={"Accept-Language": "ru"}):
        view = explanation_view(_explanation(words=2))
        assert view is not None
        assert view.sentence.startswith("RU:“Aliev Mukhammad” matched “Алиев Мухаммад” (")
        # Plural forms: Russian "1 of 2" takes the form of 2 (index 1 of 3).
        assert "RU1:1 of 2 words met" in view.sentence
        assert "0,90" in view.sentence  # the locale's decimal comma
        birth, nationality = view.qualifiers
        assert birth.text == "RU:born 1984, not 1990 (RU2:6 years apart)"
        assert birth.delta == "-0,15"
        assert nationality.text == "RU:same nationality"
        assert nationality.delta == "+0,05"
        assert view.words[0].via is not None
        assert view.words[0].via != "transliteration"  # the committed label is translated
        assert view.words[1].matched is None


def test_kinds_the_web_does_not_know_still_show_in_english(russian_app: Flask) -> None:
    with russian_app.test_request_context(headers={"Accept-Language": "ru"}):
        new_kind = QualifierEffect("vessel_flag", "agrees", 0.1, "same flag state")
        stored = _explanation(extra=(new_kind,)).as_dict()
        stored["transformations"].append("emoji_fold")  # a transformation added later
        view = explanation_view(stored)
        assert view is not None
        assert view.qualifiers[-1].text == "same flag state"
        assert "emoji fold" in view.transformations


def test_the_names_own_evidence_is_phrased_with_its_words(russian_app: Flask) -> None:
    gendered = "“Aliyeva” is the other-gender form of “Aliyev”"
    evidence = (
        QualifierEffect("gendered_form", "conflicts", -0.1, gendered),
        QualifierEffect("name_words", "too_few", -0.2, "only “Aliyev” of the name matched"),
    )
    with russian_app.test_request_context(headers={"Accept-Language": "ru"}):
        view = explanation_view(_explanation(extra=evidence))
        assert view is not None
        texts = [q.text for q in view.qualifiers[-2:]]
        assert texts == [
            "RU:“Aliyeva” is the other-gender form of “Aliyev”",
            "RU:only “Aliyev” of the name matched",
        ]
        parentage = _explanation().as_dict()
        parentage["words"].append({"query": "s/o", "matched": None, "via": "parentage_marker"})
        shown = explanation_view(parentage)
        assert shown is not None
        assert shown.words[-1].via_kind == "parentage_marker"
        assert shown.words[-1].via == "указатель родства пропущен"  # the real catalogue's


def test_syllable_and_parent_evidence_is_phrased_with_its_words(russian_app: Flask) -> None:
    evidence = (
        QualifierEffect("syllable", "too_weak", -0.08, "“peng” and “zeng” are other syllables"),
        QualifierEffect("parent_name", "too_weak", -0.1, "“vugar” matched only the parent's name"),
        QualifierEffect("parentage", "agrees", 0.03, "same parent (ghulam nabi)"),
        QualifierEffect("parentage", "conflicts", -0.15, "parent ghulam sarwar, not ghulam nabi"),
        QualifierEffect("parentage", "conflicts", -0.15, "only the parent's name (karim)"),
    )
    with russian_app.test_request_context(headers={"Accept-Language": "ru"}):
        view = explanation_view(_explanation(extra=evidence))
        assert view is not None
        assert [q.text for q in view.qualifiers[-5:]] == [
            "RU:“peng” and “zeng” are different Chinese syllables",
            "RU:“vugar” matched only the parent's name",
            "RU:same parent (ghulam nabi)",
            "RU:parent ghulam sarwar, not ghulam nabi",
            "RU:only the parent's name (karim)",
        ]


def test_english_plural_forms(make_app: Callable[..., Flask]) -> None:
    with make_app().test_request_context(headers={"Accept-Language": "en"}):
        one = explanation_view(_explanation(words=1))
        three = explanation_view(_explanation(words=3))
        assert one is not None
        assert three is not None
        assert "1 of 1 word met" in one.sentence
        assert "2 of 3 words met" in three.sentence
        assert one.qualifiers[0].text == "born 1984, not 1990 (6 years apart)"
        stored = _explanation().as_dict()  # an alert's explanation, as stored (JSON)
        stored["qualifiers"] = [
            {"qualifier": "birth_date", "outcome": "conflicts", "delta": -0.15,
             "detail": "born 1989, not 1987"}
        ]  # fmt: skip
        view = explanation_view(stored)
        assert view is not None
        assert view.qualifiers[0].text == "born 1989, not 1987 (2 years apart)"
        assert explanation_view({"summary": "broken"}) is None  # unreadable: nothing shown


def test_alert_reasons_carry_their_values(russian_app: Flask) -> None:
    with russian_app.test_request_context(headers={"Accept-Language": "ru"}):
        stored = {"summary": "carries the identifier “N 123”.", "reason": "identifier"}
        assert alert_reason({**stored, "value": "N 123"}) == "RU:carries the identifier “N 123”."
        # An alert stored before reasons were, or a reason added later: its English summary.
        assert alert_reason(stored) == "carries the identifier “N 123”."
        assert alert_reason({"summary": "x", "reason": "new_kind"}) == "x"
        assert alert_reason({}) is None


def test_a_view_is_shared_within_a_request_only(russian_app: Flask) -> None:
    """Equal explanations share one view in a request (namesakes met alike), and the next
    request, in another language, gets its own."""
    with russian_app.test_request_context(headers={"Accept-Language": "ru"}):
        first = explanation_view(_explanation())
        assert explanation_view(_explanation()) is first  # an equal explanation, another object
        assert explanation_view(_explanation(words=3)) is not first
        assert first is not None
        assert first.sentence.startswith("RU:")
    with russian_app.test_request_context(headers={"Accept-Language": "en"}):
        english = explanation_view(_explanation())
        assert english is not None
        assert english.sentence.startswith("“Aliev Mukhammad” matched “Алиев Мухаммад”")
        assert english.words[0].via == "transliteration"
