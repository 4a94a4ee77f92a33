"""Forms of the conveyance pages: the whole record (kind, identifiers, name, flag), filters.

Identifiers are checked by the service with their check digits (ISO 6346, IMO, VIN...); the
form only limits lengths. The edit form carries every field, as the service replaces it whole.
"""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import FieldList, FormField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import Length

from ncen.conveyances.models import Conveyance
from web.codes import offer
from web.forms import RowForm
from web.labels import enum_options
from web.records import FilterForm, HandlingFields, OriginFilter, VersionedForm, text_filter
from web.rowdata import Payload, rows_payload, text_of


def _select(label: object, **kwargs: object) -> SelectField:
    return SelectField(label, validate_choice=False, **kwargs)


class IdentifierRow(RowForm):
    """One identifier of the conveyance (a plate with its country)."""

    ROW_FIELD = "value"
    kind = _select(_l("Identifier"), choices=enum_options("identifier_kind", blank=None))
    value = StringField(_l("Identifier value"), validators=[Length(max=64)])
    country = _select(_l("Country (plates)"))


ROWS = {"identifiers": ("kind", "value", "country")}
FIELDS = ("kind", "name", "flag", "description", "handling_code", "handling_restrictions")


class ConveyanceForm(HandlingFields, VersionedForm):
    """A conveyance record, whole."""

    kind = _select(_l("Kind"), choices=enum_options("conveyance_kind"))
    name = StringField(_l("Name or make and model"), validators=[Length(max=200)])
    flag = _select(_l("Flag or country of registration"))
    identifiers = FieldList(FormField(IdentifierRow), min_entries=1, max_entries=100)
    description = TextAreaField(
        _l("Description"), validators=[Length(max=10_000)], render_kw={"rows": 3}
    )
    save = SubmitField(_l("Save"))


def fill_choices(form: ConveyanceForm) -> None:
    """Fill the country selects."""
    offer(form.flag, "countries")
    for row in form.identifiers:
        offer(row.country, "countries")


def conveyance_payload(form: ConveyanceForm) -> Payload:
    """The service data of ``form``."""
    payload = rows_payload(form, ROWS, ("kind",))
    payload.data.update({name: form[name].data or "" for name in FIELDS})
    return payload


def conveyance_form_data(conveyance: Conveyance) -> dict[str, Any]:
    """The edit form's initial data for ``conveyance``."""
    data: dict[str, Any] = {name: text_of(getattr(conveyance, name)) for name in FIELDS}
    data["identifiers"] = [
        {column: text_of(getattr(row, column)) for column in ROWS["identifiers"]}
        for row in conveyance.identifiers
    ]
    data["version"] = str(conveyance.version)
    return data


class ConveyanceFilterForm(OriginFilter, FilterForm):
    """Filters of the conveyance list."""

    identifier = text_filter(_l("Identifier"), 64)
    kind = _select(_l("Kind"), choices=enum_options("conveyance_kind"))
    flag = _select(_l("Flag"))
