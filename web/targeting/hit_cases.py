"""From a hit to a case file: "Open investigation" and "Add to investigation" on a hit's page.

Both carry the hit and its records over (`ncen.investigations.fromhits`): the hit, the seizure,
its persons, companies and conveyances. Opening names the lead and the assigned investigators,
who then find the case on their home page. A refused form shows the hit again with the errors.
"""

from __future__ import annotations

import uuid
from typing import Any

from flask import flash, redirect, url_for
from flask import request as flask_request
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy.orm import Session

from ncen.accounts.actor import Actor
from ncen.errors import ValidationError
from ncen.investigations import queries, services
from ncen.investigations.fromhits import add_hit_to_case, open_case_from_hit
from ncen.policy import Action, is_allowed
from web.db import get_session
from web.security import current_web_user, requires
from web.targeting import bp


def case_context(db: Session, actor: Actor) -> dict[str, Any]:
    """What the hit page needs for its two case forms (empty for those who may not use them)."""
    return {
        "officers": services.officers(db) if is_allowed(actor, Action.OPEN_INVESTIGATION) else [],
        "cases": (
            queries.workable_cases(db, actor)
            if is_allowed(actor, Action.WORK_ON_INVESTIGATION)
            else []
        ),
        "may_open_case": is_allowed(actor, Action.OPEN_INVESTIGATION),
    }


@bp.post("/hits/<uuid:hit_id>/investigation")
@requires(Action.OPEN_INVESTIGATION)
def open_investigation(hit_id: uuid.UUID) -> ResponseReturnValue:
    """Open a case from the hit (title, summary, restricted, lead, assigned investigators)."""
    from web.targeting.hits_views import render_hit

    form = flask_request.form
    db = get_session()
    try:
        with db.begin():
            case = open_case_from_hit(
                db,
                current_web_user().actor,
                hit_id,
                title=form.get("title"),
                summary=form.get("summary"),
                restricted=form.get("restricted"),
                lead_id=form.get("lead_id"),
                members=form.getlist("members"),
            )
    except ValidationError as exc:
        return render_hit(hit_id, {f"case_{k}": str(v) for k, v in exc.errors.items()})
    flash(_("Investigation %(reference)s opened.", reference=case.reference), "success")
    return redirect(url_for("investigations.show", case_id=case.id))


@bp.post("/hits/<uuid:hit_id>/add-to-investigation")
@requires(Action.WORK_ON_INVESTIGATION)
def add_to_investigation(hit_id: uuid.UUID) -> ResponseReturnValue:
    """Add the hit and its records to one of the cases the user works on."""
    from web.targeting.hits_views import render_hit

    case_id = flask_request.form.get("case_id", "")
    db = get_session()
    try:
        with db.begin():
            added = add_hit_to_case(db, current_web_user().actor, hit_id, case_id)
    except ValidationError as exc:
        return render_hit(hit_id, {f"case_{k}": str(v) for k, v in exc.errors.items()})
    flash(
        ngettext(
            "%(num)d record added to the investigation.",
            "%(num)d records added to the investigation.",
            len(added),
        ),
        "success",
    )
    return redirect(url_for("investigations.show", case_id=uuid.UUID(case_id)))
