"""Exchange officer pages for messages: RFIs, hit checks, retractions, the CEN export, and the
analysts' links between foreign and national records.

The CEN export page shows exactly what leaves (the first rows of the very data written to the
files, and what was suppressed); the downloads are POSTs, audited as ``exchange.cen_export``.
"""

from __future__ import annotations

import uuid
from datetime import date

from flask import Response, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from sqlalchemy import select

from exchange.errors import ExchangeError
from exchange.netmodels import Direction, ForeignLink, HitCheck, RequestState
from exchange.records.links import link_foreign
from exchange.services.cen_export import CSV_COLUMNS, build_cen_export, csv_rows, to_csv, to_json
from exchange.services.hitcheck import KINDS, ask_hit_check
from exchange.services.retractions import queue_retraction
from exchange.services.rfi import reply_rfi, rfis_statement, send_rfi
from exchange.services.trust import list_peers
from ncen.audit import record_event
from ncen.errors import NcenError
from ncen.policy import Action
from web.db import get_session
from web.exchange import bp
from web.exchange.context import exchange_config, node_context, now, settings
from web.fielderrors import error_message
from web.security import current_web_user, requires


@bp.route("/rfis", methods=["GET", "POST"])
@requires(Action.RUN_EXCHANGE)
def rfis() -> ResponseReturnValue:
    """Requests for information sent and received; send a new one."""
    db = get_session()
    form = {
        k: request.form.get(k, request.args.get(k, ""))
        for k in ("peer", "subject", "question", "legal_basis")
    }
    errors: dict[str, str] = {}
    if request.method == "POST":
        for name in ("peer", "subject", "question", "legal_basis"):
            if not form[name].strip():
                errors[name] = _("This field is required.")
        if not errors:
            try:
                with db.begin():
                    send_rfi(
                        db,
                        current_web_user().actor,
                        node_context(),
                        peer_node_id=form["peer"],
                        subject=form["subject"],
                        question=form["question"],
                        legal_basis=form["legal_basis"],
                        now=now(),
                    )
                flash(_("Request for information queued."), "success")
                return redirect(url_for("exchange.rfis"))
            except (ExchangeError, NcenError) as error:
                errors["peer"] = str(error)
    raw_state = request.args.get("state", "")
    state = RequestState(raw_state) if raw_state in set(RequestState) else None
    with db.begin():
        requests = db.execute(rfis_statement(state).limit(100)).scalars().all()
        peers = list_peers(db)
        html = render_template(
            "exchange/rfis.html",
            requests=requests,
            peers=peers,
            form=form,
            errors=errors,
            state=state,
        )
    return html, 400 if errors else 200


@bp.post("/rfis/<uuid:rfi_id>/reply")
@requires(Action.RUN_EXCHANGE)
def rfi_reply(rfi_id: uuid.UUID) -> ResponseReturnValue:
    """Answer a received request for information."""
    text = request.form.get("reply", "").strip()
    if not text:
        flash(_("Write the reply first."), "danger")
        return redirect(url_for("exchange.rfis"))
    db = get_session()
    try:
        with db.begin():
            reply_rfi(
                db, current_web_user().actor, node_context(), rfi_id=rfi_id, reply=text, now=now()
            )
        flash(_("Reply queued."), "success")
    except (ExchangeError, NcenError) as error:
        flash(error_message(error), "danger")
    return redirect(url_for("exchange.rfis"))


@bp.route("/hit-checks", methods=["GET", "POST"])
@requires(Action.RUN_EXCHANGE)
def hit_checks() -> ResponseReturnValue:
    """Ask a peer whether it holds an identifier (keyed hash only); list checks both ways."""
    db = get_session()
    form = {k: request.form.get(k, "") for k in ("peer", "kind", "value", "country", "legal_basis")}
    errors: dict[str, str] = {}
    if request.method == "POST":
        for name in ("peer", "kind", "value", "legal_basis"):
            if not form[name].strip():
                errors[name] = _("This field is required.")
        if not errors:
            try:
                with db.begin():
                    ask_hit_check(
                        db,
                        current_web_user().actor,
                        node_context(),
                        peer_node_id=form["peer"],
                        kind=form["kind"],
                        value=form["value"],
                        country=form["country"] or None,
                        legal_basis=form["legal_basis"],
                        now=now(),
                    )
                flash(_("Hit check queued; the answer appears here."), "success")
                return redirect(url_for("exchange.hit_checks"))
            except (ExchangeError, NcenError) as error:
                errors["value"] = str(error)
    form["value"] = ""  # the identifier is never echoed back
    with db.begin():
        checks = (
            db.execute(select(HitCheck).order_by(HitCheck.asked_at.desc()).limit(100))
            .scalars()
            .all()
        )
        peers = list_peers(db)
        html = render_template(
            "exchange/hit_checks.html",
            checks=checks,
            peers=peers,
            kinds=KINDS,
            form=form,
            errors=errors,
            sent=Direction.SENT,
        )
    return html, 400 if errors else 200


