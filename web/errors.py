"""The only place where errors become HTTP responses.

Domain errors (`NcenError` subclasses) map to 400/403/404/409 pages that tell the user what to
do; HTTP errors (oversized bodies, bad CSRF tokens, unknown addresses) get the same page with
their own explanation. No stack trace or internal detail ever reaches the browser: unexpected
errors are logged and answered with a plain 500 page. Requests under ``/api/v1`` get the same
mapping as RFC 9457 problem details instead (`web.api.problems`).
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import TypeVar

from flask import Flask, current_app, render_template
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

from ncen.errors import (
    ConflictError,
    NcenError,
    NotFoundError,
    PermissionDeniedError,
    ValidationError,
)
from ncen.pictures.store import PictureStoreError
from web.api.problems import ApiProblemError, is_api_request, problem_for
from web.fielderrors import translate_message

log = logging.getLogger(__name__)
E = TypeVar("E", bound=Exception)
Page = tuple[str, int]


def error_page(status: int, title: str, message: str, details: list[str] | None = None) -> Page:
    """Render the error page with ``status``, a short ``title`` and what to do next."""
    html = render_template(
        "errors/error.html", status=status, title=title, message=message, details=details or []
    )
    return html, status


def _validation(exc: ValidationError) -> Page:
    details = [f"{field}: {translate_message(message)}" for field, message in exc.errors.items()]
    return error_page(
        400, _("Input not accepted"), _("Correct the following and try again."), details
    )


def _forbidden(_exc: PermissionDeniedError) -> Page:
    return error_page(
        403,
        _("Not allowed"),
        _("Your role does not allow this. If you need it, ask an administrator."),
    )


def _not_found(_exc: NotFoundError | HTTPException) -> Page:
    return error_page(
        404,
        _("Not found"),
        _("This page or record does not exist, or you are not allowed to see it."),
    )


def _conflict(exc: ConflictError) -> Page:
    return error_page(
        409,
        _("Changed by someone else"),
        _(
            "Someone else changed this record since you opened it (you edited version "
            "%(expected)s, it is now at version %(actual)s). Reload it and apply your change "
            "again.",
            expected=exc.expected,
            actual=exc.actual,
        ),
    )


def _picture_store(exc: PictureStoreError) -> Page:
    # A file the database names is missing or was altered on disk: an operator must look.
    log.error("picture store problem: %s", exc)
    return error_page(
        500,
        _("Picture unavailable"),
        _(
            "The file of this picture is missing or damaged on the server. Tell your "
            "administrator; the sealed original must be restored from a backup."
        ),
    )


def _other_domain_error(exc: NcenError) -> Page:
    log.info("domain error shown to user: %s", exc)
    return error_page(400, _("Request refused"), _("The request could not be carried out."))


def _csrf(_exc: CSRFError) -> Page:
    return error_page(
        400,
        _("Form expired"),
        _(
            "This form has expired or was not sent from this site. Go back, reload the page "
            "and submit it again."
        ),
    )


def _http(exc: HTTPException) -> Page:
    status = exc.code or 500
    if status == 404:
        return _not_found(exc)
    if status == 413:
        limit = (current_app.config.get("MAX_CONTENT_LENGTH") or 0) // (1024 * 1024)
        return error_page(
            413,
            _("Too large"),
            _("What you sent is too large: the limit is %(limit)s MB.", limit=max(limit, 1)),
        )
    if status == 405:
        return error_page(
            405, _("Not available"), _("This address does not accept that kind of request.")
        )
    if status == 503:  # deliberate: a dependency (keys, the database) is not available now
        log.warning("service unavailable: %s", exc.description)
        return error_page(
            503, _("Not available now"), _("This service is not available now. Try again later.")
        )
    if status >= 500:
        return _server_error(exc)
    return error_page(status, _("Request refused"), _("The request could not be understood."))


def _server_error(exc: Exception) -> Page:
    original = getattr(exc, "original_exception", None) or exc
    log.error("unexpected error", exc_info=original)
    return error_page(
        500,
        _("Something went wrong"),
        _("The server could not complete the request. Try again, or tell your administrator."),
    )


def _or_problem(handler: Callable[[E], ResponseReturnValue]) -> Callable[[E], ResponseReturnValue]:
    """``handler`` for pages; RFC 9457 problem details for requests under ``/api/v1``."""

    @functools.wraps(handler)
    def handle(exc: E) -> ResponseReturnValue:
        if is_api_request():
            return problem_for(exc)
        return handler(exc)

    return handle


def _api_problem(exc: ApiProblemError) -> ResponseReturnValue:
    return problem_for(exc)


def init_app(app: Flask) -> None:
    """Register the handlers on ``app`` (each answers API requests with problem details)."""
    app.register_error_handler(ValidationError, _or_problem(_validation))
    app.register_error_handler(PermissionDeniedError, _or_problem(_forbidden))
    app.register_error_handler(NotFoundError, _or_problem(_not_found))
    app.register_error_handler(ConflictError, _or_problem(_conflict))
    app.register_error_handler(PictureStoreError, _or_problem(_picture_store))
    app.register_error_handler(NcenError, _or_problem(_other_domain_error))
    app.register_error_handler(CSRFError, _or_problem(_csrf))
    app.register_error_handler(HTTPException, _or_problem(_http))
    app.register_error_handler(InternalServerError, _or_problem(_server_error))
    app.register_error_handler(ApiProblemError, _api_problem)
