"""`ncen.validation.active_codes`: the code lists a validation checks are read once per process
and reference stamp, and a change to a list (which draws a new stamp) is seen at once."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, event, text
from sqlalchemy.orm import Session

from ncen.accounts.actor import Actor
from ncen.reference.models import Country, TransportMode
from ncen.reference.services import set_active
from ncen.validation import Checker, active_codes


def _checks(session: Session, code: str) -> bool:
    checker = Checker(session, {"country": code})
    return checker.code("country", Country) == code and not checker.errors


@pytest.fixture
def statements(engine: Engine) -> Iterator[list[str]]:
    sent: list[str] = []

    def count(_c: object, _cur: object, statement: str, *_a: object) -> None:
        sent.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    yield sent
    event.remove(engine, "before_cursor_execute", count)


def test_a_second_session_reads_only_the_stamp(engine: Engine, statements: list[str]) -> None:
    with Session(engine) as first:
        assert _checks(first, "KZ")
    statements.clear()
    with Session(engine) as second:
        assert _checks(second, "KZ")
        assert not _checks(second, "XX")
        assert len(statements) == 1  # the stamp; the countries came from the process
        assert "reference_stamp" in statements[0]
        assert active_codes(second, Country) is active_codes(second, Country)


def test_a_deactivated_code_is_refused_in_the_changing_transaction(
    session: Session, system: Actor
) -> None:
    checker = Checker(session, {"mode": "road"})
    assert checker.code("mode", TransportMode) == "road"
    set_active(session, system, "transport_modes", "road", active=False)
    checker = Checker(session, {"mode": "road"})
    assert checker.code("mode", TransportMode) is None
    assert "mode" in checker.errors
    assert "road" not in active_codes(session, TransportMode)


def test_a_change_by_another_transaction_is_seen_by_the_next_session(
    engine: Engine, owner_engine: Engine
) -> None:
    with Session(engine) as before:
        assert _checks(before, "UZ")
    try:
        with owner_engine.begin() as conn:
            conn.execute(text("UPDATE countries SET active = false WHERE code = 'UZ'"))
        with Session(engine) as after:
            assert not _checks(after, "UZ")
    finally:
        with owner_engine.begin() as conn:
            conn.execute(text("UPDATE countries SET active = true WHERE code = 'UZ'"))
    with Session(engine) as again:
        assert _checks(again, "UZ")
