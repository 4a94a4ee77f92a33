"""Forms of the seizure pages: the case header with its items, the recording form, filters.

Select boxes are filled per request from the reference tables (`fill_choices`); their values
are not checked here (``validate_choice=False``): the services check every code and report
each bad one next to its field. The form only limits lengths, so that over-long input is
refused before it reaches a service.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import MultipleFileField
from wtforms import (
    BooleanField,
    DateField,
    FieldList,
    FormField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import Length, Optional

from web.codes import offer
from web.forms import CheckboxesField, RowForm, choices
from web.labels import enum_options
from web.records import FilterForm, HandlingFields, OriginFilter, VersionedForm, text_filter
from web.seizures.participants import CompanyEntry, ConveyanceEntry, PersonEntry

# UTC offsets in use somewhere in the world, so the time of seizure is never ambiguous.
# fmt: off
OFFSETS = (
    "-12:00", "-11:00", "-10:00", "-09:30", "-09:00", "-08:00", "-07:00", "-06:00", "-05:00",
    "-04:00", "-03:30", "-03:00", "-02:00", "-01:00", "+00:00", "+01:00", "+02:00", "+03:00",
    "+03:30", "+04:00", "+04:30", "+05:00", "+05:30", "+05:45", "+06:00", "+06:30", "+07:00",
    "+08:00", "+08:45", "+09:00", "+09:30", "+10:00", "+10:30", "+11:00", "+12:00", "+12:45",
    "+13:00", "+14:00",
)
# fmt: on


def _select(label: object, **kwargs: object) -> SelectField:
    return SelectField(label, validate_choice=False, **kwargs)


class ItemForm(RowForm):
    """One kind of goods seized."""

    ROW_FIELD = "commodity_group"

    commodity_group = _select(_l("Commodity group"))
    hs_code = StringField(
        _l("HS code"),
        validators=[Length(max=12)],
        description=_l("6 digits, e.g. 2402.20"),
        render_kw={"inputmode": "numeric", "autocomplete": "off"},
    )
    description = StringField(_l("Description"), validators=[Length(max=2000)])
    brand = StringField(_l("Brand"), validators=[Length(max=200)])
    quantity = StringField(
        _l("Quantity"), validators=[Length(max=24)], render_kw={"inputmode": "decimal"}
    )
    unit = _select(_l("Unit"))
    estimated_value = StringField(
        _l("Estimated value"), validators=[Length(max=24)], render_kw={"inputmode": "decimal"}
    )
    currency = _select(_l("Currency"))


class SeizureForm(HandlingFields, VersionedForm):
    """The case itself: header, route, concealment, items, narrative, grading, handling."""

    occurred_at = StringField(
        _l("Date and time of the seizure"),
        validators=[Length(max=40)],
        description=_l("Local time at the place of seizure."),
        render_kw={"type": "datetime-local", "step": "1"},
    )
    utc_offset = _select(
        _l("Time zone (UTC offset)"),
        choices=choices((o, f"UTC{o}") for o in OFFSETS),
        default="+00:00",
    )
    office_code = _select(_l("Customs office"))
    place = StringField(_l("Place"), validators=[Length(max=200)])
    locode = StringField(
        _l("UN/LOCODE"),
        validators=[Length(max=10)],
        description=_l("5 characters, e.g. KZALA"),
        render_kw={"autocapitalize": "characters"},
    )
    location_type = _select(_l("Type of location"))
    direction = _select(_l("Direction"), choices=enum_options("direction"))
    transport_mode = _select(_l("Transport mode"))
    detection_method = _select(_l("Detection method"))
    detection_technique = _select(_l("Detection technique"))
    departure_country = _select(_l("Country of departure"))
    transit_countries = SelectMultipleField(
        _l("Transit countries"),
        validate_choice=False,
        description=_l("Hold Ctrl (or ⌘) to choose several."),
        render_kw={"size": 6},
    )
    destination_country = _select(_l("Country of destination"))
    concealment_methods = CheckboxesField(_l("Concealment methods"), validate_choice=False)
    concealment_description = TextAreaField(
        _l("How the goods were concealed"),
        validators=[Length(max=10_000)],
        render_kw={"rows": 3},
    )
    narrative = TextAreaField(
        _l("Narrative"), validators=[Length(max=100_000)], render_kw={"rows": 6}
    )
    source_reliability = _select(
        _l("Source reliability"), choices=enum_options("reliability", blank=None), default="X"
    )
    information_grade = _select(
        _l("Information assessment"), choices=enum_options("grade", blank=None), default="4"
    )
    items = FieldList(FormField(ItemForm), min_entries=1, max_entries=100)
    save = SubmitField(_l("Save"))


class CaseForm(SeizureForm):
    """The whole recording form: the case, its participants and its pictures."""

    persons = FieldList(FormField(PersonEntry), min_entries=1, max_entries=50)
    companies = FieldList(FormField(CompanyEntry), min_entries=1, max_entries=50)
    conveyances = FieldList(FormField(ConveyanceEntry), min_entries=1, max_entries=50)
    pictures = MultipleFileField(
        _l("Pictures"),
        description=_l("JPEG, PNG, WebP, GIF or TIFF; several at once."),
        render_kw={"accept": "image/jpeg,image/png,image/webp,image/gif,image/tiff"},
    )
    picture_caption = StringField(_l("Caption of the pictures"), validators=[Length(max=2000)])
    picture_concealment = _select(_l("Concealment shown on the pictures"))
    save = SubmitField(_l("Save as draft"))
    save_submit = SubmitField(_l("Save and submit for validation"))

    # Keys of the case service that this form names differently.
    ERROR_ALIASES = {  # noqa: RUF012
        "files": "pictures",
        "caption": "picture_caption",
        "concealment_method": "picture_concealment",
    }


def fill_choices(form: SeizureForm) -> None:
    """Fill the select boxes of ``form`` (and of its rows) from the reference tables."""
    offer(form.office_code, "customs_offices")
    offer(form.location_type, "location_types")
    offer(form.transport_mode, "transport_modes")
    offer(form.detection_method, "detection_methods")
    offer(form.detection_technique, "detection_techniques")
    for name in ("departure_country", "destination_country"):
        offer(form[name], "countries")
    offer(form.transit_countries, "countries", blank=None)
    offer(form.concealment_methods, "concealment_methods", blank=None)
    for row in form.items:
        offer(row.commodity_group, "commodity_groups")
        offer(row.unit, "quantity_units")
        offer(row.currency, "currencies")
    if isinstance(form, CaseForm):
        offer(form.picture_concealment, "concealment_methods")
        for entry in form.persons:
            offer(entry.role, "person_roles")
            offer(entry.nationality, "countries")
        for entry in form.companies:
            offer(entry.role, "company_roles")
            offer(entry.country, "countries")
        for entry in form.conveyances:
            offer(entry.role, "conveyance_roles")
            offer(entry.flag, "countries")


class SeizureFilterForm(OriginFilter, FilterForm):
    """Filters of the seizure list."""

    text = text_filter(_l("Reference or place"))
    status = _select(_l("Status"), choices=enum_options("status"))
    commodity_group = _select(_l("Commodity group"))
    country = _select(_l("Country on the route"))
    transport_mode = _select(_l("Transport mode"))
    office_code = _select(_l("Customs office"))
    date_from = DateField(_l("From"), validators=[Optional()])
    date_to = DateField(_l("Until"), validators=[Optional()])
    mine = BooleanField(_l("Recorded by me"))
    returned = BooleanField(_l("Sent back for corrections"))


def fill_filter_choices(form: SeizureFilterForm) -> None:
    """Fill the select boxes of the seizure filters."""
    offer(form.commodity_group, "commodity_groups")
    offer(form.country, "countries")
    offer(form.transport_mode, "transport_modes")
    offer(form.office_code, "customs_offices")
