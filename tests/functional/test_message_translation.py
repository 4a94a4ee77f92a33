"""Service messages that carry values reach the user in their language: the services raise
`ncen.errors.Message`s (the English sentence, plus its template and values), and the web
translates the template and writes the values as the user's locale does. A message whose
template has no translation yet falls back to the known English patterns, then to English."""

from __future__ import annotations

import pickle
from collections.abc import Callable

import pytest
from flask import Flask
from sqlalchemy.orm import Session

from ncen.errors import InvalidIdentifierError, Message, ValidationError, message_of
from ncen.identifiers.dates import check_partial_date
from ncen.validation import TOO_LONG, Checker
from web.fielderrors import error_message, translate_message

NBSP = "\u00a0"


def test_a_message_is_its_english_sentence() -> None:
    message = Message(TOO_LONG, n=1234, max=200)
    assert message == "is too long (1234 characters; at most 200)"
    assert message.template == TOO_LONG
    assert message.params == {"n": 1234, "max": 200}
    copy = pickle.loads(pickle.dumps(message))
    assert isinstance(copy, Message)
    assert copy.params == message.params
    assert Message("is required") == "is required"


def test_services_raise_messages_with_their_values(db: Session) -> None:
    checker = Checker(db, {"place": "x" * 300, "count": 0})
    checker.text("place", max_len=200)
    checker.integer("count", minimum=1)
    assert isinstance(checker.errors["place"], Message)
    assert checker.errors["place"].params == {"n": 300, "max": 200}
    assert isinstance(checker.errors["count"], Message)
    with pytest.raises(InvalidIdentifierError) as raised:
        check_partial_date(1850, None, None)
    found = message_of(raised.value)
    assert isinstance(found, Message)
    assert found.params == {"when": "1850"}


def test_russian_user_reads_them_in_russian_with_russian_numbers(
    make_app: Callable[..., Flask],
) -> None:
    with make_app().test_request_context(headers={"Accept-Language": "ru"}):
        too_long = translate_message(Message(TOO_LONG, n=1234, max=1000))
        assert too_long == f"слишком длинно (1{NBSP}234 символов; не более 1{NBSP}000)"
        # A template with its own catalogue entry: translated with its values filled in.
        unknown = Message("unknown code %(code)s (not in %(table)s)", code="'ZZ'", table="x")
        assert translate_message(unknown) == "неизвестный код 'ZZ' (нет в x)"
        # Nothing known about it: English, never a blank.
        assert translate_message(Message("a brand new %(thing)s", thing="rule")) == (
            "a brand new rule"
        )
        refused = ValidationError({"place": Message(TOO_LONG, n=5, max=4), "x": "is required"})
        assert error_message(refused).startswith("слишком длинно (5 символов; не более 4); ")
