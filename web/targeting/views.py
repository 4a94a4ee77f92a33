"""Profile pages: list, editor (form-based and text), profile with versions and statistics,
status changes, version comparison and back-tests.

The editor posts one of three actions: ``build`` writes the form's criteria as text, ``test``
back-tests the text without saving, ``save`` saves it (a new version when it changed). Errors
come back next to their field, the expression's with its line and column, input kept.
"""

from __future__ import annotations

import difflib
import uuid
from datetime import date
from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from ncen.errors import ValidationError
from ncen.policy import Action
from ncen.targeting import hits as hit_services
from ncen.targeting import profiles
from ncen.targeting.backtest import run_backtest
from ncen.targeting.builder import build_expression
from ncen.targeting.fields import FIELDS, AgeBand, Season
from ncen.targeting.language import ExpressionError
from ncen.targeting.lookup import list_lists
from ncen.targeting.models import RiskProfile
from ncen.validation import Checker
from web.codes import code_list
from web.db import get_session
from web.security import current_web_user, requires
from web.targeting import bp
from web.targeting.foreign_views import sharing_context

EDITOR_LISTS = {
    "commodity_group": "commodity_groups",
    "departure_country": "countries",
    "transit_country": "countries",
    "destination_country": "countries",
    "route_country": "countries",
    "office": "customs_offices",
    "transport_mode": "transport_modes",
    "concealment": "concealment_methods",
    "person_nationality": "countries",
    "company_country": "countries",
    "conveyance_flag": "countries",
}
ENUM_CHOICES = {
    "season": [s.value for s in Season],
    "person_gender": list(FIELDS["person.gender"].values),
    "person_age_band": [b.value for b in AgeBand],
    "conveyance_kind": list(FIELDS["conveyance.kind"].values),
}


def _form_values() -> dict[str, Any]:
    form: dict[str, Any] = {}
    for key in request.form:
        values = request.form.getlist(key)
        form[key] = (
            values if len(values) > 1 or key in EDITOR_LISTS or key in ENUM_CHOICES else values[0]
        )
    return form


def _render_editor(
    profile: RiskProfile | None,
    form: dict[str, Any],
    errors: dict[str, str] | None = None,
    backtest: Any = None,
    status: int = 200,
) -> ResponseReturnValue:
    db = get_session()
    with db.begin():
        lists = [lst for lst, _count in list_lists(db, current_web_user().actor)]
        html = render_template(
            "targeting/editor.html",
            profile=profile,
            form=form,
            errors=errors or {},
            backtest=backtest,
            lists=lists,
            code_list=code_list,
            editor_lists=EDITOR_LISTS,
            enum_choices=ENUM_CHOICES,
            fields=FIELDS,
        )
    return html, status


@bp.get("")
@requires(Action.MANAGE_PROFILES)
def index() -> str:
    """Every profile with its effective status, lane, owner's review flag and hit counts."""
    status = request.args.get("status") or None
    mine = request.args.get("mine") == "1"
    db = get_session()
    with db.begin():
        actor = current_web_user().actor
        rows = profiles.list_profiles(db, actor, status=status, mine=mine)
        stats = {p.id: hit_services.profile_statistics(db, p.id) for p in rows}
        return render_template(
            "targeting/index.html",
            rows=rows,
            stats=stats,
            status=status,
            mine=mine,
            effective=profiles.effective_status,
            review_due=profiles.review_due,
            me=actor.user_id,
        )


@bp.get("/new")
@requires(Action.MANAGE_PROFILES)
def new() -> ResponseReturnValue:
    """The editor for a new profile."""
    return _render_editor(None, {"lane": "medium", "score": "50"})


@bp.post("/new")
@requires(Action.MANAGE_PROFILES)
def create() -> ResponseReturnValue:
    """Build, back-test or save a new profile."""
    return _edit(None)


def _edit(profile_id: uuid.UUID | None) -> ResponseReturnValue:  # noqa: PLR0911 - per action
    form = _form_values()
    action = request.form.get("action", "save")
    db = get_session()
    profile: RiskProfile | None = None
    if profile_id is not None:
        with db.begin():
            profile = profiles.get_profile(db, current_web_user().actor, profile_id)
    if action == "build":
        try:
            form["expression"] = build_expression(form)
        except ValidationError as exc:
            return _render_editor(profile, form, dict(exc.errors), status=400)
        if not form["expression"]:
            return _render_editor(
                profile, form, {"builder": _("choose at least one criterion")}, status=400
            )
        return _render_editor(profile, form)
    if action == "test":
        try:
            start, end = _period(form)
            with db.begin():
                result = run_backtest(
                    db,
                    current_web_user().actor,
                    str(form.get("expression", "")),
                    start=start,
                    end=end,
                )
        except ValidationError as exc:
            return _render_editor(profile, form, dict(exc.errors), status=400)
        return _render_editor(profile, form, backtest=result)
    try:
        with db.begin():
            actor = current_web_user().actor
            if profile is None:
                saved = profiles.create_profile(db, actor, form)
            else:
                saved = profiles.update_profile(
                    db, actor, profile.id, expected_version=_version(), data=form
                )
            saved_id = saved.id
    except ValidationError as exc:
        return _render_editor(profile, form, dict(exc.errors), status=400)
    flash(_("Profile saved."), "success")
    return redirect(url_for("targeting.show", profile_id=saved_id))


def _version() -> int:
    try:
        return int(request.form.get("version", ""))
    except ValueError:
        return -1


def _period(form: dict[str, Any]) -> tuple[date | None, date | None]:
    db = get_session()
    checker = Checker(db, {"start": form.get("start") or None, "end": form.get("end") or None})
    start, end = checker.day("start"), checker.day("end")
    checker.raise_if_errors()
    return start, end


