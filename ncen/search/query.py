"""What an analyst asks: validated query objects for person and company name search.

Views and the CLI build a `PersonQuery` or `CompanyQuery` from user input with `person_query`
/ `company_query`, which check every field at once and raise one `ValidationError` naming each
bad field (``name``, ``birth_year``, ``limit``...). The dataclasses can also be built directly
by code that already holds checked values.

Qualifiers (birth date, nationality, gender, document numbers, country, registration number)
move a candidate's score up or down; filters (birth year range, nationality, gender, country)
remove candidates outright. A birth year and a nationality can be given in either mode
(``birth_year_mode`` / ``nationality_mode``: ``qualifier``, the default, or ``filter``): a
birth year that filters keeps the persons born within ``birth_year_tolerance`` years of it
(0–10, default `DEFAULT_TOLERANCE`) and then no longer moves the score; a nationality that
filters keeps the persons holding it. Persons whose filtered fact is unknown are left out
unless ``include_unknown`` is set. `person_search_params` reads the advanced-search form
(web page and saved searches alike).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from ncen.errors import NcenError, ValidationError
from ncen.identifiers import check_country
from ncen.persons.models import Gender
from ncen.search.normalise import check_query_text

MAX_LIMIT = 100
DEFAULT_LIMIT = 20
DEFAULT_TOLERANCE = 2
MAX_TOLERANCE = 10
MODES = ("qualifier", "filter")


@dataclass(frozen=True, slots=True)
class SearchOptions:
    """Per-query switches. ``min_score`` drops weaker hits; ``limit`` caps the hits returned."""

    transliteration: bool = True
    phonetic: bool = True
    limit: int = DEFAULT_LIMIT
    min_score: float = 0.5


@dataclass(frozen=True, slots=True)
class PersonQuery:
    """A person name search with optional qualifiers and filters."""

    name: str
    birth_year: int | None = None
    birth_month: int | None = None
    birth_day: int | None = None
    nationality: str | None = None
    gender: Gender | None = None
    document_numbers: tuple[str, ...] = ()
    birth_year_from: int | None = None
    birth_year_to: int | None = None
    only_nationality: str | None = None
    only_gender: Gender | None = None
    include_unknown: bool = False
    options: SearchOptions = field(default_factory=SearchOptions)


@dataclass(frozen=True, slots=True)
class CompanyQuery:
    """A company name search; ``country`` and ``registration_number`` qualify, ``only_country``
    filters."""

    name: str
    country: str | None = None
    registration_number: str | None = None
    only_country: str | None = None
    options: SearchOptions = field(default_factory=SearchOptions)


class _Fields:
    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data
        self.errors: dict[str, str] = {}

    def integer(self, key: str, low: int, high: int) -> int | None:
        raw = self.data.get(key)
        if raw is None or raw == "":
            return None
        try:
            value = int(raw)
        except (TypeError, ValueError):
            self.errors[key] = "must be a whole number"
            return None
        if not low <= value <= high:
            self.errors[key] = f"must be between {low} and {high}"
            return None
        return value

    def country(self, key: str) -> str | None:
        raw = self.data.get(key)
        if raw is None or raw == "":
            return None
        try:
            return check_country(str(raw))
        except NcenError:
            self.errors[key] = "must be a two-letter country code (ISO 3166-1), e.g. KZ"
            return None

    def mode(self, key: str) -> str:
        raw = self.data.get(key)
        if raw is None or raw == "":
            return "qualifier"
        value = str(raw).strip().lower()
        if value not in MODES:
            self.errors[key] = "must be qualifier or filter"
            return "qualifier"
        return value

    def gender(self, key: str) -> Gender | None:
        raw = self.data.get(key)
        if raw is None or raw == "":
            return None
        try:
            return Gender(str(raw).upper())
        except ValueError:
            self.errors[key] = "must be F, M, X or U"
            return None

    def switch(self, key: str, default: bool = True) -> bool:
        raw = self.data.get(key, default)
        if isinstance(raw, str):
            return raw.strip().lower() not in {"0", "false", "off", "no", ""}
        return bool(raw)

    def options(self) -> SearchOptions:
        limit = self.integer("limit", 1, MAX_LIMIT)
        return SearchOptions(
            transliteration=self.switch("transliteration"),
            phonetic=self.switch("phonetic"),
            limit=limit if limit is not None else DEFAULT_LIMIT,
        )

    def name(self) -> str:
        try:
            return check_query_text(self.data.get("name"), "name")
        except ValidationError as exc:
            self.errors.update(exc.errors)
            return ""


def person_query(**data: Any) -> PersonQuery:
    """A checked `PersonQuery` from raw input (strings or values); raises `ValidationError`.

    Besides the dataclass fields it reads ``birth_year_mode``, ``birth_year_tolerance`` and
    ``nationality_mode`` (see the module docstring) and the `SearchOptions` switches.
    """
    f = _Fields(data)
    this_year = datetime.now(UTC).year
    name = f.name()
    birth_year = f.integer("birth_year", 1900, this_year)
    nationality = f.country("nationality")
    year_mode, nationality_mode = f.mode("birth_year_mode"), f.mode("nationality_mode")
    tolerance = f.integer("birth_year_tolerance", 0, MAX_TOLERANCE)
    year_from = f.integer("birth_year_from", 1900, this_year)
    year_to = f.integer("birth_year_to", 1900, this_year)
    only_nationality = f.country("only_nationality")
    if year_mode == "filter":
        if birth_year is None:
            if "birth_year" not in f.errors:
                f.errors["birth_year"] = "enter the birth year to filter on"
        elif year_from is not None or year_to is not None:
            f.errors["birth_year"] = "filter on a birth year or on a range of years, not both"
        else:
            spread = DEFAULT_TOLERANCE if tolerance is None else tolerance
            year_from, year_to, birth_year = birth_year - spread, birth_year + spread, None
    if nationality_mode == "filter":
        if nationality is None:
            if "nationality" not in f.errors:
                f.errors["nationality"] = "enter the nationality to filter on"
        elif only_nationality not in {None, nationality}:
            f.errors["nationality"] = "filter on one nationality"
        else:
            only_nationality, nationality = nationality, None
    query = PersonQuery(
        name=name,
        birth_year=birth_year,
        birth_month=f.integer("birth_month", 1, 12),
        birth_day=f.integer("birth_day", 1, 31),
        nationality=nationality,
        gender=f.gender("gender"),
        document_numbers=tuple(str(n) for n in data.get("document_numbers") or () if n),
        birth_year_from=year_from,
        birth_year_to=year_to,
        only_nationality=only_nationality,
        only_gender=f.gender("only_gender"),
        include_unknown=f.switch("include_unknown", default=False),
        options=f.options(),
    )
    if (
        query.birth_year_from
        and query.birth_year_to
        and query.birth_year_from > query.birth_year_to
    ):
        f.errors["birth_year_to"] = "must not be before the start of the range"
    if f.errors:
        raise ValidationError(f.errors)
    return query


PERSON_SEARCH_FIELDS = (
    "q",
    "birth_year",
    "birth_year_mode",
    "birth_year_tolerance",
    "birth_year_from",
    "birth_year_to",
    "nationality",
    "nationality_mode",
    "only_nationality",
    "only_gender",
    "include_unknown",
)


def person_search_params(params: Mapping[str, str], *, limit: int = MAX_LIMIT) -> PersonQuery:
    """The `PersonQuery` of the advanced person search form's ``params`` (``q`` is the name;
    ``no_transliteration`` / ``no_phonetic`` switch matching off); raises `ValidationError`."""
    fields = {k: params.get(k) for k in PERSON_SEARCH_FIELDS[1:]}
    return person_query(
        name=params.get("q"),
        limit=limit,
        transliteration="no_transliteration" not in params,
        phonetic="no_phonetic" not in params,
        **fields,
    )


def company_query(**data: Any) -> CompanyQuery:
    """A checked `CompanyQuery` from raw input; raises `ValidationError`."""
    f = _Fields(data)
    name = f.name()
    registration = data.get("registration_number")
    query = CompanyQuery(
        name=name,
        country=f.country("country"),
        registration_number=str(registration) if registration else None,
        only_country=f.country("only_country"),
        options=f.options(),
    )
    if f.errors:
        raise ValidationError(f.errors)
    return query
