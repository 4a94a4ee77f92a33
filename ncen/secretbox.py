"""Secrets at rest in the database, sealed with a key that the database does not hold.

Some values must be stored so that the node can use them again, yet must not be readable by
whoever reads the database (a dump, a backup, a replica, a database role): TOTP secrets
(`ncen.accounts.totp`) and the keyed-hash keys agreed with peers for hit checks
(``exchange.services.hitcheck``). `SecretBox` seals them with AES-256-GCM (from ``cryptography``; no
home-made primitive) under a 32-byte key kept in a file outside the database:

- the file is ``NCEN_SECRETS_KEY_FILE`` when set (it must then exist: a clear
  `SecretKeyMissingError` otherwise), else ``<instance>/secrets_key``, created with mode 0600 the
  first time something is sealed (opening never creates it: a missing key is an error, never a
  new key that could open nothing);
- a key file that group or others may read, or of the wrong length, is refused;
- every ciphertext is bound to where it is stored: the associated data names the table, the
  column and the row id, so a sealed value copied into another row or column does not open;
- the stored form is ``version byte 0x01 | 12-byte random nonce | ciphertext and tag`` as bytes
  (`seal`), or ``sb1:`` followed by that in URL-safe base64 for text columns (`seal_text`).

Values written before sealing existed are recognised (`is_sealed_text`; for the fixed-size hit
keys, by their length) and sealed by their owners on first read (lazy conversion, see
docs/threat-model.md "Sign-in and secrets at rest").
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import os
import secrets
import stat
import tempfile
import threading
from pathlib import Path
from typing import Final, Protocol

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from ncen.errors import NcenError

KEY_BYTES: Final = 32
NONCE_BYTES: Final = 12
VERSION: Final = b"\x01"
TEXT_PREFIX: Final = "sb1:"
DEFAULT_KEY_FILE: Final = "secrets_key"
_DOMAIN: Final = b"ncen-secretbox-v1"


class SecretBoxError(NcenError):
    """A secret could not be sealed or opened (the message says what to fix; never the value)."""


class SecretKeyMissingError(SecretBoxError):
    """The key file is missing or unusable."""


class SecretOpenError(SecretBoxError):
    """A sealed value does not open: another key, another row, or altered bytes."""


class SecretsSettings(Protocol):
    """What `SecretBox.for_settings` reads; `ncen.settings.Settings` is one."""

    @property
    def instance_path(self) -> Path: ...

    @property
    def secrets_key_file(self) -> Path | None: ...


def _associated_data(table: str, column: str, row_id: object) -> bytes:
    return b"|".join([_DOMAIN, table.encode(), column.encode(), str(row_id).encode()])


def is_sealed_text(value: str) -> bool:
    """True if ``value`` is the text form written by `SecretBox.seal_text`."""
    return value.startswith(TEXT_PREFIX)


class SecretBox:
    """Seals and opens small secrets under the node's secrets key (loaded on first use).

    Thread-safe; the key is read once per instance. Construct with `for_settings` (the node's
    key file) or `from_key` (a key already in memory, for tests and tools).
    """

    def __init__(self, key_file: Path | None, *, create: bool, key: bytes | None = None) -> None:
        self._key_file = key_file
        self._create = create
        self._key = key
        self._lock = threading.Lock()

    @classmethod
    def for_settings(cls, settings: SecretsSettings) -> SecretBox:
        """The box of a node: ``settings.secrets_key_file`` (must exist) or the instance file
        (created on first seal). Nothing is read until a value is sealed or opened."""
        if settings.secrets_key_file is not None:
            return cls(settings.secrets_key_file, create=False)
        return cls(settings.instance_path / DEFAULT_KEY_FILE, create=True)

    @classmethod
    def from_key(cls, key: bytes) -> SecretBox:
        """A box over ``key`` (32 bytes) that never touches a file."""
        if len(key) != KEY_BYTES:
            raise SecretKeyMissingError(f"a secrets key is {KEY_BYTES} bytes, not {len(key)}")
        return cls(None, create=False, key=key)

    def _load(self, *, creating: bool) -> AESGCM:
        with self._lock:
            if self._key is None:
                self._key = self._read_key_file(creating=creating)
            return AESGCM(self._key)

    def _read_key_file(self, *, creating: bool) -> bytes:
        path = self._key_file
        if path is None:  # pragma: no cover - from_key always sets the key
            raise SecretKeyMissingError("this secret box has no key")
        if not path.exists():
            if not (creating and self._create):
                raise SecretKeyMissingError(
                    f"the secrets key file {path} is missing: restore it from the node's backup "
                    "(without it, sealed TOTP secrets and hit-check keys cannot be opened)"
                )
            write_key_file(path)
        info = path.stat()
        if info.st_mode & (stat.S_IRWXG | stat.S_IRWXO):
            raise SecretKeyMissingError(
                f"the secrets key file {path} is readable by others: chmod 600 {path}"
            )
        try:
            key = base64.urlsafe_b64decode(path.read_text(encoding="ascii").strip())
        except (binascii.Error, ValueError, UnicodeDecodeError) as exc:
            raise SecretKeyMissingError(f"the secrets key file {path} is not a key") from exc
        if len(key) != KEY_BYTES:
            raise SecretKeyMissingError(
                f"the secrets key file {path} is not a {KEY_BYTES}-byte key"
            )
        return key

    def seal(self, plaintext: bytes, *, table: str, column: str, row_id: object) -> bytes:
        """Encrypt ``plaintext`` for the cell (``table``, ``column``, ``row_id``).

        Creates the instance key file on first use. Raises `SecretKeyMissingError`.
        """
        nonce = secrets.token_bytes(NONCE_BYTES)
        sealed = self._load(creating=True).encrypt(
            nonce, plaintext, _associated_data(table, column, row_id)
        )
        return VERSION + nonce + sealed

    def open(self, blob: bytes, *, table: str, column: str, row_id: object) -> bytes:
        """Decrypt a value sealed for the same cell.

        Raises `SecretKeyMissingError` (no key) or `SecretOpenError` (another key or cell, or
        altered bytes).
        """
        aead = self._load(creating=False)
        if len(blob) < 1 + NONCE_BYTES + 16 or blob[:1] != VERSION:
            raise SecretOpenError(f"{table}.{column} of {row_id} is not a sealed value")
        try:
            return aead.decrypt(
                blob[1 : 1 + NONCE_BYTES],
                blob[1 + NONCE_BYTES :],
                _associated_data(table, column, row_id),
            )
        except InvalidTag as exc:
            raise SecretOpenError(
                f"{table}.{column} of {row_id} does not open with this node's secrets key "
                "(another key file, or the value was altered or moved)"
            ) from exc

    def seal_text(self, plaintext: str, *, table: str, column: str, row_id: object) -> str:
        """`seal` for a text column: ``sb1:`` and URL-safe base64."""
        blob = self.seal(plaintext.encode(), table=table, column=column, row_id=row_id)
        return TEXT_PREFIX + base64.urlsafe_b64encode(blob).decode("ascii")

    def open_text(self, stored: str, *, table: str, column: str, row_id: object) -> str:
        """`open` for a value written by `seal_text`. Raises like `open`."""
        if not is_sealed_text(stored):
            raise SecretOpenError(f"{table}.{column} of {row_id} is not a sealed value")
        try:
            blob = base64.urlsafe_b64decode(stored[len(TEXT_PREFIX) :].encode("ascii"))
        except (binascii.Error, ValueError) as exc:
            raise SecretOpenError(f"{table}.{column} of {row_id} is not a sealed value") from exc
        return self.open(blob, table=table, column=column, row_id=row_id).decode()


def write_key_file(path: Path) -> None:
    """Create ``path`` (mode 0600, parents 0700) holding a fresh random key; never overwrites.

    The key is written to a private temporary file first and then hard-linked into place, so a
    concurrent reader sees either no file or a whole key, and two processes agree on one key.
    """
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".secrets_key.")  # mode 0600
    try:
        with os.fdopen(fd, "w", encoding="ascii") as handle:
            handle.write(base64.urlsafe_b64encode(secrets.token_bytes(KEY_BYTES)).decode("ascii"))
        with contextlib.suppress(FileExistsError):  # another process made it first: use theirs
            os.link(temporary, path)
    finally:
        os.unlink(temporary)
