"""The peer endpoint: receive bundles (push), serve queued bundles and receipts (pull).

Every view here is `public` (the signatures authenticate) and CSRF-exempt. Request bodies are
limited before they are read: bundles by ``NCEN_EXCHANGE_MAX_BUNDLE_MB`` (413 beyond), signed
statements to 64 KiB. Answers are canonical JSON. A bundle gets a signed receipt (HTTP 200)
whether accepted or rejected; 503 without a receipt means "try again later" (keys missing,
database down). Pull requests that fail verification get a bare 403.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable
from pathlib import Path
from typing import Any

from flask import Response, abort, current_app, request, send_file
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

from exchange.canonical import canonical_json, parse_canonical
from exchange.delivery import apply_returned_receipt
from exchange.errors import ExchangeError
from exchange.inbox import accept_bundle
from exchange.pulling import NonceCache, pull_listing, pulled_bundle, verify_pull
from exchange.signing import SignedStatement
from web.exchange import bp
from web.exchange.context import new_session, node_context, now
from web.security import public

log = logging.getLogger(__name__)
MAX_STATEMENT_BYTES = 64 * 1024
_NONCES = "ncen.exchange.nonces"


def _json(value: Any, status: int = 200) -> Response:
    return Response(canonical_json(value), status=status, mimetype="application/json")


def _statement() -> SignedStatement:
    request.max_content_length = MAX_STATEMENT_BYTES
    try:
        return SignedStatement.from_json(parse_canonical(request.get_data()))
    except ExchangeError:
        abort(400)


def _nonces() -> NonceCache:
    cache: NonceCache = current_app.extensions.setdefault(_NONCES, NonceCache())
    return cache


def _spool(path: Path, limit: int) -> None:
    """Copy the request body to ``path``; 413 past ``limit`` bytes (however it was framed)."""
    with path.open("xb") as sink:
        total = 0
        while block := request.stream.read(1024 * 1024):
            total += len(block)
            if total > limit:
                raise RequestEntityTooLarge
            sink.write(block)


@bp.post("/v1/bundles")
@public
def receive_bundle() -> Response:
    """Receive one bundle (body: the bundle bytes); answer its signed receipt."""
    if not request.content_length:
        abort(411 if request.content_length is None else 400)
    try:
        node = node_context()
    except ExchangeError:
        log.exception("exchange keys unavailable")
        abort(503)
    limit = node.config.limits.max_bundle_bytes
    if request.content_length is not None and request.content_length > limit:
        abort(413)
    request.max_content_length = limit
    spool = node.work_dir / f"push-{secrets.token_hex(8)}.ncb"
    try:
        _spool(spool, limit)
        receipt = accept_bundle(new_session, node, spool, channel="push", now=now())
    except HTTPException:
        raise
    except Exception:
        log.exception("bundle could not be processed")
        abort(503)
    finally:
        spool.unlink(missing_ok=True)
    return _json(receipt.to_json())


@bp.post("/v1/pull")
@public
def pull_list() -> Response:
    """List what is queued for the (signed) requesting peer, and its recent receipts."""
    signed = _statement()
    node = node_context()
    with new_session() as session:
        try:
            pull = verify_pull(session, node, signed, _nonces(), now())
        except ExchangeError as error:
            log.warning("pull request refused: %s", error)
            abort(403)
        return _json(pull_listing(session, pull))


@bp.post("/v1/pull/bundle")
@public
def pull_bundle() -> Response:
    """Send one queued bundle to the (signed) requesting peer."""
    signed = _statement()
    node = node_context()
    with new_session() as session:
        try:
            pull = verify_pull(session, node, signed, _nonces(), now())
        except ExchangeError as error:
            log.warning("pull request refused: %s", error)
            abort(403)
        path = pulled_bundle(session, node, pull)
    if path is None:
        abort(404)
    return send_file(path, mimetype="application/vnd.ncen.bundle")


@bp.post("/v1/receipts")
@public
def post_receipt() -> Response:
    """Take the signed receipt of a peer for a bundle it pulled."""
    signed = _statement()
    with new_session() as session, session.begin():
        try:
            apply_returned_receipt(session, signed, expected_peer=None, now=now())
        except ExchangeError as error:
            log.warning("receipt refused: %s", error)
            abort(400)
    return _json({"status": "ok"})


PEER_VIEWS: tuple[Callable[..., object], ...] = (
    receive_bundle,
    pull_list,
    pull_bundle,
    post_receipt,
)
