"""Service errors next to their fields: path resolution and translation of service messages.

Services report every bad field at once as ``{path: message}`` (`ncen.errors.ValidationError`)
with paths in the shape of the data they received: ``items.0.hs_code``,
``persons.1.new.names``, ``pictures.files.2``. `place_errors` walks such a path through a
form (field lists, sub-forms, and per-form aliases for keys that a form names differently) and
attaches the message to the deepest field it reaches, so a message always lands as close to
its field as the form allows; nothing is ever dropped.

Messages are English sentences from the services; `translate_message` shows them in the user's
language, either from the catalogue (fixed sentences listed below so that the extractor sees
them) or by recognising the patterns of the sentences that carry values.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from flask import Flask
from flask_babel import format_decimal, gettext
from flask_babel import lazy_gettext as _l
from wtforms import Field, FieldList, Form, FormField

from ncen.errors import Codes, Message, ValidationError, message_of

# Fixed sentences of the record services and `ncen.validation`.
RECORD_MESSAGES = (
    _l("is required"),
    _l("must be text"),
    _l("is out of range: give a date between 1900-01-01 and 2199-12-31"),
    _l("must be a code"),
    _l("must be a whole number"),
    _l("must be a number"),
    _l("must not be negative"),
    _l("is too large"),
    _l("must be a date and time such as 2026-03-01T14:30+05:00"),
    _l("must be a date and time"),
    _l("needs a time zone"),
    _l("must be a date such as 2030-12-31"),
    _l("must be a list of objects"),
    _l("must be a list of codes"),
    _l("is required with a quantity"),
    _l("is required with a value"),
    _l("a seizure needs at least one item"),
    _l("H3 needs the restrictions written out"),
    _l("a person needs at least one name"),
    _l("a company needs at least one name"),
    _l("give at least a name or one identifier"),
    _l("choose an existing record or enter a new one"),
    _l("this person is already linked in this role"),
    _l("this company is already linked in this role"),
    _l("this conveyance is already linked in this role"),
    _l("this person is already linked to the company in this role"),
    _l("person not found (it may have been deleted)"),
    _l("company not found (it may have been deleted)"),
    _l("conveyance not found (it may have been deleted)"),
    _l("choose at least one picture"),
    _l("a month or day without a year cannot be recorded; enter the year too"),
    _l("a day without a month cannot be recorded; enter the month"),
)

# Sentences that carry values: (pattern of the English sentence, translatable template).
_PATTERNS: tuple[tuple[re.Pattern[str], Any], ...] = (
    (
        re.compile(r"is too long \((?P<n>\d+) characters; at most (?P<max>\d+)\)"),
        _l("is too long (%(n)s characters; at most %(max)s)"),
    ),
    (re.compile(r"must be one of (?P<allowed>.+)"), _l("must be one of %(allowed)s")),
    (re.compile(r"unknown code (?P<code>.+) \(not in .+\)"), _l("unknown code %(code)s")),
    (re.compile(r"must be at least (?P<n>-?\d+)"), _l("must be at least %(n)s")),
    (re.compile(r"must be at most (?P<n>-?\d+)"), _l("must be at most %(n)s")),
    (
        re.compile(r"has too many entries \(at most (?P<n>\d+)\)"),
        _l("has too many entries (at most %(n)s)"),
    ),
    (
        re.compile(r"(?P<code>\d{6}) is not an HS subheading of chapter (?P<chapter>\d{2})"),
        _l("%(code)s is not an HS subheading of chapter %(chapter)s"),
    ),
    (
        re.compile(r"(?P<reference>.+) is already used by another seizure"),
        _l("%(reference)s is already used by another seizure"),
    ),
    (
        re.compile(r"(?P<code>\S+) already exists in [a-z_]+"),
        _l("%(code)s already exists in this list"),
    ),
    (
        re.compile(r"too many pictures at once: (?P<n>\d+), at most (?P<max>\d+)"),
        _l("too many pictures at once: %(n)s, at most %(max)s"),
    ),
    (
        re.compile(r"seizure time (?P<when>.+) is in the future; .+"),
        _l("%(when)s is in the future; check the date, the time and the time zone"),
    ),
    (
        re.compile(r"seizure date (?P<when>.+) is before 1950; check the year"),
        _l("%(when)s is before 1950; check the year"),
    ),
    (
        re.compile(r"date (?P<when>[\d-]+) is before 1900; check the year"),
        _l("%(when)s is before 1900; check the year"),
    ),
    (re.compile(r"date (?P<when>[\d-]+) is in the future"), _l("%(when)s is in the future")),
    (
        re.compile(r"contains a control character \(U\+(?P<code>[0-9A-F]{4})\): remove it"),
        _l("contains a control character (U+%(code)s): remove it"),
    ),
    (
        re.compile(
            r"contains a (?:control character \(U\+(?P<code>[0-9A-F]{4}), a line break or tab\)"
            r"|line break character \(U\+(?P<sep>[0-9A-F]{4})\)): keep it on one line"
        ),
        _l("contains a line break or tab (U+%(code)s%(sep)s): keep it on one line"),
    ),
    (
        re.compile(
            r"contains an invisible text-direction control character \(U\+(?P<code>[0-9A-F]{4})\),"
            r" which can make text display as something else: remove it"
        ),
        _l(
            "contains an invisible text-direction control character (U+%(code)s), which can "
            "make text display as something else: remove it"
        ),
    ),
    (
        re.compile(r"contains an invalid character \(U\+(?P<code>[0-9A-F]{4}), half of a .+\)"),
        _l("contains an invalid character (U+%(code)s)"),
    ),
    (
        re.compile(r"month (?P<n>\d+) does not exist; months run from 1 to 12"),
        _l("month %(n)s does not exist; months run from 1 to 12"),
    ),
)


# The templates of the services' `ncen.errors.Message`s (listed so that the extractor sees
# them: each is the message id that `translate_message` looks up).
MESSAGE_TEMPLATES = (
    _l("is too long (%(n)s characters; at most %(max)s)"),
    _l("must be one of %(allowed)s"),
    _l("unknown code %(code)s (not in %(table)s)"),
    _l("must be at least %(n)s"),
    _l("must be at most %(n)s"),
    _l("has too many entries (at most %(n)s)"),
    _l("%(code)s is not an HS subheading of chapter %(chapter)s"),
    _l("%(reference)s is already used by another seizure"),
    _l("too many pictures at once: %(n)s, at most %(max)s"),
    _l("seizure time %(when)s is in the future; check the date, the time and the time zone"),
    _l("seizure date %(when)s is before 1950; check the year"),
    _l("date %(when)s is before 1900; check the year"),
    _l("month %(n)s does not exist; months run from 1 to 12"),
    _l("date %(when)s is in the future"),
)


def _localised(value: object) -> object:
    """A message value as the user's locale writes it (numbers grouped; codes named; text as
    it is)."""
    if isinstance(value, Codes):
        return value.joiner.join(code_name(value.vocabulary, code) for code in value.codes)
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return format_decimal(value)
    return value


def code_name(vocabulary: str, code: str) -> str:
    """The name of ``code`` of a `Codes` vocabulary in the user's language: a fixed enumeration
    of `web.labels`, a record's field, or else a reference list (`web.codes.code_label`)."""
    # Imported here: both modules build on the forms that import this one.
    from web.codes import code_label
    from web.labels import LABELS, enum_label, field_label

    if vocabulary in LABELS:
        return enum_label(vocabulary, code)
    if vocabulary == "field":
        return field_label(code)
    return code_label(vocabulary, code)


