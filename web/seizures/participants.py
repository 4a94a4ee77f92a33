"""Persons, companies and conveyances of a case: pick an existing record or enter a new one.

Each row has a role and either an existing record, chosen with the picker, or the compact
fields of a new record. The picker works without JavaScript: the "Find" button posts the form
back (nothing typed is lost) and the page lists the matches of the list queries
(`ncen.persons.queries.list_statement`...) as radio buttons. Searching is a read of nominal
data and is audited like a list page.

With JavaScript, a search-as-you-type box (Tom Select, see ``static/app.js``) asks `search`
through ``GET /seizures/picker/<kind>?q=`` and fills in the same ``existing_id`` field.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session
from wtforms import SelectField, StringField
from wtforms.validators import Length

from ncen.accounts.actor import Actor
from ncen.companies import queries as companies
from ncen.companies.models import Company
from ncen.conveyances import queries as conveyances
from ncen.conveyances.models import Conveyance
from ncen.persons import queries as persons
from ncen.persons.models import Person
from ncen.reading import note_read
from ncen.seizures.cases import Participant
from web.forms import RowForm
from web.labels import enum_label, enum_options

PICKER_LIMIT = 10
SEARCH_AS_YOU_TYPE_LIMIT = 20
KINDS = {"persons": "person", "companies": "company", "conveyances": "conveyance"}


def _select(label: object, **kwargs: object) -> SelectField:
    return SelectField(label, validate_choice=False, **kwargs)


class ParticipantEntry(RowForm):
    """What every participant row has: role, note, picker; subclasses add the new-record fields."""

    ROW_FIELD = "existing_id"
    NEW_FIELDS: tuple[str, ...] = ()

    role = _select(_l("Role"))
    note = StringField(_l("Note on the role"), validators=[Length(max=2000)])
    query = StringField(_l("Find an existing record"), validators=[Length(max=200)])
    existing_id = StringField(validators=[Length(max=40)])

    def is_blank(self) -> bool:
        """True if nothing was entered in the row (it is then left out)."""
        own = ("role", "note", "query", "existing_id", *self.NEW_FIELDS)
        return not any((self[name].data or "").strip() for name in own)

    def new_data(self) -> dict[str, Any] | None:
        """The new record's data, or None when no new-record field was filled.

        Abstract: each kind's row (person, company, conveyance) overrides it. WTForms' form
        metaclass does not combine with ABCMeta, hence a plain method.
        """
        raise NotImplementedError

    def chosen_id(self) -> uuid.UUID | None:
        """The existing record chosen in the picker (None if none or not an id)."""
        try:
            return uuid.UUID((self.existing_id.data or "").strip())
        except ValueError:
            return None

    def participant(self) -> Participant:
        """The row as the case service takes it (an existing record wins over new fields)."""
        chosen = self.chosen_id()
        return Participant(
            role=self.role.data or "",
            existing_id=chosen,
            new=None if chosen else self.new_data(),
            note=self.note.data or None,
        )

    def _filled(self) -> bool:
        return any((self[name].data or "").strip() for name in self.NEW_FIELDS)


class PersonEntry(ParticipantEntry):
    """A person in a case: an existing one, or name, gender, birth year, nationality, document."""

    NEW_FIELDS = ("full_name", "gender", "birth_year", "nationality", "document_number")
    ERROR_ALIASES = {  # noqa: RUF012
        "new": "",
        "names": "full_name",
        "birth_date": "birth_year",
        "nationalities": "nationality",
        "documents": "document_number",
    }

    full_name = StringField(_l("Full name"), validators=[Length(max=300)])
    gender = _select(_l("Gender"), choices=enum_options("gender"))
    birth_year = StringField(
        _l("Year of birth"), validators=[Length(max=4)], render_kw={"inputmode": "numeric"}
    )
    nationality = _select(_l("Nationality"))
    document_type = _select(_l("Document"), choices=enum_options("document_type", blank=None))
    document_number = StringField(_l("Document number"), validators=[Length(max=40)])

    def new_data(self) -> dict[str, Any] | None:
        """The person to create (names, gender, birth year, nationality, one document)."""
        if not self._filled():
            return None
        number = (self.document_number.data or "").strip()
        return {
            "names": [{"full_name": self.full_name.data}] if self.full_name.data else [],
            "gender": self.gender.data,
            "birth_year": self.birth_year.data,
            "nationalities": [self.nationality.data] if self.nationality.data else [],
            "documents": (
                [{"doc_type": self.document_type.data, "number": number}] if number else []
            ),
        }


class CompanyEntry(ParticipantEntry):
    """A company in a case: an existing one, or name, country and registration number."""

    NEW_FIELDS = ("name", "registration_number")
    ERROR_ALIASES = {"new": "", "names": "name"}  # noqa: RUF012

    name = StringField(_l("Company name"), validators=[Length(max=300)])
    country = _select(_l("Country"))
    registration_number = StringField(_l("Registration number"), validators=[Length(max=64)])

    def new_data(self) -> dict[str, Any] | None:
        """The company to create."""
        if not self._filled():
            return None
        return {
            "names": [{"name": self.name.data}] if self.name.data else [],
            "country": self.country.data,
            "registration_number": self.registration_number.data,
        }


class ConveyanceEntry(ParticipantEntry):
    """A conveyance in a case: an existing one, or its kind and one identifier."""

    NEW_FIELDS = ("kind", "name", "identifier")
    ERROR_ALIASES = {"new": "", "identifiers": "identifier"}  # noqa: RUF012

    kind = _select(_l("Kind"), choices=enum_options("conveyance_kind"))
    identifier_kind = _select(_l("Identifier"), choices=enum_options("identifier_kind", blank=None))
    identifier = StringField(_l("Identifier value"), validators=[Length(max=64)])
    name = StringField(_l("Name or make and model"), validators=[Length(max=200)])
    flag = _select(_l("Flag or country of registration"))

    def new_data(self) -> dict[str, Any] | None:
        """The conveyance to create."""
        if not self._filled():
            return None
        value = (self.identifier.data or "").strip()
        country = self.flag.data if self.identifier_kind.data == "plate" else None
        return {
            "kind": self.kind.data,
            "name": self.name.data,
            "flag": self.flag.data,
            "identifiers": (
                [{"kind": self.identifier_kind.data, "value": value, "country": country}]
                if value
                else []
            ),
        }


@dataclass(frozen=True)
class Candidate:
    """A record offered by the picker."""

    id: uuid.UUID
    label: str
    detail: str


def _person(person: Person) -> Candidate:
    born = str(person.birth_year) if person.birth_year else ""
    nationalities = ", ".join(n.country for n in person.nationalities)
    documents = ", ".join(d.number for d in person.documents[:2])
    detail = " · ".join(part for part in (born, nationalities, documents) if part)
    return Candidate(person.id, person.display_name, detail)


def _company(company: Company) -> Candidate:
    detail = " · ".join(p for p in (company.country, company.registration_number) if p)
    return Candidate(company.id, company.display_name, detail or "")


def _conveyance(conveyance: Conveyance) -> Candidate:
    idents = ", ".join(f"{i.value}" for i in conveyance.identifiers[:3])
    kind = enum_label("conveyance_kind", conveyance.kind)
    return Candidate(conveyance.id, conveyance.display_name, f"{kind} · {idents}".strip(" ·"))


def search(
    session: Session, actor: Actor, kind: str, text: str, limit: int = PICKER_LIMIT
) -> list[Candidate]:
    """The records of ``kind`` matching ``text`` (audited as a list read). At most ``limit``."""
    found: dict[uuid.UUID, Candidate] = {}
    statements: list[Any] = []
    if kind == "person":
        name = persons.PersonFilters(name=text)
        statements.append((name, persons.list_statement(name), _person))
        if any(ch.isdigit() for ch in text):
            doc = persons.PersonFilters(document=text)
            statements.append((doc, persons.list_statement(doc), _person))
    elif kind == "company":
        name_c = companies.CompanyFilters(name=text)
        statements.append((name_c, companies.list_statement(name_c), _company))
        if any(ch.isdigit() for ch in text):
            number = companies.CompanyFilters(number=text)
            statements.append((number, companies.list_statement(number), _company))
    else:
        ident = conveyances.ConveyanceFilters(identifier=text)
        statements.append((ident, conveyances.list_statement(ident), _conveyance))
    for filters, stmt, describe in statements:
        note_read(session, actor, kind, details={"picker": "yes", **filters.describe()})
        for record in session.execute(stmt.limit(limit)).scalars():
            found.setdefault(record.id, describe(record))
    return list(found.values())[:limit]


_MODELS: dict[str, tuple[type[Any], Any]] = {
    "person": (Person, _person),
    "company": (Company, _company),
    "conveyance": (Conveyance, _conveyance),
}


def chosen(session: Session, kind: str, record_id: uuid.UUID) -> Candidate | None:
    """The picker's entry for an already chosen record (None if it no longer exists)."""
    model, describe = _MODELS[kind]
    record = session.get(model, record_id)
    if record is None or record.deleted_at is not None:
        return None
    candidate: Candidate = describe(record)
    return candidate


def picker_lists(
    session: Session, actor: Actor, rows: Any, kind: str, find: str
) -> dict[str, list[Candidate]]:
    """For each row of ``rows``, the records its picker offers, keyed by the row's name.

    A row is searched when its "Find" button was pressed (``find`` is its name) or when it has
    a search text and nothing chosen yet; a chosen record is always offered, so it stays
    selected when the page is shown again.
    """
    offered: dict[str, list[Candidate]] = {}
    for entry in rows:
        row = entry.form
        text = (row.query.data or "").strip()
        selected = row.chosen_id()
        candidates: list[Candidate] = []
        if text and (find == entry.name or selected is None):
            candidates = search(session, actor, kind, text)
        if selected and all(c.id != selected for c in candidates):
            current = chosen(session, kind, selected)
            if current is not None:
                candidates.insert(0, current)
        offered[entry.name] = candidates
    return offered