@bp.get("/<uuid:profile_id>")
@requires(Action.MANAGE_PROFILES)
def show(profile_id: uuid.UUID) -> str:
    """A profile: its criteria, versions with their back-tests, statistics and actions."""
    db = get_session()
    with db.begin():
        profile = profiles.get_profile(db, current_web_user().actor, profile_id)
        stats = hit_services.profile_statistics(db, profile.id)
        return render_template(
            "targeting/show.html",
            profile=profile,
            stats=stats,
            sharing=sharing_context(db, profile.id),
            status=profiles.effective_status(profile),
            review_due=profiles.review_due(profile),
        )


@bp.get("/<uuid:profile_id>/edit")
@requires(Action.MANAGE_PROFILES)
def edit(profile_id: uuid.UUID) -> ResponseReturnValue:
    """The editor, filled with the profile's current version."""
    db = get_session()
    with db.begin():
        profile = profiles.get_profile(db, current_web_user().actor, profile_id)
        version = profile.current_version
        form = {
            "name": profile.name,
            "purpose": profile.purpose,
            "expression": version.expression if version else "",
            "lane": profile.lane.value,
            "score": str(profile.score),
            "starts_on": profile.starts_on.isoformat() if profile.starts_on else "",
            "ends_on": profile.ends_on.isoformat() if profile.ends_on else "",
            "review_on": profile.review_on.isoformat() if profile.review_on else "",
            "version": str(profile.version),
        }
    return _render_editor(profile, form)


@bp.post("/<uuid:profile_id>/edit")
@requires(Action.MANAGE_PROFILES)
def update(profile_id: uuid.UUID) -> ResponseReturnValue:
    """Build, back-test or save the profile (a changed expression is a new version)."""
    return _edit(profile_id)


@bp.post("/<uuid:profile_id>/status")
@requires(Action.MANAGE_PROFILES)
def change_status(profile_id: uuid.UUID) -> ResponseReturnValue:
    """Activate (after a back-test; a broad profile needs the confirmation box), suspend or
    return to draft."""
    target = request.form.get("status", "")
    db = get_session()
    try:
        with db.begin():
            profiles.set_status(
                db,
                current_web_user().actor,
                profile_id,
                target,
                expected_version=_version(),
                confirm=request.form.get("confirm") == "1",
            )
    except ValidationError as exc:
        db2 = get_session()
        with db2.begin():
            profile = profiles.get_profile(db2, current_web_user().actor, profile_id)
            stats = hit_services.profile_statistics(db2, profile.id)
            html = render_template(
                "targeting/show.html",
                profile=profile,
                stats=stats,
                sharing=sharing_context(db2, profile.id),
                status=profiles.effective_status(profile),
                review_due=profiles.review_due(profile),
                errors=dict(exc.errors),
                wants=target,
            )
        return html, 400
    flash(_("Status changed."), "success")
    return redirect(url_for("targeting.show", profile_id=profile_id))


@bp.get("/<uuid:profile_id>/compare")
@requires(Action.MANAGE_PROFILES)
def compare(profile_id: uuid.UUID) -> str:
    """Two versions side by side (``?a=1&b=2``; default the last two), with their back-tests."""
    db = get_session()
    with db.begin():
        profile = profiles.get_profile(db, current_web_user().actor, profile_id)
        by_number = {v.number: v for v in profile.versions}
        numbers = sorted(by_number)
        try:
            a = int(request.args.get("a") or (numbers[-2] if len(numbers) > 1 else numbers[0]))
            b = int(request.args.get("b") or numbers[-1])
        except ValueError:
            abort(400)
        if a not in by_number or b not in by_number:
            abort(404)
        left, right = by_number[a], by_number[b]
        rows = _side_by_side(left.expression, right.expression)
        return render_template(
            "targeting/compare.html",
            profile=profile,
            left=left,
            right=right,
            rows=rows,
            numbers=numbers,
        )


def _side_by_side(left: str, right: str) -> list[tuple[str, str, str]]:
    """(kind, left line, right line) rows: kind is same, changed, removed or added."""
    a, b = left.splitlines(), right.splitlines()
    rows: list[tuple[str, str, str]] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b).get_opcodes():
        if tag == "equal":
            rows.extend(("same", x, y) for x, y in zip(a[i1:i2], b[j1:j2], strict=True))
            continue
        olds, news = a[i1:i2], b[j1:j2]
        for index in range(max(len(olds), len(news))):
            old = olds[index] if index < len(olds) else ""
            new = news[index] if index < len(news) else ""
            kind = "changed" if old and new else ("removed" if old else "added")
            rows.append((kind, old, new))
    return rows


@bp.get("/<uuid:profile_id>/backtest")
@requires(Action.MANAGE_PROFILES)
def backtest(profile_id: uuid.UUID) -> ResponseReturnValue:
    """Back-test a version (``?version=N``, default the current one) over a period
    (``?start=&end=``); the counts are kept on the version."""
    db = get_session()
    form = {"start": request.args.get("start", ""), "end": request.args.get("end", "")}
    with db.begin():
        actor = current_web_user().actor
        profile = profiles.get_profile(db, actor, profile_id)
        by_number = {v.number: v for v in profile.versions}
        raw = request.args.get("version")
        version = profile.current_version
        if raw:
            if not raw.isdigit() or int(raw) not in by_number:
                abort(404)
            version = by_number[int(raw)]
        assert version is not None
        try:
            start, end = _period(form)
            result = run_backtest(db, actor, version.expression, start=start, end=end)
        except ExpressionError as exc:  # pragma: no cover - a stored version was checked
            raise ValidationError(exc.errors) from None
        version.backtest = result.summary()
        return render_template(
            "targeting/backtest.html", profile=profile, version=version, result=result, form=form
        )
