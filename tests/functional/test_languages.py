"""English, French and Russian: the switcher, the per-user choice, localised dates, numbers and
plurals, translated form messages, and catalogues that cover every string of the code."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.dates import format_datetime
from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import read_po
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from ncen.accounts.models import Role
from tests.functional.conftest import post_form, reload, sign_in
from tests.web_support import make_user
from web.i18n import TRANSLATIONS_PATH


def _switch(client: FlaskClient, locale: str, back_to: str = "/auth/sign-in") -> None:
    response = post_form(client, "/auth/language", {"lang-locale": locale, "lang-next": back_to})
    assert response.status_code == 302
    assert response.location == back_to


def test_anonymous_visitor_switches_language(client: FlaskClient) -> None:
    assert '<h1 class="h3 mb-3">Sign in</h1>' in client.get("/auth/sign-in").text
    _switch(client, "fr")
    page = client.get("/auth/sign-in").text
    assert '<html lang="fr"' in page
    assert "Se connecter" in page
    assert "Nom d'utilisateur" in page
    _switch(client, "ru")
    page = client.get("/auth/sign-in").text
    assert '<html lang="ru"' in page
    assert "Войти" in page
    assert "Имя пользователя" in page


def test_browser_preference_is_used_before_any_choice(client: FlaskClient) -> None:
    page = client.get("/auth/sign-in", headers={"Accept-Language": "ru-RU,ru;q=0.9,en;q=0.5"})
    assert "Войти" in page.text


def test_open_redirect_through_the_language_switch_is_refused(client: FlaskClient) -> None:
    response = post_form(
        client, "/auth/language", {"lang-locale": "fr", "lang-next": "//evil.example/"}
    )
    assert response.location == "/"


def test_signed_in_choice_is_kept_on_the_account(client: FlaskClient, db: Session) -> None:
    user = make_user(db, Role.ADMINISTRATOR, display_name="Жанна <Ж>")
    make_user(db, Role.ANALYST)
    sign_in(client, user)
    _switch(client, "ru", back_to="/home")
    assert reload(db, user).locale == "ru"
    home = client.get("/home").text
    assert "Добро пожаловать, Жанна &lt;Ж&gt;" in home
    assert "Пользователи" in home  # the navigation
    users = client.get("/admin/users").text
    assert "учётные записи" in users or "учётных записей" in users  # Russian plural forms
    # Dates in the user's language: the admin's own last sign-in on its account page.
    last = reload(db, user).last_login_at
    assert last is not None
    detail = client.get(f"/admin/users/{user.id}").text
    assert format_datetime(last, format="medium", locale="ru", tzinfo=last.tzinfo) in detail

    post_form(client, "/auth/sign-out", {})
    sign_in(client, user)
    assert "Добро пожаловать" in client.get("/home").text  # remembered across sessions


def test_french_form_messages(client: FlaskClient, db: Session) -> None:
    sign_in(client, make_user(db, Role.ADMINISTRATOR, locale="fr"))
    response = post_form(
        client,
        "/admin/users/new",
        {
            "username": "x" * 70,
            "display_name": "",
            "locale": "fr",
            "roles": ["analyst"],
            "password": "aaaaaaaaaaaaaaaa",
        },
    )
    assert "Ce champ est requis." in response.text  # WTForms' own catalogue
    assert "Le champ ne peut pas contenir plus de 64 caractères." in response.text
    assert "Créer l" in response.text  # the submit button
    forbidden = client.get("/nowhere")
    assert "Cette page ou cette fiche n&#39;existe pas" in forbidden.text


def test_russian_service_messages(client: FlaskClient, db: Session) -> None:
    sign_in(client, make_user(db, Role.ADMINISTRATOR, locale="ru"))
    response = post_form(
        client,
        "/admin/users/new",
        {
            "username": "new.one",
            "display_name": "Новый",
            "locale": "ru",
            "roles": ["analyst"],
            "password": "aaaaaaaaaaaaaaaa",
        },
    )
    assert "слишком однообразен" in response.text


def _msgids(path: Path) -> set[str]:
    with path.open("rb") as handle:
        catalog = read_po(handle)
    return {m.id if isinstance(m.id, str) else m.id[0] for m in catalog if m.id}


def test_template_matches_the_code(tmp_path: Path) -> None:
    fresh = tmp_path / "messages.pot"
    root = TRANSLATIONS_PATH.parents[1]
    CommandLineInterface().run(
        [
            "pybabel",
            "-q",
            "extract",
            "-F",
            str(root / "web" / "babel.cfg"),
            "-k",
            "_l",
            "-k",
            "lazy_gettext",
            "-o",
            str(fresh),
            str(root),
        ]
    )
    assert _msgids(fresh) == _msgids(TRANSLATIONS_PATH / "messages.pot"), (
        "UI strings changed: refresh the catalogues (see web/translations/README.md)"
    )


@pytest.mark.parametrize("locale", ["en", "fr", "ru"])
def test_catalogue_is_complete(locale: str) -> None:
    with (TRANSLATIONS_PATH / locale / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        catalog = read_po(handle, locale=locale)
    assert not catalog.fuzzy
    untranslated = [m.id for m in catalog if m.id and (not m.string or m.fuzzy)]
    assert untranslated == []
    assert {m.id if isinstance(m.id, str) else m.id[0] for m in catalog if m.id} == _msgids(
        TRANSLATIONS_PATH / "messages.pot"
    )
