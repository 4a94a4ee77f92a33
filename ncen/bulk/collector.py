"""Keep the garbage collector's full passes off the objects a bulk job holds for its whole run.

A bulk job (a received bundle's import, an export of thousands of seizures) holds millions of
small objects for its whole run: the parsed record sets, the rows read. It also allocates far
more, so CPython's collector runs a full (generation 2) pass every so often, and each pass walks
every tracked object of the process, the long-lived ones included, though none of them can be
garbage while the job holds them. At 10,000 received seizures those passes took 17 s of a 45 s
import (benchmarks/results/exchange-session7.txt).

`frozen_heap` moves every object alive when the job starts to the collector's permanent
generation (`gc.freeze`), which full passes skip, and puts them back (`gc.unfreeze`) when the
job ends. It also runs the young collections less often (`JOB_THRESHOLDS`): a job allocates
millions of objects that live for a whole batch, and the collector, run every 700 allocations,
promoted them pass after pass to the old generation (about 10,000 young and 24 full passes at
10,000 seizures). Objects the job makes are still collected: cycles among them are freed
during the job, in bigger and rarer passes (a few tens of thousands of objects between passes,
a few MB at most); cycles among the frozen objects that the job drops wait for the first full
pass after it.

The collector is one per process and the server runs several threads: the first job to enter
freezes, the last one to leave unfreezes (a counter under a lock), so a job that ends never
thaws the heap of another that still runs.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

# (young, middle, old) collection thresholds while a job runs; CPython's are (700, 10, 10).
JOB_THRESHOLDS = (50_000, 20, 20)

_lock = threading.Lock()
_active = 0
_saved: tuple[int, int, int] = (700, 10, 10)


@contextmanager
def frozen_heap() -> Iterator[None]:
    """Inside the block, full collections skip every object that was alive when the first
    running block began (see the module docstring). Re-entrant and thread-safe; changes only
    the collector's bookkeeping, never which objects stay alive."""
    global _active, _saved  # noqa: PLW0603 - the collector is process-wide, so is its state
    with _lock:
        _active += 1
        if _active == 1:
            _saved = gc.get_threshold()
            gc.freeze()
            gc.set_threshold(*JOB_THRESHOLDS)
    try:
        yield
    finally:
        with _lock:
            _active -= 1
            if _active == 0:
                gc.set_threshold(*_saved)
                gc.unfreeze()


def frozen_jobs() -> int:
    """How many `frozen_heap` blocks are running now (for tests and diagnostics)."""
    return _active
