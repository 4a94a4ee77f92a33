"""Foreign (received) risk profiles for analysts: the list, one profile read-only with its
origin, and "Adopt" (a local draft copy with its provenance); plus the sharing panel of a
national profile's page (where it was sent, the feedback peers returned, where it came from).

The domain is `exchange.services.profiles` and `exchange.services.profile_feedback`.
"""

from __future__ import annotations

import uuid
from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from exchange.services.profile_feedback import peer_feedback, shares_of
from exchange.services.profiles import (
    adopt_profile,
    get_foreign_profile,
    list_foreign_profiles,
    provenance_of,
)
from ncen.audit import record_event
from ncen.errors import ValidationError
from ncen.policy import Action
from web.db import get_session
from web.security import current_web_user, requires
from web.targeting import bp


def sharing_context(db: Session, profile_id: uuid.UUID) -> dict[str, Any]:
    """A national profile's sharing panel: shares, peers' feedback, provenance."""
    return {
        "shares": shares_of(db, profile_id),
        "feedback": peer_feedback(db, profile_id),
        "provenance": provenance_of(db, profile_id),
    }


@bp.get("/foreign")
@requires(Action.MANAGE_PROFILES)
def foreign() -> str:
    """Profiles received from peers, newest first."""
    actor = current_web_user().actor
    db = get_session()
    with db.begin():
        rows = list_foreign_profiles(db, actor)
        record_event(db, actor, "targeting.foreign_profile.list", details={"count": len(rows)})
        return render_template("targeting/foreign.html", rows=rows)


def _render_foreign(
    foreign_id: uuid.UUID, errors: dict[str, str] | None = None
) -> ResponseReturnValue:
    actor = current_web_user().actor
    db = get_session()
    with db.begin():
        row = get_foreign_profile(db, actor, foreign_id)
        html = render_template(
            "targeting/foreign_show.html", row=row, errors=errors or {}, form=request.form
        )
    return html, 400 if errors else 200


@bp.get("/foreign/<uuid:foreign_id>")
@requires(Action.MANAGE_PROFILES)
def foreign_show(foreign_id: uuid.UUID) -> ResponseReturnValue:
    """One received profile, read-only, with its origin and handling code."""
    return _render_foreign(foreign_id)


@bp.post("/foreign/<uuid:foreign_id>/adopt")
@requires(Action.MANAGE_PROFILES)
def foreign_adopt(foreign_id: uuid.UUID) -> ResponseReturnValue:
    """Adopt: a local draft copy that the analyst owns, back-tests and activates."""
    db = get_session()
    try:
        with db.begin():
            profile = adopt_profile(
                db, current_web_user().actor, foreign_id, name=request.form.get("name")
            )
            profile_id = profile.id
    except ValidationError as exc:
        return _render_foreign(foreign_id, {k: str(v) for k, v in exc.errors.items()})
    flash(_("Profile adopted as a local draft."), "success")
    return redirect(url_for("targeting.show", profile_id=profile_id))
