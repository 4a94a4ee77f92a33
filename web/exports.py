"""Downloads of lists, search results, link charts and investigations as CSV, XLSX and
FollowTheMoney (`ncen.exports`).

GET links, because an export changes nothing but the audit trail (like opening the list, which
is audited too) and must keep the list's filters in its address: the same query string as the
list page, read by the list's own `list_filters`, so a download holds exactly what the list
shows (every page of it, up to `ncen.exports.service.MAX_ROWS`; beyond, a 400 page says to
narrow the filters). CSV follows the rule of `web.csvexport`: code and label columns, labels
in the user's language, the locale's decimal symbol and separator, a byte-order mark.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from flask import Blueprint, Flask, Response, abort, request
from sqlalchemy.orm import Session

from ncen.accounts.actor import Actor
from ncen.companies.queries import list_statement as company_statement
from ncen.conveyances.queries import list_statement as conveyance_statement
from ncen.exports import service
from ncen.exports.cells_format import CellStyle
from ncen.exports.columns import Column
from ncen.exports.csvfile import csv_bytes
from ncen.exports.ftm import ftm_lines
from ncen.exports.service import (
    FORMATS,
    Exported,
    export_chart,
    export_groups,
    export_investigation,
    export_list,
)
from ncen.exports.xlsxfile import xlsx_bytes
from ncen.persons.queries import list_statement as person_statement
from ncen.policy import Action
from ncen.seizures.queries import list_statement as seizure_statement
from web import companies, conveyances, persons, seizures
from web.codes import code_label
from web.csvexport import decimal_symbol
from web.db import get_session
from web.labels import enum_label
from web.pagination import link_args
from web.search import views as search_views
from web.security import current_web_user, requires

bp = Blueprint("exports", __name__, url_prefix="/exports")

MEDIA = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ftm": "application/x-ndjson",
}
EXTENSION = {"csv": "csv", "xlsx": "xlsx", "ftm": "ftm.json"}


def _label(column: Column, code: str) -> str:
    if column.code_list:
        return code_label(column.code_list, code)
    return enum_label(str(column.enum), code)


def _file(session: Session, exported: Exported, fmt: str, name: str) -> Response:
    style = CellStyle(label=_label, decimal=decimal_symbol())
    if fmt == "csv":
        body = csv_bytes(exported, style)
    elif fmt == "xlsx":
        body = xlsx_bytes(exported, style)
    else:
        body = b"".join(ftm_lines(session, exported.records))
    response = Response(body, mimetype=MEDIA[fmt])
    response.headers["Content-Disposition"] = f'attachment; filename="{name}.{EXTENSION[fmt]}"'
    response.headers["Cache-Control"] = "no-store"  # nominal data: no copy in any cache
    return response


def _seizure_filters(actor: Actor) -> Any:
    return seizures.views.list_filters(actor.user_id)[1]


LISTS: dict[str, tuple[str, Callable[[Actor], Any], Callable[[Any], Any]]] = {
    "seizures": ("seizure", _seizure_filters, seizure_statement),
    "persons": ("person", lambda _a: persons.views.list_filters()[1], person_statement),
    "companies": ("company", lambda _a: companies.views.list_filters()[1], company_statement),
    "conveyances": (
        "conveyance",
        lambda _a: conveyances.views.list_filters()[1],
        conveyance_statement,
    ),
}


@bp.get("/<any(seizures, persons, companies, conveyances):kind>.<fmt>")
@requires(Action.EXPORT_RECORDS)
def list_export(kind: str, fmt: str) -> Response:
    """The list ``kind`` with the filters of the query string, as a file. Audited."""
    if fmt not in FORMATS:
        abort(404)
    record_type, read_filters, statement = LISTS[kind]
    actor = current_web_user().actor
    filters = read_filters(actor)
    if filters is None:
        abort(400)
    db = get_session()
    with db.begin():
        exported = export_list(
            db, actor, record_type, statement(filters), fmt=fmt,
            filters=filters.describe(), limit=service.MAX_ROWS,
        )  # fmt: skip
        return _file(db, exported, fmt, kind)


def _search_export(
    fmt: str, name: str, found: Callable[[Session, Actor], dict[str, list[uuid.UUID]]]
) -> Response:
    """The records ``found`` finds for the query string, per type in its order, as a file:
    audited with the query as asked and the ids exported (`export_groups`)."""
    actor = current_web_user().actor
    db = get_session()
    with db.begin():
        exported = export_groups(
            db, actor, found(db, actor), fmt=fmt, title=name,
            source={"source": "search", "query": search_views.asked()},
        )  # fmt: skip
        return _file(db, exported, fmt, name)


def _asked_for(fmt: str, *, words: bool = True) -> None:
    """404 for an unknown format, 400 for a search without words when it needs them."""
    if fmt not in FORMATS:
        abort(404)
    if words and not request.args.get("q"):
        abort(400)


@bp.get("/search/persons.<fmt>")
@requires(Action.EXPORT_RECORDS)  # the search service requires Action.SEARCH as well
def person_search_export(fmt: str) -> Response:
    """The results of the person search of the query string, in their ranking. Audited."""
    _asked_for(fmt)
    return _search_export(
        fmt, "person-search",
        lambda db, actor: {
            "person": [h.person_id for h in search_views.run_person_search(db, actor).hits]
        },
    )  # fmt: skip


@bp.get("/search/companies.<fmt>")
@requires(Action.EXPORT_RECORDS)  # the search service requires Action.SEARCH as well
def company_search_export(fmt: str) -> Response:
    """The results of the company search of the query string, in their ranking. Audited."""
    _asked_for(fmt)
    return _search_export(
        fmt, "company-search",
        lambda db, actor: {
            "company": [h.company_id for h in search_views.run_company_search(db, actor).hits]
        },
    )  # fmt: skip


@bp.get("/search/seizures.<fmt>")
@requires(Action.EXPORT_RECORDS)  # the search service requires Action.SEARCH as well
def seizure_search_export(fmt: str) -> Response:
    """Every seizure the seizure search of the query string finds (words optional, as on its
    page), best text match first, up to `service.MAX_ROWS`. Audited."""
    _asked_for(fmt, words=False)
    return _search_export(
        fmt, "seizure-search",
        lambda db, actor: {
            "seizure": search_views.seizure_search_ids(db, actor, service.MAX_ROWS + 1)
        },
    )  # fmt: skip


@bp.get("/search.<fmt>")
@requires(Action.EXPORT_RECORDS)  # the search services require Action.SEARCH as well
def box_search_export(fmt: str) -> Response:
    """Everything the one box finds for ``q``: persons, companies, the records identifiers
    name and seizures, one table per record type. Audited."""
    _asked_for(fmt)
    return _search_export(
        fmt, "search",
        lambda db, actor: search_views.box_ids(db, actor, service.MAX_ROWS + 1),
    )  # fmt: skip


@bp.get("/charts/<uuid:chart_id>.<fmt>")
@requires(Action.EXPORT_RECORDS)
def chart_export(chart_id: uuid.UUID, fmt: str) -> Response:
    """One of the user's saved link charts, its records and links, as a file. Audited."""
    if fmt not in FORMATS:
        abort(404)
    db = get_session()
    with db.begin():
        exported = export_chart(db, current_web_user().actor, chart_id, fmt=fmt)
        return _file(db, exported, fmt, f"chart-{chart_id}")


@bp.get("/investigations/<uuid:case_id>.<fmt>")
@requires(Action.EXPORT_RECORDS)
def investigation_export(case_id: uuid.UUID, fmt: str) -> Response:
    """An investigation the user may see: the case, its records and their links. Audited."""
    if fmt not in FORMATS:
        abort(404)
    db = get_session()
    with db.begin():
        exported = export_investigation(db, current_web_user().actor, case_id, fmt=fmt)
        return _file(db, exported, fmt, f"investigation-{case_id}")


def export_args(**fixed: Any) -> dict[str, Any]:
    """The current query string without the page number (the filters an export keeps), with
    ``fixed`` arguments of the export's route on top; ``url_for``'s own keywords (``_scheme``,
    ``_anchor``...) are left out, as `web.pagination.link_args` explains."""
    args: dict[str, Any] = {k: v for k, v in link_args().items() if k != "page"}
    return {**args, **fixed}


def init_app(app: Flask) -> None:
    """Register the blueprint and give templates `export_args`."""
    app.register_blueprint(bp)
    app.jinja_env.globals["export_args"] = export_args
