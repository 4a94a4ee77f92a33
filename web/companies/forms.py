"""Forms of the company pages: the whole record (names and aliases, numbers, address), filters.

The edit form carries every field of the record, because the service replaces it whole.
"""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import FieldList, FormField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import Length

from ncen.companies.models import Company
from web.codes import offer
from web.forms import RowForm
from web.labels import enum_options
from web.records import FilterForm, HandlingFields, OriginFilter, VersionedForm, text_filter
from web.rowdata import Payload, rows_payload, text_of


def _select(label: object, **kwargs: object) -> SelectField:
    return SelectField(label, validate_choice=False, **kwargs)


class CompanyNameRow(RowForm):
    """A name or alias of the company."""

    ROW_FIELD = "name"
    name = StringField(_l("Company name"), validators=[Length(max=300)])
    kind = _select(_l("Kind of name"), choices=enum_options("name_kind", blank=None))
    script = StringField(
        _l("Script"), validators=[Length(max=4)], render_kw={"placeholder": "Latn, Cyrl…"}
    )


ROWS = {"names": ("name", "kind", "script")}
FIELDS = (
    "country",
    "registration_number",
    "tax_number",
    "aeo_status",
    "address_line",
    "address_city",
    "address_country",
    "description",
    "handling_code",
    "handling_restrictions",
)


class CompanyForm(HandlingFields, VersionedForm):
    """A company record, whole."""

    names = FieldList(FormField(CompanyNameRow), min_entries=1, max_entries=100)
    country = _select(_l("Country"))
    registration_number = StringField(_l("Registration number"), validators=[Length(max=64)])
    tax_number = StringField(_l("Tax number"), validators=[Length(max=64)])
    aeo_status = _select(_l("AEO status"), choices=enum_options("aeo", blank=None), default="none")
    address_line = StringField(_l("Address"), validators=[Length(max=300)])
    address_city = StringField(_l("City"), validators=[Length(max=120)])
    address_country = _select(_l("Country of the address"))
    description = TextAreaField(
        _l("Description"), validators=[Length(max=10_000)], render_kw={"rows": 3}
    )
    save = SubmitField(_l("Save"))


def fill_choices(form: CompanyForm) -> None:
    """Fill the country selects."""
    offer(form.country, "countries")
    offer(form.address_country, "countries")


def company_payload(form: CompanyForm) -> Payload:
    """The service data of ``form``."""
    payload = rows_payload(form, ROWS, ("kind", "script"))
    payload.data.update({name: form[name].data or "" for name in FIELDS})
    return payload


def company_form_data(company: Company) -> dict[str, Any]:
    """The edit form's initial data for ``company``."""
    data: dict[str, Any] = {name: text_of(getattr(company, name)) for name in FIELDS}
    data["names"] = [
        {column: text_of(getattr(row, column)) for column in ROWS["names"]} for row in company.names
    ]
    data["version"] = str(company.version)
    return data


class CompanyFilterForm(OriginFilter, FilterForm):
    """Filters of the company list."""

    name = text_filter(_l("Name"))
    number = text_filter(_l("Registration or tax number"), 64)
    country = _select(_l("Country"))
