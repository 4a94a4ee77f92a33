"""Forms of the administration pages."""

from __future__ import annotations

from flask_babel import get_locale, gettext
from flask_babel import lazy_gettext as _l
from wtforms import (
    DateField,
    EmailField,
    PasswordField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
)
from wtforms.validators import DataRequired, Length, Optional, StopValidation

from ncen.accounts.models import Role
from ncen.accounts.passwords import MAX_LENGTH
from ncen.reference.labels import language_name
from ncen.reference.services import LABEL_LOCALES, MAX_LABEL
from web.forms import CheckboxesField, Form, QueryForm, choices
from web.i18n import ROLE_LABELS, language_choices


def _role_choices() -> list[SelectChoice]:
    return choices((role.value, ROLE_LABELS[role]) for role in Role)


def _at_least_one(_form: Form, field: SelectMultipleField) -> None:
    # A plain function (no "required" flag): the flag would make *every* checkbox mandatory.
    if not field.data:
        raise StopValidation(_l("Choose at least one role."))


class RolesForm(Form):
    """The roles a user holds. Values outside `Role` are refused as "not a valid choice"."""

    roles = CheckboxesField(_l("Roles"), choices=_role_choices(), validators=[_at_least_one])
    submit = SubmitField(_l("Save roles"))


class TeamForm(Form):
    """The team (unit, office) an account works in; empty for none."""

    team = StringField(_l("Team"), validators=[Optional(), Length(max=64)])
    submit_team = SubmitField(_l("Save team"))


class CreateUserForm(RolesForm):
    """A new account; without a password, a one-time password is generated and shown once."""

    username = StringField(
        _l("Username"),
        validators=[DataRequired(), Length(max=64)],
        description=_l("Lower-case letters, digits, dots, dashes or underscores."),
        render_kw={"autocapitalize": "none", "autocomplete": "off"},
    )
    display_name = StringField(_l("Full name"), validators=[DataRequired(), Length(max=200)])
    email = EmailField(_l("E-mail"), validators=[Optional(), Length(max=254)])
    locale = SelectField(_l("Language"), choices=lambda: choices(language_choices()), default="en")
    password = PasswordField(
        _l("One-time password"),
        validators=[Optional(), Length(max=MAX_LENGTH)],
        description=_l("Leave empty to generate one. The user must change it at first sign-in."),
        render_kw={"autocomplete": "new-password"},
    )
    submit = SubmitField(_l("Create user"))


class AuditFilterForm(QueryForm):
    """Filters of the audit trail, sent in the query string."""

    user = StringField(_l("User"), validators=[Optional(), Length(max=64)])
    record_id = StringField(_l("Record id"), validators=[Optional(), Length(max=64)])
    action = SelectField(_l("Action"), choices=[], validators=[Optional()])
    since = DateField(_l("From"), validators=[Optional()])
    until = DateField(_l("Until"), validators=[Optional()])
    submit = SubmitField(_l("Filter"))


def label_field_name(locale: str) -> str:
    """The form field (and service error key) of the label in ``locale``: ``label`` for
    English, ``label_<locale>`` for the others."""
    return "label" if locale == "en" else f"label_{locale}"


class CodeLabelsForm(Form):
    """One label per language of `ncen.reference.services.LABEL_LOCALES` (English required,
    checked by the service); the fields are made from that tuple, so a new language of the node
    gets its field here without a change. Each is named by CLDR in the reader's language."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        locale = str(get_locale() or "en")
        for code in LABEL_LOCALES:
            self[label_field_name(code)].label.text = gettext(
                "Label (%(language)s)", language=language_name(code, locale)
            )

    def labels(self) -> dict[str, str]:
        """The submitted labels by language (``""`` for an empty one)."""
        return {code: self[label_field_name(code)].data or "" for code in LABEL_LOCALES}


for _locale in LABEL_LOCALES:
    setattr(
        CodeLabelsForm,
        label_field_name(_locale),
        StringField(_l("Label"), validators=[Length(max=MAX_LABEL)]),
    )


class RelabelCodeForm(CodeLabelsForm):
    """New labels of an existing code (the code itself never changes)."""

    submit = SubmitField(_l("Save labels"))


class AddCodeForm(CodeLabelsForm):
    """A new code of a reference list; ``country`` and ``locode`` are for customs offices only.

    Lengths are limited here; the format of the code, its uniqueness and the country are
    checked by `ncen.reference.services.add_code`, whose messages land next to these fields.
    """

    code = StringField(
        _l("Code"),
        validators=[Length(max=32)],
        description=_l("1-32 letters, digits, dashes or underscores; it cannot be changed later."),
        render_kw={"autocapitalize": "none", "autocomplete": "off"},
    )
    country = SelectField(_l("Country"), choices=[], validate_choice=False)
    locode = StringField(
        _l("UN/LOCODE"),
        validators=[Optional(), Length(min=5, max=5)],
        description=_l("Optional: 5 characters, e.g. FRLEH."),
        render_kw={"autocapitalize": "characters", "autocomplete": "off"},
    )
    submit = SubmitField(_l("Add code"))
