"""The form-based editor's half: criteria chosen in a form, written as expression text.

`build_expression` turns the form's choices (lists of codes, ranges, lookup list names) into
the same language an analyst types, joined by ``&&``; the text is then checked and saved like
typed text (`ncen.targeting.profiles`), so both editors give one kind of profile. Numbers are
checked here (each error under its form field); codes are checked with the expression.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence

from ncen.errors import ValidationError

# Form field -> catalogue field, for the multiple-choice criteria (codes).
CODE_CHOICES: tuple[tuple[str, str], ...] = (
    ("commodity_group", "commodity_group"),
    ("departure_country", "departure_country"),
    ("transit_country", "transit_country"),
    ("destination_country", "destination_country"),
    ("route_country", "route_country"),
    ("office", "office"),
    ("transport_mode", "transport_mode"),
    ("concealment", "concealment"),
    ("season", "season"),
    ("person_nationality", "person.nationality"),
    ("person_gender", "person.gender"),
    ("person_age_band", "person.age_band"),
    ("company_country", "company.country"),
    ("conveyance_kind", "conveyance.kind"),
    ("conveyance_flag", "conveyance.flag"),
)
# Form field pairs (minimum, maximum) -> catalogue field.
RANGES: tuple[tuple[str, str, str], ...] = (
    ("quantity_min", "quantity_max", "quantity"),
    ("value_min", "value_max", "value"),
    ("age_min", "age_max", "person.age"),
    ("company_days_min", "company_days_max", "company.known_days"),
)
# Form field -> identifier field that may be looked up in a list.
LOOKUPS: tuple[tuple[str, str], ...] = (
    ("document_list", "person.document"),
    ("company_list", "company.registration"),
    ("plate_list", "conveyance.plate"),
    ("container_list", "conveyance.container"),
    ("bl_list", "conveyance.bill_of_lading"),
)


def _quote(value: str) -> str:
    # JSON string syntax is CEL's double-quoted string syntax for the characters allowed here.
    return json.dumps(value, ensure_ascii=False)


def _number(raw: str, key: str, errors: dict[str, str]) -> float | None:
    raw = raw.strip()
    if not raw:
        return None
    try:
        value = float(raw)
    except ValueError:
        errors[key] = "enter a number"
        return None
    if not math.isfinite(value) or abs(value) > 1e12:
        errors[key] = "enter a number up to 1,000,000,000,000"
        return None
    return value


def _shown(value: float) -> str:
    return str(int(value)) if value.is_integer() else repr(value)


def _values(form: Mapping[str, str | Sequence[str]], key: str) -> list[str]:
    raw = form.get(key)
    if raw is None:
        return []
    items = [raw] if isinstance(raw, str) else list(raw)
    return [v.strip() for v in items if isinstance(v, str) and v.strip()]


def build_expression(form: Mapping[str, str | Sequence[str]]) -> str:  # noqa: PLR0912 - a form
    """The expression for the criteria chosen in ``form`` (empty when none is chosen).

    Raises `ValidationError` keyed by form field for a number that is not one or a range
    whose minimum exceeds its maximum.
    """
    parts: list[str] = []
    errors: dict[str, str] = {}
    for key, name in CODE_CHOICES:
        values = _values(form, key)
        if len(values) == 1:
            parts.append(f"{name} == {_quote(values[0])}")
        elif values:
            parts.append(f"{name} in [{', '.join(_quote(v) for v in values)}]")
    headings = [v for raw in _values(form, "hs_heading") for v in raw.replace(" ", ",").split(",")]
    headings = [h for h in headings if h]
    if headings:
        parts.append(f"hs_heading in [{', '.join(_quote(h) for h in headings)}]")
    for low_key, high_key, name in RANGES:
        low = _number(str(form.get(low_key) or ""), low_key, errors)
        high = _number(str(form.get(high_key) or ""), high_key, errors)
        if low is not None and high is not None and low > high:
            errors[high_key] = "the maximum is below the minimum"
        if low is not None:
            parts.append(f"{name} >= {_shown(low)}")
        if high is not None:
            parts.append(f"{name} <= {_shown(high)}")
    hour_from = _number(str(form.get("hour_from") or ""), "hour_from", errors)
    hour_to = _number(str(form.get("hour_to") or ""), "hour_to", errors)
    for key, hour in (("hour_from", hour_from), ("hour_to", hour_to)):
        if hour is not None and not (0 <= hour <= 23 and hour.is_integer()):
            errors[key] = "enter an hour from 0 to 23"
    if hour_from is not None and hour_to is not None and not {"hour_from", "hour_to"} & set(errors):
        joiner = "&&" if hour_from <= hour_to else "||"  # 22 to 5 wraps past midnight
        parts.append(f"(hour >= {_shown(hour_from)} {joiner} hour <= {_shown(hour_to)})")
    for key, name in LOOKUPS:
        for list_name in _values(form, key):
            parts.append(f"{name} in lookup({_quote(list_name)})")
    pattern = str(form.get("identifier_prefix") or "").strip()
    if pattern:
        parts.append(f"conveyance.identifier.startsWith({_quote(pattern)})")
    if errors:
        raise ValidationError(errors)
    return "\n&& ".join(parts)
