"""Administrators extend the reference code lists: add a code, relabel it, (de)activate it.

Codes are never deleted: records and peers refer to them, so a retired code is deactivated
(no longer offered or accepted for new input) and stays readable on old records.

Every code has an English label (the ``label`` column of its list) and may have one per other
language of `LABEL_LOCALES` (``reference_labels``): `add_code` and `relabel_code` take them
together, so a code an administrator adds reads in each officer's language like a built-in one.
A language left empty falls back to English when shown.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from ncen.accounts.actor import Actor
from ncen.audit import record_event
from ncen.errors import NotFoundError, ValidationError
from ncen.policy import Action, require
from ncen.reference import models
from ncen.reference.translations import LOCALES
from ncen.text import text_problem

#: The languages a code is labelled in: English (required) first, then the translations.
LABEL_LOCALES: tuple[str, ...] = ("en", *LOCALES)
MAX_LABEL = 500

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
    # `ncen.validation.Checker` caches active codes per session, under the stamp it read
    # (`ncen.validation.active_codes`); this transaction's change drew a new stamp.
    session.info.pop("ncen.active_codes", None)
    session.info.pop("ncen.active_codes.stamp", None)


def _label_errors(labels: Mapping[str, object], errors: dict[str, str]) -> dict[str, str]:
    """Check the labels (keys of `LABEL_LOCALES`); return them stripped, "" for no label.

    Problems land in ``errors`` under ``label`` (English) or ``label_<locale>``.
    """
    clean: dict[str, str] = {}
    for locale in labels:
        if locale not in LABEL_LOCALES:
            errors[f"label_{locale}"] = f"{locale} is not a language of this node"[:80]
    for locale in LABEL_LOCALES:
        key = "label" if locale == "en" else f"label_{locale}"
        raw = labels.get(locale) or ""
        if not isinstance(raw, str):
            errors[key] = "must be text"
            continue
        value = raw.strip()
        if locale == "en" and not value:
            errors[key] = "is required (at most 500 characters)"
        elif len(value) > MAX_LABEL:
            errors[key] = f"is too long ({len(value)} characters; at most {MAX_LABEL})"
        elif problem := text_problem(value):
            errors[key] = problem
        clean[locale] = value
    return clean


def _store_translations(
    session: Session, list_name: str, code: str, labels: Mapping[str, str]
) -> None:
    """Replace the translations of ``code`` by the non-empty ones of ``labels``."""
    session.execute(
        delete(models.ReferenceLabel).where(
            models.ReferenceLabel.list_name == list_name, models.ReferenceLabel.code == code
        )
    )
    session.add_all(
        models.ReferenceLabel(list_name=list_name, code=code, locale=locale, label=label)
        for locale, label in labels.items()
        if locale != "en" and label
    )


def translations(session: Session, list_name: str, code: str) -> dict[str, str]:
    """The labels of ``code`` by language: ``en`` and each translation it has (reads only)."""
    model = _model(list_name)
    row = session.get(model, code)
    if row is None:
        raise NotFoundError(list_name, code)
    found = session.execute(
        select(models.ReferenceLabel.locale, models.ReferenceLabel.label).where(
            models.ReferenceLabel.list_name == list_name, models.ReferenceLabel.code == code
        )
    ).all()
    return {"en": row.label, **{str(locale): str(label) for locale, label in found}}


def add_code(
    session: Session,
    actor: Actor,
    list_name: str,
    code: str,
    label: str,
    *,
    labels: Mapping[str, str] | None = None,
    **extra: Any,
) -> models.CodeMixin:
    """Add ``code`` to a list with its English ``label`` and optional translations ``labels``
    (locale -> label, locales of `LABEL_LOCALES` other than en). Audited ("reference.add").

    Raises `ValidationError` (bad or taken code, empty or bad label, unknown language).
    """
    require(actor, Action.MANAGE_REFERENCE)
    model = _model(list_name)
    errors: dict[str, str] = {}
    if not _CODE.match(code):
        errors["code"] = "use 1-32 letters, digits, dashes or underscores"
    elif session.get(model, code) is not None:
        errors["code"] = f"{code} already exists in {list_name}"
    clean = _label_errors({**(labels or {}), "en": label}, errors)
    if model is models.CustomsOffice:
        country = extra.get("country")
        if not country or session.get(models.Country, country) is None:
            errors["country"] = "a customs office needs a known country"
    if errors:
        raise ValidationError(errors)
    row = model()
    row.code, row.label = code, clean["en"]
    for name, value in extra.items():
        setattr(row, name, value)
    session.add(row)
    session.flush()
    _store_translations(session, list_name, code, clean)
    session.flush()
    _forget_cached_codes(session)
    record_event(
        session,
        actor,
        "reference.add",
        record_type=list_name,
        record_id=code,
        details={"labels": {locale: text for locale, text in clean.items() if text}},
    )
    return row


def relabel_code(
    session: Session, actor: Actor, list_name: str, code: str, labels: Mapping[str, str]
) -> models.CodeMixin:
    """Set the labels of ``code``: ``labels["en"]`` is required, each other language of
    `LABEL_LOCALES` is replaced (an empty or missing one is removed: English is shown).

    The code itself never changes (records and peers hold it). Audited ("reference.relabel",
    old and new labels). Raises `NotFoundError` (unknown code) or `ValidationError`.
    """
    require(actor, Action.MANAGE_REFERENCE)
    before = translations(session, list_name, code)
    errors: dict[str, str] = {}
    clean = _label_errors(labels, errors)
    if errors:
        raise ValidationError(errors)
    model = _model(list_name)
    row = session.get(model, code)
    assert row is not None  # `translations` found it above
    row.label = clean["en"]
    _store_translations(session, list_name, code, clean)
    session.flush()
    _forget_cached_codes(session)
    after = {locale: text for locale, text in clean.items() if text}
    record_event(
        session,
        actor,
        "reference.relabel",
        record_type=list_name,
        record_id=code,
        details={"before": before, "after": after},
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
