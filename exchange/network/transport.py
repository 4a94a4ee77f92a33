"""HTTP client side of the online protocol: push a bundle, pull from a peer, post a receipt.

Network I/O sits behind the `Transport` protocol (convention 7) so the outbox can be tested with
a simulated peer; `HttpTransport` is the real one, on the standard library's ``http.client``
(no extra dependency). Every answer is read with a length limit, bodies are streamed from files,
and TLS uses the node's client certificate when one is configured (mutual TLS behind nginx,
docs/operations.md). Paths are those of docs/exchange-protocol.md section 13.

Errors: `TransportError` for anything that should be retried (connection refused or reset,
timeout, 5xx, a malformed answer); `PermanentTransportError` for answers that will not change
(400 malformed, 413 too large, 415). A definitive accept or reject is a *receipt*, not an error.
"""

from __future__ import annotations

import http.client
import ssl
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol
from urllib.parse import urlsplit

from exchange.crypto.canonical import parse_canonical
from exchange.crypto.signing import SignedStatement
from exchange.errors import ExchangeError, FormatError

# Relative to a peer's endpoint, e.g. https://ncen.customs.example/exchange.
BUNDLES_PATH = "/v1/bundles"
PULL_LIST_PATH = "/v1/pull"
PULL_BUNDLE_PATH = "/v1/pull/bundle"
RECEIPTS_PATH = "/v1/receipts"
PERMANENT_STATUSES = frozenset({400, 413, 415})
BUNDLE_MEDIA_TYPE = "application/vnd.ncen.bundle"
STATEMENT_MEDIA_TYPE = "application/json"
MAX_ANSWER_BYTES = 1024 * 1024


class TransportError(ExchangeError):
    """A delivery attempt failed in a way that a later attempt may overcome."""

    code = "transport"


class PermanentTransportError(TransportError):
    """The peer refused the request in a way that retrying will not change (HTTP 4xx)."""

    code = "transport-permanent"


@dataclass(frozen=True)
class TlsSettings:
    """Client TLS: CA bundle to verify peers, and this node's client certificate and key."""

    ca_file: Path | None = None
    cert_file: Path | None = None
    key_file: Path | None = None


class Transport(Protocol):
    """What the outbox and the pull loop need from the network."""

    def post_bundle(self, endpoint: str, bundle: Path) -> SignedStatement:
        """Deliver a bundle file; return the peer's signed receipt (unverified)."""
        ...

    def pull_list(self, endpoint: str, request: SignedStatement) -> dict[str, object]:
        """Ask a peer what it holds for us (queued bundles, recent receipts)."""
        ...

    def pull_bundle(self, endpoint: str, request: SignedStatement, sink: Path, limit: int) -> None:
        """Download one queued bundle into ``sink`` (at most ``limit`` bytes)."""
        ...

    def post_receipt(self, endpoint: str, receipt: SignedStatement) -> None:
        """Give a peer our receipt for a bundle we pulled from it."""
        ...


class HttpTransport:
    """`Transport` over HTTP(S) with timeouts, size limits and optional client certificates."""

    def __init__(self, tls: TlsSettings | None = None, timeout: float = 120.0) -> None:
        self._tls = tls or TlsSettings()
        self._timeout = timeout

    def _connect(self, endpoint: str) -> tuple[http.client.HTTPConnection, str]:
        parts = urlsplit(endpoint)
        if parts.scheme not in {"http", "https"} or not parts.hostname:
            raise PermanentTransportError(f"endpoint {endpoint!r} is not an http(s) URL")
        base = parts.path.rstrip("/")
        if parts.scheme == "https":
            context = ssl.create_default_context(
                cafile=str(self._tls.ca_file) if self._tls.ca_file else None
            )
            if self._tls.cert_file:
                context.load_cert_chain(
                    str(self._tls.cert_file),
                    str(self._tls.key_file) if self._tls.key_file else None,
                )
            return (
                http.client.HTTPSConnection(
                    parts.hostname, parts.port, timeout=self._timeout, context=context
                ),
                base,
            )
        return http.client.HTTPConnection(parts.hostname, parts.port, timeout=self._timeout), base

    def _exchange(  # noqa: PLR0917
        self,
        endpoint: str,
        path: str,
        body: bytes | Path,
        media_type: str,
        sink: Path | None = None,
        limit: int = MAX_ANSWER_BYTES,
    ) -> bytes:
        connection, base = self._connect(endpoint)
        try:
            if isinstance(body, Path):
                length = body.stat().st_size
                with body.open("rb") as handle:
                    connection.request(
                        "POST",
                        base + path,
                        body=handle,
                        headers={"Content-Type": media_type, "Content-Length": str(length)},
                    )
                    response = connection.getresponse()
            else:
                connection.request(
                    "POST",
                    base + path,
                    body=body,
                    headers={"Content-Type": media_type, "Content-Length": str(len(body))},
                )
                response = connection.getresponse()
            if response.status in PERMANENT_STATUSES:
                raise PermanentTransportError(f"peer answered HTTP {response.status}")
            if response.status != 200:  # 5xx, and 403/404/429 that an operator can fix
                raise TransportError(f"peer answered HTTP {response.status}")
            return _read_limited(response, limit, sink)
        except (OSError, http.client.HTTPException) as error:
            raise TransportError(f"{type(error).__name__}: {error}") from error
        finally:
            connection.close()

    def post_bundle(self, endpoint: str, bundle: Path) -> SignedStatement:
        answer = self._exchange(endpoint, BUNDLES_PATH, bundle, BUNDLE_MEDIA_TYPE)
        return _statement(answer)

    def pull_list(self, endpoint: str, request: SignedStatement) -> dict[str, object]:
        answer = self._exchange(endpoint, PULL_LIST_PATH, request.to_bytes(), STATEMENT_MEDIA_TYPE)
        try:
            value = parse_canonical(answer)
        except FormatError as error:
            raise TransportError("malformed pull answer") from error
        if not isinstance(value, dict):
            raise TransportError("malformed pull answer")
        return value

    def pull_bundle(self, endpoint: str, request: SignedStatement, sink: Path, limit: int) -> None:
        self._exchange(
            endpoint,
            PULL_BUNDLE_PATH,
            request.to_bytes(),
            STATEMENT_MEDIA_TYPE,
            sink=sink,
            limit=limit,
        )

    def post_receipt(self, endpoint: str, receipt: SignedStatement) -> None:
        self._exchange(endpoint, RECEIPTS_PATH, receipt.to_bytes(), STATEMENT_MEDIA_TYPE)


def _read_limited(response: http.client.HTTPResponse, limit: int, sink: Path | None) -> bytes:
    declared = response.getheader("Content-Length")
    if declared is not None and int(declared) > limit:
        raise TransportError(f"answer of {declared} bytes exceeds {limit}")
    if sink is None:
        data = response.read(limit + 1)
        if len(data) > limit:
            raise TransportError(f"answer exceeds {limit} bytes")
        return data
    total = 0
    with sink.open("xb") as handle:
        while block := response.read(1024 * 1024):
            total += len(block)
            if total > limit:
                raise TransportError(f"answer exceeds {limit} bytes")
            handle.write(block)
    return b""


def _statement(answer: bytes) -> SignedStatement:
    try:
        return SignedStatement.from_json(parse_canonical(answer))
    except FormatError as error:
        raise TransportError("the peer's answer is not a signed statement") from error
