"""Reference code lists as select options and labels, read once per request.

Select boxes offer only the *active* codes of a list (a retired code cannot be chosen again);
labels are looked up among all codes, so a record that still holds a retired code shows its
label. Countries are sorted by label, other lists by their ``sort_order``. The lists are read
from the database on first use in a request and kept on `flask.g`; templates call
``code_label('countries', 'KZ')``.
"""

from __future__ import annotations

from contextlib import nullcontext
from dataclasses import dataclass

from flask import Flask, g
from sqlalchemy import select
from wtforms import Field, SelectChoice

from ncen.reference.models import (
    CodeMixin,
    CommodityGroup,
    CompanyRole,
    ConcealmentMethod,
    ConveyanceRole,
    Country,
    Currency,
    CustomsOffice,
    DetectionMethod,
    DetectionTechnique,
    HsChapter,
    LocationType,
    PersonCompanyRole,
    PersonRole,
    QuantityUnit,
    TransportMode,
)
from web.db import get_session
from web.forms import choices

TABLES: dict[str, type[CodeMixin]] = {
    "countries": Country,
    "currencies": Currency,
    "commodity_groups": CommodityGroup,
    "detection_methods": DetectionMethod,
    "detection_techniques": DetectionTechnique,
    "concealment_methods": ConcealmentMethod,
    "transport_modes": TransportMode,
    "location_types": LocationType,
    "person_roles": PersonRole,
    "company_roles": CompanyRole,
    "conveyance_roles": ConveyanceRole,
    "person_company_roles": PersonCompanyRole,
    "quantity_units": QuantityUnit,
    "customs_offices": CustomsOffice,
    "hs_chapters": HsChapter,
}
_BY_LABEL = {"countries"}
_BY_CODE = {"currencies"}  # people know currencies by their ISO code: shown "USD – US Dollar"
_CACHE = "ncen_code_lists"
# Lists long enough to be given a search box (Tom Select) where JavaScript runs.
SEARCHABLE_LISTS = frozenset({"countries"})


@dataclass(frozen=True)
class CodeList:
    """One list: the active ``(code, label)`` pairs in display order, and every label."""

    active: list[tuple[str, str]]
    labels: dict[str, str]


def code_list(name: str) -> CodeList:
    """The code list ``name`` (a key of `TABLES`), read once per request."""
    cache: dict[str, CodeList] = g.setdefault(_CACHE, {})
    if name not in cache:
        model = TABLES[name]
        session = get_session()
        if name in _BY_LABEL:
            order: tuple[object, ...] = (model.label,)
        elif name in _BY_CODE:
            order = (model.code,)
        else:
            order = (model.sort_order, model.label)
        with nullcontext() if session.in_transaction() else session.begin():
            rows = session.execute(
                select(model.code, model.label, model.active).order_by(*order)
            ).all()
        if name in _BY_CODE:
            rows = [(code, f"{code} – {label}", active) for code, label, active in rows]
        cache[name] = CodeList(
            active=[(code, label) for code, label, active in rows if active],
            labels={code: label for code, label, _ in rows},
        )
    return cache[name]


def options(name: str, *, blank: str | None = "—") -> list[SelectChoice]:
    """Select options of the active codes of ``name``, after a blank one unless ``blank=None``."""
    pairs: list[tuple[str, object]] = [("", blank)] if blank is not None else []
    pairs.extend(code_list(name).active)
    return choices(pairs)


def offer(field: Field, name: str, *, blank: str | None = "—") -> None:
    """Give the select ``field`` the options of list ``name``.

    A value the field already holds that is no longer active (a record keeps a retired code)
    stays among the options, so that it is shown rather than silently dropped; the service
    then says why it cannot be saved again.
    """
    opts = options(name, blank=blank)
    known = {choice.value for choice in opts}
    held = field.data if isinstance(field.data, list) else [field.data]
    extra = [(v, code_label(name, v)) for v in held if isinstance(v, str) and v and v not in known]
    field.choices = opts + choices(extra)
    if name in SEARCHABLE_LISTS:  # long lists: a search box with JavaScript (static/app.js)
        field.render_kw = {**(field.render_kw or {}), "data-search": "on"}


def code_label(name: str, code: str | None) -> str:
    """The label of ``code`` in list ``name`` ("" for no code, the code itself if unknown)."""
    if not code:
        return ""
    return code_list(name).labels.get(code, code)


def init_app(app: Flask) -> None:
    """Expose `code_label` to templates."""
    app.jinja_env.globals["code_label"] = code_label
