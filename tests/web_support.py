"""Helpers shared by the functional and end-to-end web tests (not fixtures: plain functions).

- `compile_translations` compiles the committed ``.po`` catalogues into a folder of ``.mo``
  files, so tests do not depend on the setup step having run.
- `tx` opens a transaction on the test's session even after a stale attribute autobegan one.
- `make_user` creates an account that can really sign in (argon2id hash of `PASSWORD`), with a
  TOTP secret for the roles that require one.
- `node_settings` are the settings of a test node (plain HTTP, so cookies are not Secure).
- `make_record` creates a seizure, person, company or conveyance through its service, and
  `jpeg` makes a small picture to upload.
"""

from __future__ import annotations

import base64
import itertools
import re
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pyotp
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from sqlalchemy.orm import Session

from ncen.accounts.actor import Actor
from ncen.accounts.models import Role, User
from ncen.accounts.services import create_user
from ncen.accounts.totp import totp_required
from ncen.secretbox import DEFAULT_KEY_FILE, SecretBox
from ncen.settings import Settings
from web.i18n import TRANSLATIONS_PATH

PASSWORD = "correct horse battery staple"
_numbers = itertools.count(1)
_CSRF = re.compile(r'name="(?:[a-z]+-)?csrf_token" type="hidden" value="([^"]+)"')


def compile_translations(target: Path) -> Path:
    """Compile every ``web/translations/<lang>/LC_MESSAGES/messages.po`` into ``target``."""
    for po_path in TRANSLATIONS_PATH.glob("*/LC_MESSAGES/messages.po"):
        with po_path.open("rb") as handle:
            catalog = read_po(handle, locale=po_path.parent.parent.name)
        mo_path = target / po_path.relative_to(TRANSLATIONS_PATH).with_suffix(".mo")
        mo_path.parent.mkdir(parents=True, exist_ok=True)
        with mo_path.open("wb") as handle:
            write_mo(handle, catalog)
    return target


@contextmanager
def tx(db: Session) -> Iterator[Session]:
    """``with db.begin():`` that first ends any transaction a stale attribute load autobegan."""
    if db.in_transaction():
        db.commit()
    with db.begin():
        yield db


# Every test node seals its secrets with this key (written into its instance folder by
# `node_settings`), so `make_user` can seal a TOTP secret without knowing the app.
TEST_SECRETS_KEY = bytes(range(32))


def secret_box_for_tests() -> SecretBox:
    """A box over `TEST_SECRETS_KEY`."""
    return SecretBox.from_key(TEST_SECRETS_KEY)


def node_settings(instance_path: Path, **overrides: object) -> Settings:
    """Settings of a test node served over plain HTTP, sealing with `TEST_SECRETS_KEY`."""
    key_file = instance_path / DEFAULT_KEY_FILE
    if not key_file.exists():
        instance_path.mkdir(parents=True, exist_ok=True)
        key_file.write_text(base64.urlsafe_b64encode(TEST_SECRETS_KEY).decode())
        key_file.chmod(0o600)
    values: dict[str, object] = {
        "instance_path": instance_path,
        "secret_key": "test-secret-key-" + "x" * 32,
        "secure_cookies": False,
        "node_id": "xx-test",
    }
    values.update(overrides)
    return Settings(**values)  # type: ignore[arg-type]


def make_user(
    db: Session,
    *roles: Role,
    username: str | None = None,
    password: str = PASSWORD,
    totp: bool | None = None,
    must_change_password: bool = False,
    locale: str = "en",
    display_name: str | None = None,
) -> User:
    """An account holding ``roles`` that signs in with ``password`` (committed to the savepoint).

    ``totp`` defaults to "if the roles require it"; the secret is stored sealed with
    `TEST_SECRETS_KEY`, and kept in clear in `TOTP_SECRETS` (codes: `totp_code`).
    """
    number = next(_numbers)
    name = username or f"{'-'.join(r.value for r in roles) or 'nobody'}{number}".replace("_", "")
    with tx(db):
        user = create_user(
            db,
            Actor.system("test"),
            username=name,
            display_name=display_name or f"Test User {number}",
            password=password,
            roles=roles,
            locale=locale,
            must_change_password=must_change_password,
        )
        if totp if totp is not None else totp_required(roles):
            secret = pyotp.random_base32()
            TOTP_SECRETS[user.id] = secret
            user.totp_secret = secret_box_for_tests().seal_text(
                secret, table="users", column="totp_secret", row_id=user.id
            )
    return user


# The clear TOTP secret of each user made by `make_user` (the database holds it sealed), and the
# last time step a helper gave a code for, so that no helper gives a code the node has used.
TOTP_SECRETS: dict[uuid.UUID, str] = {}
_LAST_STEPS: dict[uuid.UUID, int] = {}


def totp_code(user: User, secret: str | None = None) -> str:
    """A TOTP code for ``user`` (or ``secret``) at a time step not used before by this helper.

    The node accepts each step once and one step of drift either way. The helper starts from the
    current step, never the one before: a code for the previous step, made just before a step
    boundary, is two steps old when the node checks it a moment later (a CI flake). After two
    sign-ins of one user within one step this waits for the next step.
    """
    secret = secret or TOTP_SECRETS[user.id]
    while True:
        now_step = int(time.time()) // 30
        step = max(now_step, _LAST_STEPS.get(user.id, now_step - 1) + 1)
        if step <= now_step + 1:
            _LAST_STEPS[user.id] = step
            return pyotp.TOTP(secret).at(step * 30)
        time.sleep(1)


def csrf_token(html: str) -> str:
    """The CSRF token of the first form in ``html`` ("" when CSRF protection is off)."""
    match = _CSRF.search(html)
    return match.group(1) if match else ""


def jpeg(width: int = 64, height: int = 48, colour: tuple[int, int, int] = (200, 30, 30)) -> bytes:
    """A small JPEG picture (a different colour gives a different file)."""
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(buffer, "JPEG")
    return buffer.getvalue()


def make_record(db: Session, user: User, kind: str, **overrides: object) -> Any:
    """A seizure, person, company or conveyance created by ``user`` through its service."""
    from ncen.companies.services import create_company
    from ncen.conveyances.services import create_conveyance
    from ncen.persons.services import create_person
    from ncen.seizures.services import record_seizure
    from tests import factories

    create, data = {
        "seizure": (record_seizure, factories.seizure_data),
        "person": (create_person, factories.person_data),
        "company": (create_company, factories.company_data),
        "conveyance": (create_conveyance, factories.conveyance_data),
    }[kind]
    with tx(db):
        return create(db, Actor.of(user), data(**overrides))
