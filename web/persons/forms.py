"""Forms of the person pages: the whole record (names, documents, addresses, contacts), filters.

The edit form carries every field of the record, because the service replaces the record
whole: a field left out here would be erased by a save. Rows left blank are not sent.
"""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import (
    FieldList,
    FormField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import Length, NumberRange, Optional

from ncen.persons.models import Person
from web.codes import offer
from web.forms import RowForm
from web.labels import enum_options
from web.records import FilterForm, HandlingFields, OriginFilter, VersionedForm, text_filter
from web.rowdata import Payload, rows_payload, text_of


def _select(label: object, **kwargs: object) -> SelectField:
    return SelectField(label, validate_choice=False, **kwargs)


class NameRow(RowForm):
    """One name form of the person."""

    ROW_FIELD = "full_name"
    full_name = StringField(_l("Full name"), validators=[Length(max=300)])
    given_names = StringField(_l("Given names"), validators=[Length(max=200)])
    family_name = StringField(_l("Family name"), validators=[Length(max=200)])
    patronymic = StringField(_l("Patronymic"), validators=[Length(max=200)])
    kind = _select(_l("Kind of name"), choices=enum_options("name_kind", blank=None))
    script = StringField(
        _l("Script"), validators=[Length(max=4)], render_kw={"placeholder": "Latn, Cyrl…"}
    )


class DocumentRow(RowForm):
    """An identity or travel document."""

    ROW_FIELD = "number"
    doc_type = _select(_l("Document"), choices=enum_options("document_type", blank=None))
    number = StringField(_l("Number"), validators=[Length(max=40)])
    issuing_country = _select(_l("Issued by"))
    expires_on = StringField(
        _l("Expires on"), validators=[Length(max=10)], render_kw={"type": "date"}
    )


class AddressRow(RowForm):
    """A postal address."""

    ROW_FIELD = "line"
    line = StringField(_l("Address"), validators=[Length(max=300)])
    city = StringField(_l("City"), validators=[Length(max=120)])
    postcode = StringField(_l("Postcode"), validators=[Length(max=20)])
    country = _select(_l("Country"))


class ContactRow(RowForm):
    """A phone number or e-mail address."""

    ROW_FIELD = "value"
    kind = _select(_l("Kind"), choices=enum_options("contact_kind", blank=None))
    value = StringField(_l("Phone or e-mail"), validators=[Length(max=254)])


ROWS: dict[str, tuple[str, ...]] = {
    "names": ("full_name", "given_names", "family_name", "patronymic", "kind", "script"),
    "documents": ("doc_type", "number", "issuing_country", "expires_on"),
    "addresses": ("line", "city", "postcode", "country"),
    "contacts": ("kind", "value"),
}
# Fields that alone do not make a row worth sending (they have a default value).
DEFAULTED = ("kind", "doc_type", "script")
FIELDS = ("gender", "birth_year", "birth_month", "birth_day", "birth_place", "birth_country")
FIELDS_TEXT = ("description", "handling_code", "handling_restrictions")


class PersonForm(HandlingFields, VersionedForm):
    """A person record, whole."""

    ERROR_ALIASES = {"birth_date": "birth_year"}  # noqa: RUF012

    names = FieldList(FormField(NameRow), min_entries=1, max_entries=100)
    gender = _select(_l("Gender"), choices=enum_options("gender", blank=None), default="U")
    birth_year = StringField(
        _l("Year of birth"), validators=[Length(max=4)], render_kw={"inputmode": "numeric"}
    )
    birth_month = StringField(
        _l("Month"), validators=[Length(max=2)], render_kw={"inputmode": "numeric"}
    )
    birth_day = StringField(
        _l("Day"), validators=[Length(max=2)], render_kw={"inputmode": "numeric"}
    )
    birth_place = StringField(_l("Place of birth"), validators=[Length(max=200)])
    birth_country = _select(_l("Country of birth"))
    nationalities = SelectMultipleField(
        _l("Nationalities"),
        validate_choice=False,
        description=_l("Hold Ctrl (or ⌘) to choose several."),
        render_kw={"size": 5},
    )
    documents = FieldList(FormField(DocumentRow), min_entries=1, max_entries=100)
    addresses = FieldList(FormField(AddressRow), min_entries=1, max_entries=100)
    contacts = FieldList(FormField(ContactRow), min_entries=1, max_entries=100)
    description = TextAreaField(
        _l("Description"), validators=[Length(max=10_000)], render_kw={"rows": 3}
    )
    save = SubmitField(_l("Save"))


def fill_choices(form: PersonForm) -> None:
    """Fill the country selects of ``form`` and its rows."""
    offer(form.birth_country, "countries")
    offer(form.nationalities, "countries", blank=None)
    for row in form.documents:
        offer(row.issuing_country, "countries")
    for row in form.addresses:
        offer(row.country, "countries")


def person_payload(form: PersonForm) -> Payload:
    """The service data of ``form`` (blank rows left out, their positions remembered)."""
    payload = rows_payload(form, ROWS, DEFAULTED)
    for name in (*FIELDS, *FIELDS_TEXT):
        payload.data[name] = form[name].data or ""
    payload.data["nationalities"] = list(form.nationalities.data or [])
    return payload


def person_form_data(person: Person) -> dict[str, Any]:
    """The edit form's initial data for ``person``."""
    data: dict[str, Any] = {name: text_of(getattr(person, name)) for name in FIELDS}
    data.update({name: text_of(getattr(person, name)) for name in FIELDS_TEXT})
    data["nationalities"] = sorted(n.country for n in person.nationalities)
    for name, columns in ROWS.items():
        data[name] = [
            {column: text_of(getattr(row, column)) for column in columns}
            for row in getattr(person, name)
        ]
    data["version"] = str(person.version)
    return data


class PersonFilterForm(OriginFilter, FilterForm):
    """Filters of the person list."""

    name = text_filter(_l("Name"))
    document = text_filter(_l("Document number"), 40)
    nationality = _select(_l("Nationality"))
    gender = _select(_l("Gender"), choices=enum_options("gender"))
    birth_year = IntegerField(
        _l("Year of birth"), validators=[Optional(), NumberRange(min=1000, max=9999)]
    )
