"""The API's token bucket and JSON nesting scan, without a server."""

from __future__ import annotations

from web.api.bodies import _depth_of
from web.api.ratelimit import RateLimiter


def test_token_bucket_allows_a_burst_then_refills() -> None:
    limiter = RateLimiter(60)  # one a second, bursts of 60
    assert all(limiter.take("t", now=0.0) == 0.0 for _ in range(60))
    wait = limiter.take("t", now=0.0)
    assert 0.9 < wait <= 1.0
    assert RateLimiter.retry_after(wait) == "1"
    assert limiter.take("t", now=1.0) == 0.0  # a second later, one more
    assert limiter.take("t", now=1.0) > 0.0
    assert limiter.take("other", now=1.0) == 0.0  # buckets are per key


def test_depth_ignores_brackets_inside_strings() -> None:
    assert _depth_of('{"a": [1, {"b": 2}]}') == 3
    assert _depth_of('{"a": "[[[[[[\\"[[[["}') == 1
    assert _depth_of("[" * 50 + "]" * 50) == 50
