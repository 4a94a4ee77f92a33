"""The error hierarchy of the domain layer.

Every error a service raises is an `NcenError`. Entry points (web, CLI) turn them into messages
for people; nothing below them formats HTTP or terminal output.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


class Message(str):
    """A message for people that carries values: the English sentence (it *is* that string,
    so logs, the CLI, the JSON API and existing callers see no difference), plus the
    ``template`` it was made from (``%(name)s`` placeholders) and the ``params``.

    This is how service messages reach the user in their language: the template is the
    catalogue's message id, so an entry point translates the template and fills in the values
    in the user's locale (`web.fielderrors.translate_message`) instead of parsing an English
    sentence. Make one as ``Message("is too long (%(n)s characters; at most %(max)s)", n=n,
    max=m)``; keep the template identical to the catalogue's message id.
    """

    template: str
    params: dict[str, Any]

    def __new__(cls, template: str, /, **params: Any) -> Message:
        message = super().__new__(cls, template % params if params else template)
        message.template = template
        message.params = params
        return message

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild_message, (self.template, self.params))


def _rebuild_message(template: str, params: dict[str, Any]) -> Message:
    return Message(template, **params)


class Codes(str):
    """Codes of one vocabulary as a `Message` value: ``Codes("person_roles", "driver",
    "owner")`` reads "driver / owner" (the codes, joined by ``joiner``), and an entry point
    names each code in the reader's language instead (`web.fielderrors.translate_message`).

    ``vocabulary`` is a reference list (a key of ``ncen.reference`` tables, such as
    ``person_roles``), a fixed enumeration the web labels (``document_type``, ``change``), or
    ``field`` (a record's field names).
    """

    vocabulary: str
    codes: tuple[str, ...]
    joiner: str

    def __new__(cls, vocabulary: str, /, *codes: str, joiner: str = " / ") -> Codes:
        value = super().__new__(cls, joiner.join(codes))
        value.vocabulary = vocabulary
        value.codes = codes
        value.joiner = joiner
        return value

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild_codes, (self.vocabulary, self.codes, self.joiner))


def _rebuild_codes(vocabulary: str, codes: tuple[str, ...], joiner: str) -> Codes:
    return Codes(vocabulary, *codes, joiner=joiner)


def message_of(error: BaseException) -> str:
    """The message ``error`` was raised with: the `Message` itself when it was one (so that its
    template and values survive), else ``str(error)``."""
    first = error.args[0] if error.args else None
    return first if isinstance(first, Message) else str(error)


class NcenError(Exception):
    """Base class for every error raised by the `ncen` package."""


class ValidationError(NcenError):
    """Input was refused. `errors` maps each bad field path (e.g. ``items.0.hs_code``) to a message.

    All bad fields are reported at once so that a form can show every message next to its field.
    """

    def __init__(self, errors: Mapping[str, str]) -> None:
        self.errors: dict[str, str] = dict(errors)
        summary = "; ".join(f"{path}: {message}" for path, message in self.errors.items())
        super().__init__(f"invalid input: {summary}")


class NotFoundError(NcenError):
    """The record does not exist, was deleted, or is not visible to the acting user."""

    def __init__(self, record_type: str, record_id: object) -> None:
        self.record_type = record_type
        self.record_id = record_id
        super().__init__(f"{record_type} {record_id} does not exist")


class ConflictError(NcenError):
    """A stale version: somebody else changed the record since the user loaded it."""

    def __init__(self, record_type: str, record_id: object, expected: int, actual: int) -> None:
        self.record_type = record_type
        self.record_id = record_id
        self.expected = expected
        self.actual = actual
        super().__init__(
            f"{record_type} {record_id} was changed by someone else (you edited version "
            f"{expected}, it is now at version {actual}); reload it and apply your change again"
        )


class PermissionDeniedError(NcenError):
    """The acting user's roles do not allow the action."""

    def __init__(self, action: str, reason: str = "") -> None:
        self.action = action
        super().__init__(f"not allowed: {action}" + (f" ({reason})" if reason else ""))


class InvalidIdentifierError(NcenError, ValueError):
    """An identifier (container, IMO, VIN, HS code, ...) is malformed or fails its check digit."""


class EmbeddedDatabaseError(NcenError):
    """The embedded PostgreSQL server could not be started or stopped."""


class DatabaseRoleError(NcenError):
    """The node's database role has more rights than the application may hold (fail closed)."""


class AuditChainError(NcenError):
    """The audit trail's hash chain does not verify: a row was altered or removed."""
