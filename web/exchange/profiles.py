"""Exchange officer pages for shared risk profiles: send a national profile to peers under a
handling code (like a CENcomm warning), and return feedback on an adopted foreign profile to
its originator (like a CENcomm feedback). The policy lives in `exchange.services.profiles`."""

from __future__ import annotations

import uuid

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from exchange.errors import ExchangeError
from exchange.services.profile_feedback import send_feedback
from exchange.services.profiles import list_foreign_profiles, send_profile, sendable_profiles
from exchange.services.trust import list_peers
from ncen.errors import NcenError
from ncen.policy import Action
from web.db import get_session
from web.exchange import bp
from web.exchange.context import node_context, now
from web.fielderrors import error_message
from web.security import current_web_user, requires

HANDLING_CODES = ("H0", "H1", "H2", "H3")


@bp.route("/profiles", methods=["GET", "POST"])
@requires(Action.RUN_EXCHANGE)
def profiles() -> ResponseReturnValue:
    """Send a profile to peers; list the profiles received, with their feedback action."""
    actor = current_web_user().actor
    db = get_session()
    fields = ("profile_id", "handling_code", "legal_basis", "purpose", "h3_confirmed")
    form = {k: request.form.get(k, "") for k in fields}
    peers_chosen = request.form.getlist("peers")
    errors: dict[str, str] = {}
    if request.method == "POST":
        for name in ("profile_id", "legal_basis", "purpose"):
            if not form[name].strip():
                errors[name] = _("This field is required.")
        if not peers_chosen:
            errors["peers"] = _("Choose at least one peer.")
        if form["handling_code"] not in HANDLING_CODES:
            errors["handling_code"] = _("Choose a handling code.")
        try:
            profile_id = uuid.UUID(form["profile_id"]) if form["profile_id"] else None
        except ValueError:
            errors["profile_id"] = _("Choose a profile.")
        if not errors and profile_id is not None:
            try:
                with db.begin():
                    send_profile(
                        db,
                        actor,
                        node_context(),
                        profile_id=profile_id,
                        recipients=peers_chosen,
                        handling_code=form["handling_code"],
                        legal_basis=form["legal_basis"],
                        purpose=form["purpose"],
                        now=now(),
                        h3_confirmed=bool(form["h3_confirmed"]),
                    )
                flash(_("Profile queued for the peers."), "success")
                return redirect(url_for("exchange.profiles"))
            except (ExchangeError, NcenError) as error:
                errors["peers"] = error_message(error)
    with db.begin():
        html = render_template(
            "exchange/profiles.html",
            profiles=sendable_profiles(db, actor),
            received=list_foreign_profiles(db, actor),
            peers=list_peers(db),
            codes=HANDLING_CODES,
            form=form,
            peers_chosen=peers_chosen,
            errors=errors,
        )
    return html, 400 if errors else 200


@bp.post("/profiles/<uuid:foreign_id>/feedback")
@requires(Action.RUN_EXCHANGE)
def profile_feedback(foreign_id: uuid.UUID) -> ResponseReturnValue:
    """Return the hit counts of the local copy of a received profile to its originator."""
    legal_basis = request.form.get("legal_basis", "").strip()
    if not legal_basis:
        flash(_("State the legal basis first."), "danger")
        return redirect(url_for("exchange.profiles"))
    db = get_session()
    try:
        with db.begin():
            send_feedback(
                db,
                current_web_user().actor,
                node_context(),
                foreign_id=foreign_id,
                legal_basis=legal_basis,
                now=now(),
            )
        flash(_("Feedback queued for the originator."), "success")
    except (ExchangeError, NcenError) as error:
        flash(error_message(error), "danger")
    return redirect(url_for("exchange.profiles"))
