"""Linking requests for information to investigations, from the RFI list.

The exchange officer types a case's reference next to an RFI; `exchange.services.caselinks`
checks need to know (a restricted case of another team is refused like a missing one). The
case's team then reads the RFI, question and reply, on the case's page.
"""

from __future__ import annotations

import uuid

from flask import flash, redirect, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from exchange.services.caselinks import link_rfi, unlink_rfi
from ncen.errors import ValidationError
from ncen.policy import Action
from web.db import get_session
from web.exchange import bp
from web.fielderrors import translate_message
from web.security import current_web_user, requires


@bp.post("/rfis/<uuid:rfi_id>/investigation")
@requires(Action.RUN_EXCHANGE)
def rfi_link(rfi_id: uuid.UUID) -> Response:
    """Link the RFI to the investigation whose ``reference`` was typed."""
    db = get_session()
    try:
        with db.begin():
            case = link_rfi(db, current_web_user().actor, rfi_id, request.form.get("reference"))
            reference = case.reference
    except ValidationError as exc:
        for message in exc.errors.values():
            flash(translate_message(message), "danger")
    else:
        flash(_("Linked to investigation %(reference)s.", reference=reference), "success")
    return redirect(url_for("exchange.rfis", _anchor=f"rfi-{rfi_id}"))


@bp.post("/rfis/<uuid:rfi_id>/investigation/<uuid:case_id>/remove")
@requires(Action.RUN_EXCHANGE)
def rfi_unlink(rfi_id: uuid.UUID, case_id: uuid.UUID) -> Response:
    """Undo the link between the RFI and the investigation."""
    db = get_session()
    with db.begin():
        unlink_rfi(db, current_web_user().actor, rfi_id, case_id)
    flash(_("Link to the investigation removed."), "success")
    return redirect(url_for("exchange.rfis", _anchor=f"rfi-{rfi_id}"))
