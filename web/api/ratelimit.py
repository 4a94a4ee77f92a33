"""Per-token rate limits for ``/api/v1``: a token bucket per token, in this server process.

Each token may make ``rate_per_minute`` requests per minute, with bursts of the same size. The
buckets live in memory, per process: a node served by N worker processes lets a token make up
to N times the limit, and a restart refills every bucket. That is the documented limit of this
choice (docs/api.md): it protects the node from a runaway script at no database cost per
request; a hard, node-wide quota would need a shared counter (a PostgreSQL row per token).
"""

from __future__ import annotations

import math
import threading
import time
from dataclasses import dataclass


@dataclass
class _Bucket:
    tokens: float
    updated: float


class RateLimiter:
    """Token buckets keyed by an API token id; thread-safe."""

    def __init__(self, rate_per_minute: int) -> None:
        self.capacity = float(rate_per_minute)
        self.per_second = rate_per_minute / 60.0
        self._buckets: dict[object, _Bucket] = {}
        self._lock = threading.Lock()

    def take(self, key: object, now: float | None = None) -> float:
        """Spend one request of ``key``'s bucket; 0.0 if allowed, else seconds to wait."""
        moment = time.monotonic() if now is None else now
        with self._lock:
            bucket = self._buckets.get(key)
            if bucket is None:
                bucket = self._buckets[key] = _Bucket(self.capacity, moment)
            bucket.tokens = min(
                self.capacity, bucket.tokens + (moment - bucket.updated) * self.per_second
            )
            bucket.updated = moment
            if bucket.tokens >= 1.0:
                bucket.tokens -= 1.0
                return 0.0
            return (1.0 - bucket.tokens) / self.per_second

    @staticmethod
    def retry_after(wait: float) -> str:
        """The Retry-After header value (whole seconds, at least 1) for a ``wait``."""
        return str(max(1, math.ceil(wait)))
