"""Property tests: any change to a sealed bundle is rejected with the error its location implies.

The bundle under attack has a record set and a three-chunk attachment, sealed from fr to de.
Each example changes it and opens it as de; nothing may open, and no attachment file may stay.
"""

from __future__ import annotations

import io
import json
from datetime import timedelta

import pytest
from exchange_testkit import NOW, Layout, Network, records
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from exchange.crypto.bundle import RecordSet
from exchange.crypto.canonical import canonical_json
from exchange.crypto.sealing import CHUNK_SIZE
from exchange.errors import (
    DecryptionError,
    ExchangeError,
    FormatError,
    SignatureError,
    SizeLimitError,
    TruncatedError,
    UnknownSenderError,
)

# Where a flipped bit lands decides which check catches it first (docs, section 9).
EXPECTED: dict[str, tuple[type[ExchangeError], ...]] = {
    "magic": (FormatError,),
    "version": (FormatError,),
    "node_len": (FormatError, UnknownSenderError, TruncatedError, SizeLimitError),
    "node_id": (FormatError, UnknownSenderError),
    "sender_key_id": (UnknownSenderError,),
    "header_len": (SizeLimitError, TruncatedError, SignatureError),
    "header": (SignatureError,),
    "recipient_count": (SizeLimitError, TruncatedError, SignatureError),
    "recipient_key_id": (SignatureError,),
    "wrapped_len": (SizeLimitError, TruncatedError, SignatureError),
    "wrapped_key": (SignatureError,),
    "signature": (SignatureError,),
    "ciphertext": (DecryptionError,),
}

