"""Admission control of the peer endpoint: rate limits per source, and refusals counted, not kept.

**Why token buckets in memory, and not a PostgreSQL table.** The limit must bind *before* the
node does any work for a request, and above all for anonymous input: a table would make every
junk request a database write (the very cost that item 8 of issue 12 removes) and a lock
hot spot under a flood. A bucket in process memory costs a dictionary look-up under a lock and
nothing else. Its limits are stated honestly: the state is per process (``ncen serve`` is one
process with threads; several processes each apply the limit, which multiplies it by their
number) and is lost on restart (a bucket refills within a minute anyway). Memory is bounded:
at most ``max_keys`` sources are tracked, and the least recently seen are forgotten first
(forgetting a source only gives it a full bucket again). The front proxy's ``limit_req``
(docs/operations.md) remains the first line against floods from many addresses.

Two kinds of keys share one `TokenBuckets`: ``addr:<remote address>`` for every request to the
peer endpoint, before anything is read, and ``peer:<node id>`` for a sender whose bundle
signature has verified (a claimed sender is never used as a key before that).

**Refusals.** Input whose signed prefix does not verify must leave no row, receipt or audit
event behind (docs/exchange-protocol.md section 20.1). `Refusals` counts it per reason in memory
and logs it, sampled: the first ``per_minute`` refusals of each source in a minute are logged
one by one, the rest are summed up in one line when that source's next minute starts.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import Counter, OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

log = logging.getLogger(__name__)


@dataclass
class _Bucket:
    tokens: float
    updated: float


class TokenBuckets:
    """Token buckets by key: ``burst`` requests at once, refilled at ``per_minute`` a minute.

    Thread-safe; tracks at most ``max_keys`` keys (least recently used forgotten first).
    ``clock`` returns seconds (monotonic); tests pass their own.
    """

    def __init__(
        self,
        *,
        burst: int,
        per_minute: float,
        max_keys: int = 10_000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if burst < 1 or per_minute <= 0 or max_keys < 1:
            raise ValueError("burst, rate and size must be positive")
        self._burst = float(burst)
        self._rate = per_minute / 60.0
        self._max_keys = max_keys
        self._clock = clock
        self._buckets: OrderedDict[str, _Bucket] = OrderedDict()
        self._lock = threading.Lock()

    def take(self, key: str) -> float:
        """Spend one token of ``key``'s bucket. Returns 0.0 when the request may proceed, else
        the seconds until a token is available again (the request must be refused)."""
        with self._lock:
            now = self._clock()
            bucket = self._buckets.pop(key, None)
            if bucket is None:
                bucket = _Bucket(self._burst, now)
            bucket.tokens = min(self._burst, bucket.tokens + (now - bucket.updated) * self._rate)
            bucket.updated = now
            self._buckets[key] = bucket  # most recently used last
            while len(self._buckets) > self._max_keys:
                self._buckets.popitem(last=False)
            if bucket.tokens >= 1.0:
                bucket.tokens -= 1.0
                return 0.0
            return (1.0 - bucket.tokens) / self._rate

    def __len__(self) -> int:
        return len(self._buckets)


@dataclass
class _Window:
    minute: int
    logged: int = 0
    suppressed: int = 0


class Refusals:
    """Counts of unverifiable input by reason code, and a sampled log of it (see module doc).

    Thread-safe and bounded: at most ``max_sources`` sources keep a sampling window.
    """

    def __init__(
        self,
        *,
        per_minute: int = 10,
        max_sources: int = 10_000,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.counts: Counter[str] = Counter()
        self._per_minute = per_minute
        self._max_sources = max_sources
        self._clock = clock
        self._windows: OrderedDict[str, _Window] = OrderedDict()
        self._lock = threading.Lock()

    def record(self, source: str, code: str, detail: str) -> bool:
        """Count one refusal of ``source`` for reason ``code``; log it unless this source is
        past its sample for the current minute. Returns whether it was logged."""
        with self._lock:
            self.counts[code] += 1
            total = self.counts[code]
            minute = int(self._clock() // 60)
            window = self._windows.pop(source, None)
            if window is not None and window.minute != minute and window.suppressed:
                log.warning(
                    "unverifiable input from %s: %d more refusals not logged in the last minute",
                    source,
                    window.suppressed,
                )
            if window is None or window.minute != minute:
                window = _Window(minute)
            self._windows[source] = window
            while len(self._windows) > self._max_sources:
                self._windows.popitem(last=False)
            if window.logged >= self._per_minute:
                window.suppressed += 1
                return False
            window.logged += 1
        log.warning(
            "unverifiable input from %s refused, nothing kept: [%s] %s (%d so far)",
            source,
            code,
            detail[:300],
            total,
        )
        return True
