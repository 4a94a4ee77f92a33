"""Canonical bytes: the only bytes this package ever signs, hashes or compares.

Canonical JSON here is the subset of RFC 8785 (JCS) that needs no number formatting: values are
``null``, ``true``, ``false``, integers in the I-JSON safe range (|n| <= 2**53 - 1), strings,
arrays and objects. Floats, NaN and infinities are refused, not rounded. Object members are
sorted by member name; because names must not contain characters outside the Basic Multilingual
Plane, code-point order (what Python sorts by) equals JCS's UTF-16 code-unit order. Output has no
insignificant whitespace, is UTF-8, and escapes exactly what JCS escapes (``"``, ``\\``, control
characters), so a JCS library produces the same bytes for the same value.

Parsing is strict in the other direction: `parse_canonical` refuses duplicate member names and any
input that is not byte-for-byte the canonical encoding of what it parsed to, so one value has one
encoding and a signature over it cannot be replayed over a different-looking document.

This module also holds the domain-separation strings and the RFC 3339 and base64 forms that
signed documents use.
"""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any, cast

from exchange.errors import FormatError

MAX_SAFE_INTEGER = 2**53 - 1
MAX_DEPTH = 32

# Domain-separation strings. A signature made for one purpose can never verify for another,
# because the signed bytes start with a different string (docs/exchange-protocol.md, section 3).
DOMAIN_BUNDLE_HEADER = b"ncen-bundle-header-v1"
DOMAIN_KEYSET = b"ncen-keyset-v1"
DOMAIN_REVOCATION = b"ncen-revocation-v1"
DOMAIN_ORIGINATOR = b"ncen-originator-v1"

_RFC3339_UTC = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z")


def canonical_json(value: object) -> bytes:
    """Return the canonical JSON encoding of ``value`` (dicts, lists/tuples, str, int, bool, None).

    Raises `FormatError` for floats, out-of-range integers, non-string or astral-plane member
    names, lone surrogates, nesting deeper than `MAX_DEPTH`, or any other type.
    """
    _check(value, 0)
    # json.dumps with these options matches JCS for the subset that _check admits; the C encoder
    # keeps canonicalising 10,000 records cheap.
    text = json.dumps(
        value, ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False
    )
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError as error:  # a lone surrogate that the fast path let through
        raise FormatError("string contains a lone surrogate") from error


def _check(value: object, depth: int) -> None:
    """Refuse what canonical JSON cannot hold. Plain dicts, lists, strings and ints (what
    parsing produces) take a fast path that tests exact types; strings are not checked one by
    one there, because a lone surrogate makes the final UTF-8 encoding fail anyway. Any other
    type goes through `_check_any`."""
    kind = type(value)
    if kind is dict or kind is list:
        if depth >= MAX_DEPTH and value:
            raise FormatError(f"JSON nested deeper than {MAX_DEPTH} levels")
        items: Iterable[object]
        if kind is dict:
            members = cast("dict[object, object]", value)
            for key in members:
                if type(key) is not str:
                    raise FormatError(f"JSON member name {key!r} is not a string")
                if not key.isascii() and any(ord(char) > 0xFFFF for char in key):
                    raise FormatError(f"JSON member name {key!r} has a character outside the BMP")
            items = members.values()
        else:
            items = cast("list[object]", value)
        for item in items:
            item_kind = type(item)
            if item_kind is str or item is None or item_kind is bool:
                continue
            if item_kind is int:
                if not -MAX_SAFE_INTEGER <= cast("int", item) <= MAX_SAFE_INTEGER:
                    raise FormatError(f"integer {item} outside the I-JSON safe range")
                continue
            _check(item, depth + 1)
        return
    if kind is str and depth <= MAX_DEPTH:
        return
    _check_any(value, depth)


