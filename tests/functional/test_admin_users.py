"""User administration through the web: create, validate, roles, disable/enable, resets."""

from __future__ import annotations

import re

from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from ncen.accounts.models import Role, User
from tests.functional.conftest import post_form, reload, sign_in
from tests.web_support import make_user, tx

XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def _admin(client: FlaskClient, db: Session) -> User:
    admin = make_user(db, Role.ADMINISTRATOR)
    assert sign_in(client, admin).status_code == 302
    return admin


def _one_time_password(html: str) -> str:
    match = re.search(r'id="one-time-password">([^<]+)<', html)
    assert match is not None
    return match.group(1)


def test_create_user_shows_a_one_time_password(client: FlaskClient, db: Session) -> None:
    _admin(client, db)
    response = post_form(
        client,
        "/admin/users/new",
        {
            "username": "new.officer",
            "display_name": "New Officer",
            "locale": "fr",
            "roles": ["investigator", "analyst"],
        },
    )
    assert response.status_code == 200
    password = _one_time_password(response.text)
    with tx(db):
        user = db.execute(select(User).where(User.username == "new.officer")).scalar_one()
        assert user.roles == {Role.INVESTIGATOR, Role.ANALYST}
        assert user.must_change_password is True
        assert user.locale == "fr"
    assert "new.officer" in client.get("/admin/users").text
    newcomer = client.application.test_client()
    assert sign_in(newcomer, user, password).location == "/home"
    assert newcomer.get("/home").location == "/auth/password"


def test_invalid_input_is_shown_next_to_fields_and_kept(client: FlaskClient, db: Session) -> None:
    admin = _admin(client, db)
    response = post_form(
        client,
        "/admin/users/new",
        {
            "username": admin.username,
            "display_name": "Kept Name",
            "email": "not-an-address",
            "locale": "ru",
            "roles": ["analyst"],
            "password": "short",
        },
    )
    assert response.status_code == 200
    assert f"{admin.username} is already taken" in response.text
    assert "Invalid email address." in response.text or "is not an e-mail address" in response.text
    assert 'value="Kept Name"' in response.text
    assert 'value="not-an-address"' in response.text
    assert re.search(r'value="analyst"[^>]*checked|checked[^>]*value="analyst"', response.text)
    assert "short" not in re.findall(r'type="password" value="([^"]*)"', response.text)


def test_service_errors_map_to_fields(client: FlaskClient, db: Session) -> None:
    _admin(client, db)
    response = post_form(
        client,
        "/admin/users/new",
        {
            "username": "Bad Name!",
            "display_name": "X",
            "locale": "en",
            "roles": ["analyst"],
            "password": "aaaaaaaaaaaaaaaa",
        },
    )
    assert "use 2-64 lower-case letters" in response.text
    assert "is too repetitive" in response.text


def test_forged_role_is_refused(client: FlaskClient, db: Session) -> None:
    _admin(client, db)
    target = make_user(db, Role.ANALYST)
    response = post_form(client, f"/admin/users/{target.id}/roles", {"roles": ["superuser"]})
    assert response.status_code == 200
    assert "&#39;superuser&#39; is not a valid choice for this field." in response.text
    assert reload(db, target).roles == {Role.ANALYST}


def test_at_least_one_role(client: FlaskClient, db: Session) -> None:
    _admin(client, db)
    target = make_user(db, Role.ANALYST)
    response = post_form(client, f"/admin/users/{target.id}/roles", {})
    assert "Choose at least one role." in response.text
    assert reload(db, target).roles == {Role.ANALYST}


def test_roles_are_changed(client: FlaskClient, db: Session) -> None:
    _admin(client, db)
    target = make_user(db, Role.ANALYST)
    response = post_form(
        client, f"/admin/users/{target.id}/roles", {"roles": ["analyst", "supervisor"]}
    )
    assert response.status_code == 302
    assert reload(db, target).roles == {Role.ANALYST, Role.SUPERVISOR}
    assert "Roles saved." in client.get(response.location).text


def test_administrator_cannot_remove_own_role_or_disable_self(
    client: FlaskClient, db: Session
) -> None:
    admin = _admin(client, db)
    response = post_form(client, f"/admin/users/{admin.id}/roles", {"roles": ["analyst"]})
    assert "you cannot change your own roles" in response.text
    response = post_form(client, f"/admin/users/{admin.id}/disable", {})
    assert "you cannot disable your own account" in client.get(response.location).text
    assert reload(db, admin).active is True


def test_disable_enable_and_resets(client: FlaskClient, db: Session) -> None:
    _admin(client, db)
    target = make_user(db, Role.EXCHANGE_OFFICER)
    other = client.application.test_client()
    sign_in(other, target)
    assert other.get("/home").status_code == 200

    post_form(client, f"/admin/users/{target.id}/disable", {})
    assert reload(db, target).active is False
    assert other.get("/home").status_code == 302  # the disabled user's session ended
    post_form(client, f"/admin/users/{target.id}/enable", {})
    assert reload(db, target).active is True

    response = post_form(client, f"/admin/users/{target.id}/reset-two-factor", {})
    assert response.status_code == 302
    assert reload(db, target).totp_secret is None

    response = post_form(client, f"/admin/users/{target.id}/reset-password", {})
    password = _one_time_password(response.text)
    fresh = reload(db, target)
    assert fresh.must_change_password is True
    # A reset account replaces its one-time password first, then enrols a second factor again.
    assert sign_in(other, fresh, password).location == "/auth/password/first"


def test_user_input_is_escaped_everywhere(client: FlaskClient, db: Session) -> None:
    _admin(client, db)
    victim = make_user(db, Role.ANALYST, display_name=XSS)
    for url in ["/admin/users", f"/admin/users/{victim.id}", f"/admin/audit?user={XSS}"]:
        html = client.get(url).text
        assert "<script>alert" not in html, url
        assert "<img src=x" not in html, url
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in client.get("/admin/users").text
    viewer = client.application.test_client()
    sign_in(viewer, victim)
    assert "<script>alert" not in viewer.get("/home").text


def test_team_is_set_and_bad_names_are_refused(client: FlaskClient, db: Session) -> None:
    _admin(client, db)
    target = make_user(db, Role.ANALYST)
    response = post_form(
        client, f"/admin/users/{target.id}/team", {"team": "Khorgos"}, follow_redirects=True
    )
    assert response.status_code == 200
    assert 'id="user-team">Khorgos<' in response.text
    assert reload(db, target).team == "Khorgos"
    response = post_form(client, f"/admin/users/{target.id}/team", {"team": "bad\u202eteam"})
    assert response.status_code == 200
    assert "invalid-feedback" in response.text
    assert reload(db, target).team == "Khorgos"
    post_form(client, f"/admin/users/{target.id}/team", {"team": ""})
    assert reload(db, target).team is None
