"""A mapping that joins columns (``{columns: [A, B], join: ...}``) stores the joined value: the
given separator between the non-empty cells, none for an empty one, a neutralised cell read back
as its value; the default separator is a space."""

from __future__ import annotations

import csv
import io

from sqlalchemy import select
from sqlalchemy.orm import Session

from ncen.accounts.actor import Actor
from ncen.imports.mapping import load_mapping
from ncen.imports.running import run_import
from ncen.persons.models import Person, PersonName
from ncen.seizures.models import Seizure

MAPPING = load_mapping(
    """
record: seizure
source: joined-cases
dates: {formats: ["%Y-%m-%d"]}
seizure:
  id: Case No
  fields:
    occurred_at: Date
    transport_mode: {value: road}
    narrative: {columns: [Summary, Notes], join: "\\n--\\n"}
  items:
    - commodity_group: {value: tobacco}
      quantity: Qty
      unit: {value: pieces}
persons:
  - role: offender
    fields:
      full_name: {columns: [First name, Last name]}
      document_number: Passport
"""
)
HEADER = ["Case No", "Date", "Summary", "Notes", "Qty", "First name", "Last name", "Passport"]
ROWS = [
    ["J-1", "2024-03-01", "Stopped at the border", "Boxes behind tiles", "10", "Ivan", "Petrov",
     "P7654321"],
    ["J-2", "2024-03-02", "Routine check", "", "20", "Anna", "Smith", "P1111111"],
    ["J-3", "2024-03-03", "Tip-off", "'=SUM(A1)", "30", "Олег", "Иванов", "P2222222"],
]  # fmt: skip


def _csv() -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows([HEADER, *ROWS])
    return buffer.getvalue().encode()


def test_joined_columns_are_stored_as_one_field(session: Session, supervisor: Actor) -> None:
    report = run_import(session, supervisor, _csv(), "joined.csv", MAPPING)
    assert report.committed, report.problems
    assert report.created["seizure"] == 3
    narratives = dict(
        session.execute(
            select(Seizure.source_id, Seizure.narrative).where(Seizure.source == "joined-cases")
        ).all()
    )
    assert narratives == {
        "J-1": "Stopped at the border\n--\nBoxes behind tiles",
        "J-2": "Routine check",  # an empty cell adds no separator
        "J-3": "Tip-off\n--\n=SUM(A1)",  # an exported (neutralised) cell reads as its value
    }
    names = set(
        session.scalars(
            select(PersonName.full_name)
            .join(Person, Person.id == PersonName.person_id)
            .where(Person.deleted_at.is_(None))
        )
    )
    assert {"Ivan Petrov", "Anna Smith", "Олег Иванов"} <= names
