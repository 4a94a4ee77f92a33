"""Reference lists: administrators add codes and retire (deactivate) or restore them.

Each code is labelled in every language of the node (`ncen.reference.services.LABEL_LOCALES`):
the add form takes a label per language, and each code's labels page corrects them, so the codes
an administration adds read in each officer's language like the built-in ones.

Only the lists of `ncen.reference.services.EDITABLE` appear here (countries, currencies and HS
chapters change by migration only); any other list name answers 404. Codes are never deleted:
a deactivated code is no longer offered in forms but stays readable on the records holding it.
Views stay thin: `ncen.reference.services` checks the policy again, validates and audits, inside
the one transaction each view opens; its messages are shown next to the fields of the form.
"""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from werkzeug.wrappers import Response

from ncen.errors import NotFoundError, ValidationError
from ncen.policy import Action
from ncen.reference import services
from ncen.reference.models import CodeMixin, CustomsOffice, ReferenceLabel
from web.admin import bp
from web.admin.forms import AddCodeForm, RelabelCodeForm, label_field_name
from web.codes import offer
from web.db import get_session
from web.fielderrors import place_errors
from web.pagination import page_number, paginate_select
from web.security import current_web_user, requires

PER_PAGE = 50

# The name of each editable list, in the user's language (keys: `services.EDITABLE`).
LIST_LABELS: dict[str, object] = {
    "commodity_groups": _l("Commodity groups"),
    "detection_methods": _l("Detection methods"),
    "detection_techniques": _l("Detection techniques"),
    "concealment_methods": _l("Concealment methods"),
    "transport_modes": _l("Transport modes"),
    "location_types": _l("Location types"),
    "person_roles": _l("Roles of persons in a seizure"),
    "company_roles": _l("Roles of companies in a seizure"),
    "conveyance_roles": _l("Roles of conveyances in a seizure"),
    "person_company_roles": _l("Roles of persons in a company"),
    "quantity_units": _l("Quantity units"),
    "customs_offices": _l("Customs offices"),
}

# Messages of `ncen.reference.services.add_code`, listed so that the extractor puts them in the
# catalogues (`web.fielderrors.translate_message` looks them up; "already exists" is a pattern).
SERVICE_MESSAGES = (
    _l("use 1-32 letters, digits, dashes or underscores"),
    _l("is required (at most 500 characters)"),
    _l("a customs office needs a known country"),
)


def _model(list_name: str) -> type[CodeMixin]:
    """The model of an editable list; `NotFoundError` (404) for any other name."""
    model = services.EDITABLE.get(list_name)
    if model is None:
        raise NotFoundError("reference list", list_name)
    return model


def _is_office(model: type[CodeMixin]) -> bool:
    return model is CustomsOffice


@bp.get("/reference")
@requires(Action.MANAGE_REFERENCE)
def reference_lists() -> str:
    """The editable lists, with how many codes each holds (and how many are active)."""
    db = get_session()
    rows = []
    with db.begin():
        for name, model in services.EDITABLE.items():
            total, active = db.execute(
                select(func.count(), func.count().filter(model.active)).select_from(model)
            ).one()
            rows.append((name, LIST_LABELS.get(name, name), int(total), int(active)))
    return render_template("admin/reference_lists.html", lists=rows)


def _render_list(list_name: str, form: AddCodeForm) -> str:
    model = _model(list_name)
    db = get_session()
    with db.begin():
        if _is_office(model):
            offer(form.country, "countries")
        stmt = select(model).order_by(model.code)
        page = paginate_select(db, stmt, page_number(), PER_PAGE)
        shown = [row.code for row in page.items]
        translations: dict[str, dict[str, str]] = {}
        for code, locale, label in db.execute(
            select(ReferenceLabel.code, ReferenceLabel.locale, ReferenceLabel.label).where(
                ReferenceLabel.list_name == list_name, ReferenceLabel.code.in_(shown)
            )
        ):
            translations.setdefault(code, {})[locale] = label
        return render_template(
            "admin/reference_list.html",
            list_name=list_name,
            list_label=LIST_LABELS.get(list_name, list_name),
            is_office=_is_office(model),
            page=page,
            form=form,
            translations=translations,
            label_locales=services.LABEL_LOCALES[1:],
            label_field_name=label_field_name,
        )


