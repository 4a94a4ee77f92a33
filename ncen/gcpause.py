"""A pause of Python's cyclic garbage collector around short, allocation-heavy work.

Evaluating a bulk batch against the risk profiles makes tens of thousands of short-lived
containers (fact rows, value lists, explanations) that reference counting frees as soon as the
batch is done: none of them is part of a cycle. While they live, they count as allocations, and
every few thousand the collector runs; once in a while it runs a *full* collection, walking
every object of the process (an importer's whole heap) to find no garbage among them. On the
bulk path that was most of an evaluation's time (measured: 6.3 s of the 6.7 s evaluations of
six 500-seizure batches were spent in collections). `collector_paused` turns the collector off
for the duration of such work and back on after it, when the temporaries are already freed.

It is process-wide state: the pause is short (one chunk of an evaluation), and it restores the
collector only if it found it on, so that code which keeps it off on purpose is not overridden
by the end of a pause (two overlapping pauses in two threads leave it on, as they found it).
Cyclic garbage made meanwhile is collected at the next collection after the pause.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


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
