"""What the record pages of every area share: version fields, history, conflicts, sorting.

- `VersionedForm` carries the version the user opened in a hidden field; services refuse a stale
  one with `ConflictError`, and `conflict_context` explains what changed meanwhile.
- `HandlingFields` are the handling-code fields every record has.
- `history_page` is the History tab of any record (audited: it shows nominal data).
- `ensure_allowed` applies a record-level rule of `ncen.policy` before a form is even shown.
- `FilterForm.checked` builds a list's domain filters, placing refusals next to their fields.
- `list_order` reads ``sort`` and ``dir`` from the query string for sortable lists.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from flask import render_template, request, url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session
from wtforms import HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import Length

from ncen.accounts.actor import Actor
from ncen.errors import PermissionDeniedError, ValidationError
from ncen.history import list_versions
from ncen.policy import Action, OwnedRecord, is_allowed
from ncen.reading import note_read
from ncen.recordkeeping import get_live
from ncen.records import RecordMixin
from web.db import get_session
from web.forms import Form, QueryForm, apply_errors
from web.historyview import ShownVersion, describe_versions
from web.labels import enum_options
from web.pagination import Page, page_number, paginate_list

HISTORY_PER_PAGE = 20
F = TypeVar("F")


class HandlingFields:
    """The handling code of a record and, for H3, its restrictions (mixed into forms)."""

    handling_code = SelectField(
        _l("Handling code"),
        choices=enum_options("handling", blank=None),
        default="H0",
        validate_choice=False,
    )
    handling_restrictions = TextAreaField(
        _l("Handling restrictions"),
        validators=[Length(max=2000)],
        description=_l("Required for H3: write out what the receivers may and may not do."),
        render_kw={"rows": 2, "data-show-when": "handling_code=H3"},
    )


class VersionedForm(Form):
    """An edit form: carries the version of the record the user opened."""

    version = HiddenField()

    def expected_version(self) -> int:
        """The version sent back with the form (0 when missing or forged: always stale)."""
        raw = str(self.version.data or "")
        # ASCII digits only: ``isdigit`` also accepts superscripts, which ``int`` refuses.
        return int(raw) if raw.isascii() and raw.isdigit() and len(raw) < 10 else 0

    def move_to_version(self, version: int) -> None:
        """Make the form carry ``version`` (after the user was told about a conflict)."""
        self.version.data = str(version)
        self.version.raw_data = [str(version)]


class ActionForm(VersionedForm):
    """A button that changes a record's state (submit, validate, delete, unlink...)."""


class OriginFilter:
    """The "national / received" filter every list has (mixed into filter forms)."""

    origin = SelectField(
        _l("Origin"),
        choices=enum_options("origin", blank="—"),
        default="",
        validate_choice=False,
    )

    def foreign(self) -> bool | None:
        """The ``foreign`` filter of the queries (None: both)."""
        value = self.origin.data
        return {"national": False, "foreign": True}.get(value or "")


class FilterForm(QueryForm):
    """A list's filters (GET): sort order travels in hidden fields so that filtering keeps it."""

    sort = HiddenField()
    dir = HiddenField()

    def checked(self, build: Callable[[], F]) -> F | None:
        """The domain filters ``build`` makes from this form, or None if the form is invalid.

        The domain refuses hostile text (control and text-direction characters) when filters
        are built (`ncen.validation.check_filter_texts`); its messages are then placed next to
        their fields, so the list answers 400 with the form rather than an error page.
        """
        if request.args and not self.validate():
            return None
        try:
            return build()
        except ValidationError as exc:
            apply_errors(self, exc)
            return None


def text_filter(label: object, max_len: int = 200) -> StringField:
    """A free-text filter field."""
    return StringField(label, validators=[Length(max=max_len)])


@dataclass(frozen=True)
class Order:
    """The sort key and direction of a list."""

    key: str
    descending: bool


def list_order(allowed: tuple[str, ...], default: str) -> Order:
    """The sort order asked for in the query string (unknown keys mean ``default``)."""
    key = request.args.get("sort", "")
    return Order(
        key=key if key in allowed else default,
        descending=request.args.get("dir", "desc") != "asc",
    )


def ensure_allowed(actor: Actor, action: Action, record: OwnedRecord | None) -> None:
    """Raise `PermissionDeniedError` (a 403 page) unless the policy allows ``action`` here."""
    if not is_allowed(actor, action, record):
        raise PermissionDeniedError(str(action), "record-level rule")


def history_page(
    session: Session, actor: Actor, record_type: str, record_id: uuid.UUID
) -> Page[ShownVersion]:
    """The versions of a record, newest first, one page. Audited as a read of the record."""
    note_read(session, actor, record_type, record_id=record_id, details={"view": "history"})
    versions = list(reversed(list_versions(session, record_type, record_id)))
    page = paginate_list(versions, page_number(), HISTORY_PER_PAGE)
    shown = describe_versions(session, record_type, page.items)
    return Page(items=shown, number=page.number, per_page=page.per_page, total=page.total)


def conflict_context(
    session: Session, record_type: str, record_id: uuid.UUID, expected: int, actual: int
) -> dict[str, Any]:
    """What a conflict page shows: the versions written since the user opened the record."""
    newer = [v for v in list_versions(session, record_type, record_id) if v.version > expected]
    return {
        "expected": expected,
        "actual": actual,
        "versions": describe_versions(session, record_type, newer),
    }


def render_history(
    model: type[RecordMixin], record_type: str, record_id: uuid.UUID, title: Callable[[Any], str]
) -> str:
    """The History tab of a live record: every version, newest first (audited as a read).

    Called from a ``<blueprint>.history`` view whose URL variables also build
    ``<blueprint>.show``, so each area's view is one line.
    """
    from web.security import current_web_user

    blueprint = (request.endpoint or "").split(".")[0]
    args = request.view_args or {}
    db = get_session()
    with db.begin():
        record = get_live(db, model, record_id, record_type)
        page = history_page(db, current_web_user().actor, record_type, record_id)
        return render_template(
            "records/history.html",
            page=page,
            title=title(record),
            record_url=url_for(f"{blueprint}.show", **args),
            history_url=url_for(f"{blueprint}.history", **args),
        )
