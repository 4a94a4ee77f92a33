"""The OpenAPI 3.1 document of ``/api/v1``, generated from the registered views.

Each API view carries its `Operation` (`web.api.routing.api_view`); this module walks the
application's URL map, turns each rule into an OpenAPI path (``<uuid:x>`` → ``{x}`` with a
``uuid`` string schema, ``<any(a, b):x>`` → an enum), and adds the responses every view can
give: its own answer, and the problem details of authentication, policy, rate limit, bodies
and versions. The document therefore lists exactly the routes that exist, with the access
they need, and a test validates it with openapi-spec-validator.

Why our own generator (and not apiflask, flask-smorest or spectree): those bring their own
request parsing and validation (marshmallow or pydantic) and, for apiflask, their own Flask
subclass; validation here lives once, in the services (DESIGN.md), and the app factory stays
plain Flask. What is left to generate is a walk over the URL map: about a hundred lines.
"""

from __future__ import annotations

import re
from typing import Any

from flask import Flask

from web.api.routing import OPERATION_ATTR, Operation
from web.api.schemas import COMPONENTS

_VARIABLE = re.compile(r"<(?:(?P<converter>[a-z]+)(?:\((?P<args>[^)]*)\))?:)?(?P<name>\w+)>")
_PROBLEM = {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}


def _problem(description: str, headers: dict[str, Any] | None = None) -> dict[str, Any]:
    response: dict[str, Any] = {"description": description, "content": _PROBLEM}
    if headers:
        response["headers"] = headers
    return response


def _path_and_parameters(rule: str) -> tuple[str, list[dict[str, Any]]]:
    parameters: list[dict[str, Any]] = []

    def replace(match: re.Match[str]) -> str:
        schema: dict[str, Any] = {"type": "string"}
        if match["converter"] == "uuid":
            schema["format"] = "uuid"
        elif match["converter"] == "any":
            schema["enum"] = [v.strip() for v in (match["args"] or "").split(",")]
        parameters.append({"name": match["name"], "in": "path", "required": True, "schema": schema})
        return "{" + match["name"] + "}"

    return _VARIABLE.sub(replace, rule), parameters


def _success(op: Operation) -> dict[str, Any]:
    status = str(op.statuses[0]) if op.statuses else "200"
    if op.response is None:
        content = {op.media_type: {"schema": {"type": "string", "format": "binary"}}}
    else:
        content = {"application/json": {"schema": {"$ref": f"#/components/schemas/{op.response}"}}}
    success: dict[str, Any] = {"description": "OK", "content": content}
    if op.versioned or op.write:
        success["headers"] = {
            "ETag": {"description": "the record's version", "schema": {"type": "string"}}
        }
    return {status: success}


def _operation(op: Operation, path_parameters: list[dict[str, Any]], name: str) -> dict[str, Any]:
    responses: dict[str, Any] = _success(op)
    parameters = list(path_parameters)
    for query, kind, description in op.query:
        parameters.append(
            {
                "name": query,
                "in": "query",
                "required": False,
                "description": description,
                "schema": {"type": kind},
            }
        )
    if op.paged:
        parameters += [
            {
                "name": "cursor",
                "in": "query",
                "required": False,
                "description": "next_cursor of the previous page",
                "schema": {"type": "string"},
            },
            {
                "name": "limit",
                "in": "query",
                "required": False,
                "schema": {"type": "integer", "minimum": 1, "maximum": 200, "default": 50},
            },
        ]
    if op.versioned and op.write:
        parameters.append(
            {
                "name": "If-Match",
                "in": "header",
                "required": True,
                "description": "the ETag of the version read",
                "schema": {"type": "string"},
            }
        )
    operation: dict[str, Any] = {
        "operationId": name,
        "summary": op.summary,
        "tags": [op.tag],
        "parameters": parameters,
        "responses": responses,
    }
    if op.action is None:
        operation["security"] = []
        return operation
    operation["description"] = f"Needs the `{op.action}` permission of the token's user" + (
        " and a read-and-write token." if op.write else "."
    )
    responses["400"] = _problem("Malformed request (query, cursor, body, header)")
    responses["401"] = _problem("No token, or it is unknown, expired or revoked")
    responses["403"] = _problem("The user's roles or the token's scope do not allow it")
    responses["429"] = _problem(
        "Rate limit reached",
        {"Retry-After": {"description": "seconds to wait", "schema": {"type": "integer"}}},
    )
    if path_parameters:
        responses["404"] = _problem("No such record, or deleted")
    if op.query or op.body:
        responses["422"] = _problem("Refused input; errors names each field")
    if op.body:
        operation["requestBody"] = {
            "required": True,
            "content": {
                op.body_media_type: {"schema": {"$ref": f"#/components/schemas/{op.body}"}}
            },
        }
        responses["413"] = _problem("Body too large")
        responses["415"] = _problem(f"Body not {op.body_media_type}")
    if op.versioned and op.write:
        responses["412"] = _problem("If-Match names a version that is no longer current")
        responses["428"] = _problem("If-Match missing")
    return operation


def build_document(app: Flask) -> dict[str, Any]:
    """The OpenAPI 3.1 document of every ``api`` view registered on ``app``."""
    paths: dict[str, dict[str, Any]] = {}
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        view = app.view_functions.get(rule.endpoint)
        op: Operation | None = getattr(view, OPERATION_ATTR, None)
        if op is None or op.tag == "meta":
            continue
        path, parameters = _path_and_parameters(rule.rule)
        name = rule.endpoint.split(".")[-1]
        paths.setdefault(path, {})[op.method.lower()] = _operation(op, parameters, name)
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "ncen REST API",
            "version": "1.0.0",
            "description": (
                "Read and search records, record and update seizures and persons, with the "
                "node's policy, versions and audit. Authenticate with a personal API token "
                "(Authorization: Bearer ...), made on your account page. Errors are RFC 9457 "
                "problem details."
            ),
        },
        "servers": [{"url": "/"}],
        "security": [{"token": []}],
        "paths": paths,
        "components": {
            "schemas": COMPONENTS,
            "securitySchemes": {
                "token": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "a personal API token: ncen_<prefix>_<secret>",
                }
            },
        },
    }