def _check_any(value: object, depth: int) -> None:
    if depth > MAX_DEPTH:
        raise FormatError(f"JSON nested deeper than {MAX_DEPTH} levels")
    if value is None or isinstance(value, bool):
        return
    if isinstance(value, int):
        if abs(value) > MAX_SAFE_INTEGER:
            raise FormatError(f"integer {value} outside the I-JSON safe range")
        return
    if isinstance(value, str):
        _check_string(value)
        return
    if isinstance(value, Mapping):
        for key, item in value.items():
            if not isinstance(key, str):
                raise FormatError(f"JSON member name {key!r} is not a string")
            _check_string(key)
            if any(ord(char) > 0xFFFF for char in key):
                raise FormatError(f"JSON member name {key!r} has a character outside the BMP")
            _check(item, depth + 1)
        return
    if isinstance(value, Sequence) and not isinstance(value, bytes | bytearray):
        for item in value:
            _check(item, depth + 1)
        return
    if isinstance(value, float):
        raise FormatError("floats are not allowed in canonical JSON; use integers or strings")
    raise FormatError(f"type {type(value).__name__} cannot be encoded as canonical JSON")


def _check_string(text: str) -> None:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as error:
        raise FormatError("string contains a lone surrogate") from error


def parse_canonical(data: bytes) -> Any:
    """Parse ``data`` as canonical JSON and return the value.

    Raises `FormatError` when ``data`` is not UTF-8, not JSON, has floats or duplicate member
    names, or is not exactly the canonical encoding of its value.
    """
    try:
        value = json.loads(
            data.decode("utf-8"),
            parse_float=_refuse_float,
            parse_constant=_refuse_float,
            object_pairs_hook=_unique_members,
        )
    except (ValueError, RecursionError) as error:
        raise FormatError(f"not valid JSON: {error}") from error
    if canonical_json(value) != data:
        raise FormatError("JSON is not in canonical form (RFC 8785 subset)")
    return value


def _refuse_float(text: str) -> object:
    raise ValueError(f"non-integer number {text}")


def _unique_members(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise ValueError(f"duplicate member name {key!r}")
            seen.add(key)
    return result


def signing_input(domain: bytes, message: bytes) -> bytes:
    """Return ``domain || 0x00 || message``: the exact bytes that Ed25519 signs.

    ``domain`` is one of the ``DOMAIN_*`` constants; it never contains a zero byte, so the
    separator makes the split unambiguous.
    """
    if b"\x00" in domain:
        raise ValueError("a signing domain must not contain a zero byte")
    return domain + b"\x00" + message


def format_time(moment: datetime) -> str:
    """Render an aware datetime as RFC 3339 UTC with second precision (``2025-01-31T12:00:00Z``).

    Sub-second parts are dropped; naive datetimes raise ``ValueError`` (a time without a zone is
    a bug, not input).
    """
    if moment.tzinfo is None:
        raise ValueError("naive datetime: pass an aware datetime (UTC)")
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_time(text: object) -> datetime:
    """Parse the exact form `format_time` writes; anything else raises `FormatError`."""
    if not isinstance(text, str) or not _RFC3339_UTC.fullmatch(text):
        raise FormatError(f"time {text!r} is not RFC 3339 UTC of the form YYYY-MM-DDTHH:MM:SSZ")
    try:
        return datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    except ValueError as error:
        raise FormatError(f"time {text!r} does not exist: {error}") from error


def b64encode(data: bytes) -> str:
    """Standard base64 (RFC 4648 section 4) with padding, as used in every signed document."""
    return base64.b64encode(data).decode("ascii")


def b64decode(text: object) -> bytes:
    """Strict inverse of `b64encode`: refuses other alphabets, missing padding, stray bits."""
    if not isinstance(text, str):
        raise FormatError("expected a base64 string")
    try:
        data = base64.b64decode(text.encode("ascii"), validate=True)
    except (ValueError, UnicodeEncodeError) as error:
        raise FormatError(f"invalid base64: {error}") from error
    if b64encode(data) != text:
        raise FormatError("base64 is not in canonical form")
    return data
