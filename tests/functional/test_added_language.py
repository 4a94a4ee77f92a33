"""Adding a language is a catalogue plus, at most, a setting: no code edit (issue 15)."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from flask import Flask
from sqlalchemy.orm import Session

from ncen.accounts.models import Role
from ncen.errors import ValidationError
from tests.functional.conftest import post_form, reload, sign_in
from tests.web_support import make_user


def _german(translations_dir: Path, target: Path) -> Path:
    """The session's compiled catalogues plus a German one with a single message."""
    shutil.copytree(translations_dir, target)
    catalog = Catalog(locale="de")
    catalog.add("Sign in", "Anmelden")
    (target / "de" / "LC_MESSAGES").mkdir(parents=True)
    with (target / "de" / "LC_MESSAGES" / "messages.mo").open("wb") as out:
        write_mo(out, catalog)
    return target


def test_a_new_catalogue_makes_its_language_selectable(
    make_app: Callable[..., Flask], db: Session, translations_dir: Path, tmp_path: Path
) -> None:
    app = make_app(translations_path=_german(translations_dir, tmp_path / "tr"))
    client = app.test_client()
    page = client.get("/auth/sign-in").text
    # Named by CLDR in its own language, next to the others.
    assert 'value="de"' in page
    assert "Deutsch" in page
    assert "Français" in page
    assert "Русский" in page
    response = post_form(client, "/auth/language", {"lang-locale": "de", "lang-next": "/"})
    assert response.status_code == 302
    page = client.get("/auth/sign-in").text
    assert '<html lang="de"' in page
    assert "Anmelden" in page
    # An account may keep it too.
    user = make_user(db, Role.INVESTIGATOR)
    sign_in(client, user)
    post_form(client, "/auth/language", {"lang-locale": "de", "lang-next": "/"})
    assert reload(db, user).locale == "de"


def test_without_the_catalogue_the_language_is_not_offered(
    make_app: Callable[..., Flask], db: Session
) -> None:
    client = make_app().test_client()
    assert 'value="de"' not in client.get("/auth/sign-in").text
    post_form(client, "/auth/language", {"lang-locale": "de", "lang-next": "/"})
    assert '<html lang="de"' not in client.get("/auth/sign-in").text


def test_the_setting_narrows_the_languages(make_app: Callable[..., Flask], db: Session) -> None:
    client = make_app(languages=("en", "ru")).test_client()
    page = client.get("/auth/sign-in").text
    assert "Русский" in page
    assert 'value="fr"' not in page
    # An account kept in a language no longer offered reads the node's default, without error.
    sign_in(client, make_user(db, Role.INVESTIGATOR, locale="fr"))
    account = client.get("/auth/account")
    assert account.status_code == 200
    assert '<html lang="en"' in account.text


def test_a_default_language_without_catalogue_is_refused(make_app: Callable[..., Flask]) -> None:
    with pytest.raises(ValidationError) as caught:
        make_app(default_locale="de")
    assert "NCEN_DEFAULT_LOCALE" in caught.value.errors