def translate_message(message: str) -> str:
    """``message`` (an English sentence from a service) in the user's language, if known.

    A `ncen.errors.Message` is translated by its template, with its values in the user's
    locale; a plain sentence, or a Message whose template has no translation yet, is looked up
    as it is, then matched against the known patterns of sentences with values; failing all
    that, it is shown in English.
    """
    if isinstance(message, Message):
        template: str = gettext(message.template)
        # Codes are named even in a sentence not yet translated (a role in English is a label,
        # never its code).
        if template != message.template or any(
            isinstance(value, Codes) for value in message.params.values()
        ):
            params = {name: _localised(value) for name, value in message.params.items()}
            return template % params
    translated: str = gettext(message)
    if translated != message:
        return translated
    for pattern, template in _PATTERNS:
        match = pattern.fullmatch(message)
        if match:
            return str(template) % match.groupdict("")
    return message


def error_message(error: BaseException) -> str:
    """A refused request's reason for a flash message, in the user's language where known:
    each message of a `ValidationError`, a `Message` by its template, any other service
    sentence through `translate_message` (English when it is not in the catalogue)."""
    if isinstance(error, ValidationError):
        return "; ".join(translate_message(message) for message in error.errors.values())
    return translate_message(message_of(error))


def _child(node: Any, part: str, positions: Mapping[str, Sequence[int]]) -> Any:
    """The field or sub-form one path step below ``node``; None if the step leads nowhere."""
    if isinstance(node, FieldList):
        if not part.isdigit():
            return None
        index = int(part)
        sent = positions.get(node.short_name)
        if sent is not None:
            index = sent[index] if index < len(sent) else -1
        return node.entries[index] if 0 <= index < len(node.entries) else None
    form = node.form if isinstance(node, FormField) else node
    if not isinstance(form, Form):
        return None
    aliases: Mapping[str, str] = getattr(form, "ERROR_ALIASES", {})
    if part in aliases:
        target = aliases[part]
        return form if target == "" else form._fields.get(target)
    return form._fields.get(part)


