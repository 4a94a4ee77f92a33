"""Errors of backup and restore. Each message tells the operator what happened and what to do."""

from __future__ import annotations

from ncen.errors import NcenError


class BackupError(NcenError):
    """A backup could not be written or an archive could not be restored."""


class NotABackupError(BackupError):
    """The file is not an ncen backup, or one of a format version this code does not read."""


class WrongPassphraseError(BackupError):
    """The passphrase does not open the archive (checked before anything is decrypted)."""


class TruncatedBackupError(BackupError):
    """The archive ends before its final chunk: it was cut or not written completely."""


class AlteredBackupError(BackupError):
    """A chunk of the archive does not authenticate: it was altered or damaged."""


class RestoreTargetError(BackupError):
    """The database or instance folder to restore into is not empty (use --force) or unusable."""
