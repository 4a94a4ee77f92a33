"""Saved searches: save the search on screen under a name, list, rerun and delete one's own.

Rerunning records the run (last run, results seen) and opens the search page with the saved
parameters, saying how many results are new since the previous run.
"""

from __future__ import annotations

import uuid
from urllib.parse import parse_qsl, urlencode

from flask import flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import format_decimal, ngettext
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from ncen.errors import ValidationError
from ncen.policy import Action
from ncen.search.saved import (
    delete_saved_search,
    list_saved_searches,
    run_saved_search,
    save_search,
)
from web.db import get_session
from web.fielderrors import error_message
from web.forms import Form
from web.search import bp
from web.search.forms import SaveSearchForm
from web.security import current_web_user, requires

_PAGES = {
    "persons": "search.persons",
    "companies": "search.companies",
    "seizures": "search.seizures",
}


def search_url(kind: str, params: dict[str, str]) -> str:
    """The search page of ``kind`` with ``params`` in its query string."""
    return url_for(_PAGES.get(kind, "search.index")) + ("?" + urlencode(params) if params else "")


@bp.get("/saved")
@requires(Action.SEARCH)
def saved() -> str:
    """The signed-in user's saved searches."""
    db = get_session()
    with db.begin():
        searches = list_saved_searches(db, current_web_user().actor)
        return render_template(
            "search/saved.html", searches=searches, action_form=Form(), search_url=search_url
        )


@bp.post("/saved")
@requires(Action.SEARCH)
def save() -> ResponseReturnValue:
    """Save the search the user is looking at; back to it with a message either way."""
    form = SaveSearchForm()
    kind = form.kind.data or ""
    params = dict(parse_qsl(form.params.data or "", keep_blank_values=False))
    back = search_url(kind, params)
    if not form.validate_on_submit():
        flash(_("The search could not be saved: reload the page and try again."), "danger")
        return redirect(back)
    db = get_session()
    try:
        with db.begin():
            save_search(
                db,
                current_web_user().actor,
                name=form.name.data or "",
                kind=kind,
                params=params,
                alert=bool(form.alert.data),
            )
    except ValidationError as exc:
        details = error_message(exc)
        flash(_("The search could not be saved: %(details)s", details=details), "danger")
        return redirect(back)
    flash(_("Search saved as “%(name)s”.", name=(form.name.data or "").strip()), "success")
    return redirect(url_for("search.saved"))


@bp.post("/saved/<uuid:saved_id>/run")
@requires(Action.SEARCH)
def run(saved_id: uuid.UUID) -> Response:
    """Rerun a saved search: record the run and open its results."""
    if not Form().validate_on_submit():
        flash(_("Reload the page and try again."), "danger")
        return redirect(url_for("search.saved"))
    db = get_session()
    with db.begin():
        search, new = run_saved_search(db, current_web_user().actor, saved_id)
        target = search_url(search.kind.value, search.params)
        name = search.name
    flash(
        ngettext(
            "“%(name)s”: %(count)s new result since the last run.",
            "“%(name)s”: %(count)s new results since the last run.",
            new,
            name=name,
            count=format_decimal(new),
        ),
        "info",
    )
    return redirect(target)


@bp.post("/saved/<uuid:saved_id>/delete")
@requires(Action.SEARCH)
def delete(saved_id: uuid.UUID) -> Response:
    """Delete one of the user's saved searches."""
    if not Form().validate_on_submit():
        flash(_("Reload the page and try again."), "danger")
        return redirect(url_for("search.saved"))
    db = get_session()
    with db.begin():
        delete_saved_search(db, current_web_user().actor, saved_id)
    flash(_("Saved search deleted."), "success")
    return redirect(url_for("search.saved"))
