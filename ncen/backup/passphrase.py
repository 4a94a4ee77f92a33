"""Where the backup passphrase comes from: an owner-only file, or the environment.

In order: the ``--passphrase-file`` option, then the file named by
``NCEN_BACKUP_PASSPHRASE_FILE``, then ``NCEN_BACKUP_PASSPHRASE`` (setting both variables is an
error). A file must be readable by its owner only and belong to the user running ncen, like the
key passphrase file of the exchange keys; one trailing newline is removed. Without any of them
the command line asks on the terminal.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Mapping
from pathlib import Path
from typing import Final

from ncen.backup.errors import BackupError

PASSPHRASE_VARIABLE: Final = "NCEN_BACKUP_PASSPHRASE"  # noqa: S105 - a variable name
PASSPHRASE_FILE_VARIABLE: Final = "NCEN_BACKUP_PASSPHRASE_FILE"  # noqa: S105 - a variable name
MIN_LENGTH: Final = 12
"""Shortest passphrase a new backup accepts: an archive can be attacked offline for ever."""


def read_passphrase_file(path: Path) -> bytes:
    """The passphrase in ``path``; raises `BackupError` unless the file is owner-only and ours."""
    try:
        with path.open("rb") as handle:
            status = os.fstat(handle.fileno())
            mode = stat.S_IMODE(status.st_mode)
            if mode & 0o077:
                raise BackupError(
                    f"passphrase file {path} has mode {mode:04o}; it must be readable by its "
                    f"owner only (run: chmod 600 {path})"
                )
            if status.st_uid != os.geteuid():
                raise BackupError(f"passphrase file {path} belongs to another user")
            value = handle.read()
    except OSError as error:
        raise BackupError(f"cannot read passphrase file {path}: {error.strerror}") from error
    if value.endswith(b"\n"):
        value = value[:-1].removesuffix(b"\r")
    if not value:
        raise BackupError(f"passphrase file {path} is empty")
    return value


def configured_passphrase(environ: Mapping[str, str], option_file: Path | None) -> bytes | None:
    """The passphrase from the option or the environment, or None if none is configured."""
    if option_file is not None:
        return read_passphrase_file(option_file)
    value = environ.get(PASSPHRASE_VARIABLE)
    file_name = environ.get(PASSPHRASE_FILE_VARIABLE)
    if value is not None and file_name:
        raise BackupError(f"set {PASSPHRASE_VARIABLE} or {PASSPHRASE_FILE_VARIABLE}, not both")
    if file_name:
        return read_passphrase_file(Path(file_name))
    if value is not None:
        if not value:
            raise BackupError(f"{PASSPHRASE_VARIABLE} is empty")
        return value.encode("utf-8")
    return None


def check_new_passphrase(passphrase: bytes) -> bytes:
    """Refuse a passphrase too short to protect an archive kept for years."""
    if len(passphrase.decode("utf-8", "replace")) < MIN_LENGTH:
        raise BackupError(
            f"the backup passphrase must have at least {MIN_LENGTH} characters "
            "(a few random words are best)"
        )
    return passphrase