@bp.get("/reference/<list_name>")
@requires(Action.MANAGE_REFERENCE)
def reference_list(list_name: str) -> str:
    """The codes of one list, active and inactive, by code, with the form to add one."""
    return _render_list(list_name, AddCodeForm(formdata=None))


@bp.post("/reference/<list_name>/new")
@requires(Action.MANAGE_REFERENCE)
def add_reference_code(list_name: str) -> ResponseReturnValue:
    """Add a code to the list; on refusal the list is shown again with the input kept."""
    model = _model(list_name)
    form = AddCodeForm()
    if form.validate_on_submit():
        code = (form.code.data or "").strip()
        extra: dict[str, object] = {}
        if _is_office(model):
            extra = {
                # "" rather than None: the service looks the country up by primary key, and
                # SQLAlchemy warns on a lookup by a NULL key; "" is simply not found.
                "country": form.country.data or "",
                "locode": (form.locode.data or "").strip().upper() or None,
            }
        db = get_session()
        try:
            with db.begin():
                labels = form.labels()
                services.add_code(
                    db,
                    current_web_user().actor,
                    list_name,
                    code,
                    labels.pop("en"),
                    labels=labels,
                    **extra,
                )
        except ValidationError as exc:
            place_errors(form, exc.errors)
        else:
            flash(_("Code %(code)s added.", code=code), "success")
            return redirect(url_for("admin.reference_list", list_name=list_name))
    return _render_list(list_name, form)


def _set_active(list_name: str, code: str, *, active: bool) -> Response:
    _model(list_name)
    db = get_session()
    with db.begin():
        services.set_active(db, current_web_user().actor, list_name, code, active=active)
    if active:
        flash(_("Code %(code)s is active again: forms offer it.", code=code), "success")
    else:
        flash(_("Code %(code)s deactivated: forms no longer offer it.", code=code), "success")
    # Back to the page the button was on (the buttons post to ...?page=N).
    page = page_number()
    # Any: the type of url_for's **values (mypy would otherwise match them against its typed
    # _external, _anchor... options; no key here starts with _).
    args: dict[str, Any] = {"page": page} if page > 1 else {}
    return redirect(url_for("admin.reference_list", list_name=list_name, **args))


@bp.post("/reference/<list_name>/<code>/deactivate")
@requires(Action.MANAGE_REFERENCE)
def deactivate_reference_code(list_name: str, code: str) -> Response:
    """Retire a code: no longer offered or accepted for new input; old records keep it."""
    return _set_active(list_name, code, active=False)


@bp.post("/reference/<list_name>/<code>/activate")
@requires(Action.MANAGE_REFERENCE)
def activate_reference_code(list_name: str, code: str) -> Response:
    """Offer a deactivated code again."""
    return _set_active(list_name, code, active=True)


def _render_labels(list_name: str, code: str, form: RelabelCodeForm) -> str:
    return render_template(
        "admin/reference_labels.html",
        list_name=list_name,
        list_label=LIST_LABELS.get(list_name, list_name),
        code=code,
        form=form,
        label_field_name=label_field_name,
        label_locales=services.LABEL_LOCALES,
    )


@bp.get("/reference/<list_name>/<code>/labels")
@requires(Action.MANAGE_REFERENCE)
def reference_code_labels(list_name: str, code: str) -> str:
    """The labels of one code in every language, to correct them (404 for an unknown code)."""
    _model(list_name)
    db = get_session()
    with db.begin():
        labels = services.translations(db, list_name, code)
    form = RelabelCodeForm(formdata=None, data={label_field_name(k): v for k, v in labels.items()})
    return _render_labels(list_name, code, form)


@bp.post("/reference/<list_name>/<code>/labels")
@requires(Action.MANAGE_REFERENCE)
def relabel_reference_code(list_name: str, code: str) -> ResponseReturnValue:
    """Save the labels of one code; on refusal the form is shown again with the input kept."""
    _model(list_name)
    form = RelabelCodeForm()
    if form.validate_on_submit():
        db = get_session()
        try:
            with db.begin():
                services.relabel_code(db, current_web_user().actor, list_name, code, form.labels())
        except ValidationError as exc:
            place_errors(form, exc.errors)
        else:
            flash(_("Labels of %(code)s saved.", code=code), "success")
            return redirect(url_for("admin.reference_list", list_name=list_name))
    return _render_labels(list_name, code, form)
