"""``/api/v1/openapi.json`` and ``/api/v1/docs``: the API's description, public.

The document holds no data, only the shape of the API, so it is public like the sign-in page.
The docs page is rendered on the server from the same document (no script, no CDN, no viewer
package): every operation with its parameters, access and answers.
"""

from __future__ import annotations

from flask import Blueprint, current_app, render_template
from flask.typing import ResponseReturnValue

from web.api.openapi import build_document
from web.api.records import json_response
from web.api.routing import Operation, api_view


def register(bp: Blueprint) -> None:
    """Add the document and the docs page to ``bp``."""

    @api_view(
        bp,
        "/openapi.json",
        Operation("GET", "The OpenAPI 3.1 document", "meta", None, write=False, response=None),
    )
    def openapi_document() -> ResponseReturnValue:
        return json_response(build_document(current_app))

    @api_view(
        bp,
        "/docs",
        Operation("GET", "This page", "meta", None, write=False, response=None),
    )
    def api_docs() -> ResponseReturnValue:
        document = build_document(current_app)
        return render_template("api/docs.html", document=document)
