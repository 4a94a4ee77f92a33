"""What an analyst asks: validated query objects for person and company name search.

Views and the CLI build a `PersonQuery` or `CompanyQuery` from user input with `person_query`
/ `company_query`, which check every field at once and raise one `ValidationError` naming each
bad field (``name``, ``birth_year``, ``limit``...). The dataclasses can also be built directly
by code that already holds checked values.

Qualifiers (birth date, nationality, gender, document numbers, country, registration number)
move a candidate's score up or down; filters (birth year range, nationality, gender, country)
remove candidates outright.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from ncen.errors import ValidationError
from ncen.persons.models import Gender
from ncen.search.normalise import check_query_text

MAX_LIMIT = 100
DEFAULT_LIMIT = 20
_COUNTRY = re.compile(r"^[A-Z]{2}$")


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
        value = str(raw).strip().upper()
        if not _COUNTRY.match(value):
            self.errors[key] = "must be a two-letter country code (ISO 3166-1), e.g. KZ"
            return None
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

    def switch(self, key: str) -> bool:
        raw = self.data.get(key, True)
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
    """A checked `PersonQuery` from raw input (strings or values); raises `ValidationError`."""
    f = _Fields(data)
    this_year = datetime.now(UTC).year
    name = f.name()
    query = PersonQuery(
        name=name,
        birth_year=f.integer("birth_year", 1900, this_year),
        birth_month=f.integer("birth_month", 1, 12),
        birth_day=f.integer("birth_day", 1, 31),
        nationality=f.country("nationality"),
        gender=f.gender("gender"),
        document_numbers=tuple(str(n) for n in data.get("document_numbers") or () if n),
        birth_year_from=f.integer("birth_year_from", 1900, this_year),
        birth_year_to=f.integer("birth_year_to", 1900, this_year),
        only_nationality=f.country("only_nationality"),
        only_gender=f.gender("only_gender"),
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
