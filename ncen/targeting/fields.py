"""The field catalogue: every name an expression may use, its type, its codes, and its SQL.

A profile's subject is always a seizure; ``person.*``, ``company.*`` and ``conveyance.*`` fields
are those of the live records linked to it. A field is *scalar* (at most one value: the office)
or *many* (any number: the items' commodity groups, the persons' nationalities). A criterion on
a many-valued field holds when *any* of its values satisfies it; a criterion on a field with no
value never holds, and its negation always does. The same rule is applied by the in-memory
matcher (`ncen.targeting.matcher`) and by the SQL of back-tests (`ncen.targeting.sql`), so that
both agree on every record.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from ncen.companies.models import AeoStatus
from ncen.conveyances.models import ConveyanceKind
from ncen.persons.models import Gender
from ncen.seizures.models import Direction, SeizureStatus


class FieldType(enum.StrEnum):
    """What values a field holds, and so which operators apply."""

    CODE = "code"  # a code of a reference list or an enumeration: ==, !=, in [..]
    NUMBER = "number"  # <, <=, >, >=, ==, !=
    TEXT = "text"  # identifiers: ==, in [..], startsWith, matches, in lookup(..)


class Season(enum.StrEnum):
    """Meteorological seasons of the northern hemisphere, by month of the seizure."""

    WINTER = "winter"
    SPRING = "spring"
    SUMMER = "summer"
    AUTUMN = "autumn"


class AgeBand(enum.StrEnum):
    """Age bands of a person on the seizure date."""

    UNDER_18 = "under_18"
    FROM_18_TO_25 = "18_25"
    FROM_26_TO_35 = "26_35"
    FROM_36_TO_50 = "36_50"
    OVER_50 = "over_50"


@dataclass(frozen=True, slots=True)
class Field:
    """One field of the catalogue.

    ``codes`` names where the valid codes are: a reference table (``table:countries``), an
    enumeration (``enum:...``, listed in ``values``) or a digit pattern (``digits:4``).
    ``rank`` orders fields by how selective an equality on them usually is (higher: fewer
    records), which the matcher uses to choose the criterion it indexes a profile by.
    """

    name: str
    type: FieldType
    many: bool
    label: str
    codes: str = ""
    values: tuple[str, ...] = ()
    rank: int = 0
    list_kind: str = ""  # the lookup-list kind whose values this field is compared with


def _enum(cls: type[enum.StrEnum]) -> tuple[str, ...]:
    return tuple(member.value for member in cls)


_FIELDS: tuple[Field, ...] = (
    Field("commodity_group", FieldType.CODE, True, "Commodity group of an item",
          "table:commodity_groups", rank=3),
    Field("hs_chapter", FieldType.CODE, True, "HS chapter of an item (2 digits)", "digits:2",
          rank=5),
    Field("hs_heading", FieldType.CODE, True, "HS heading of an item (4 digits)", "digits:4",
          rank=7),
    Field("hs_code", FieldType.CODE, True, "HS subheading of an item (6 digits)", "digits:6",
          rank=8),
    Field("quantity", FieldType.NUMBER, True, "Quantity of an item"),
    Field("value", FieldType.NUMBER, True, "Estimated value of an item"),
    Field("departure_country", FieldType.CODE, False, "Country of departure",
          "table:countries", rank=4),
    Field("destination_country", FieldType.CODE, False, "Country of destination",
          "table:countries", rank=4),
    Field("transit_country", FieldType.CODE, True, "A transit country", "table:countries",
          rank=4),
    Field("route_country", FieldType.CODE, True,
          "Any country of the route (departure, transit or destination)", "table:countries",
          rank=3),
    Field("office", FieldType.CODE, False, "Customs office", "table:customs_offices", rank=6),
    Field("transport_mode", FieldType.CODE, False, "Transport mode", "table:transport_modes",
          rank=1),
    Field("concealment", FieldType.CODE, True, "Concealment method",
          "table:concealment_methods", rank=4),
    Field("detection_method", FieldType.CODE, False, "Detection method",
          "table:detection_methods", rank=2),
    Field("direction", FieldType.CODE, False, "Direction", "enum", _enum(Direction), rank=1),
    Field("status", FieldType.CODE, False, "Seizure status", "enum", _enum(SeizureStatus)),
    Field("hour", FieldType.NUMBER, False, "Hour of the seizure (0-23, UTC)"),
    Field("month", FieldType.NUMBER, False, "Month of the seizure (1-12)"),
    Field("weekday", FieldType.NUMBER, False, "Day of the week (1 Monday - 7 Sunday)"),
    Field("season", FieldType.CODE, False, "Season of the seizure", "enum", _enum(Season),
          rank=1),
    Field("person.nationality", FieldType.CODE, True, "Nationality of a linked person",
          "table:countries", rank=4),
    Field("person.birth_country", FieldType.CODE, True, "Birth country of a linked person",
          "table:countries", rank=4),
    Field("person.gender", FieldType.CODE, True, "Gender of a linked person", "enum",
          _enum(Gender)),
    Field("person.age", FieldType.NUMBER, True,
          "Age of a linked person on the seizure date (birth year known)"),
    Field("person.age_band", FieldType.CODE, True, "Age band of a linked person", "enum",
          _enum(AgeBand), rank=1),
    Field("person.role", FieldType.CODE, True, "Role of a linked person", "table:person_roles",
          rank=1),
    Field("person.document", FieldType.TEXT, True, "Identity document number of a linked person",
          rank=9, list_kind="document"),
    Field("company.country", FieldType.CODE, True, "Country of a linked company",
          "table:countries", rank=4),
    Field("company.known_days", FieldType.NUMBER, True,
          "Days between the linked company's first record on this node and the seizure"),
    Field("company.aeo", FieldType.CODE, True, "AEO status of a linked company", "enum",
          _enum(AeoStatus), rank=1),
    Field("company.registration", FieldType.TEXT, True,
          "Registration or tax number of a linked company", rank=9, list_kind="company"),
    Field("conveyance.kind", FieldType.CODE, True, "Kind of a linked conveyance", "enum",
          _enum(ConveyanceKind), rank=2),
    Field("conveyance.flag", FieldType.CODE, True, "Flag (country) of a linked conveyance",
          "table:countries", rank=4),
    Field("conveyance.identifier", FieldType.TEXT, True,
          "Any identifier of a linked conveyance (plate, IMO, container, ...)", rank=9),
    Field("conveyance.plate", FieldType.TEXT, True, "Plate of a linked vehicle", rank=9,
          list_kind="plate"),
    Field("conveyance.container", FieldType.TEXT, True, "Container number (ISO 6346)", rank=9,
          list_kind="container"),
    Field("conveyance.bill_of_lading", FieldType.TEXT, True, "Bill of lading number", rank=9,
          list_kind="bl_prefix"),
)  # fmt: skip

FIELDS: dict[str, Field] = {field.name: field for field in _FIELDS}


def season_of(month: int) -> str:
    """The season of a month (1-12)."""
    return (Season.WINTER, Season.SPRING, Season.SUMMER, Season.AUTUMN)[(month % 12) // 3].value


def age_band_of(age: int) -> str:
    """The age band of an age in whole years."""
    if age < 18:
        return AgeBand.UNDER_18.value
    if age <= 25:
        return AgeBand.FROM_18_TO_25.value
    if age <= 35:
        return AgeBand.FROM_26_TO_35.value
    if age <= 50:
        return AgeBand.FROM_36_TO_50.value
    return AgeBand.OVER_50.value


def identifier_key(raw: str) -> str:
    """How identifiers compare in profiles and lookup lists: upper case, letters and digits
    only (any script), so that "ab-123 cd" and "AB123CD" meet. SQL uses the same rule
    (`ncen.targeting.sql`)."""
    return "".join(char for char in raw.upper() if char.isalnum())
