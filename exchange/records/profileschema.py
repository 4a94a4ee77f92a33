"""Profile schema v1 (``ncen-profile/1``): the record set that carries a shared risk profile,
and its strict validator.

A profile bundle holds one record set named ``ncen-profile`` beside its ``profile`` message.
Its JSON is one object::

    {"schema": "ncen-profile/1",
     "profile": {"id": UUID, "version": int, "name": str, "purpose": str, "expression": str,
                 "lane": "high"|"medium"|"low", "score": 0..100,
                 "starts_on": "YYYY-MM-DD"|null, "ends_on": "YYYY-MM-DD"|null,
                 "handling_code": "H0".."H3"}}

`check_profile_set` checks the *shape* only (exact member sets, types, lengths, closed
vocabularies) and raises `SchemaError` naming the bad path. The expression is only ever text:
the receiver parses it with `ncen.targeting` (the restricted CEL subset of the local editor,
checked against the local field catalogue and reference tables) before anything is stored, so
a received profile can never run code. Lookup lists are not shared (their entries are document
numbers, plates and company numbers: nominal or near-nominal data that has its own policy), so
an expression naming one is refused by both sides. docs/exchange-protocol.md, section
"Profile schema v1", is the normative description.
"""

from __future__ import annotations

import re
import uuid
from typing import Any, Final

from exchange.errors import SchemaError

PROFILE_SET: Final = "ncen-profile"
PROFILE_SCHEMA: Final = "ncen-profile/1"
LANES: Final = frozenset({"high", "medium", "low"})
PROFILE_HANDLING_CODES: Final = frozenset({"H0", "H1", "H2", "H3"})
MAX_EXPRESSION: Final = 20_000
_DAY: Final = re.compile(r"\d{4}-\d{2}-\d{2}")
_PROFILE_KEYS: Final = frozenset(
    {
        "id",
        "version",
        "name",
        "purpose",
        "expression",
        "lane",
        "score",
        "starts_on",
        "ends_on",
        "handling_code",
    }
)


def _fail(path: str, message: str) -> SchemaError:
    return SchemaError(f"record set {PROFILE_SET!r}: {path}: {message}")


def _exact(value: Any, keys: frozenset[str], path: str) -> dict[str, Any]:
    if type(value) is not dict:
        raise _fail(path, "must be an object")
    unknown, missing = set(value) - keys, keys - set(value)
    if unknown:
        raise _fail(path, f"unknown members {sorted(unknown)}")
    if missing:
        raise _fail(path, f"missing members {sorted(missing)}")
    return value


def _text(value: Any, path: str, max_len: int, *, required: bool = True) -> None:
    if type(value) is not str or len(value) > max_len or (required and not value.strip()):
        raise _fail(path, f"must be a {'non-empty ' if required else ''}text of at most {max_len}")
    if "\x00" in value:
        raise _fail(path, "must not contain NUL")


def _integer(value: Any, path: str, minimum: int, maximum: int) -> None:
    if type(value) is not int or not minimum <= value <= maximum:
        raise _fail(path, f"must be an integer from {minimum} to {maximum}")


def _day(value: Any, path: str) -> None:
    if value is not None and (type(value) is not str or not _DAY.fullmatch(value)):
        raise _fail(path, "must be a date YYYY-MM-DD or null")


def check_profile_set(value: Any) -> None:
    """Validate a parsed ``ncen-profile/1`` record set; raise `SchemaError` naming the path."""
    top = _exact(value, frozenset({"schema", "profile"}), "record set")
    if top["schema"] != PROFILE_SCHEMA:
        raise _fail("schema", f"must be {PROFILE_SCHEMA}")
    profile = _exact(top["profile"], _PROFILE_KEYS, "profile")
    try:
        uuid.UUID(profile["id"] if type(profile["id"]) is str else "")
    except ValueError:
        raise _fail("profile.id", "must be a UUID") from None
    _integer(profile["version"], "profile.version", 1, 1_000_000)
    _text(profile["name"], "profile.name", 200)
    _text(profile["purpose"], "profile.purpose", 2000, required=False)
    _text(profile["expression"], "profile.expression", MAX_EXPRESSION)
    if profile["lane"] not in LANES:
        raise _fail("profile.lane", f"must be one of {', '.join(sorted(LANES))}")
    _integer(profile["score"], "profile.score", 0, 100)
    _day(profile["starts_on"], "profile.starts_on")
    _day(profile["ends_on"], "profile.ends_on")
    if profile["handling_code"] not in PROFILE_HANDLING_CODES:
        raise _fail("profile.handling_code", "must be one of H0, H1, H2, H3")
