"""Separation of duties on accounts (issue 12, items 3 and 4).

Nobody changes their own roles; the administrator and the auditor roles never go with a role
that reads nominal data (nor with each other); creating, resetting or granting an account that
reads nominal data is audited and raises an alert that only auditors see and acknowledge.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from ncen.accounts import alerts
from ncen.accounts.actor import Actor
from ncen.accounts.models import AccountAlert, Role, User
from ncen.accounts.services import create_user, reset_password, set_active, set_roles
from ncen.accounts.totp import reset_totp
from ncen.audit import AuditEvent
from ncen.errors import PermissionDeniedError, ValidationError
from ncen.policy import NOMINAL_DATA_ROLES, Action, is_allowed
from tests.conftest import make_actor

PASSWORD = "correct horse battery staple 42"
NOMINAL = (Role.INVESTIGATOR, Role.ANALYST, Role.SUPERVISOR, Role.EXCHANGE_OFFICER)


def _create(session: Session, actor: Actor, name: str, *roles: Role) -> User:
    with session.begin():
        return create_user(
            session, actor, username=name, display_name=name, password=PASSWORD, roles=roles
        )


def test_nominal_data_roles_are_derived_from_the_policy() -> None:
    assert frozenset(NOMINAL) == NOMINAL_DATA_ROLES
    auditor = Actor(user_id=None, username="x", roles=frozenset({Role.AUDITOR}))
    assert auditor.has(Role.AUDITOR)


def test_auditor_reads_the_audit_and_no_records(session: Session) -> None:
    auditor = make_actor(session, Role.AUDITOR)
    admin = make_actor(session, Role.ADMINISTRATOR)
    assert is_allowed(auditor, Action.READ_AUDIT)
    assert is_allowed(auditor, Action.READ_AUDIT_DETAILS)
    assert is_allowed(auditor, Action.REVIEW_ACCOUNT_ALERTS)
    assert not is_allowed(admin, Action.READ_AUDIT_DETAILS)
    assert not is_allowed(admin, Action.REVIEW_ACCOUNT_ALERTS)
    for action in (Action.READ_RECORDS, Action.SEARCH, Action.MANAGE_USERS, Action.RUN_EXCHANGE):
        assert not is_allowed(auditor, action), action


def test_nobody_changes_their_own_roles(session: Session) -> None:
    admin = make_actor(session, Role.ADMINISTRATOR)
    assert admin.user_id is not None
    for roles in ([Role.ADMINISTRATOR, Role.SUPERVISOR], [Role.SUPERVISOR], [Role.ADMINISTRATOR]):
        with pytest.raises(ValidationError) as refused, session.begin():
            set_roles(session, admin, admin.user_id, roles)
        assert refused.value.errors == {"roles": "you cannot change your own roles"}


@pytest.mark.parametrize("oversight", [Role.ADMINISTRATOR, Role.AUDITOR])
@pytest.mark.parametrize("nominal", NOMINAL)
def test_oversight_roles_never_read_nominal_data(
    session: Session, oversight: Role, nominal: Role
) -> None:
    admin = make_actor(session, Role.ADMINISTRATOR)
    with pytest.raises(ValidationError) as refused:
        _create(session, admin, "mixed.one", oversight, nominal)
    assert "cannot be combined" in refused.value.errors["roles"]
    target = make_actor(session, nominal)
    assert target.user_id is not None
    with pytest.raises(ValidationError) as refused, session.begin():
        set_roles(session, admin, target.user_id, [oversight, nominal])
    assert "cannot be combined" in refused.value.errors["roles"]


def test_administrator_and_auditor_are_not_combined(session: Session) -> None:
    admin = make_actor(session, Role.ADMINISTRATOR)
    with pytest.raises(ValidationError) as refused:
        _create(session, admin, "both.hats", Role.ADMINISTRATOR, Role.AUDITOR)
    assert "cannot be combined" in refused.value.errors["roles"]


def test_the_system_actor_is_bound_by_the_combination_rule_too(session: Session) -> None:
    with pytest.raises(ValidationError):
        _create(session, Actor.system("cli"), "cli.mixed", Role.ADMINISTRATOR, Role.SUPERVISOR)


def _open_alerts(session: Session, auditor: Actor) -> list[AccountAlert]:
    with session.begin():
        return alerts.list_alerts(session, auditor)


def test_creating_and_resetting_nominal_accounts_alerts_the_auditors(session: Session) -> None:
    admin = make_actor(session, Role.ADMINISTRATOR)
    auditor = make_actor(session, Role.AUDITOR)
    _create(session, admin, "plain.admin", Role.ADMINISTRATOR)
    assert [(a.action, a.roles) for a in _open_alerts(session, auditor)] == [
        ("user.create", ["administrator"])  # an oversight role: the auditors see it too
    ]
    first = _open_alerts(session, auditor)[0]
    with session.begin():
        alerts.acknowledge_alert(session, auditor, first.id)

    user = _create(session, admin, "new.investigator", Role.INVESTIGATOR)
    with session.begin():
        reset_password(session, admin, user.id, "another long passphrase 77")
        reset_totp(session, admin, user.id)
    analyst = make_actor(session, Role.ANALYST)
    assert analyst.user_id is not None
    with session.begin():
        set_roles(session, admin, analyst.user_id, [Role.ANALYST, Role.SUPERVISOR])
    with session.begin():
        set_roles(session, admin, analyst.user_id, [Role.ANALYST])  # removing grants nothing

    found = _open_alerts(session, auditor)
    assert [(a.action, a.username) for a in reversed(found)] == [
        ("user.create", "new.investigator"),
        ("user.reset_password", "new.investigator"),
        ("user.totp_reset", "new.investigator"),
        ("user.roles", analyst.username),
    ]
    assert found[0].roles == ["supervisor"]  # the nominal roles granted
    assert all(a.actor_name == admin.username for a in found)
    # Each alert points at the audit event that recorded the act.
    with session.begin():
        event = session.get(AuditEvent, found[-1].audit_event_id)
        assert event is not None
        assert (event.action, event.record_id) == ("user.create", str(user.id))

    with pytest.raises(PermissionDeniedError), session.begin():
        alerts.list_alerts(session, admin)
    with pytest.raises(PermissionDeniedError), session.begin():
        alerts.acknowledge_alert(session, admin, found[0].id)

    with session.begin():
        alerts.acknowledge_alert(session, auditor, found[0].id)
    remaining = _open_alerts(session, auditor)
    assert found[0].id not in {a.id for a in remaining}
    with session.begin():
        assert alerts.count_open_alerts(session, auditor) == 3
        acknowledged = session.execute(
            select(AuditEvent)
            .where(AuditEvent.action == "account_alert.acknowledge")
            .order_by(AuditEvent.id.desc())
            .limit(1)
        ).scalar_one()
        assert acknowledged.actor_id == auditor.user_id


def test_re_enabling_a_nominal_account_and_granting_oversight_roles_alert_the_auditors(
    session: Session,
) -> None:
    """A disabled investigator account brought back is access to nominal data again; a new
    administrator or auditor changes who watches whom. Both reach the auditors."""
    admin = make_actor(session, Role.ADMINISTRATOR)
    auditor = make_actor(session, Role.AUDITOR)
    user = _create(session, admin, "dormant.investigator", Role.INVESTIGATOR)
    with session.begin():
        set_active(session, admin, user.id, active=False)
    before = {a.id for a in _open_alerts(session, auditor)}
    with session.begin():
        set_active(session, admin, user.id, active=True)
    _create(session, admin, "second.admin", Role.ADMINISTRATOR)
    new = [a for a in _open_alerts(session, auditor) if a.id not in before]
    assert sorted((a.action, a.username, tuple(a.roles)) for a in new) == [
        ("user.create", "second.admin", ("administrator",)),
        ("user.enable", "dormant.investigator", ("investigator",)),
    ]


def test_an_auditor_cannot_acknowledge_an_alert_about_their_own_account(session: Session) -> None:
    """Found by review: an administrator who makes (or resets) an auditor account and signs in
    as it must not be able to clear the alert about that very account."""
    admin = make_actor(session, Role.ADMINISTRATOR)
    made = _create(session, admin, "new.auditor", Role.AUDITOR)
    new_auditor = Actor.of(made)
    own = [a for a in _open_alerts(session, new_auditor) if a.user_id == made.id]
    assert own
    with pytest.raises(PermissionDeniedError), session.begin():
        alerts.acknowledge_alert(session, new_auditor, own[0].id)
