"""Use cases for user accounts: create, list, disable, enable, reset password, change roles.

Only administrators manage users (checked here, by the policy). Every change is audited; the
audit never contains a password or hash. Separation of duties is enforced here for every entry
point (web, command line): nobody changes their own roles, the oversight roles are never
combined with roles that read nominal data (`ncen.policy.role_conflict`), and creating,
resetting or granting an account that reads nominal data raises an alert for the auditors
(`ncen.accounts.alerts`).
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ncen.accounts.actor import Actor
from ncen.accounts.alerts import raise_if_nominal
from ncen.accounts.models import Role, User, UserRole
from ncen.accounts.passwords import check_policy, hash_password
from ncen.audit import record_event
from ncen.db import utcnow
from ncen.errors import NotFoundError, ValidationError
from ncen.languages import is_language_code
from ncen.policy import Action, require, role_conflict
from ncen.text import text_problem
from ncen.validation import Checker

_USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")


def _roles(values: Iterable[str | Role]) -> frozenset[Role]:
    roles: set[Role] = set()
    bad = []
    for value in values:
        try:
            roles.add(Role(value))
        except ValueError:
            bad.append(str(value))
    if bad or not roles:
        allowed = ", ".join(r.value for r in Role)
        raise ValidationError({"roles": f"choose at least one of {allowed}"})
    conflict = role_conflict(frozenset(roles))
    if conflict:
        raise ValidationError({"roles": conflict})
    return frozenset(roles)


def create_user(
    session: Session,
    actor: Actor,
    *,
    username: str,
    display_name: str,
    password: str,
    roles: Iterable[str | Role],
    email: str | None = None,
    locale: str = "en",
    must_change_password: bool = True,
) -> User:
    """Create an account. Raises `ValidationError` (every bad field) or `PermissionDeniedError`.

    Side effects: a ``user.create`` audit event, and an alert for the auditors when the roles
    read nominal data.
    """
    require(actor, Action.MANAGE_USERS)
    errors: dict[str, str] = {}
    username = username.strip().lower()
    if not _USERNAME.match(username):
        errors["username"] = "use 2-64 lower-case letters, digits, dots, dashes or underscores"
    elif session.execute(select(User.id).where(User.username == username)).first():
        errors["username"] = f"{username} is already taken"
    if not display_name.strip() or len(display_name) > 200:
        errors["display_name"] = "is required (at most 200 characters)"
    elif problem := text_problem(display_name.strip()):  # shown in every audit line as "who"
        errors["display_name"] = problem
    if email and ("@" not in email or len(email) > 254):
        errors["email"] = "is not an e-mail address"
    if not is_language_code(locale):
        errors["locale"] = "is not a language code (such as en, fr or ru)"
    try:
        check_policy(password, username=username)
    except ValidationError as exc:
        errors.update(exc.errors)
    try:
        role_set = _roles(roles)
    except ValidationError as exc:
        errors.update(exc.errors)
        role_set = frozenset()
    if errors:
        raise ValidationError(errors)
    user = User(
        username=username,
        display_name=display_name.strip(),
        email=email or None,
        password_hash=hash_password(password),
        password_changed_at=utcnow(),
        must_change_password=must_change_password,
        locale=locale,
        role_rows=[UserRole(role=r) for r in sorted(role_set)],
    )
    session.add(user)
    session.flush()
    event = record_event(
        session,
        actor,
        "user.create",
        record_type="user",
        record_id=user.id,
        details={"username": username, "roles": sorted(r.value for r in role_set)},
    )
    raise_if_nominal(session, actor, user, event, role_set)
    return user


def get_user(session: Session, user_id: uuid.UUID) -> User:
    """The user, or `NotFoundError`."""
    user = session.get(User, user_id)
    if user is None:
        raise NotFoundError("user", user_id)
    return user


def find_user(session: Session, username: str) -> User:
    """The user named ``username`` (case-insensitive), or `NotFoundError`."""
    user = session.execute(
        select(User).where(func.lower(User.username) == username.strip().lower())
    ).scalar_one_or_none()
    if user is None:
        raise NotFoundError("user", username)
    return user


def list_users(session: Session, actor: Actor) -> list[User]:
    """All accounts, by username."""
    require(actor, Action.MANAGE_USERS)
    return list(session.execute(select(User).order_by(User.username)).scalars())


def set_active(session: Session, actor: Actor, user_id: uuid.UUID, *, active: bool) -> User:
    """Disable (or re-enable) an account. An administrator cannot disable itself."""
    require(actor, Action.MANAGE_USERS)
    user = get_user(session, user_id)
    if not active and actor.user_id == user.id:
        raise ValidationError({"active": "you cannot disable your own account"})
    user.active = active
    if active:
        user.failed_logins = 0
        user.locked_until = None
        user.last_login_at = utcnow()  # re-enabling restarts the inactivity clock
    session.flush()
    event = record_event(
        session,
        actor,
        "user.enable" if active else "user.disable",
        record_type="user",
        record_id=user.id,
        details={"username": user.username},
    )
    if active:  # access to nominal data (or oversight) again: the auditors must know
        raise_if_nominal(session, actor, user, event, user.roles)
    return user


def reset_password(session: Session, actor: Actor, user_id: uuid.UUID, new_password: str) -> User:
    """Set a new (one-time) password; the user must change it at next sign-in.

    Side effects: a ``user.reset_password`` audit event, and an alert for the auditors when the
    account reads nominal data (whoever knows the new password can read as that user).
    """
    require(actor, Action.MANAGE_USERS)
    user = get_user(session, user_id)
    check_policy(new_password, username=user.username)
    user.password_hash = hash_password(new_password)
    user.password_changed_at = utcnow()
    user.must_change_password = True
    user.failed_logins = 0
    user.locked_until = None
    session.flush()
    event = record_event(
        session,
        actor,
        "user.reset_password",
        record_type="user",
        record_id=user.id,
        details={"username": user.username},
    )
    raise_if_nominal(session, actor, user, event, user.roles)
    return user


def set_roles(
    session: Session, actor: Actor, user_id: uuid.UUID, roles: Iterable[str | Role]
) -> User:
    """Replace a user's roles; nobody changes their own.

    Raises `ValidationError` on ``roles`` (own account, unknown role, forbidden combination),
    `NotFoundError` or `PermissionDeniedError`. Side effects: a ``user.roles`` audit event, and
    an alert for the auditors when a role that reads nominal data is granted.
    """
    require(actor, Action.MANAGE_USERS)
    user = get_user(session, user_id)
    if actor.user_id == user.id:
        raise ValidationError({"roles": "you cannot change your own roles"})
    role_set = _roles(roles)
    granted = role_set - user.roles
    before = sorted(r.value for r in user.roles)
    user.role_rows = [UserRole(role=r) for r in sorted(role_set)]
    session.flush()
    event = record_event(
        session,
        actor,
        "user.roles",
        record_type="user",
        record_id=user.id,
        details={"before": before, "after": sorted(r.value for r in role_set)},
    )
    raise_if_nominal(session, actor, user, event, granted)
    return user


def set_team(session: Session, actor: Actor, user_id: uuid.UUID, team: object) -> User:
    """Put a user in ``team`` (a name of at most 64 characters, compared as written once
    stripped; empty: no team). Raises `ValidationError` on ``team``, `NotFoundError` or
    `PermissionDeniedError`. Side effect: a ``user.team`` audit event with before and after."""
    require(actor, Action.MANAGE_USERS)
    user = get_user(session, user_id)
    checker = Checker(session, {"team": team})
    name = checker.text("team", max_len=64)
    checker.raise_if_errors()
    before = user.team
    user.team = name or None
    session.flush()
    record_event(
        session,
        actor,
        "user.team",
        record_type="user",
        record_id=user.id,
        details={"username": user.username, "before": before, "after": user.team},
    )
    return user
