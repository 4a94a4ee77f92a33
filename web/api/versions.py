"""Optimistic versions over HTTP: ETag on every record read, If-Match on every update.

A record's ETag is its version, quoted (``"7"``): strong, since the version changes with every
change to the record. An update must send ``If-Match`` with the ETag it last read: without it
the answer is 428 (a client that forgets would otherwise overwrite changes it never saw), a
malformed one is 400, a stale one 412 (raised by the services as `ConflictError`, mapped in
`web.api.problems`). This is the web form's hidden version field, as HTTP says it.
"""

from __future__ import annotations

from flask import Response, request

from web.api.problems import ApiProblemError


def etag_of(version: int) -> str:
    """The quoted ETag of a record at ``version``."""
    return f'"{version}"'


def with_etag(response: Response, version: int) -> Response:
    """``response`` with the record's ETag set."""
    response.headers["ETag"] = etag_of(version)
    return response


def expected_version() -> int:
    """The version named by the request's ``If-Match`` header; 428 when absent, 400 if bad."""
    header = request.headers.get("If-Match")
    if header is None:
        raise ApiProblemError(
            428,
            "Send If-Match with the ETag of the version you read, so that nobody's change is "
            "overwritten unseen.",
            kind="if-match-required",
        )
    value = header.strip()
    if value.startswith("W/"):
        value = value[2:]
    if len(value) < 3 or len(value) > 12 or value[0] != '"' or value[-1] != '"':
        raise ApiProblemError(400, 'If-Match must be one ETag such as "3".', kind="if-match")
    digits = value[1:-1]
    if not (digits.isascii() and digits.isdigit()):
        raise ApiProblemError(400, 'If-Match must be one ETag such as "3".', kind="if-match")
    return int(digits)
