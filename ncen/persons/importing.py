"""One imported person: create it, or update the record an earlier import made of it.

`import_person` takes one parsed import row (the fields of `ncen.persons.services` plus
``source``, ``source_id``, ``version`` and a ``gender`` on any name; docs/import-persons.md)
and decides:

- no ``source_id``: a new person (with ``source`` if given);
- a ``(source, source_id)`` never seen: a new person carrying that key;
- a key seen before: the same record, **updated** with the row's fields (a new version with
  history and audit) when they differ, left alone (no new version) when they are the same;
- refused (`ValidationError` naming the field) when that record was deleted or merged into
  another since (restore or unmerge it first: a deleted record is never silently revived), or
  when the row gives the ``version`` it was exported at and the record has changed since (a
  stale row would overwrite someone's edit). Without ``version`` the source wins: the row
  replaces what the node holds, and the earlier state stays in the record's history.

Unknown field names are refused rather than ignored, so a misspelt column never loses data
silently. Validation is the person service's; this module adds only what is particular to
imports. The caller owns the transaction (and a savepoint per row).
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from typing import Any

from sqlalchemy.orm import Session

from ncen.accounts.actor import Actor
from ncen.audit import record_event
from ncen.errors import ValidationError
from ncen.persons.models import Gender, Person
from ncen.persons.services import PERSON, RECORD_TYPE, create_person, snapshot, update_person
from ncen.sources import SourceKey, find_by_source, read_source
from ncen.validation import Checker

FIELDS = frozenset(
    {
        *("names", "gender", "birth_year", "birth_month", "birth_day", "birth_place"),
        *("birth_country", "nationalities", "documents", "addresses", "contacts"),
        *("description", "handling_code", "handling_restrictions"),
        *("source", "source_id", "version"),
    }
)
NESTED_FIELDS = {
    "names": frozenset(
        {"full_name", "given_names", "family_name", "patronymic", "kind", "script", "gender"}
    ),
    "documents": frozenset({"doc_type", "number", "issuing_country", "expires_on"}),
    "addresses": frozenset({"line", "city", "postcode", "country"}),
    "contacts": frozenset({"kind", "value"}),
}
_KNOWN_GENDERS = frozenset({Gender.FEMALE, Gender.MALE, Gender.OTHER})


class Outcome(enum.StrEnum):
    """What importing one row did."""

    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"


def unknown_fields(data: Mapping[str, Any]) -> dict[str, str]:
    """An error per field name the import format does not have (top level and nested)."""
    errors = {
        key: "is not a field of a person (see docs/import-persons.md)"
        for key in data
        if key not in FIELDS
    }
    for key, allowed in NESTED_FIELDS.items():
        items = data.get(key)
        if not isinstance(items, list):
            continue
        for i, item in enumerate(items):
            if isinstance(item, dict):
                errors.update(
                    {f"{key}.{i}.{k}": f"is not a field of {key}" for k in item if k not in allowed}
                )
    return errors


def _gender_from_names(c: Checker) -> dict[str, Any]:
    """The row with the genders given on its names folded into the person's gender.

    A name's ``gender`` must be a gender code, agree with the other names' and with the
    person's own (unknown, ``U``, agrees with anything); the person's gender is taken from the
    names when it is not given. Errors go to ``c``.
    """
    data = dict(c.data)
    names = data.get("names")
    if not isinstance(names, list):
        return data
    # The person's own gender is the service's to check; a bad one just agrees with anything.
    person = data.get("gender")
    chosen = Gender(person) if person in {g.value for g in _KNOWN_GENDERS} else None
    cleaned = []
    for i, raw in enumerate(names):
        if not isinstance(raw, dict) or "gender" not in raw:
            cleaned.append(raw)
            continue
        n = c.nested(raw, f"names.{i}")
        given = n.choice("gender", Gender)
        if given in _KNOWN_GENDERS:
            if chosen is not None and given is not chosen:
                n.fail("gender", f"conflicts with the gender {chosen.value} given elsewhere")
            chosen = chosen or given
        cleaned.append({k: v for k, v in raw.items() if k != "gender"})
    data["names"] = cleaned
    if chosen is not None:
        data["gender"] = chosen.value
    return data


def _existing(c: Checker, key: SourceKey | None) -> Person | None:
    if key is None:
        return None
    record = find_by_source(c.session, Person, key)
    if record is not None and record.deleted_at is not None:
        c.fail(
            "source_id",
            f"the person imported as {key.source}/{key.source_id} was deleted or merged into "
            "another record since: restore or unmerge it first, or leave the line out",
        )
    return record


def import_person(
    session: Session, actor: Actor, data: Mapping[str, Any], default_source: str | None = None
) -> tuple[Person, Outcome]:
    """Create or update the person of one import row (see the module docstring).

    ``default_source`` stands for a row without ``source``. Raises `ValidationError` with
    every problem of the row (field paths as in the file), `ConflictError` for a stale
    ``version``, `PermissionDeniedError`. Writes the person, its history and audit events, and
    an ``person.import`` audit event with the source key and the outcome.
    """
    c = Checker(session, data)
    c.errors.update(unknown_fields(data))
    key = read_source(c, default_source)
    version = c.integer("version")
    row = _gender_from_names(c)
    existing = _existing(c, key)
    fields = {k: v for k, v in row.items() if k not in ("source", "source_id", "version")}
    if c.errors:
        # Report the service's findings too, so that the line can be fixed in one pass.
        for path, message in _problems(session, fields).items():
            c.errors.setdefault(path, message)
        c.raise_if_errors()
    if existing is None:
        person = create_person(session, actor, fields)
        if key is not None:
            person.source, person.source_id = key.source, key.source_id
            session.flush()
        outcome = Outcome.CREATED
    elif _same(session, existing, fields):
        person, outcome = existing, Outcome.UNCHANGED
    else:
        expected = existing.version if version is None else version
        person = update_person(session, actor, existing.id, expected, fields)
        outcome = Outcome.UPDATED
    if key is not None:
        record_event(
            session,
            actor,
            f"{RECORD_TYPE}.import",
            record_type=RECORD_TYPE,
            record_id=person.id,
            details={"source": key.source, "source_id": key.source_id, "outcome": outcome.value},
        )
    return person, outcome


def bulk_fields(
    session: Session, data: Mapping[str, Any], default_source: str | None = None
) -> tuple[SourceKey, dict[str, Any]] | None:
    """The source key and the person service's fields of one import row, when the row can take
    the bulk path (`ncen.imports.jsonl`): it has a ``(source, source_id)`` key, gives no
    ``version`` (no stale check to make), and passes this module's own checks (fields, names'
    genders). None otherwise: `import_person` then handles (and explains) the row. Pure but
    for the session the checks read reference data through."""
    c = Checker(session, data)
    c.errors.update(unknown_fields(data))
    key = read_source(c, default_source)
    row = _gender_from_names(c)
    if c.errors or key is None or key.source_id is None or data.get("version") is not None:
        return None
    return key, {k: v for k, v in row.items() if k not in ("source", "source_id", "version")}


def _probe(session: Session, fields: Mapping[str, Any]) -> Person:
    """A person built from ``fields`` by the service's own validation, never added to the
    session: nothing is written but the names' vocabulary terms (which a real write adds too).
    Raises `ValidationError`."""
    probe = Person()
    with session.no_autoflush:
        PERSON.apply(session, probe, fields)
    return probe


def _problems(session: Session, fields: Mapping[str, Any]) -> dict[str, str]:
    """What the person service would refuse in ``fields`` (empty when nothing)."""
    try:
        _probe(session, fields)
    except ValidationError as exc:
        return exc.errors
    return {}


def _same(session: Session, person: Person, fields: Mapping[str, Any]) -> bool:
    """True when ``fields`` would leave ``person`` as it is (its snapshot unchanged)."""
    try:
        probe = _probe(session, fields)
    except ValidationError:
        return False  # the update reports the errors
    return snapshot(probe) == snapshot(person)
