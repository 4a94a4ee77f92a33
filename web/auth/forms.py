"""Forms of the sign-in and account pages."""

from __future__ import annotations

from flask import current_app, request
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup
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
from web.i18n import language_choices, languages


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
    return LanguageForm(formdata=None, prefix=LANGUAGE_PREFIX, next=_here())


def _here() -> str:
    """Where the language form returns to: the current page of a GET, else nowhere."""
    return request.full_path.rstrip("?") if request.method == "GET" else ""


def language_hidden_fields() -> Markup:
    """The hidden fields of `language_form` (its ``hidden_tag()``: the page to return to and
    the CSRF token), written without building the form: every page's footer has them.

    Byte for byte the form's own markup (tests/web/test_language_footer.py); the token is the
    one Flask-WTF gives the request, as the form's field would give it.
    """
    following, token = f"{LANGUAGE_PREFIX}-next", f"{LANGUAGE_PREFIX}-csrf_token"
    return Markup(
        '<input id="{following}" name="{following}" type="hidden" value="{here}">\n'
        '<input id="{token}" name="{token}" type="hidden" value="{value}">'
    ).format(following=following, here=_here(), token=token, value=generate_csrf())


_BUTTONS_KEY = "ncen.language_buttons"  # app.extensions: the current locale -> its buttons


def language_buttons() -> Markup:
    """The footer's buttons, one per language sending ``lang-locale``, the current one
    highlighted: the same for every page in one language, so written once per language."""
    current = str(get_locale())
    rendered: dict[str, Markup] = current_app.extensions.setdefault(_BUTTONS_KEY, {})
    found = rendered.get(current)
    if found is None:
        field = f"{LANGUAGE_PREFIX}-locale"
        found = rendered[current] = Markup("").join(
            Markup(
                '\n      <button type="submit" name="{field}" value="{code}" lang="{code}"'
                '\n              class="btn btn-sm {style}">{name}</button>\n      '
            ).format(
                field=field,
                code=code,
                style="btn-secondary" if code == current else "btn-outline-secondary",
                name=name,
            )
            for code, name in languages().items()
        )
    return found


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
