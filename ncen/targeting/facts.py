"""The facts of seizures that profiles are matched against, read in one statement.

`load_facts` reads, for a batch of seizure ids, the values of the fields asked for (by default
all: the seizure row, its items, route and concealment, and its live linked persons, companies
and conveyances) in *one* SQL statement built by `ncen.targeting.factsql` (one round trip
whatever the batch size: the cost that matters when every write is evaluated in its own
transaction); each seizure's facts map a catalogue field (`ncen.targeting.fields`) to its
values. Evaluation asks only for the fields the active profiles refer to
(`ncen.targeting.matcher.Matcher.fields`): the others cost joins nobody looks at. Deleted
seizures get no facts, and deleted linked records are left out, as they are everywhere else.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC

from sqlalchemy.orm import Session

from ncen.seizures.models import Seizure
from ncen.targeting.factsql import ALL_FIELDS, facts_statement
from ncen.targeting.fields import season_of


@dataclass(slots=True)
class Facts:
    """One seizure's values per field, and the version they were read at."""

    seizure_id: uuid.UUID
    version: int
    values: dict[str, list[object]] = field(default_factory=lambda: defaultdict(list))

    def get(self, name: str) -> list[object]:
        """The values of field ``name`` (empty when it has none)."""
        return self.values.get(name, [])

    def add(self, name: str, value: object) -> None:
        """Add a value (None is no value; a value already there is not repeated)."""
        if value is not None and value not in self.values[name]:
            self.values[name].append(value)


def own_facts(seizure: Seizure) -> Facts:
    """The facts of a seizure's own fields (not of its linked records) from the object in
    memory, computed as `ncen.targeting.factsql` computes them: enough to rule a new seizure
    out of every profile indexed by its own fields without a query
    (`Matcher.could_match_own`)."""
    facts = Facts(seizure.id, seizure.version)
    at = seizure.occurred_at.astimezone(UTC)
    for name, value in (
        ("office", seizure.office_code),
        ("transport_mode", seizure.transport_mode),
        ("departure_country", seizure.departure_country),
        ("destination_country", seizure.destination_country),
        ("route_country", seizure.departure_country),
        ("route_country", seizure.destination_country),
        ("direction", seizure.direction.value if seizure.direction else None),
        ("status", seizure.status.value),
        ("detection_method", seizure.detection_method),
        ("hour", float(at.hour)),
        ("month", float(at.month)),
        ("weekday", float(at.isoweekday())),
        ("season", season_of(at.month)),
    ):
        facts.add(name, value)
    for item in seizure.items:
        facts.add("commodity_group", item.commodity_group)
        if item.hs_code:
            facts.add("hs_code", item.hs_code)
            facts.add("hs_heading", item.hs_code[:4])
            facts.add("hs_chapter", item.hs_code[:2])
        facts.add("quantity", float(item.quantity) if item.quantity is not None else None)
        facts.add(
            "value", float(item.estimated_value) if item.estimated_value is not None else None
        )
    for transit in seizure.transit_countries:
        facts.add("transit_country", transit.country)
        facts.add("route_country", transit.country)
    for concealment in seizure.concealment_methods:
        facts.add("concealment", concealment.method)
    return facts


def load_facts(
    session: Session,
    seizure_ids: Iterable[uuid.UUID],
    fields: Iterable[str] | None = None,
    chunk: int = 5000,
) -> dict[uuid.UUID, Facts]:
    """The facts of the live seizures among ``seizure_ids`` (read in the session's transaction,
    so a write flushed but not committed is seen), one statement per ``chunk`` ids. With
    ``fields``, only those fields are read (the others stay empty): the same values, for those
    fields, as a read of all of them."""
    ids = list(dict.fromkeys(seizure_ids))
    wanted = ALL_FIELDS if fields is None else frozenset(fields) & ALL_FIELDS
    statement = facts_statement(wanted)
    result: dict[uuid.UUID, Facts] = {}
    for start in range(0, len(ids), chunk):
        rows = session.execute(statement, {"ids": ids[start : start + chunk]}).all()
        for sid, name, text_value, number in rows:
            if name == "_version":
                found = result.get(sid)
                if found is None:
                    result[sid] = Facts(sid, int(number))
                else:
                    found.version = int(number)
                continue
            if name not in wanted:
                continue  # None (an identifier of a kind without a field), or not asked for
            facts = result.get(sid)
            if facts is None:
                facts = result[sid] = Facts(sid, 0)
            facts.add(name, float(number) if number is not None else text_value)
    return result
