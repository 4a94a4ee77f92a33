"""The reference stamp (migration 0020) changes with any statement on any reference table, in
the changing transaction, and never comes back to a value already seen after a rollback."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session

from ncen.db import Base
from ncen.reference import models
from ncen.reference.models import reference_stamp

# Every table mapped in ncen.reference.models except the stamp itself: a reference table added
# later without a trigger fails here.
REFERENCE_TABLES = sorted(
    mapper.class_.__tablename__
    for mapper in Base.registry.mappers
    if mapper.class_.__module__ == models.__name__ and mapper.class_ is not models.ReferenceStamp
)


def test_the_list_of_tables_is_the_reference_module() -> None:
    assert {"countries", "detection_methods", "hs_subheadings", "un_locodes"} <= set(
        REFERENCE_TABLES
    )
    assert len(REFERENCE_TABLES) == 20


@pytest.mark.parametrize("table", REFERENCE_TABLES)
def test_any_statement_on_a_reference_table_changes_the_stamp(session: Session, table: str) -> None:
    before = reference_stamp(session)
    assert before is not None
    # A statement-level trigger fires even when no row matches: cheap and enough to cover it.
    session.execute(text(f"UPDATE {table} SET code = code WHERE false"))
    after = reference_stamp(session)
    assert after is not None
    assert after != before


def test_a_rolled_back_change_does_not_hand_its_stamp_to_the_next(session: Session) -> None:
    before = reference_stamp(session)
    nested = session.begin_nested()
    session.execute(text("UPDATE countries SET label = label WHERE code = 'KZ'"))
    rolled_back = reference_stamp(session)
    nested.rollback()
    assert reference_stamp(session) == before
    session.execute(text("UPDATE countries SET label = label WHERE code = 'KZ'"))
    assert reference_stamp(session) not in {before, rolled_back}