@bp.post("/retract")
@requires(Action.RUN_EXCHANGE)
def retract() -> ResponseReturnValue:
    """Send a signed retraction of national seizures to every peer that received them."""
    references = [r.strip() for r in request.form.get("references", "").split(",") if r.strip()]
    reason = request.form.get("reason", "").strip()
    legal_basis = request.form.get("legal_basis", "").strip()
    if not references or not reason or not legal_basis:
        flash(_("Give the seizure references, the reason and the legal basis."), "danger")
        return redirect(url_for("exchange.updates"))
    db = get_session()
    try:
        with db.begin():
            queued = queue_retraction(
                db,
                current_web_user().actor,
                node_context(),
                references=references,
                reason=reason,
                legal_basis=legal_basis,
                now=now(),
            )
        flash(_("Retraction queued."), "success")
        return redirect(url_for("exchange.bundle", bundle_id=queued.bundle_id))
    except (ExchangeError, NcenError) as error:
        flash(error_message(error), "danger")
        return redirect(url_for("exchange.updates"))


def _dates() -> tuple[date | None, date | None, dict[str, str]]:
    source = request.form if request.method == "POST" else request.args
    values = {"since": source.get("since", ""), "until": source.get("until", "")}
    parsed: list[date | None] = []
    for name in ("since", "until"):
        try:
            parsed.append(date.fromisoformat(values[name]) if values[name] else None)
        except ValueError:
            parsed.append(None)
            values[name] = ""
    return parsed[0], parsed[1], values


@bp.get("/cen-export")
@requires(Action.RUN_EXCHANGE)
def cen_export() -> str:
    """Preview exactly what the CEN export contains."""
    since, until, values = _dates()
    config = exchange_config()
    db = get_session()
    with db.begin():
        export = build_cen_export(
            db,
            reporting_country=settings().node_country,
            since=since,
            until=until,
            min_count=config.cen_min_count,
            now=now(),
        )
    return render_template(
        "exchange/cen_export.html",
        export=export,
        columns=CSV_COLUMNS,
        rows=csv_rows(export)[:50],
        values=values,
        min_count=config.cen_min_count,
    )


@bp.post("/cen-export/download")
@requires(Action.RUN_EXCHANGE)
def cen_download() -> Response:
    """Produce the CEN export file (CSV or JSON); audited."""
    since, until, _values = _dates()
    fmt = "json" if request.form.get("format") == "json" else "csv"
    country = settings().node_country
    db = get_session()
    with db.begin():
        export = build_cen_export(
            db,
            reporting_country=country,
            since=since,
            until=until,
            min_count=exchange_config().cen_min_count,
            now=now(),
        )
        record_event(
            db,
            current_web_user().actor,
            "exchange.cen_export",
            details={
                "format": fmt,
                "seizures": len(export.seizures),
                "since": str(since) if since else None,
                "until": str(until) if until else None,
                "suppressed": dict(export.suppressed),
            },
        )
    body = to_json(export) if fmt == "json" else to_csv(export)
    name = f"cen-export-{country}-{export.created:%Y%m%d}.{fmt}"
    return Response(
        body,
        mimetype="application/json" if fmt == "json" else "text/csv",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@bp.route("/links", methods=["GET", "POST"])
@requires(Action.LINK_FOREIGN_RECORDS)
def links() -> ResponseReturnValue:
    """Link a received record to a national record of the same type (analysts)."""
    db = get_session()
    form = {
        k: request.form.get(k, request.args.get(k, ""))
        for k in ("record_type", "foreign_id", "national_id", "note")
    }
    errors: dict[str, str] = {}
    if request.method == "POST":
        try:
            foreign_id = uuid.UUID(form["foreign_id"].strip())
            national_id = uuid.UUID(form["national_id"].strip())
        except ValueError:
            errors["foreign_id"] = _("Give the ids of both records.")
        else:
            try:
                with db.begin():
                    link_foreign(
                        db,
                        current_web_user().actor,
                        record_type=form["record_type"],
                        foreign_id=foreign_id,
                        national_id=national_id,
                        note=form["note"],
                    )
                flash(_("Records linked."), "success")
                return redirect(url_for("exchange.links"))
            except (ExchangeError, NcenError) as error:
                errors["foreign_id"] = str(error)
    with db.begin():
        rows = (
            db.execute(select(ForeignLink).order_by(ForeignLink.created_at.desc()).limit(100))
            .scalars()
            .all()
        )
        html = render_template("exchange/links.html", links=rows, form=form, errors=errors)
    return html, 400 if errors else 200
