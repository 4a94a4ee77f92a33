"""Optimistic concurrency for case files: the version the user edited must be the current one."""

from __future__ import annotations

from typing import Protocol

from ncen.errors import ConflictError, ValidationError


class Versioned(Protocol):
    """A row with an id and a version counter."""

    version: int

    @property
    def id(self) -> object: ...


def check_version(row: Versioned, version: object, record_type: str = "investigation") -> None:
    """Raise `ValidationError` for a missing or malformed ``version``, `ConflictError` when it
    is not ``row``'s current version (someone changed it since the page was loaded)."""
    try:
        expected = int(str(version))
    except ValueError:
        raise ValidationError({"version": "reload the page and apply your change again"}) from None
    if expected != row.version:
        raise ConflictError(record_type, row.id, expected, row.version)
