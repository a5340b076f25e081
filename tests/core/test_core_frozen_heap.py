"""frozen_heap(): the objects made before a long job are left out of its full garbage collections, and put back
at its end, however it ends, so nothing lives longer for it."""

from __future__ import annotations

import gc
import weakref

import pytest

from tracker.core.frozen_heap import frozen_heap


class _Cycle:
    def __init__(self):
        self.me = self


def test_old_objects_wait_out_the_job_and_are_collected_after_it():
    gc.collect()
    old = _Cycle()
    alive = weakref.ref(old)
    with frozen_heap():
        assert gc.get_freeze_count() > 0
        del old  # garbage now, in a cycle: only the search for cycles frees it
        gc.collect()
        assert alive() is not None  # frozen: not searched during the job
    assert gc.get_freeze_count() == 0
    gc.collect()
    assert alive() is None  # back in the heap: collected once the job is over


def test_the_heap_is_put_back_when_the_job_fails():
    with pytest.raises(RuntimeError), frozen_heap():
        raise RuntimeError("the job failed")
    assert gc.get_freeze_count() == 0


def test_the_young_objects_are_searched_less_often_during_the_job_and_as_usual_after_it():
    usual = gc.get_threshold()
    with frozen_heap():
        assert gc.get_threshold()[0] >= 10_000 and gc.get_threshold()[1:] == usual[1:]
        with frozen_heap():  # a second job at once
            pass
        assert gc.get_threshold()[0] >= 10_000  # still raised: the first job goes on
    assert gc.get_threshold() == usual
    with pytest.raises(RuntimeError), frozen_heap():
        raise RuntimeError("the job failed")
    assert gc.get_threshold() == usual