def _attach(root: Form, node: Any, list_name: str | None, text: str, path: str) -> None:
    if isinstance(node, FormField | Form):
        form = node.form if isinstance(node, FormField) else node
        row_field = getattr(form, "ROW_FIELD", None)
        if form is not root and row_field and row_field in form._fields:
            node = form._fields[row_field]
        else:
            root.form_errors.append(f"{path}: {text}" if form is root else text)
            return
    if isinstance(node, FieldList):
        sections: dict[str, list[str]] = root.__dict__.setdefault("section_errors", {})
        sections.setdefault(list_name or node.short_name, []).append(text)
        return
    if isinstance(node, Field):
        node.errors = [*node.errors, text]


def _refresh_list_errors(form: Form) -> None:
    """Recompute the error lists of ``form``'s field lists, which WTForms computes once during
    validation, before the service's messages were attached to their rows."""
    for field in form:
        if isinstance(field, FieldList):
            for entry in field.entries:
                if isinstance(entry, FormField):
                    _refresh_list_errors(entry.form)
            found = [entry.errors for entry in field.entries]
            field.errors = found if any(found) else []
        elif isinstance(field, FormField):
            _refresh_list_errors(field.form)


def place_errors(
    form: Form,
    errors: Mapping[str, str],
    positions: Mapping[str, Sequence[int]] | None = None,
) -> None:
    """Attach each service message of ``errors`` to the field its path names in ``form``.

    ``positions`` maps a field list's name to the entry index of each row that was sent to
    the service (blank rows are not sent, so row 1 of the service may be entry 2 of the form).
    Messages for whole lists go to ``form.section_errors[name]``; unknown paths to
    ``form.form_errors``.
    """
    positions = positions or {}
    for path, message in errors.items():
        text = translate_message(message)
        node: Any = form
        list_name = None
        for part in path.split("."):
            nxt = _child(node, part, positions)
            if nxt is None:
                break
            if isinstance(nxt, FieldList):
                list_name = nxt.short_name
            node = nxt
            if isinstance(node, Field) and not isinstance(node, FieldList | FormField):
                break
        _attach(form, node, list_name, text, path)
    _refresh_list_errors(form)


def section_errors(form: Form, name: str) -> list[str]:
    """The messages placed on the whole list ``name`` (for templates)."""
    return list(form.__dict__.get("section_errors", {}).get(name, []))


def init_app(app: Flask) -> None:
    """Expose `section_errors` to templates."""
    app.jinja_env.globals["section_errors"] = section_errors
