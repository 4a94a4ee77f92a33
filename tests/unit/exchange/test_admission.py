"""Admission control of the peer endpoint: token buckets and the sampled refusal log."""

from __future__ import annotations

import logging

import pytest

from exchange.services.admission import Refusals, TokenBuckets


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_bucket_allows_its_burst_then_refills_at_its_rate() -> None:
    clock = Clock()
    buckets = TokenBuckets(burst=3, per_minute=6, clock=clock)  # one token every 10 s
    assert [buckets.take("addr:a") for _ in range(3)] == [0.0, 0.0, 0.0]
    assert buckets.take("addr:a") == pytest.approx(10.0)
    assert buckets.take("addr:b") == 0.0  # another source has its own bucket
    clock.now += 10
    assert buckets.take("addr:a") == 0.0
    assert buckets.take("addr:a") > 0
    clock.now += 3600
    assert [buckets.take("addr:a") for _ in range(4)][-1] > 0  # refilled to the burst only


def test_buckets_are_bounded_and_forget_the_least_recent_source() -> None:
    clock = Clock()
    buckets = TokenBuckets(burst=1, per_minute=1, max_keys=2, clock=clock)
    assert buckets.take("a") == 0.0
    assert buckets.take("b") == 0.0
    assert buckets.take("a") > 0  # a is now the most recent
    assert buckets.take("c") == 0.0  # b is forgotten
    assert len(buckets) == 2
    assert buckets.take("a") > 0
    assert buckets.take("b") == 0.0  # forgotten, so full again


def test_refusals_are_counted_and_logged_sampled_per_source_and_minute(
    caplog: pytest.LogCaptureFixture,
) -> None:
    clock = Clock()
    refusals = Refusals(per_minute=2, clock=clock)
    with caplog.at_level(logging.WARNING, logger="exchange.services.admission"):
        logged = [refusals.record("10.0.0.1", "format", "bad magic") for _ in range(5)]
        assert refusals.record("10.0.0.2", "signature", "forged") is True
        clock.now += 60
        assert refusals.record("10.0.0.1", "format", "bad magic") is True
    assert logged == [True, True, False, False, False]
    assert refusals.counts == {"format": 6, "signature": 1}
    messages = [record.getMessage() for record in caplog.records]
    assert len(messages) == 5
    assert "3 more refusals not logged" in messages[3]
