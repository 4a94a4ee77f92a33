"""`verify_prefix`: a receiver reads and verifies only the signed prefix of a bundle before the
rest (docs/exchange-protocol.md section 11, "The signed prefix"; issue 12, item 8)."""

from __future__ import annotations

import io

import pytest
from exchange_testkit import Network

from exchange.crypto.container import Limits
from exchange.crypto.opening import UnverifiedBundleError, verify_prefix
from exchange.errors import (
    FormatError,
    RevokedKeyError,
    SignatureError,
    SizeLimitError,
    UnknownSenderError,
)


class CountingStream(io.BytesIO):
    """A body that remembers how far it was read."""

    def __init__(self, data: bytes) -> None:
        super().__init__(data)
        self.furthest = 0

    def read(self, size: int | None = -1, /) -> bytes:
        data = super().read(size)
        self.furthest = max(self.furthest, self.tell())
        return data


def _prefix_length(data: bytes) -> int:
    n = data[10]
    position = 47 + n + int.from_bytes(data[43 + n : 47 + n], "big")
    count = int.from_bytes(data[position : position + 2], "big")
    position += 2
    for _ in range(count):
        position += 34 + int.from_bytes(data[position + 32 : position + 34], "big")
    return position + 64


def test_a_genuine_prefix_verifies_and_nothing_after_it_is_read(net: Network) -> None:
    data = net.seal("fr", to=["de"], attachments=[b"x" * 200_000])
    stream = CountingStream(data)
    prefix = verify_prefix(stream, net["de"].trust, Limits())
    assert stream.furthest == _prefix_length(data) == len(prefix.data)
    assert prefix.data == data[: len(prefix.data)]
    assert prefix.header.sender_node_id == "fr"


def test_an_unknown_sender_is_refused_after_the_preamble(net: Network) -> None:
    data = net.seal("it", to=["de"])
    del net["de"].trust.peers["it"]
    stream = CountingStream(data)
    with pytest.raises(UnverifiedBundleError) as caught:
        verify_prefix(stream, net["de"].trust, Limits())
    assert isinstance(caught.value.cause, UnknownSenderError)
    assert stream.furthest == 11 + len("it") + 32  # nothing past the sender's key id


def test_a_revoked_key_a_forged_signature_and_junk_are_unverifiable(net: Network) -> None:
    data = net.seal("fr", to=["de"])
    end = _prefix_length(data)
    forged = data[: end - 64] + bytes(64) + data[end:]
    cases: list[tuple[bytes, type[Exception], Limits]] = [
        (forged, SignatureError, Limits()),
        (b"GET / HTTP/1.1\r\n\r\n", FormatError, Limits()),
        (data, SizeLimitError, Limits(max_header_bytes=16)),
    ]
    for body, error, limits in cases:
        with pytest.raises(UnverifiedBundleError) as caught:
            verify_prefix(io.BytesIO(body), net["de"].trust, limits)
        assert isinstance(caught.value.cause, error)
    net["de"].trust.revoke("fr", net["fr"].identity.signing.public.key_id)
    with pytest.raises(UnverifiedBundleError) as caught:
        verify_prefix(io.BytesIO(data), net["de"].trust, Limits())
    assert isinstance(caught.value.cause, RevokedKeyError)
