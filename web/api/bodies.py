"""Reading an API request's JSON body, refusing anything malformed with a 4xx problem.

The rules, in order: the media type must be JSON (415); the body at most `MAX_BODY_BYTES`
(413, checked before reading and while reading); strict UTF-8 (400, no replacement); JSON
without NaN/Infinity, integers of at most 30 digits, no float that overflows (400); nesting at
most `MAX_DEPTH` deep (400; checked on the text before parsing, so a deep document never
reaches the recursive parser); and a JSON object at the top (422). Field values are then
validated by the services like any form input (NUL, text-direction controls, unknown codes).
"""

from __future__ import annotations

import json
import math
from typing import Any

from flask import request

from web.api.problems import ApiProblemError

MAX_BODY_BYTES = 256 * 1024
MAX_DEPTH = 32
_MAX_INT_DIGITS = 30


def _depth_of(text: str) -> int:
    """The deepest nesting of ``[``/``{`` outside strings."""
    depth = deepest = 0
    in_string = escaped = False
    for ch in text:
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif ch in "]}":
            depth -= 1
    return deepest


def _int(text: str) -> int:
    if len(text.lstrip("-")) > _MAX_INT_DIGITS:
        raise ValueError("number too large")
    return int(text)


def _float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError("number out of range")
    return value


def _constant(text: str) -> Any:
    raise ValueError(f"{text} is not JSON")


def _too_large() -> ApiProblemError:
    return ApiProblemError(
        413, f"The body is larger than {MAX_BODY_BYTES} bytes.", kind="too-large"
    )


def json_body() -> dict[str, Any]:
    """The request body as a JSON object, or `ApiProblemError` (400/413/415/422) saying why not."""
    if request.mimetype not in {"application/json", "application/merge-patch+json"}:
        raise ApiProblemError(415, "Send the body as application/json.", kind="media-type")
    length = request.content_length
    if length is not None and length > MAX_BODY_BYTES:
        raise ApiProblemError(
            413, f"The body is larger than {MAX_BODY_BYTES} bytes.", kind="too-large"
        )
    raw = request.stream.read(MAX_BODY_BYTES + 1)
    if len(raw) > MAX_BODY_BYTES:
        raise ApiProblemError(
            413, f"The body is larger than {MAX_BODY_BYTES} bytes.", kind="too-large"
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ApiProblemError(400, "The body is not valid UTF-8.", kind="malformed") from exc
    if _depth_of(text) > MAX_DEPTH:
        raise ApiProblemError(400, f"The JSON nests deeper than {MAX_DEPTH}.", kind="malformed")
    try:
        data = json.loads(text, parse_int=_int, parse_float=_float, parse_constant=_constant)
    except (ValueError, RecursionError) as exc:
        raise ApiProblemError(
            400, f"The body is not acceptable JSON: {exc}", kind="malformed"
        ) from exc
    if not isinstance(data, dict):
        raise ApiProblemError(422, "The body must be a JSON object.", kind="validation")
    return data
