"""Canonical JSON, domain separation, RFC 3339 times and strict base64."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from exchange.crypto.canonical import (
    DOMAIN_BUNDLE_HEADER,
    DOMAIN_KEYSET,
    DOMAIN_ORIGINATOR,
    DOMAIN_REVOCATION,
    b64decode,
    b64encode,
    canonical_json,
    format_time,
    parse_canonical,
    parse_time,
    signing_input,
)
from exchange.errors import FormatError

BMP_TEXT = st.text(st.characters(max_codepoint=0xFFFF, exclude_categories=["Cs"]), max_size=10)
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**53) + 1, 2**53 - 1) | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(BMP_TEXT, children, max_size=4)
    ),
    max_leaves=20,
)


def test_rfc8785_shape() -> None:
    value = {"b": [1, True, None], "a": 'é\n"\\\u0001', "c": {"z": 0, "y": -1}}
    assert (
        canonical_json(value)
        == '{"a":"é\\n\\"\\\\\\u0001","b":[1,true,null],"c":{"y":-1,"z":0}}'.encode()
    )


def test_floats_and_unsafe_values_are_refused() -> None:
    for bad in (
        1.0,
        float("nan"),
        2**53,
        -(2**53),
        b"bytes",
        {1: "x"},
        {"\U0001f600": 1},
        "\ud800",
    ):
        with pytest.raises(FormatError):
            canonical_json({"v": bad})


def test_parse_refuses_non_canonical_duplicates_floats_and_deep_nesting() -> None:
    for bad in (
        b'{"b":1,"a":2}',
        b'{"a": 1}',
        b'{"a":1,"a":1}',
        b'{"a":1.0}',
        b'{"a":NaN}',
        b"\xff",
        b'{"a":"\\u0041"}',
        b"[" * 40 + b"]" * 40,
        b'{"a":1e3}',
    ):
        with pytest.raises(FormatError):
            parse_canonical(bad)


@given(JSON_VALUES)
def test_canonical_round_trip(value: object) -> None:
    encoded = canonical_json(value)
    assert parse_canonical(encoded) == value
    assert json.loads(encoded) == value
    assert canonical_json(json.loads(encoded)) == encoded


def test_domain_separation() -> None:
    domains = {DOMAIN_BUNDLE_HEADER, DOMAIN_KEYSET, DOMAIN_REVOCATION, DOMAIN_ORIGINATOR}
    assert len(domains) == 4
    assert signing_input(DOMAIN_KEYSET, b"{}") == b"ncen-keyset-v1\x00{}"
    with pytest.raises(ValueError, match="zero byte"):
        signing_input(b"a\x00b", b"")


def test_times_are_rfc3339_utc_seconds() -> None:
    moment = datetime(2025, 3, 1, 13, 5, 9, 999, tzinfo=timezone(timedelta(hours=2)))
    assert format_time(moment) == "2025-03-01T11:05:09Z"
    assert parse_time("2025-03-01T11:05:09Z") == datetime(2025, 3, 1, 11, 5, 9, tzinfo=UTC)
    for bad in ("2025-03-01T11:05:09+00:00", "2025-03-01 11:05:09Z", "2025-02-30T00:00:00Z", 5):
        with pytest.raises(FormatError):
            parse_time(bad)
    with pytest.raises(ValueError, match="naive"):
        format_time(datetime(2025, 1, 1))


def test_base64_is_strict() -> None:
    assert b64decode(b64encode(b"\x00\xff")) == b"\x00\xff"
    for bad in ("AP8", "AP8=\n", "AP9=", "_-8=", 3):
        with pytest.raises(FormatError):
            b64decode(bad)
