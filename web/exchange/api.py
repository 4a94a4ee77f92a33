"""The peer endpoint: receive bundles (push), serve queued bundles and receipts (pull).

Every view here is `public` (the signatures authenticate) and CSRF-exempt. Each request first
spends a token of its remote address (`exchange.services.admission.TokenBuckets`; 429 with
``Retry-After`` when empty) before anything is read. Request bodies are limited before they are
read: bundles by ``NCEN_EXCHANGE_MAX_BUNDLE_MB`` (413 beyond, on ``Content-Length``), signed
statements to 64 KiB. A bundle's signed prefix is read and verified before the rest of the body
(`exchange.crypto.opening.verify_prefix`); input that fails is answered 400 (malformed), 403
(unknown sender or key, bad signature) or 413, with no receipt, and leaves only a counter and a
sampled log line (`exchange.services.admission.Refusals`). Then the verified sender spends a token
of its own, and the whole bundle gets a signed receipt (HTTP 200) whether accepted or rejected; 503
without a receipt means "try again later" (keys missing, database down). Pull requests that fail
verification get a bare 403; receipts that fail verification a bare 400, whatever is queued.

The server must refuse larger bodies before buffering them: `server_body_limit` is the value
for the WSGI server's own limit (waitress ``max_request_body_size``), which ``ncen serve`` sets.
"""

from __future__ import annotations

import logging
import math
import os
import secrets
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any, NoReturn

from flask import Response, abort, current_app, request, send_file
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

from exchange.crypto.canonical import canonical_json, parse_canonical
from exchange.crypto.opening import UnverifiedBundleError, VerifiedPrefix, verify_prefix
from exchange.crypto.signing import SignedStatement
from exchange.errors import ExchangeError, SizeLimitError, TruncatedError
from exchange.errors import FormatError as BundleFormatError
from exchange.network.delivery import apply_returned_receipt
from exchange.network.inbox import accept_bundle
from exchange.network.node import ExchangeConfig, exchange_config_from
from exchange.network.pulling import pull_listing, pulled_bundle, verify_pull
from exchange.services.admission import Refusals, TokenBuckets
from exchange.services.trust import DatabaseTrust
from ncen.settings import Settings
from web.exchange import bp
from web.exchange.context import exchange_config, new_session, node_context, now, settings
from web.security import public

log = logging.getLogger(__name__)
MAX_STATEMENT_BYTES = 64 * 1024
_BUCKETS = "ncen.exchange.buckets"
_REFUSALS = "ncen.exchange.refusals"


def server_body_limit(settings: Settings, config: ExchangeConfig | None = None) -> int:
    """The WSGI server's request body limit, for waitress's ``max_request_body_size``.

    The largest body any route of the node accepts (a bundle, a form upload, a signed
    statement), plus one: waitress refuses a ``Content-Length`` *equal* to its limit or more,
    with 413, before it reads (and buffers) any of the body. ``config`` defaults to the
    ``NCEN_EXCHANGE_*`` settings of the environment.
    """
    exchange = config or exchange_config_from(os.environ)
    largest = max(
        exchange.limits.max_bundle_bytes,
        settings.max_upload_mb * 1024 * 1024,
        MAX_STATEMENT_BYTES,
    )
    return largest + 1


def _json(value: Any, status: int = 200) -> Response:
    return Response(canonical_json(value), status=status, mimetype="application/json")


def _abort(status: int) -> NoReturn:
    """End the request with ``status`` and a fixed JSON body: peers get no HTML pages, and
    the same failure always reads the same, whatever the node's state."""
    abort(_json({"status": "error", "http": status}, status))


def _source() -> str:
    return request.remote_addr or "unknown"


