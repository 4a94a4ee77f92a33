"""Forms of the search pages (GET forms: they change nothing, so carry no CSRF token)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, DateField, HiddenField, SelectField, StringField
from wtforms.validators import Length, Optional

from web.forms import Form, QueryForm, choices
from web.labels import enum_options
from web.records import OriginFilter


def _select(label: object, **kwargs: object) -> SelectField:
    return SelectField(label, validate_choice=False, **kwargs)


def _query(label: object) -> StringField:
    # No length validator: the domain says what is wrong with the query, in one message.
    return StringField(label, render_kw={"autocomplete": "off"})


class EverythingForm(QueryForm):
    """The one box."""

    q = _query(_l("Search"))


def _mode(label: object) -> SelectField:
    return _select(
        label,
        choices=choices(
            [
                ("qualifier", _l("ranks matches higher (qualifier)")),
                ("filter", _l("keeps only matches (filter)")),
            ]
        ),
        default="qualifier",
    )


class PersonSearchForm(QueryForm):
    """Advanced person search: name, birth year and nationality (each a qualifier or a
    filter), filters and switches. The domain validates every value
    (`ncen.search.query.person_search_params`)."""

    q = _query(_l("Name"))
    birth_year = StringField(_l("Year of birth"), validators=[Length(max=4)])
    birth_year_mode = _mode(_l("The year of birth"))
    birth_year_tolerance = StringField(
        _l("Tolerance (± years)"),
        validators=[Length(max=2)],
        description=_l("For the filter; 2 when left empty."),
    )
    birth_year_from = StringField(_l("Born from (year)"), validators=[Length(max=4)])
    birth_year_to = StringField(_l("Born until (year)"), validators=[Length(max=4)])
    nationality = _select(_l("Nationality"))
    nationality_mode = _mode(_l("The nationality"))
    only_gender = _select(_l("Gender"), choices=enum_options("gender"))
    include_unknown = BooleanField(_l("Filters keep persons whose value is unknown"))
    no_transliteration = BooleanField(_l("Same script only (no transliteration)"))
    no_phonetic = BooleanField(_l("No phonetic matching"))


class CompanySearchForm(QueryForm):
    """Advanced company search."""

    q = _query(_l("Name"))
    only_country = _select(_l("Country"))
    no_transliteration = BooleanField(_l("Same script only (no transliteration)"))
    no_phonetic = BooleanField(_l("No phonetic matching"))


class SeizureSearchForm(OriginFilter, QueryForm):
    """Advanced seizure search: words in the texts and every filter of the domain."""

    q = _query(_l("Words in the texts"))
    date_from = DateField(_l("From"), validators=[Optional()])
    date_to = DateField(_l("Until"), validators=[Optional()])
    country = _select(_l("Country on the route"))
    departure_country = _select(_l("Departure country"))
    transit_country = _select(_l("Transit country"))
    destination_country = _select(_l("Destination country"))
    commodity_group = _select(_l("Commodity group"))
    hs_chapter = StringField(_l("HS chapter"), validators=[Length(max=2)])
    detection_method = _select(_l("Detection method"))
    transport_mode = _select(_l("Transport mode"))
    office_code = _select(_l("Customs office"))
    status = _select(_l("Status"), choices=enum_options("status"))
    source_reliability = _select(
        _l("Source reliability"),
        choices=choices([("", "—"), *((v, v) for v in "ABCX")]),
    )
    information_grade = _select(
        _l("Information grade"),
        choices=choices([("", "—"), *((v, v) for v in "1234")]),
    )
    person_role = _select(_l("Role of a person"))
    company_role = _select(_l("Role of a company"))


class SaveSearchForm(Form):
    """Save the current search under a name."""

    name = StringField(_l("Name of the search"), validators=[Length(max=120)])
    kind = HiddenField()
    params = HiddenField()
    alert = BooleanField(_l("Alert me on new results"))
