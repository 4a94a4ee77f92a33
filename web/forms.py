"""Form conventions shared by every blueprint.

- Forms derive from `Form` (Flask-WTF: CSRF token, WTForms messages in the user's language);
  filter forms sent with GET derive from `QueryForm` (no token: they change nothing).
- Views validate with ``form.validate_on_submit()``, call the service, and on `ValidationError`
  call `apply_errors` so each message appears next to its field; the form is then re-rendered
  with what the user typed (passwords excepted), so no input is lost.
- Templates render fields with the macros in ``templates/_macros.html``.
"""

from __future__ import annotations

from collections.abc import Iterable

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectChoice

from ncen.errors import ValidationError


class Form(FlaskForm):  # type: ignore[misc]
    """A state-changing form: carries and checks the CSRF token."""


class QueryForm(FlaskForm):  # type: ignore[misc]
    """A filter form submitted with GET: no CSRF token, values read from the query string."""

    class Meta:
        csrf = False


def choices(pairs: Iterable[tuple[str, object]]) -> list[SelectChoice]:
    """Select options from ``(value, label)`` pairs (WTForms 3.3 no longer takes bare tuples)."""
    return [SelectChoice(value, label) for value, label in pairs]


# Messages the account services return, listed so that the extractor puts them in the
# catalogues; `apply_errors` looks each one up when showing it.
SERVICE_MESSAGES = (
    _l("must be at least 12 characters long"),
    _l("must be at most 256 characters long"),
    _l("is too repetitive"),
    _l("must not contain the username"),
    _l("use 2-64 lower-case letters, digits, dots, dashes or underscores"),
    _l("is required (at most 200 characters)"),
    _l("is not an e-mail address"),
    _l("must be en, fr or ru"),
    _l("you cannot disable your own account"),
    _l("you cannot remove your own administrator role"),
    _l("is not correct"),
    _l("must differ from the current password"),
)


def apply_errors(form: FlaskForm, exc: ValidationError) -> None:
    """Attach each message of ``exc`` to the field it names (else to the whole form).

    A path such as ``items.0.hs_code`` is matched on its full name first, then on its first part.
    """
    for path, message in exc.errors.items():
        text = gettext(message)
        field = form._fields.get(path) or form._fields.get(path.split(".")[0])
        if field is None:
            form.form_errors.append(f"{path}: {text}")
        else:
            field.errors = [*field.errors, text]
