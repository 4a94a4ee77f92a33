"""Administrators extend the reference code lists: add a code, relabel it, (de)activate it.

Codes are never deleted: records and peers refer to them, so a retired code is deactivated
(no longer offered or accepted for new input) and stays readable on old records.
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy.orm import Session

from ncen.accounts.actor import Actor
from ncen.audit import record_event
from ncen.errors import NotFoundError, ValidationError
from ncen.policy import Action, require
from ncen.reference import models
from ncen.text import text_problem

# The lists an administrator may extend (countries and currencies follow ISO via pycountry, and
# HS chapters are fixed by the WCO: those change only by migration).
EDITABLE: dict[str, type[models.CodeMixin]] = {
    model.__tablename__: model
    for model in (
        models.CommodityGroup,
        models.DetectionMethod,
        models.DetectionTechnique,
        models.ConcealmentMethod,
        models.TransportMode,
        models.LocationType,
        models.PersonRole,
        models.CompanyRole,
        models.ConveyanceRole,
        models.PersonCompanyRole,
        models.QuantityUnit,
        models.CustomsOffice,
    )
}
_CODE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,31}$", re.IGNORECASE)


def _model(list_name: str) -> type[models.CodeMixin]:
    try:
        return EDITABLE[list_name]
    except KeyError:
        raise ValidationError({"list": f"{list_name} cannot be edited here"}) from None


def _forget_cached_codes(session: Session) -> None:
    # `ncen.validation.Checker` caches active codes per session.
    session.info.pop("ncen.active_codes", None)


def add_code(
    session: Session, actor: Actor, list_name: str, code: str, label: str, **extra: Any
) -> models.CodeMixin:
    """Add ``code`` to a list. Raises `ValidationError` (bad or taken code, empty label)."""
    require(actor, Action.MANAGE_REFERENCE)
    model = _model(list_name)
    errors: dict[str, str] = {}
    if not _CODE.match(code):
        errors["code"] = "use 1-32 letters, digits, dashes or underscores"
    elif session.get(model, code) is not None:
        errors["code"] = f"{code} already exists in {list_name}"
    if not label.strip() or len(label) > 500:
        errors["label"] = "is required (at most 500 characters)"
    elif problem := text_problem(label.strip()):
        errors["label"] = problem
    if model is models.CustomsOffice:
        country = extra.get("country")
        if not country or session.get(models.Country, country) is None:
            errors["country"] = "a customs office needs a known country"
    if errors:
        raise ValidationError(errors)
    row = model()
    row.code, row.label = code, label.strip()
    for name, value in extra.items():
        setattr(row, name, value)
    session.add(row)
    session.flush()
    _forget_cached_codes(session)
    record_event(
        session,
        actor,
        "reference.add",
        record_type=list_name,
        record_id=code,
        details={"label": label.strip()},
    )
    return row


def set_active(
    session: Session, actor: Actor, list_name: str, code: str, *, active: bool
) -> models.CodeMixin:
    """Deactivate (or reactivate) a code. Raises `NotFoundError` for an unknown code."""
    require(actor, Action.MANAGE_REFERENCE)
    model = _model(list_name)
    row = session.get(model, code)
    if row is None:
        raise NotFoundError(list_name, code)
    row.active = active
    session.flush()
    _forget_cached_codes(session)
    record_event(
        session,
        actor,
        "reference.activate" if active else "reference.deactivate",
        record_type=list_name,
        record_id=code,
    )
    return row