def _buckets(config: ExchangeConfig) -> TokenBuckets:
    buckets: TokenBuckets | None = current_app.extensions.get(_BUCKETS)
    if buckets is None:
        # The buckets live in this process: with N server processes each takes 1/N of the
        # node's limits, so a source spread over every process still gets the node's limit.
        share = max(1, settings().server_processes)
        buckets = current_app.extensions.setdefault(
            _BUCKETS,
            TokenBuckets(
                burst=max(1, config.peer_burst // share),
                per_minute=config.peer_rate_per_minute / share,
            ),
        )
    return buckets


def _refusals() -> Refusals:
    refusals: Refusals = current_app.extensions.setdefault(_REFUSALS, Refusals())
    return refusals


def _admit(key: str, config: ExchangeConfig) -> None:
    """Spend a token of ``key``; answer 429 (with ``Retry-After``) when it has none."""
    wait = _buckets(config).take(key)
    if wait > 0:
        response = _json({"status": "busy"}, 429)
        response.headers["Retry-After"] = str(max(1, math.ceil(wait)))
        abort(response)


def _admit_source() -> None:
    _admit(f"addr:{_source()}", exchange_config())


def _statement() -> SignedStatement:
    _admit_source()
    request.max_content_length = MAX_STATEMENT_BYTES
    try:
        return SignedStatement.from_json(parse_canonical(request.get_data()))
    except RequestEntityTooLarge:
        _abort(413)
    except ExchangeError:
        _abort(400)


def _refuse(error: UnverifiedBundleError) -> NoReturn:
    """Count and log (sampled) unverifiable input, then answer without a receipt."""
    cause = error.cause
    _refusals().record(_source(), cause.code, str(cause))
    if isinstance(cause, SizeLimitError):
        _abort(413)
    _abort(400 if isinstance(cause, BundleFormatError | TruncatedError) else 403)


def _spool(path: Path, prefix: VerifiedPrefix, stream: IO[bytes], limit: int) -> None:
    """Write the verified prefix and the rest of the body to ``path``; 413 past ``limit``."""
    with path.open("xb") as sink:
        sink.write(prefix.data)
        total = len(prefix.data)
        while block := stream.read(1024 * 1024):
            total += len(block)
            if total > limit:
                _abort(413)
            sink.write(block)


@bp.post("/v1/bundles")
@public
def receive_bundle() -> Response:
    """Receive one bundle (body: the bundle bytes); answer its signed receipt."""
    arrived = now()  # the receiver's clock at arrival (the hit-check limit counts by it)
    _admit_source()
    if not request.content_length:
        _abort(411 if request.content_length is None else 400)
    try:
        node = node_context()
    except ExchangeError:
        log.exception("exchange keys unavailable")
        _abort(503)
    limit = node.config.limits.max_bundle_bytes
    if request.content_length > limit:
        _abort(413)
    request.max_content_length = limit
    stream = request.stream
    try:
        # Only the signed prefix is read before the sender is known and its signature checked.
        with new_session() as session:
            prefix = verify_prefix(stream, DatabaseTrust(session), node.config.limits)
    except UnverifiedBundleError as error:
        _refuse(error)
    except Exception:  # the registry could not be read (database down): no answer yet
        log.exception("bundle prefix could not be checked")
        _abort(503)
    _admit(f"peer:{prefix.header.sender_node_id}", node.config)
    spool = node.work_dir / f"push-{secrets.token_hex(8)}.ncb"
    try:
        _spool(spool, prefix, stream, limit)
        receipt = accept_bundle(new_session, node, spool, channel="push", now=arrived)
    except UnverifiedBundleError as error:  # the registry changed since the prefix was read
        _refuse(error)
    except HTTPException:
        raise
    except Exception:
        log.exception("bundle could not be processed")
        _abort(503)
    finally:
        spool.unlink(missing_ok=True)
    return _json(receipt.to_json())


@bp.post("/v1/pull")
@public
def pull_list() -> Response:
    """List what is queued for the (signed) requesting peer, and its recent receipts."""
    signed = _statement()
    node = node_context()
    # One transaction: the nonce is remembered only with the answer it was given for.
    with new_session() as session, session.begin():
        try:
            pull = verify_pull(session, node, signed, now())
        except ExchangeError as error:
            log.warning("pull request refused: %s", error)
            _abort(403)
        listing = pull_listing(session, pull)
    return _json(listing)


@bp.post("/v1/pull/bundle")
@public
def pull_bundle() -> Response:
    """Send one queued bundle to the (signed) requesting peer."""
    signed = _statement()
    node = node_context()
    with new_session() as session, session.begin():
        try:
            pull = verify_pull(session, node, signed, now())
        except ExchangeError as error:
            log.warning("pull request refused: %s", error)
            _abort(403)
        path = pulled_bundle(session, node, pull)
    if path is None:
        _abort(404)
    return send_file(path, mimetype="application/vnd.ncen.bundle")


@bp.post("/v1/receipts")
@public
def post_receipt() -> Response:
    """Take the signed receipt of a peer for a bundle it pulled.

    400 when the receipt does not verify under a pinned key of the node it names; otherwise
    200 ``{"status": "ok"}``, whether it settled a queued delivery, named an unknown one, or was
    for other bytes than those sent: the answer reveals nothing about the outbox.
    """
    signed = _statement()
    with new_session() as session, session.begin():
        try:
            apply_returned_receipt(session, signed, expected_peer=None, now=now())
        except ExchangeError as error:
            log.warning("receipt refused: %s", error)
            _abort(400)
    return _json({"status": "ok"})


PEER_VIEWS: tuple[Callable[..., object], ...] = (
    receive_bundle,
    pull_list,
    pull_bundle,
    post_receipt,
)
