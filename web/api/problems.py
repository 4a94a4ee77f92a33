"""RFC 9457 problem details: every 4xx and 5xx answer under ``/api/v1``.

`problem` builds one ``application/problem+json`` response; `problem_for` maps an exception
(a domain error, an HTTP error, anything unexpected) to one. `web.errors` calls `problem_for`
for every request under `API_PREFIX`, so that routing errors (404, 405), oversized bodies (413)
and domain errors all answer in the same shape, and no HTML page or stack trace reaches an API
client. Problem ``type`` URIs are relative references to `docs/api.md` sections.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from flask import Response, request
from werkzeug.exceptions import HTTPException

from ncen.apitokens.services import TokenRefusedError
from ncen.errors import (
    ConflictError,
    NcenError,
    NotFoundError,
    PermissionDeniedError,
    ValidationError,
)

log = logging.getLogger(__name__)
API_PREFIX = "/api/v1"
PROBLEM_JSON = "application/problem+json"
_TITLES = {
    400: "Bad request",
    401: "Not authenticated",
    403: "Forbidden",
    404: "Not found",
    405: "Method not allowed",
    406: "Not acceptable",
    409: "Conflict",
    412: "Precondition failed",
    413: "Content too large",
    415: "Unsupported media type",
    422: "Unprocessable content",
    428: "Precondition required",
    429: "Too many requests",
    500: "Internal server error",
    503: "Service unavailable",
}


class ApiProblemError(Exception):
    """An API view's own refusal: raised anywhere under a view, answered by `problem_for`."""

    def __init__(
        self,
        status: int,
        detail: str,
        *,
        kind: str = "",
        headers: dict[str, str] | None = None,
        **extra: Any,
    ) -> None:
        self.status = status
        self.detail = detail
        self.kind = kind
        self.headers = headers or {}
        self.extra = extra
        super().__init__(detail)


def is_api_request() -> bool:
    """True when the current request is addressed to the REST API."""
    return request.path == API_PREFIX or request.path.startswith(API_PREFIX + "/")


def problem(
    status: int,
    detail: str,
    *,
    kind: str = "",
    headers: dict[str, str] | None = None,
    **extra: Any,
) -> Response:
    """A problem-details response. ``kind`` names the problem type (a docs/api.md anchor)."""
    body: dict[str, Any] = {
        "type": f"/api/v1/docs#problem-{kind}" if kind else "about:blank",
        "title": _TITLES.get(status, "Error"),
        "status": status,
        "detail": detail,
        "instance": request.path,
        **extra,
    }
    response = Response(json.dumps(body, ensure_ascii=False), status=status, mimetype=PROBLEM_JSON)
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def problem_for(exc: BaseException) -> Response:  # noqa: PLR0911 - one answer per kind
    """The problem response for ``exc`` (never an HTML page, never internal details)."""
    if isinstance(exc, ApiProblemError):
        return problem(exc.status, exc.detail, kind=exc.kind, headers=exc.headers, **exc.extra)
    if isinstance(exc, TokenRefusedError):
        log.info("API token refused: %s", exc.reason)
        return problem(
            401,
            "The API token is missing, unknown, expired or revoked, or its account is disabled.",
            kind="unauthenticated",
            headers={"WWW-Authenticate": 'Bearer realm="ncen"'},
        )
    if isinstance(exc, ValidationError):
        errors = {field: str(message) for field, message in exc.errors.items()}
        return problem(422, "The input was refused; see errors.", kind="validation", errors=errors)
    if isinstance(exc, PermissionDeniedError):
        return problem(403, "Your roles do not allow this.", kind="forbidden", action=exc.action)
    if isinstance(exc, NotFoundError):
        return problem(404, "No such record, or it is not visible to you.", kind="not-found")
    if isinstance(exc, ConflictError):
        return problem(
            412,
            f"The record changed: your If-Match names version {exc.expected}, it is now at "
            f"version {exc.actual}. Read it again and reapply your change.",
            kind="stale-version",
            current_version=exc.actual,
        )
    if isinstance(exc, NcenError):
        log.info("domain error answered to an API client: %s", exc)
        return problem(400, "The request could not be carried out.", kind="refused")
    if isinstance(exc, HTTPException) and exc.code is not None and exc.code < 500:
        return problem(exc.code, exc.description or _TITLES.get(exc.code, "Error"))
    original = getattr(exc, "original_exception", None) or exc
    if isinstance(exc, HTTPException) and exc.code == 503:
        return problem(503, "This service is not available now. Try again later.")
    log.error("unexpected error under the API", exc_info=original)
    return problem(500, "The server could not complete the request.")
