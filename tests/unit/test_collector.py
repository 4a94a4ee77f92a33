"""`ncen.collector.frozen_heap`: the collector's settings during a bulk job, and after."""

from __future__ import annotations

import gc
import threading
import weakref

import pytest

from ncen.collector import JOB_THRESHOLDS, freeze_process, frozen_heap, frozen_jobs, thaw_process


class _Node:
    """A container that can hold itself: a cycle only the collector frees."""

    def __init__(self) -> None:
        self.me: object = self


def test_the_heap_is_frozen_and_thresholds_raised_only_inside_the_block():
    before_thresholds = gc.get_threshold()
    assert gc.get_freeze_count() == 0
    with frozen_heap():
        assert gc.get_freeze_count() > 0
        assert gc.get_threshold() == JOB_THRESHOLDS
        assert frozen_jobs() == 1
    assert gc.get_freeze_count() == 0
    assert gc.get_threshold() == before_thresholds
    assert frozen_jobs() == 0


def test_settings_come_back_when_the_job_raises():
    before_thresholds = gc.get_threshold()
    with pytest.raises(RuntimeError), frozen_heap():
        raise RuntimeError("refused record")
    assert gc.get_freeze_count() == 0
    assert gc.get_threshold() == before_thresholds
    assert frozen_jobs() == 0


def test_cycles_made_inside_the_block_are_still_collected():
    with frozen_heap():
        node = _Node()
        ref = weakref.ref(node)
        del node
        assert ref() is not None  # a cycle: reference counting alone does not free it
        gc.collect()
        assert ref() is None


def test_cycles_frozen_and_then_dropped_are_collected_after_the_block():
    node = _Node()
    ref = weakref.ref(node)
    with frozen_heap():
        del node
        gc.collect()
        assert ref() is not None  # frozen: full passes skip it while the job runs
    gc.collect()
    assert ref() is None


def test_the_last_of_overlapping_jobs_thaws_the_heap():
    before_thresholds = gc.get_threshold()
    inside, leave = threading.Event(), threading.Event()

    def other_job() -> None:
        with frozen_heap():
            inside.set()
            leave.wait(10)

    thread = threading.Thread(target=other_job)
    with frozen_heap():
        thread.start()
        assert inside.wait(10)
        assert frozen_jobs() == 2
    # This job ended first: the other one still runs with the heap frozen.
    assert frozen_jobs() == 1
    assert gc.get_freeze_count() > 0
    assert gc.get_threshold() == JOB_THRESHOLDS
    leave.set()
    thread.join(10)
    assert frozen_jobs() == 0
    assert gc.get_freeze_count() == 0
    assert gc.get_threshold() == before_thresholds


def test_a_process_frozen_for_life_stays_frozen_after_a_job():
    """A server worker's freeze (web.cli) survives a bundle export in one of its requests."""
    try:
        freeze_process()
        for_life = gc.get_freeze_count()
        assert for_life > 0
        with frozen_heap():
            assert gc.get_threshold() == JOB_THRESHOLDS
        assert gc.get_freeze_count() >= for_life
        assert gc.get_threshold() != JOB_THRESHOLDS
    finally:
        thaw_process()
    assert gc.get_freeze_count() == 0
    with frozen_heap():
        pass
    assert gc.get_freeze_count() == 0
