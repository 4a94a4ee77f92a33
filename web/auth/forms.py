"""Forms of the sign-in and account pages."""

from __future__ import annotations

from flask import request
from flask_babel import lazy_gettext as _l
from wtforms import (
    HiddenField,
    IntegerField,
    PasswordField,
    SelectField,
    StringField,
    SubmitField,
)
from wtforms.validators import DataRequired, EqualTo, Length

from ncen.accounts.passwords import MAX_LENGTH
from web.forms import Form, choices
from web.i18n import language_choices


class SignInForm(Form):
    """Username and password."""

    username = StringField(
        _l("Username"),
        validators=[DataRequired(), Length(max=64)],
        render_kw={"autocomplete": "username", "autocapitalize": "none", "autofocus": True},
    )
    password = PasswordField(
        _l("Password"),
        validators=[DataRequired(), Length(max=MAX_LENGTH)],
        render_kw={"autocomplete": "current-password"},
    )
    submit = SubmitField(_l("Sign in"))


class CodeForm(Form):
    """A 6-digit code from the authenticator app."""

    code = StringField(
        _l("Code from your authenticator app"),
        validators=[DataRequired(), Length(max=12)],
        render_kw={
            "autocomplete": "one-time-code",
            "inputmode": "numeric",
            "autofocus": True,
        },
    )
    submit = SubmitField(_l("Verify"))


class ChangePasswordForm(Form):
    """The current password and the new one, twice."""

    current_password = PasswordField(
        _l("Current password"),
        validators=[DataRequired(), Length(max=MAX_LENGTH)],
        render_kw={"autocomplete": "current-password"},
    )
    new_password = PasswordField(
        _l("New password"),
        validators=[DataRequired(), Length(max=MAX_LENGTH)],
        description=_l("At least 12 characters; a few words make a good password."),
        render_kw={"autocomplete": "new-password"},
    )
    confirm = PasswordField(
        _l("New password again"),
        validators=[DataRequired(), EqualTo("new_password", message=_l("Passwords differ."))],
        render_kw={"autocomplete": "new-password"},
    )
    submit = SubmitField(_l("Change password"))


LANGUAGE_PREFIX = "lang"


class LanguageForm(Form):
    """The language switcher: one button per language, each sending ``locale``."""

    locale = SelectField(choices=lambda: choices(language_choices()), validators=[DataRequired()])
    next = HiddenField()


def language_form() -> LanguageForm:
    """A language form that returns to the current page (a template global).

    Its fields are prefixed (``lang-``) so they never clash with the page's own form.
    """
    here = request.full_path.rstrip("?") if request.method == "GET" else ""
    return LanguageForm(formdata=None, prefix=LANGUAGE_PREFIX, next=here)


class ApiTokenForm(Form):
    """A new personal API token: a name to recognise it, its scope and its lifetime."""

    name = StringField(
        _l("Name"),
        validators=[DataRequired(), Length(max=100)],
        description=_l("What the token is for, e.g. the script that uses it."),
    )
    scope = SelectField(
        _l("Access"),
        choices=choices([("read", _l("Read only")), ("read_write", _l("Read and write"))]),
        validators=[DataRequired()],
    )
    days = IntegerField(_l("Valid for (days)"), validators=[DataRequired()], default=90)
    submit = SubmitField(_l("Create token"))
