"""Reference code lists as select options and labels, kept in memory per server process.

Select boxes offer only the *active* codes of a list (a retired code cannot be chosen again);
labels are looked up among all codes, so a record that still holds a retired code shows its
label. Countries are sorted by label, other lists by their ``sort_order``. Templates call
``code_label('countries', 'KZ')``.

**Languages.** Every label is in the language of the request (`flask_babel.get_locale`):
country and currency names from CLDR, every other list from its translations in
``reference_labels``, English where a code has none (`ncen.reference.labels`). Countries are
sorted by their name *in that language* (`ncen.reference.labels.sort_key`), so the Russian
picker runs from Австралия to Япония, and its search box (Tom Select, on the option texts)
finds Türkiye when a Russian reader types «Тур». Every page, chart, export and message that
shows a code goes through `code_label`, so there is one place that names codes.

**Caching and its promise.** Reading the fourteen lists was a query each on every page (about a
sixth of a seizure page's time). Each application now keeps the lists it has read in memory,
under the *reference stamp* they were read with (`ncen.reference.models.ReferenceStamp`: a
random value that a trigger replaces in the same transaction as any change to any reference
table, whoever makes it: an administrator in another server process, a migration, psql). The
first code list a request needs costs one one-row query for the stamp; if it differs from the
cached one, the cache is dropped and lists are read again. So a change is visible at the next
request of *every* process, never later. The stamp is read before the lists: lists read after a
stamp can only be newer than it (then the next stamp change reloads them), never older.
"""

from __future__ import annotations

import threading
import uuid
from contextlib import nullcontext
from dataclasses import dataclass, field

from flask import Flask, current_app
from flask_babel import get_locale
from sqlalchemy import select
from sqlalchemy.orm import InstrumentedAttribute
from wtforms import Field, SelectChoice

from ncen.reference.labels import sort_key, translated
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
    reference_stamp,
)
from web.db import get_session
from web.forms import choices, quicken
from web.requestmemo import request_memo

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
_REQUEST_LISTS = "ncen_code_lists"  # request memo: the lists this request uses
_APP_CACHE = "ncen.code_lists"  # app.extensions: the process's `_Cache`
# Lists long enough to be given a search box (Tom Select) where JavaScript runs.
SEARCHABLE_LISTS = frozenset({"countries"})


@dataclass(frozen=True)
class CodeList:
    """One list: the active ``(code, label)`` pairs in display order, and every label; the
    active pairs also as select options and as a set of codes (made once, shared: read only)."""

    active: list[tuple[str, str]]
    labels: dict[str, str]
    options: list[SelectChoice] = field(default_factory=list)
    active_codes: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        object.__setattr__(self, "options", choices(self.active))
        object.__setattr__(self, "active_codes", frozenset(code for code, _ in self.active))


@dataclass
class _Cache:
    """The lists one application (one server process) has read, under one reference stamp."""

    stamp: uuid.UUID | None = None
    lists: dict[tuple[str, str], CodeList] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)


def _read(name: str, locale: str) -> CodeList:
    model = TABLES[name]
    session = get_session()
    if name in _BY_LABEL or name in _BY_CODE:
        order: tuple[InstrumentedAttribute[str] | InstrumentedAttribute[int], ...] = (model.code,)
    else:
        order = (model.sort_order, model.label)
    with nullcontext() if session.in_transaction() else session.begin():
        rows = session.execute(select(model.code, model.label, model.active).order_by(*order)).all()
        labels = translated(session, name, {code: label for code, label, _ in rows}, locale)
    active = [(code, labels[code]) for code, _, is_active in rows if is_active]
    if name in _BY_LABEL:
        active.sort(key=lambda pair: sort_key(pair[1]))
    if name in _BY_CODE:
        labels = {code: f"{code} – {label}" for code, label in labels.items()}
        active = [(code, labels[code]) for code, _ in active]
    return CodeList(active=active, labels=labels)


_STAMP = "ncen_reference_stamp"  # request memo: the stamp read with the user


def remember_stamp(stamp: uuid.UUID | None) -> None:
    """Keep ``stamp``, the reference stamp just read from the database (with the signed-in
    account, in the same statement: `web.security.load_user`), as this request's: the first
    code list the request asks for then costs no query of its own. Read before any list, so a
    list filed under it is at least as new as it (see `_request_lists`)."""
    request_memo()[_STAMP] = stamp


