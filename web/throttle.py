"""Throttling of failed sign-ins by client address, in the memory of this process.

The per-account limit lives in the database (``users.failed_logins``/``locked_until``, see
`ncen.accounts.signin`). This second limit stops one address from trying many accounts.

Limits of this design, accepted for a single-process node (waitress):
- the counters are per process and lost on restart; with several worker processes each
  process counts separately (move them to a table or to the reverse proxy then);
- behind a reverse proxy every client has the proxy's address unless the proxy's
  ``X-Forwarded-For`` is trusted (werkzeug's ``ProxyFix``), which this node does not assume;
- memory is bounded by `MAX_ADDRESSES`: beyond it the oldest addresses are forgotten.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable

MAX_FAILURES = 20
WINDOW_SECONDS = 15 * 60
MAX_ADDRESSES = 10_000


class AddressThrottle:
    """Counts failures per address in a sliding window; thread-safe."""

    def __init__(
        self,
        max_failures: int = MAX_FAILURES,
        window_seconds: float = WINDOW_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.max_failures = max_failures
        self.window_seconds = window_seconds
        self._clock = clock
        self._failures: OrderedDict[str, deque[float]] = OrderedDict()
        self._lock = threading.Lock()

    def _recent(self, address: str, now: float) -> deque[float]:
        times = self._failures.get(address, deque())
        while times and times[0] <= now - self.window_seconds:
            times.popleft()
        return times

    def is_blocked(self, address: str) -> bool:
        """True if ``address`` has reached the limit within the window."""
        with self._lock:
            return len(self._recent(address, self._clock())) >= self.max_failures

    def record_failure(self, address: str) -> None:
        """Count one failed attempt from ``address``."""
        with self._lock:
            now = self._clock()
            times = self._recent(address, now)
            times.append(now)
            self._failures[address] = times
            self._failures.move_to_end(address)
            while len(self._failures) > MAX_ADDRESSES:
                self._failures.popitem(last=False)
