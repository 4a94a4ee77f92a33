"""Saved searches (owner only, alerting hook `new_results`) and the advanced seizure search."""

from __future__ import annotations

import pytest

from ncen.accounts.actor import Actor
from ncen.accounts.models import Role
from ncen.errors import NotFoundError, PermissionDeniedError, ValidationError
from ncen.persons.services import create_person
from ncen.search.saved import (
    delete_saved_search,
    get_saved_search,
    list_saved_searches,
    new_results,
    run_saved_search,
    save_search,
)
from ncen.search.seizures import search_seizures, seizure_search, tsquery_text
from ncen.seizures.services import record_seizure
from tests.conftest import make_actor
from tests.factories import person_data, seizure_data


def test_new_results_reports_only_what_appeared_since_the_last_run(session, analyst, system):
    saved = save_search(
        session, analyst, name="Aliev", kind="persons", params={"q": "Mukhammad Aliev"},
        alert=True,
    )  # fmt: skip
    assert saved.alert
    first = create_person(session, system, person_data())
    assert new_results(session, saved) == [first.id]
    assert new_results(session, saved) == []
    second = create_person(session, system, person_data(documents=[]))
    assert new_results(session, saved) == [second.id]
    assert saved.last_result_count == 2
    assert saved.last_run_at is not None


def test_only_the_owner_sees_runs_and_deletes(session, analyst):
    saved = save_search(session, analyst, name="mine", kind="companies", params={"q": "Silk"})
    other = make_actor(session, Role.ANALYST)
    assert list_saved_searches(session, other) == []
    for action in (get_saved_search, run_saved_search, delete_saved_search):
        with pytest.raises(NotFoundError):
            action(session, other, saved.id)
    assert run_saved_search(session, analyst, saved.id) == (saved, 0)
    delete_saved_search(session, analyst, saved.id)
    assert list_saved_searches(session, analyst) == []


def test_saving_checks_everything(session, analyst):
    save_search(session, analyst, name="dup", kind="persons", params={"q": "Aliev"})
    with pytest.raises(ValidationError) as caught:
        save_search(session, analyst, name="dup", kind="nothing", params={})
    assert set(caught.value.errors) == {"name", "kind"}
    with pytest.raises(ValidationError) as caught:
        save_search(session, analyst, name="x", kind="persons", params={"q": "A"})
    assert "params" in caught.value.errors
    with pytest.raises(PermissionDeniedError):
        save_search(
            session, make_actor(session, Role.ADMINISTRATOR), name="x", kind="persons",
            params={"q": "Aliev"},
        )  # fmt: skip
    with pytest.raises(ValidationError):
        save_search(session, Actor.system("x"), name="x", kind="persons", params={"q": "Aliev"})


def test_seizure_search_combines_words_and_filters(session, investigator, analyst):
    seizure = record_seizure(session, investigator, seizure_data())
    found, total = search_seizures(session, analyst, seizure_search(q="cigar", hs_chapter="24"))
    assert total == 1
    assert found[0].seizure.id == seizure.id
    assert any(part.highlighted for part in found[0].snippet)
    _, total = search_seizures(session, analyst, seizure_search(q="cigar", hs_chapter="85"))
    assert total == 0
    with pytest.raises(ValidationError) as caught:
        seizure_search(q="x", hs_chapter="2", date_from="2026-02-30", information_grade="9")
    assert set(caught.value.errors) == {"q", "hs_chapter", "date_from", "information_grade"}


def test_tsquery_text_quotes_every_word():
    assert tsquery_text(("o'brien", "a\\b")) == "'o''brien':* & 'ab':*"
