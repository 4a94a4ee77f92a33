"""The frame every page shares (menu, language footer), written from caches: the same markup as
a fresh rendering (the menu) or the inline template it replaced (the footer), for each user, page
and language.

`web.navigation.nav_menu` keeps the rendered menu per roles, language and page;
`web.auth.forms.language_hidden_fields` and `language_buttons` write the footer's form without
building it. Each is compared here with what the template rendered before (kept below as the
reference), so a change to one side that the other does not follow fails.
"""

# The reference templates below keep base.html's long lines as they were.
# ruff: noqa: E501

from __future__ import annotations

from flask import Flask, url_for
from flask_babel import get_locale
from flask_login import login_user
from sqlalchemy.orm import Session

from ncen.accounts.models import Role, User
from tests.web_support import make_user
from web.auth.forms import language_buttons, language_form, language_hidden_fields
from web.navigation import fixed_url, nav_menu
from web.security import load_user, session_epoch

# The footer buttons as base.html wrote them inline (the reference).
BUTTONS = """{% set lf = language_form() %}{% for code, name in LANGUAGES.items() %}
      <button type="submit" name="{{ lf.locale.name }}" value="{{ code }}" lang="{{ code }}"
              class="btn btn-sm {{ 'btn-secondary' if code == get_locale()|string else 'btn-outline-secondary' }}">{{ name }}</button>
      {% endfor %}"""


def _as(app: Flask, user: User, path: str) -> tuple[str, str]:
    """``nav_menu()`` (twice: the second from the cache) and the reference: ``_nav.html``
    rendered afresh, for ``user`` on ``path``."""
    with app.test_request_context(path):
        login_user(load_user(f"{user.id}:{session_epoch(user)}"))  # type: ignore[arg-type]
        assert str(get_locale()) == user.locale
        first, again = str(nav_menu()), str(nav_menu())
        assert first == again
        return again, app.jinja_env.get_template("_nav.html").render()


def test_the_kept_menu_is_a_fresh_rendering_for_each_role_page_and_language(
    app: Flask, db: Session
) -> None:
    supervisor = make_user(db, Role.SUPERVISOR)
    investigator = make_user(db, Role.INVESTIGATOR, locale="fr")
    admin = make_user(db, Role.ADMINISTRATOR, locale="ru")
    seen = set()
    for user in (supervisor, investigator, admin):
        for path in ("/seizures", "/persons", "/watch/alerts", "/auth/account", "/nowhere"):
            cached, reference = _as(app, user, path)
            assert cached == reference
            seen.add(cached)
    # Roles, languages and pages make different menus: the cache keeps them apart.
    assert len(seen) >= 6
    cached, _reference = _as(app, supervisor, "/seizures")
    assert 'href="/seizures" aria-current="page"' not in cached  # attributes come in order
    assert 'active" aria-current="page"\n             href="/seizures"' in cached


def test_the_menu_is_empty_when_signed_out(app: Flask) -> None:
    with app.test_request_context("/auth/sign-in"):
        assert str(nav_menu()) == ""


def test_the_footer_fields_are_the_language_forms_own(app: Flask) -> None:
    for path, method in (
        ("/seizures?q=a%22b%3C%26c&page=2", "GET"),
        ("/auth/account", "GET"),
        ("/seizures/new", "POST"),
        ("/", "GET"),
    ):
        with app.test_request_context(path, method=method):
            written = str(language_hidden_fields())
            assert written == str(language_form().hidden_tag())
            assert "lang-csrf_token" in written


def test_the_language_buttons_are_the_inline_template(app: Flask, db: Session) -> None:
    for locale in ("en", "fr", "ru"):
        user = make_user(db, Role.ANALYST, locale=locale)
        with app.test_request_context("/auth/account"):
            login_user(load_user(f"{user.id}:{session_epoch(user)}"))  # type: ignore[arg-type]
            written = str(language_buttons())
            assert written == app.jinja_env.from_string(BUTTONS).render()
            current = (
                f'value="{locale}" lang="{locale}"\n              class="btn btn-sm btn-secondary"'
            )
            assert current in written


def test_fixed_urls_are_url_for_under_each_root_path(app: Flask) -> None:
    links = (
        ("assets.vendor", {"filename": "bootstrap.min.css"}),
        ("static", {"filename": "app.js"}),
        ("home.index", {}),
        ("auth.sign_out", {}),
    )
    for root in ("", "/ncen", ""):
        with app.test_request_context("/auth/sign-in", base_url=f"http://localhost{root}/"):
            for endpoint, values in links:
                assert fixed_url(endpoint, **values) == url_for(endpoint, **values)
                assert fixed_url(endpoint, **values).startswith(f"{root}/")
