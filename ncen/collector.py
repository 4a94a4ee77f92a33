"""Python's cyclic garbage collector around bulk work: two tools, one per pattern of objects.

Bulk work makes the collector's full (generation 2) passes expensive: each walks every tracked
object of the process, and an importer's heap holds millions, none of them garbage.

**`frozen_heap`, for a job that holds much for its whole run.** A bulk job (a received
bundle's import, an export of thousands of seizures) holds millions of
small objects for its whole run: the parsed record sets, the rows read. It also allocates far
more, so CPython's collector runs a full (generation 2) pass every so often, and each pass walks
every tracked object of the process, the long-lived ones included, though none of them can be
garbage while the job holds them. At 10,000 received seizures those passes took 17 s of a 45 s
import (benchmarks/results/exchange-session7.txt).

It moves every object alive when the job starts to the collector's permanent
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

**`freeze_process`, for a server process.** A gunicorn worker freezes what it has built (the
app, its compiled templates and caches) for its whole life (`web.cli`). CPython has one
permanent generation and `gc.unfreeze` empties all of it, so once a process is frozen for life,
`frozen_heap` no longer thaws at its end: a bundle exported in a web request would otherwise give
the worker its full-collection pauses back. What a job froze at its start then stays frozen too
(in a server, mostly the same warm state).

**`collector_paused`, for short, allocation-heavy work.** Evaluating a bulk batch against the
risk profiles makes tens of thousands of short-lived containers (fact rows, value lists,
explanations) that reference counting frees as soon as the batch is done: none of them is part
of a cycle. While they live, they count as allocations, and every few thousand the collector
runs; once in a while it runs a *full* collection, walking every object of the process (an
importer's whole heap) to find no garbage among them. On the bulk path that was most of an
evaluation's time (measured: 6.3 s of the 6.7 s evaluations of six 500-seizure batches were
spent in collections). `collector_paused` turns the collector off for the duration of such work
and back on after it, when the temporaries are already freed.

It is process-wide state: the pause is short (one chunk of an evaluation), and it restores the
collector only if it found it on, so that code which keeps it off on purpose is not overridden
by the end of a pause (two overlapping pauses in two threads leave it on, as they found it).
Cyclic garbage made meanwhile is collected at the next collection after the pause.
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
_for_life = False  # set by freeze_process: frozen_heap then never thaws


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
                if not _for_life:
                    gc.unfreeze()


def freeze_process() -> None:
    """Move every object alive now, after a young collection, to the permanent generation for
    the rest of the process's life; later `frozen_heap` blocks no longer thaw it (see the module
    docstring). Called again as a server warms up, it freezes what was built since."""
    global _for_life  # noqa: PLW0603 - the collector is process-wide, so is its state
    with _lock:
        gc.collect(1)
        gc.freeze()
        _for_life = True


def thaw_process() -> None:
    """Undo `freeze_process`: thaw the permanent generation, and let `frozen_heap` thaw at its
    end again (for tests, which share one process)."""
    global _for_life  # noqa: PLW0603 - see freeze_process
    with _lock:
        _for_life = False
        if _active == 0:
            gc.unfreeze()


def frozen_jobs() -> int:
    """How many `frozen_heap` blocks are running now (for tests and diagnostics)."""
    return _active


@contextmanager
def collector_paused() -> Iterator[None]:
    """Run the block with the cyclic garbage collector off; restore it after (even on error)
    if it was on when the block began."""
    was_enabled = gc.isenabled()
    if was_enabled:
        gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