def _request_lists() -> dict[tuple[str, str], CodeList]:
    """The dict of lists this request reads from: the process cache when its stamp is the
    database's, else (first request after a change) a fresh one that becomes the cache.

    Costs one query per request (the stamp), on first use, unless the stamp came with the
    signed-in account (`remember_stamp`).
    """
    memo = request_memo()
    lists: dict[tuple[str, str], CodeList] | None = memo.get(_REQUEST_LISTS)  # type: ignore[assignment]
    if lists is not None:
        return lists
    stamp: uuid.UUID | None
    if _STAMP in memo:  # read with the signed-in account (`remember_stamp`)
        stamp = memo[_STAMP]  # type: ignore[assignment]
    else:
        session = get_session()
        with nullcontext() if session.in_transaction() else session.begin():
            stamp = reference_stamp(session)
    cache: _Cache = current_app.extensions[_APP_CACHE]
    with cache.lock:
        if stamp is not None and cache.stamp == stamp:
            lists = cache.lists
        else:
            lists = {}
            if stamp is not None:
                # A thread that read an older stamp may replace a newer cache: that costs a
                # reload, never a wrong list, since a list is always read after the stamp it
                # is filed under (so it is at least as new as that stamp).
                cache.stamp, cache.lists = stamp, lists
    memo.setdefault(_REQUEST_LISTS, lists)
    return lists


_REQUEST_LOCALE = "ncen_code_locale"  # request memo: the language code


def request_locale() -> str:
    """The language of the current request, as a plain code ("en", "fr", "ru").

    Kept in the request memo (`web.requestmemo`; Flask-Babel keeps the locale on `flask.g`): a
    list page names hundreds of codes, and Flask-Babel's look-up costs several context reads.
    """
    memo = request_memo()
    found: str | None = memo.get(_REQUEST_LOCALE)  # type: ignore[assignment]
    if found is None:
        found = memo[_REQUEST_LOCALE] = str(get_locale() or "en")
    return found


def code_list(name: str, locale: str | None = None) -> CodeList:
    """The code list ``name`` (a key of `TABLES`) in ``locale`` (default: the request's), as of
    the reference stamp of this request.

    Read from the database only when this process has not read it in that language since the
    reference data last changed (see the module docstring); shared, so callers must not modify
    it.
    """
    lists = _request_lists()
    key = (name, locale or request_locale())
    found = lists.get(key)
    if found is None:
        found = lists[key] = _read(*key)  # a dict item store is atomic under the GIL
    return found


def options(name: str, *, blank: str | None = "—") -> list[SelectChoice]:
    """Select options of the active codes of ``name``, after a blank one unless ``blank=None``."""
    blank_option = [SelectChoice("", blank)] if blank is not None else []
    return blank_option + code_list(name).options


def offer(field: Field, name: str, *, blank: str | None = "—") -> None:
    """Give the select ``field`` the options of list ``name``.

    A value the field already holds that is no longer active (a record keeps a retired code)
    stays among the options, so that it is shown rather than silently dropped; the service
    then says why it cannot be saved again.
    """
    opts = options(name, blank=blank)
    known = code_list(name).active_codes
    held = field.data if isinstance(field.data, list) else [field.data]
    extra = [(v, code_label(name, v)) for v in held if isinstance(v, str) and v and v not in known]
    field.choices = opts + choices(extra)
    quicken(field)  # the same HTML, written faster: these lists are long
    if name in SEARCHABLE_LISTS:  # long lists: a search box with JavaScript (static/app.js)
        field.render_kw = {**(field.render_kw or {}), "data-search": "on"}


def code_label(name: str, code: str | None, locale: str | None = None) -> str:
    """The label of ``code`` in list ``name``, in ``locale`` (default: the request's language).

    "" for no code; the code itself if the list does not hold it. The one function every page,
    chart and export uses to name a code (see the module docstring).
    """
    if not code:
        return ""
    return code_list(name, locale).labels.get(code, code)


def init_app(app: Flask) -> None:
    """Give ``app`` its code-list cache and expose `code_label` to templates."""
    app.extensions[_APP_CACHE] = _Cache()
    app.jinja_env.globals["code_label"] = code_label
