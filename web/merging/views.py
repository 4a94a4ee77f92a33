"""Duplicate pages: candidate pairs, compare-and-merge, unmerge, the decisions ledger.

The views read the form, call `ncen.merging.services` and redirect; every write, check and
audit event happens in the domain. Candidate and compare pages are audited as reads.
"""

from __future__ import annotations

import uuid
from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from ncen.errors import ValidationError
from ncen.merging import candidates, queue, services
from ncen.merging.models import Decision
from ncen.policy import Action, is_allowed
from ncen.reading import note_read
from ncen.recordkeeping import get_live
from web.db import get_session
from web.merging import bp
from web.pagination import Page, page_number, paginate_list
from web.security import current_web_user, requires

PER_PAGE = 25


def _record_type(raw: str | None) -> str:
    return raw if raw in candidates.RECORD_TYPES else "person"


def _uuid(name: str) -> uuid.UUID:
    try:
        return uuid.UUID(request.form.get(name, ""))
    except ValueError:
        raise ValidationError({name: "choose a record"}) from None


def _int(name: str) -> int:
    raw = request.form.get(name, "")
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 9:
        raise ValidationError({name: "the record version is missing; reload the page"})
    return int(raw)


def _score() -> float | None:
    try:
        return float(request.form.get("score", ""))
    except ValueError:
        return None


def _evidence() -> dict[str, Any]:
    return {"note": request.form.get("note", "").strip(), "source": "compare page"}


@bp.get("")
@requires(Action.SEARCH)
def index() -> str:
    """The node's duplicate candidates, best first, from the stored queue.

    Until ``ncen duplicates scan`` has run for the type, the page falls back to the candidates
    of one window of the most recently changed records per page. Audited as a read listing the
    ids of the records shown.
    """
    record_type = _record_type(request.args.get("type"))
    db = get_session()
    with db.begin():
        number = page_number()
        offset = (number - 1) * PER_PAGE
        mark = queue.last_scan(db, record_type)
        found: list[Any]
        if mark is not None:
            found, total = queue.queued_pairs(db, record_type, offset=offset, limit=PER_PAGE)
        else:
            # Each page examines one window of records, so a page costs the same at any size.
            found = candidates.duplicate_candidates(db, record_type, offset=offset, window=PER_PAGE)
            total = candidates.count_records(db, record_type)
        shown = sorted({str(i) for c in found for i in (c.record_id, c.other_id)})
        note_read(
            db,
            current_web_user().actor,
            record_type,
            details={"duplicates": True, "page": number, "shown": shown},
        )
        return render_template(
            "merging/index.html",
            record_type=record_type,
            page=Page(found, number, PER_PAGE, total),
            mark=mark,
            waiting=queue.waiting(db, record_type, mark) if mark is not None else None,
        )


@bp.get("/compare/<any(person, company):record_type>/<uuid:first>/<uuid:second>")
@requires(Action.SEARCH)
def compare(record_type: str, first: uuid.UUID, second: uuid.UUID) -> ResponseReturnValue:
    """Both records side by side, with the score and explanation, and the merge form."""
    actor = current_web_user().actor
    db = get_session()
    with db.begin():
        kind = services.record_kind(record_type)
        a = get_live(db, kind.model, first, record_type)
        b = get_live(db, kind.model, second, record_type)
        for record_id in (first, second):
            note_read(db, actor, record_type, record_id=record_id)
        match = next(
            (c for c in candidates.candidates_of(db, record_type, a, min_score=0.0, limit=50)
             if c.other_id == second),
            None,
        )  # fmt: skip
        links = {r.id: services.full_snapshot(db, record_type, r.id)["links"] for r in (a, b)}
        return render_template(
            "merging/compare.html",
            record_type=record_type,
            a=a,
            b=b,
            match=match,
            links=links,
            may_merge=is_allowed(actor, Action.MERGE_RECORDS),
        )


@bp.post("/merge")
@requires(Action.MERGE_RECORDS)
def merge() -> Response:
    """Merge the chosen record into the survivor (supervisors); back to the survivor's page."""
    record_type = _record_type(request.form.get("record_type"))
    first, second = _uuid("first"), _uuid("second")
    versions = {first: _int("first_version"), second: _int("second_version")}
    survivor = first if request.form.get("survivor") != "second" else second
    merged = second if survivor == first else first
    db = get_session()
    with db.begin():
        services.merge(
            db,
            current_web_user().actor,
            record_type,
            survivor,
            merged,
            survivor_version=versions[survivor],
            merged_version=versions[merged],
            score=_score(),
            evidence=_evidence(),
        )
    flash(_("Records merged. The merge can be undone from the decisions page."), "success")
    endpoint = "persons.show" if record_type == "person" else "companies.show"
    key = "person_id" if record_type == "person" else "company_id"
    # Any: the type of url_for's **values (mypy would otherwise match them against its typed
    # _external, _anchor... options; no key here starts with _).
    values: dict[str, Any] = {key: survivor}
    return redirect(url_for(endpoint, **values))


@bp.post("/decide")
@requires(Action.MERGE_RECORDS)
def decide() -> Response:
    """Record that a pair is (not) the same; "not the same" pairs are not proposed again."""
    record_type = _record_type(request.form.get("record_type"))
    raw = request.form.get("decision", "")
    if raw not in {Decision.SAME.value, Decision.NOT_SAME.value}:
        raise ValidationError({"decision": "choose same or not the same"})
    db = get_session()
    with db.begin():
        services.decide(
            db,
            current_web_user().actor,
            record_type,
            _uuid("first"),
            _uuid("second"),
            decision=Decision(raw),
            score=_score(),
            evidence=_evidence(),
        )
    flash(_("Decision recorded."), "success")
    return redirect(url_for("merging.index", type=record_type))


@bp.post("/merges/<uuid:merge_id>/unmerge")
@requires(Action.MERGE_RECORDS)
def unmerge(merge_id: uuid.UUID) -> Response:
    """Undo a merge: both records and all their links come back as they were."""
    db = get_session()
    with db.begin():
        services.unmerge(db, current_web_user().actor, merge_id, evidence=_evidence())
    flash(_("Merge undone: both records and their links are restored."), "success")
    return redirect(url_for("merging.decisions"))


@bp.get("/decisions")
@requires(Action.SEARCH)
def decisions() -> str:
    """The ledger of decisions and the latest merges (with the unmerge button).

    The page shows the names of the records decided on, so it is audited as a read listing
    their ids (``merge.list``, view ``decisions``).
    """
    actor = current_web_user().actor
    db = get_session()
    with db.begin():
        page = paginate_list(services.list_decisions(db, limit=1000), page_number(), PER_PAGE)
        merges = services.list_merges(db)
        ids = {m.survivor_id for m in merges} | {m.merged_id for m in merges}
        ids |= {d.record_a_id for d in page.items} | {d.record_b_id for d in page.items}
        note_read(
            db,
            actor,
            "merge",
            details={"view": "decisions", "page": page.number, "shown": sorted(map(str, ids))},
        )
        return render_template(
            "merging/decisions.html",
            page=page,
            merges=merges,
            names=services.names_of(db, ids),
            may_merge=is_allowed(actor, Action.MERGE_RECORDS),
        )
