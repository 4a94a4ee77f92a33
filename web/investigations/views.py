"""Investigation pages: the list, a case's page, opening a case, editing it, and adding a
record to a case from the record's page.

Every page reads through `ncen.investigations.queries`, which audits the read and hides
restricted cases of other teams (404). Forms post to the same URL (new, edit, add) or to the
case's action routes (`web.investigations.actions`); a refused form is shown again with the
messages next to the fields and the input kept.
"""

from __future__ import annotations

import uuid
from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from exchange.services.caselinks import case_rfis
from ncen.analysis import charts
from ncen.db import utcnow
from ncen.errors import ValidationError
from ncen.investigations import items, queries, services
from ncen.investigations.access import load_case, require_manage
from ncen.investigations.models import CaseStatus, NoteKind
from ncen.policy import Action, is_allowed
from web.db import get_session
from web.investigations import bp
from web.investigations.forms import field_errors, item_keys
from web.pagination import Page, page_number
from web.security import current_web_user, requires

PER_PAGE = 50


@bp.get("")
@requires(Action.READ_INVESTIGATIONS)
def index() -> str:
    """The cases the user may see, filtered by status, "mine" and text; paginated."""
    filters = queries.CaseFilters.parse(
        request.args.get("status"), request.args.get("mine"), request.args.get("q")
    )
    number = page_number()
    db = get_session()
    with db.begin():
        rows, total = queries.list_cases(
            db, current_web_user().actor, filters, offset=(number - 1) * PER_PAGE, limit=PER_PAGE
        )
        return render_template(
            "investigations/list.html",
            page=Page(rows, number, PER_PAGE, total),
            filters=filters,
            statuses=list(CaseStatus),
        )


@bp.get("/<uuid:case_id>")
@requires(Action.READ_INVESTIGATIONS)
def show(case_id: uuid.UUID) -> str:
    """A case's page: what the reader may see of it (404 for a restricted case of another
    team)."""
    db = get_session()
    with db.begin():
        actor = current_web_user().actor
        file = queries.read_case(db, actor, case_id)
        # The case's communications with peers: the RFIs the exchange officer linked to it.
        rfis = case_rfis(db, actor, file.case) if file.team_side else []
        return render_template(
            "investigations/show.html",
            file=file,
            rfis=rfis,
            case=file.case,
            officers=services.officers(db) if file.manage else [],
            note_kinds=list(NoteKind),
            today=utcnow().date(),
        )


def _new_sources() -> tuple[list[tuple[Any, uuid.UUID]], str, str | None]:
    """The records a new case starts with (``item`` values, or the nodes of the user's saved
    ``chart``), and where they came from."""
    keys: list[Any] = list(item_keys())
    chart_id = request.values.get("chart", "").strip()
    source = request.values.get("source", "")
    if chart_id:
        db = get_session()
        with db.begin():
            nodes = charts.chart_keys(db, current_web_user().actor, chart_id)
        keys += [key for key in ((node.kind, node.id) for node in nodes) if key not in keys]
        return keys, "chart", chart_id
    return keys, source if source in services.SOURCES else "manual", None


@bp.route("/new", methods=["GET", "POST"])
@requires(Action.OPEN_INVESTIGATION)
def new() -> ResponseReturnValue:
    """Open a case; ``item=kind:id`` (repeatable) or ``chart=<id>`` carry records over."""
    actor = current_web_user().actor
    raw_keys, source, source_ref = _new_sources()
    errors: dict[str, str] = {}
    db = get_session()
    if request.method == "POST":
        try:
            with db.begin():
                case = services.open_case(
                    db,
                    actor,
                    title=request.form.get("title"),
                    summary=request.form.get("summary"),
                    restricted=request.form.get("restricted"),
                    lead_id=request.form.get("lead_id"),
                    members=request.form.getlist("members"),
                    items=[(str(kind), record_id) for kind, record_id in raw_keys],
                    item_note=request.form.get("item_note"),
                    source=source,
                    source_ref=source_ref or request.form.get("source_ref"),
                )
        except ValidationError as exc:
            errors = field_errors(exc)
        else:
            flash(_("Investigation %(reference)s opened.", reference=case.reference), "success")
            return redirect(url_for("investigations.show", case_id=case.id))
    with db.begin():
        keys = items.check_items(db, [(str(k), i) for k, i in raw_keys], actor) if raw_keys else []
        previews = items.preview_items(db, actor, keys, view="new case") if keys else []
        html = render_template(
            "investigations/new.html",
            previews=previews,
            officers=services.officers(db),
            form=request.form,
            errors=errors,
            source=source,
            source_ref=source_ref or "",
            me=actor.user_id,
        )
    return html, 400 if errors else 200


@bp.route("/<uuid:case_id>/edit", methods=["GET", "POST"])
@requires(Action.MANAGE_INVESTIGATION)
def edit(case_id: uuid.UUID) -> ResponseReturnValue:
    """Change a case's title, summary, restriction and lead (lead or supervisor)."""
    actor = current_web_user().actor
    db = get_session()
    errors: dict[str, str] = {}
    if request.method == "POST":
        try:
            with db.begin():
                services.update_case(
                    db,
                    actor,
                    case_id,
                    version=request.form.get("version"),
                    title=request.form.get("title"),
                    summary=request.form.get("summary"),
                    # An unticked box sends nothing: "" (not None, "unchanged") lifts it.
                    restricted=request.form.get("restricted", ""),
                    lead_id=request.form.get("lead_id"),
                )
        except ValidationError as exc:
            errors = field_errors(exc)
        else:
            flash(_("Investigation saved."), "success")
            return redirect(url_for("investigations.show", case_id=case_id))
    with db.begin():
        case = load_case(db, actor, case_id)
        require_manage(case, actor)
        html = render_template(
            "investigations/edit.html",
            case=case,
            officers=services.officers(db),
            form=request.form if request.method == "POST" else None,
            errors=errors,
        )
    return html, 400 if errors else 200


@bp.route("/add", methods=["GET", "POST"])
@requires(Action.WORK_ON_INVESTIGATION)
def add() -> ResponseReturnValue:
    """Add the records named by ``item=kind:id`` to one of the user's open cases."""
    actor = current_web_user().actor
    keys = item_keys()
    db = get_session()
    errors: dict[str, str] = {}
    if request.method == "POST":
        case_id = request.form.get("case_id", "")
        try:
            with db.begin():
                items.add_items(
                    db,
                    actor,
                    case_id,
                    [(str(kind), record_id) for kind, record_id in keys],
                    note=request.form.get("note"),
                )
        except ValidationError as exc:
            errors = field_errors(exc)
        else:
            flash(_("Added to the investigation."), "success")
            return redirect(url_for("investigations.show", case_id=case_id))
    with db.begin():
        checked = items.check_items(db, [(str(k), i) for k, i in keys], actor) if keys else []
        previews = items.preview_items(db, actor, checked, view="add to case") if keys else []
        html = render_template(
            "investigations/add.html",
            previews=previews,
            cases=queries.workable_cases(db, actor),
            may_open=is_allowed(actor, Action.OPEN_INVESTIGATION),
            form=request.form,
            errors=errors,
        )
    return html, 400 if errors else 200
