"""Languages: which locale a request uses, and the labels and helpers templates need.

The locale is the signed-in user's choice (``users.locale``); before sign-in it is the language
picked on the sign-in page (kept in the session), then the browser's preference, then the node's
default. Catalogues live in ``web/translations`` (``.po`` committed, ``.mo`` compiled at setup
with ``pybabel compile -d web/translations``).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Hashable, Iterable
from datetime import date, datetime
from pathlib import Path
from typing import cast

from babel import Locale
from babel.support import NullTranslations
from flask import Flask, current_app, has_app_context, request, session
from flask_babel import (
    Domain,
    format_date,
    format_datetime,
    format_decimal,
    format_number,
    get_locale,
    get_timezone,
    get_translations,
)
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from ncen.accounts.models import Role
from ncen.db import utcnow
from ncen.errors import ValidationError
from ncen.languages import is_language_code
from ncen.settings import Settings
from web.requestmemo import request_memo

TRANSLATIONS_PATH = Path(__file__).parent / "translations"

# The source language: its wording is the message ids, so it needs no compiled catalogue.
SOURCE_LANGUAGE = "en"

ROLE_LABELS = {
    Role.INVESTIGATOR: _l("Investigator"),
    Role.ANALYST: _l("Analyst"),
    Role.SUPERVISOR: _l("Supervisor"),
    Role.EXCHANGE_OFFICER: _l("Exchange officer"),
    Role.ADMINISTRATOR: _l("Administrator"),
    Role.AUDITOR: _l("Auditor"),
}


def language_name(code: str) -> str:
    """The name of language ``code`` in that language, from CLDR ("Français", "Русский").

    Each language is named in its own language so that anyone can find theirs.
    """
    name = Locale.parse(code).get_display_name(code) or code
    return name[:1].upper() + name[1:]


def available_languages(directories: Iterable[Path], wanted: Iterable[str] = ()) -> dict[str, str]:
    """The languages a node offers, code to own name: English and every language with a
    compiled catalogue (``<code>/LC_MESSAGES/messages.mo``) in ``directories``, narrowed to
    ``wanted`` when that is not empty (``NCEN_LANGUAGES``). English first, then by code.
    """
    codes = {SOURCE_LANGUAGE}
    for directory in directories:
        if directory.is_dir():
            codes.update(
                entry.name
                for entry in directory.iterdir()
                if (entry / "LC_MESSAGES" / "messages.mo").is_file()
                and is_language_code(entry.name)
            )
    narrowed = set(wanted)
    if narrowed:
        codes &= narrowed
    ordered = sorted(codes, key=lambda code: (code != SOURCE_LANGUAGE, code))
    return {code: language_name(code) for code in ordered}


def languages() -> dict[str, str]:
    """The languages this application offers (code to own name)."""
    return cast(dict[str, str], current_app.extensions["ncen_languages"])


def language_choices() -> list[tuple[str, str]]:
    """``(code, name)`` pairs for a language select (a WTForms choices callable)."""
    return list(languages().items())


def select_locale() -> str:
    """The locale of the current request (Flask-Babel's locale selector)."""
    offered = languages()
    if current_user.is_authenticated and current_user.locale in offered:
        return str(current_user.locale)
    chosen = session.get("locale")
    if chosen in offered:
        return str(chosen)
    best = request.accept_languages.best_match(list(offered))
    return best or str(current_app.config["BABEL_DEFAULT_LOCALE"])


def role_label(role: Role | str) -> str:
    """The translated name of ``role``."""
    return str(ROLE_LABELS[Role(role)])


# Formatted dates kept per application: list pages format two dates per row, and the same
# records (the first pages of the lists) are shown again and again.
FORMAT_CACHE_SIZE = 8192


def cached_date_formats(
    size: int = FORMAT_CACHE_SIZE,
) -> tuple[Callable[..., str], Callable[..., str]]:
    """``format_datetime`` and ``format_date`` as Flask-Babel has them, remembering the last
    ``size`` results (thread-safe LRU).

    Exact: a result is reused only for the same value (and type, and time zone, since equal
    aware datetimes may carry different zones), format, rebasing, and the same locale and time
    zone of the request; a miss calls Flask-Babel in the request, whose locale and time zone are
    those of the key. No value (``None``: now) is never cached.
    """

    @functools.lru_cache(maxsize=size)
    def formatted(
        kind: str,
        value: date,
        _type: type,
        _zone: object,
        format: str | None,
        rebase: bool,
        _locale: object,
        _timezone: object,
    ) -> str:
        formatter = format_datetime if kind == "datetime" else format_date
        return str(formatter(value, format, rebase))

    def make(kind: str) -> Callable[..., str]:
        direct = format_datetime if kind == "datetime" else format_date

        def format_value(
            value: date | None = None,
            format: str | None = None,
            rebase: bool = True,
        ) -> str:
            if value is None:
                return str(direct(value, format, rebase))
            zone = value.tzinfo if isinstance(value, datetime) else None
            locale, timezone = request_zone()
            return formatted(
                kind,
                value,
                # typeshed declares date.__hash__ for instances only, so mypy takes the class
                # itself for unhashable; every class is hashable.
                cast(Hashable, type(value)),
                zone,
                format,
                rebase,
                locale,
                timezone,
            )

        format_value.__doc__ = direct.__doc__
        format_value.cache_info = formatted.cache_info  # type: ignore[attr-defined]
        return format_value

    return make("datetime"), make("date")


_ZONE = "ncen_locale_zone"  # request memo: the (Locale, time zone), once looked up


def request_zone() -> tuple[object, object]:
    """Flask-Babel's locale and time zone of the current request, looked up once per request
    (each of its look-ups reads the request context several times, and a list page formats
    two dates per row)."""
    memo = request_memo()
    found: tuple[object, object] | None = memo.get(_ZONE)  # type: ignore[assignment]
    if found is None:
        found = memo[_ZONE] = (get_locale(), get_timezone())
    return found


_TRANSLATIONS = "ncen_translations"  # request memo: the catalogue, once looked up


def request_translations() -> NullTranslations:
    """Flask-Babel's translations for the current request, looked up once per request.

    The same catalogue Flask-Babel gives (for the locale it chose and keeps for the request),
    kept in the request memo (`web.requestmemo`): templates translate dozens to hundreds of
    strings per page, and each of Flask-Babel's own look-ups reads its request context three
    times (measured: about 19 us a string, against 2 us for this).
    """
    memo = request_memo()
    found: NullTranslations | None = memo.get(_TRANSLATIONS)  # type: ignore[assignment]
    if found is None:
        found = memo[_TRANSLATIONS] = get_translations()
    return found


class RequestDomain(Domain):  # type: ignore[misc]
    """Flask-Babel's message domain, whose catalogue look-up is `request_translations`'s.

    Python code translates through Flask-Babel (``gettext``, and every lazy string: menu
    entries, form labels, role names), and its domain looked the catalogue up again for each
    string (the request's locale, then its cache, each a few context reads). Here the first
    look-up of a request keeps it in the request memo (`flask.g` outside one), as Flask-Babel
    keeps the locale it comes from on `flask.g`: the same catalogue, for the same locale, found
    once.
    """

    def get_translations(self) -> NullTranslations:
        """The catalogue of the current context's locale (a null one outside a context)."""
        if not has_app_context():
            return cast(NullTranslations, super().get_translations())
        memo = request_memo()
        found: NullTranslations | None = memo.get(_TRANSLATIONS)  # type: ignore[assignment]
        if found is None:
            found = memo[_TRANSLATIONS] = cast(NullTranslations, super().get_translations())
        return found


def configure(app: Flask, settings: Settings) -> None:
    """Point Babel at the catalogues and work out the languages offered (call before the
    extension is bound). ``settings.translations_path``, when set, holds more catalogues and
    wins over the built-in ones. Raises `ValidationError` if the default language is not
    offered.
    """
    directories = [TRANSLATIONS_PATH]
    if settings.translations_path is not None:
        directories.insert(0, settings.translations_path)
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = ";".join(str(d) for d in directories)
    offered = available_languages(directories, settings.languages)
    if settings.default_locale not in offered:
        raise ValidationError(
            {
                "NCEN_DEFAULT_LOCALE": (
                    f"{settings.default_locale} has no compiled catalogue or is not in "
                    "NCEN_LANGUAGES"
                )
            }
        )
    app.extensions["ncen_languages"] = offered


def init_app(app: Flask) -> None:
    """Expose language helpers to templates (dates, numbers, role names, the language list),
    and have templates translate through `request_translations` (call after Flask-Babel's
    ``init_app``, whose template callables these replace)."""
    app.jinja_env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=lambda string: request_translations().ugettext(string),
        ngettext=lambda s, p, n: request_translations().ungettext(s, p, n),
        newstyle=True,
    )
    cached_datetime, cached_date = cached_date_formats()
    app.jinja_env.globals.update(
        LANGUAGES=app.extensions["ncen_languages"],
        get_locale=get_locale,
        format_datetime=cached_datetime,
        format_date=cached_date,
        now=utcnow,
        format_number=format_number,
        format_decimal=format_decimal,
        role_label=role_label,
    )
