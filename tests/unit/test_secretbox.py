"""ncen.secretbox: AES-256-GCM sealing bound to a table/column/row, key file outside the
database (created 0600 on first seal, never on open; refused when others may read it)."""

from __future__ import annotations

import base64
import stat
import uuid
from pathlib import Path

import pytest

from ncen.secretbox import (
    SecretBox,
    SecretKeyMissingError,
    SecretOpenError,
    is_sealed_text,
)
from ncen.settings import Settings

ROW = uuid.UUID(int=7)


def test_round_trip_and_key_file_created_owner_only(tmp_path: Path) -> None:
    box = SecretBox.for_settings(Settings(instance_path=tmp_path))
    sealed = box.seal(b"k" * 32, table="exchange_hit_keys", column="key", row_id="de-ncen")
    assert b"k" * 8 not in sealed
    assert len(sealed) == 1 + 12 + 32 + 16
    key_file = tmp_path / "secrets_key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    again = SecretBox.for_settings(Settings(instance_path=tmp_path))  # another process
    opened = again.open(sealed, table="exchange_hit_keys", column="key", row_id="de-ncen")
    assert opened == b"k" * 32


def test_text_form(tmp_path: Path) -> None:
    box = SecretBox.from_key(bytes(32))
    sealed = box.seal_text("JBSWY3DPEHPK3PXP", table="users", column="totp_secret", row_id=ROW)
    assert is_sealed_text(sealed)
    assert not is_sealed_text("JBSWY3DPEHPK3PXP")
    assert "JBSWY3DP" not in sealed
    assert len(sealed) <= 200  # fits users.totp_secret
    opened = box.open_text(sealed, table="users", column="totp_secret", row_id=ROW)
    assert opened == "JBSWY3DPEHPK3PXP"
    # Two seals of one value differ (random nonce).
    assert sealed != box.seal_text(
        "JBSWY3DPEHPK3PXP", table="users", column="totp_secret", row_id=ROW
    )


@pytest.mark.parametrize(
    ("table", "column", "row_id"),
    [
        ("users", "totp_secret", uuid.UUID(int=8)),  # copied into another row
        ("users", "totp_pending_secret", ROW),  # another column
        ("exchange_hit_keys", "totp_secret", ROW),  # another table
    ],
)
def test_a_value_moved_elsewhere_does_not_open(table: str, column: str, row_id: object) -> None:
    box = SecretBox.from_key(bytes(32))
    sealed = box.seal(b"secret", table="users", column="totp_secret", row_id=ROW)
    with pytest.raises(SecretOpenError):
        box.open(sealed, table=table, column=column, row_id=row_id)


def test_altered_bytes_or_another_key_do_not_open() -> None:
    sealed = SecretBox.from_key(bytes(32)).seal(b"secret", table="t", column="c", row_id=1)
    altered = sealed[:-1] + bytes([sealed[-1] ^ 1])
    with pytest.raises(SecretOpenError):
        SecretBox.from_key(bytes(32)).open(altered, table="t", column="c", row_id=1)
    with pytest.raises(SecretOpenError, match="does not open with this node's secrets key"):
        SecretBox.from_key(b"\x01" * 32).open(sealed, table="t", column="c", row_id=1)


def test_missing_key_is_a_clear_error_and_never_replaced(tmp_path: Path) -> None:
    sealed = SecretBox.from_key(bytes(32)).seal(b"secret", table="t", column="c", row_id=1)
    box = SecretBox.for_settings(Settings(instance_path=tmp_path))
    with pytest.raises(SecretKeyMissingError, match="is missing: restore it"):
        box.open(sealed, table="t", column="c", row_id=1)
    assert not (tmp_path / "secrets_key").exists()
    named = SecretBox.for_settings(
        Settings(instance_path=tmp_path, secrets_key_file=tmp_path / "etc" / "key")
    )
    with pytest.raises(SecretKeyMissingError, match="is missing"):
        named.seal(b"secret", table="t", column="c", row_id=1)  # a named file is never made


def test_key_file_readable_by_others_is_refused(tmp_path: Path) -> None:
    key_file = tmp_path / "key"
    key_file.write_text(base64.urlsafe_b64encode(bytes(32)).decode())
    key_file.chmod(0o640)
    box = SecretBox.for_settings(Settings(instance_path=tmp_path, secrets_key_file=key_file))
    with pytest.raises(SecretKeyMissingError, match="chmod 600"):
        box.seal(b"secret", table="t", column="c", row_id=1)
    key_file.chmod(0o600)
    sealed = box.seal(b"secret", table="t", column="c", row_id=1)
    assert SecretBox.from_key(bytes(32)).open(sealed, table="t", column="c", row_id=1) == b"secret"


def test_key_file_of_the_wrong_length_is_refused(tmp_path: Path) -> None:
    key_file = tmp_path / "key"
    key_file.write_text(base64.urlsafe_b64encode(bytes(16)).decode())
    key_file.chmod(0o600)
    box = SecretBox.for_settings(Settings(instance_path=tmp_path, secrets_key_file=key_file))
    with pytest.raises(SecretKeyMissingError, match="32-byte key"):
        box.seal(b"secret", table="t", column="c", row_id=1)