PROPERTY = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> tuple[Network, bytes, Layout]:
    net = Network(tmp_path_factory.mktemp("tamper"))
    data = net.seal("fr", to=["de"], attachments=[bytes(range(256)) * (3 * CHUNK_SIZE // 256 + 3)])
    return net, data, Layout.parse(data)


def _refused(net: Network, data: bytes | io.BufferedReader) -> ExchangeError:
    with pytest.raises(ExchangeError) as caught:
        net.open("de", data, accept=False)
    assert net.inbox_files("de") == []
    return caught.value


def test_the_untouched_bundle_opens(world: tuple[Network, bytes, Layout]) -> None:
    net, data, _ = world
    assert net.open("de", data, accept=False).record_sets[0].data == records()
    for path in net.inbox_files("de"):
        path.unlink()


@PROPERTY
@given(st.data())
def test_any_single_bit_flip_is_rejected(
    world: tuple[Network, bytes, Layout], data: st.DataObject
) -> None:
    net, bundle, layout = world
    region = data.draw(st.sampled_from(layout.regions), label="region")
    offset = data.draw(st.integers(region.start, region.end - 1), label="offset")
    bit = data.draw(st.integers(0, 7), label="bit")
    tampered = bytearray(bundle)
    tampered[offset] ^= 1 << bit
    error = _refused(net, bytes(tampered))
    assert isinstance(error, EXPECTED[region.name]), (region.name, repr(error))


@PROPERTY
@given(st.data())
def test_any_truncation_is_rejected_as_truncated(
    world: tuple[Network, bytes, Layout], data: st.DataObject
) -> None:
    net, bundle, layout = world
    # Cut inside a random region so that short headers are as likely as short ciphertexts.
    region = data.draw(st.sampled_from(layout.regions))
    cut = data.draw(st.integers(region.start, region.end - 1))
    assert isinstance(_refused(net, bundle[:cut]), TruncatedError)


@settings(max_examples=40, deadline=None)
@given(st.data())
def test_reordered_or_duplicated_chunks_are_rejected(
    world: tuple[Network, bytes, Layout], data: st.DataObject
) -> None:
    net, bundle, layout = world
    chunks = layout.chunks(1)
    full = [c for c in chunks if c[1] == chunks[0][1]]
    first, second = data.draw(st.lists(st.sampled_from(full), min_size=2, max_size=2, unique=True))
    duplicate = data.draw(st.booleans())
    tampered = bytearray(bundle)
    a = bundle[first[0] : first[0] + first[1]]
    b = bundle[second[0] : second[0] + second[1]]
    tampered[second[0] : second[0] + second[1]] = a
    if not duplicate:
        tampered[first[0] : first[0] + first[1]] = b
    assert isinstance(_refused(net, bytes(tampered)), DecryptionError)


def test_inserted_duplicate_chunk_is_rejected(world: tuple[Network, bytes, Layout]) -> None:
    net, bundle, layout = world
    start, length = layout.chunks(1)[0]
    longer = bundle[: start + length] + bundle[start : start + length] + bundle[start + length :]
    # A file: the signed sizes no longer add up. A pipe: the duplicate fails to authenticate.
    assert isinstance(_refused(net, longer), FormatError)
    assert isinstance(_refused(net, io.BufferedReader(io.BytesIO(longer))), FormatError)
    pipe = io.BufferedReader(_NoSeek(longer))
    assert isinstance(_refused(net, pipe), DecryptionError)


def test_chunk_moved_between_sections_is_rejected(world: tuple[Network, bytes, Layout]) -> None:
    net, bundle, layout = world
    records_start, records_length = layout.sections[0]
    attachment_start, _ = layout.sections[1]
    moved = bytearray(bundle)
    moved[records_start : records_start + records_length] = bundle[
        attachment_start : attachment_start + records_length
    ]
    assert isinstance(_refused(net, bytes(moved)), DecryptionError)


class _NoSeek(io.RawIOBase):
    def __init__(self, data: bytes) -> None:
        self._data = io.BytesIO(data)

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        chunk = self._data.read(len(buffer))
        buffer[: len(chunk)] = chunk
        return len(chunk)


HEADER_CHANGES = st.sampled_from(
    [
        ("expires", lambda h: h | {"expires": "2099-01-01T00:00:00Z"}),
        ("created", lambda h: h | {"created": "2025-01-01T00:00:00Z"}),
        ("bundle_id", lambda h: h | {"bundle_id": "00000000-0000-4000-8000-000000000000"}),
        ("handling", lambda h: h | {"handling_codes": ["H0"]}),
        ("schema", lambda h: h | {"records_schema": "ncen-records/2"}),
        (
            "sequence",
            lambda h: h | {"recipients": [r | {"sequence": 99} for r in h["recipients"]]},
        ),
        (
            "recipient",
            lambda h: h | {"recipients": [r | {"node_id": "it"} for r in h["recipients"]]},
        ),
        (
            "size",
            lambda h: h | {"contents": [c | {"size": c["size"] + 1} for c in h["contents"]]},
        ),
        (
            "digest",
            lambda h: h | {"contents": [c | {"sha256": "0" * 64} for c in h["contents"]]},
        ),
        ("name", lambda h: h | {"contents": [c | {"name": "other"} for c in h["contents"]]}),
    ]
)


@settings(max_examples=30, deadline=None)
@given(HEADER_CHANGES)
def test_any_header_field_change_fails_the_signature(
    world: tuple[Network, bytes, Layout], change: tuple[str, object]
) -> None:
    net, bundle, layout = world
    _, mutate = change
    header = json.loads(layout.header)
    new_header = canonical_json(mutate(header))  # type: ignore[operator]
    start = next(r.start for r in layout.regions if r.name == "header_len")
    header_start = start + 4
    tampered = (
        bundle[:start]
        + len(new_header).to_bytes(4, "big")
        + new_header
        + bundle[header_start + len(layout.header) :]
    )
    error = _refused(net, tampered)
    assert isinstance(error, SignatureError), repr(error)


KEYS = st.text(
    st.characters(max_codepoint=0xFFFF, exclude_categories=["Cs"]), min_size=1, max_size=8
)
VALUES = st.one_of(st.integers(-(2**53) + 1, 2**53 - 1), st.text(max_size=20), st.booleans())


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.dictionaries(KEYS, VALUES, max_size=5), max_size=20))
def test_any_record_set_round_trips(
    tmp_path_factory: pytest.TempPathFactory, items: list[dict[str, object]]
) -> None:
    net = Network(tmp_path_factory.mktemp("roundtrip"))
    payload = canonical_json({"records": [{**item, "reference": "R"} for item in items]})
    data = net.seal("fr", to=["de"], record_sets=[RecordSet("s", payload)])
    opened = net.open("de", data, now=NOW + timedelta(seconds=1))
    assert opened.record_sets[0].data == payload
    assert opened.record_sets[0].records["records"] == [{**i, "reference": "R"} for i in items]


@settings(max_examples=300, deadline=None)
@given(
    st.one_of(
        st.binary(max_size=300),
        st.binary(max_size=200).map(lambda tail: b"NCENBNDL\x00\x01" + tail),
    )
)
def test_fuzz_the_parser_only_ever_raises_exchange_errors(data: bytes) -> None:
    """Fuzz target: arbitrary bytes never crash the reader or make it allocate unbounded."""
    from exchange.crypto.bundle import inspect_bundle

    with pytest.raises(ExchangeError):
        inspect_bundle(io.BytesIO(data))
