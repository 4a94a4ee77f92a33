"""Form conventions shared by every blueprint.

- Forms derive from `Form` (Flask-WTF: CSRF token, WTForms messages in the user's language);
  filter forms sent with GET derive from `QueryForm` (no token: they change nothing).
- Views validate with ``form.validate_on_submit()``, call the service, and on `ValidationError`
  call `apply_errors` so each message appears next to its field; the form is then re-rendered
  with what the user typed (passwords excepted), so no input is lost.
- Templates render fields with the macros in ``templates/_macros.html``.
- Repeated groups (items, names, participants) are ``FieldList(FormField(<RowForm>))``. Their
  "add" and "remove" buttons post the whole form back with ``row_action=add:<list>`` or
  ``remove:<list>:<index>`` (`apply_row_action`), so they work without JavaScript and keep all
  input; messages of the services reach their row through `web.fielderrors.place_errors`.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from typing import Any

from babel.support import NullTranslations, Translations
from flask import current_app, has_request_context, request
from flask_babel import get_locale, gettext
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from markupsafe import Markup, escape
from wtforms import Field, FieldList, SelectChoice, SelectMultipleField, widgets
from wtforms.i18n import messages_path
from wtforms.widgets import core as widget_core

from ncen.errors import ValidationError


@functools.lru_cache(maxsize=64)
def wtforms_messages(locale: str) -> NullTranslations:
    """WTForms' own messages ("Not a valid choice."...) in ``locale``, read from its catalogue
    once per process and language (Flask-WTF read the file again in every request that built
    a form with a choice field)."""
    return Translations.load(messages_path(), [locale], domain="wtforms")


def _form_translations(meta: object, form: FlaskForm) -> object:
    """``Meta.get_translations`` of our forms: Flask-WTF's choice (the request's locale, via
    Flask-Babel), the catalogue cached per language (`wtforms_messages`)."""
    if not has_request_context() or not current_app.config.get("WTF_I18N_ENABLED", True):
        return FlaskForm.Meta.get_translations(meta, form)
    return wtforms_messages(str(get_locale()))


class Form(FlaskForm):  # type: ignore[misc]
    """A state-changing form: carries and checks the CSRF token."""

    class Meta:
        get_translations = _form_translations


class QueryForm(FlaskForm):  # type: ignore[misc]
    """A filter form submitted with GET: no CSRF token, values read from the query string."""

    class Meta:
        csrf = False
        get_translations = _form_translations


class RowForm(FlaskForm):  # type: ignore[misc]
    """One row of a repeated group inside a `Form`: no CSRF token of its own (the page has one).

    ``ROW_FIELD`` names the field that shows messages about the row as a whole;
    ``ERROR_ALIASES`` maps keys of the service's data to the row's fields (see
    `web.fielderrors.place_errors`; ``""`` means "the row itself").
    """

    ROW_FIELD: str | None = None
    ERROR_ALIASES: dict[str, str] = {}  # noqa: RUF012 - read-only class configuration

    class Meta:
        csrf = False
        get_translations = _form_translations


class CheckboxesField(SelectMultipleField):  # type: ignore[misc]
    """A multiple choice shown as checkboxes (works without JavaScript)."""

    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


ROW_ACTION = "row_action"


def row_action() -> str:
    """The row button pressed on a post-back ("" when the form was submitted to be saved)."""
    return request.form.get(ROW_ACTION, "")[:80] if request.method == "POST" else ""


def apply_row_action(form: FlaskForm, action: str) -> None:
    """Add or remove a row of one of ``form``'s field lists as ``action`` says.

    ``add:<list>`` appends an empty row (up to the list's ``max_entries``);
    ``remove:<list>:<index>`` removes that row (a list keeps its ``min_entries``). Other
    actions ("find", "refresh") change no rows. Unknown lists and indices are ignored.
    """
    verb, _, rest = action.partition(":")
    name, _, index = rest.partition(":")
    rows = form._fields.get(name)
    if not isinstance(rows, FieldList):
        return
    if verb == "add" and (not rows.max_entries or len(rows) < rows.max_entries):
        rows.append_entry()
    elif verb == "remove" and index.isdigit() and int(index) < len(rows):
        rows.pop_entry(int(index))
        while len(rows) < rows.min_entries:
            rows.append_entry()


class QuickSelect(widgets.Select):  # type: ignore[misc]
    """WTForms' select widget, with the same HTML, at a fraction of the cost for long lists.

    The stock widget builds a `Choice` per option and an attribute string through
    ``html_params`` (sort, escape, format) for each; with the country list (about 250 options,
    on every filter form) that was a tenth of a list page. Here a plain option, a
    `SelectChoice` without ``render_kw`` or group, is written directly; anything else (groups,
    per-option attributes, choices given otherwise) goes to the stock widget, byte for byte
    the same output either way (tests/unit/test_quick_select.py).
    """

    REMEMBERED = 20_000  # rendered options kept (code lists are a few thousand codes at most)

    def __init__(self, multiple: bool = False) -> None:
        super().__init__(multiple=multiple)
        self._rendered: dict[tuple[str, str], str] = {}

    @staticmethod
    def _option(value: object, label: object, *, picked: bool) -> str:
        shown = escape(label or value)
        if isinstance(value, bool):
            value = str(value)
        attribute = escape(value).replace('"', "&quot;")
        return f'<option {"selected " if picked else ""}value="{attribute}">{shown}</option>'

    def __call__(self, field: Field, **kwargs: Any) -> Markup:
        options = field.choices
        if not isinstance(options, list) or not all(
            type(c) is SelectChoice and not c.render_kw and c.optgroup is None for c in options
        ):
            stock: Markup = super().__call__(field, **kwargs)
            return stock
        kwargs.setdefault("id", field.id)
        if self.multiple:
            kwargs["multiple"] = True
        flags = getattr(field, "flags", {})
        for k in dir(flags):
            if k in self.validation_attrs and k not in kwargs:
                kwargs[k] = getattr(flags, k)
        html = [f"<select {html_params(name=field.name, **kwargs)}>"]
        coerce, data = field.coerce, field.data
        held = (data or ()) if self.multiple else ()
        rendered = self._rendered
        for choice in options:
            value, label = choice.value, choice.label
            picked = coerce(value) in held if self.multiple else coerce(value) == data
            if not picked and type(value) is str and type(label) is str:
                # Plain text in, the same text out: remembered (code lists repeat on every page).
                known = rendered.get((value, label))
                if known is None:
                    if len(rendered) >= self.REMEMBERED:
                        rendered.clear()
                    known = rendered[(value, label)] = self._option(value, label, picked=False)
                html.append(known)
            else:
                html.append(self._option(value, label, picked=picked))
        html.append("</select>")
        return Markup("".join(html))  # noqa: S704  (every value and label escaped above)


QUICK_SELECT = QuickSelect()
QUICK_SELECT_MULTIPLE = QuickSelect(multiple=True)


def quicken(field: Field) -> None:
    """Render ``field`` with `QuickSelect` if it uses the stock select widget."""
    if type(field.widget) is widgets.Select:
        field.widget = QUICK_SELECT_MULTIPLE if field.widget.multiple else QUICK_SELECT


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
    _l("is not a language code (such as en, fr or ru)"),
    _l("you cannot disable your own account"),
    _l("you cannot change your own roles"),
    _l(
        "the administrator and auditor roles cannot be combined with each other or with "
        "the investigator, analyst, supervisor or exchange officer roles"
    ),
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


STOCK_HTML_PARAMS = widget_core.html_params  # WTForms' own (the reference of the tests)


def html_params(**kwargs: object) -> Markup:
    """WTForms' ``html_params`` (a tag's attributes: sorted by name, ``_`` suffix dropped,
    ``data_``/``aria_`` names dashed, ``True`` bare, ``False`` left out, values escaped and
    their quotes written ``&quot;``), the same markup written without `Markup.format`.

    The stock function formats each attribute through `string.Formatter` (Python code, a
    dozen calls an attribute): on the record-a-seizure form, 700 attributes, a third of the
    page's CPU. The escaping is markupsafe's, as before: names and values are escaped exactly
    as `Markup.format` and `Markup.join` escaped them (tests/unit/test_html_params.py compares
    the two on generated input). Text with nothing to escape is written as it is (escaping
    leaves it unchanged), and attribute names (a few hundred in the whole application, never
    data) are cleaned and escaped once per process.
    """
    params = []
    names = _ATTRIBUTE_NAMES
    for key, value in sorted(kwargs.items()):
        name = names.get(key)
        if name is None:
            if len(names) >= _NAMES_KEPT:
                names.clear()
            name = names[key] = str(escape(widget_core.clean_key(key)))
        if value is True:
            params.append(name)
        elif value is not False:
            text = value
            if type(text) is not str or _TO_ESCAPE(text) is not None:
                # A Markup value is kept as it is, but its quotes would end the attribute.
                text = str(escape(value)).replace('"', "&quot;")
            params.append(f'{name}="{text}"')
    return Markup(" ".join(params))  # noqa: S704  (every name and value escaped above)


_ATTRIBUTE_NAMES: dict[str, str] = {}  # keyword -> its attribute name, cleaned and escaped
_NAMES_KEPT = 4096
_TO_ESCAPE = re.compile("[&<>\"']").search  # what markupsafe's escape replaces


def install_html_params() -> None:
    """Have WTForms' widgets and labels write attributes with `html_params` (idempotent).

    WTForms looks the function up as a module global (``wtforms.widgets.core``, re-exported by
    ``wtforms.widgets`` for labels) and keeps it as a static method of its input and button
    widgets: each place is pointed at the same-output function above.
    """
    import wtforms.widgets

    widget_core.html_params = html_params
    wtforms.widgets.html_params = html_params
    for value in vars(widget_core).values():
        if isinstance(value, type) and isinstance(vars(value).get("html_params"), staticmethod):
            value.html_params = staticmethod(html_params)  # type: ignore[attr-defined]
