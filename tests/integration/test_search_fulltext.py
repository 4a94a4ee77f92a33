"""Full-text search over seizure texts: any script, accents ignored, prefixes, snippets."""

from __future__ import annotations

import pytest

from ncen.errors import ValidationError
from ncen.search.fulltext import search_fulltext, snippet_parts
from ncen.seizures.services import delete_seizure, record_seizure
from tests.factories import seizure_data


@pytest.fixture
def seizures(session, investigator):
    with session.begin():
        tiles = record_seizure(session, investigator, seizure_data())
        russian = record_seizure(
            session,
            investigator,
            seizure_data(narrative="Сигареты спрятаны в полу прицепа, обнаружены при досмотре."),
        )
        french = record_seizure(
            session,
            investigator,
            seizure_data(narrative="Cocaïne découverte dans un café à Khorgos."),
        )
    return {"tiles": tiles, "russian": russian, "french": french}


def hits(session, actor, query):
    return search_fulltext(session, actor, query).hits


def test_words_are_found_with_a_highlighted_snippet(session, analyst, seizures):
    found = hits(session, analyst, "tiles")
    assert [h.seizure_id for h in found] == [seizures["tiles"].id]
    highlighted = [p.text for p in found[0].snippet if p.highlighted]
    assert highlighted == ["tiles"]
    assert "Cigarettes hidden behind a load of" in "".join(p.text for p in found[0].snippet)


def test_prefixes_stand_in_for_stemming(session, analyst, seizures):
    assert {h.seizure_id for h in hits(session, analyst, "cigarette")} >= {seizures["tiles"].id}
    assert [h.seizure_id for h in hits(session, analyst, "сигарет прицеп")] == [
        seizures["russian"].id
    ]


def test_accents_and_case_are_ignored(session, analyst, seizures):
    for query in ("cocaine cafe", "COCAÏNE", "Décou"):
        assert [h.seizure_id for h in hits(session, analyst, query)] == [seizures["french"].id]


def test_item_descriptions_are_searched(session, analyst, seizures):
    found = hits(session, analyst, "counterfeit brand")
    assert {h.seizure_id for h in found} == {s.id for s in seizures.values()}
    assert any(p.highlighted for p in found[0].snippet)


def test_all_words_must_match(session, analyst, seizures):
    assert hits(session, analyst, "tiles cocaine") == ()


def test_deleted_seizures_are_not_found(session, analyst, supervisor, seizures):
    seizure = seizures["french"]
    with session.begin():
        delete_seizure(session, supervisor, seizure.id, seizure.version)
    assert hits(session, analyst, "cocaine") == ()


@pytest.mark.parametrize("raw", ["", " ", "x", "🙂🙂🙂", "a" * 10_000])
def test_unusable_queries_are_refused(session, analyst, raw):
    with pytest.raises(ValidationError):
        search_fulltext(session, analyst, raw)


@pytest.mark.parametrize("raw", ["tiles & !(", "'tiles':*", "tiles || !", "til%", "<-> tiles"])
def test_query_syntax_characters_are_plain_text(session, analyst, seizures, raw):
    found = hits(session, analyst, raw)
    assert [h.seizure_id for h in found] == [seizures["tiles"].id]


def test_snippet_markers_are_parsed():
    parts = snippet_parts("a \x02b\x03 c \x02d\x03")
    assert [(p.text, p.highlighted) for p in parts] == [
        ("a ", False),
        ("b", True),
        (" c ", False),
        ("d", True),
    ]
