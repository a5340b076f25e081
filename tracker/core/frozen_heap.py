"""A long job that makes many short-lived objects (the mail fetch) spends a good part of its time in Python's
garbage collections. Inside `frozen_heap()`:

- what existed before is left out of the full collections, each of which would walk every object of the process
  (the app, SQLAlchemy's mappers and caches, every loaded module): gc.freeze, and gc.unfreeze at the end. Nothing
  lives longer for it, since what became garbage meanwhile is collected by the first full collection after the
  job. Objects are freed by their reference counts as always; only the search for cycles among the old objects
  waits.
- the youngest objects are searched for cycles every YOUNG_THRESHOLD allocations instead of every 700: the job's
  objects live for a batch, so a search every 700 found them alive and moved them on to the older generations,
  searched again and again (a tenth of a second per 1,000 fetched messages). At most that many objects wait
  to be searched; the usual threshold is back when the last such job ends.

Two at once in one process: the first to end puts the frozen objects back, and the other goes on with the usual
full collections (slower, never wrong); the threshold stays raised until the last one ends.

A web worker does the same for good once its app is built (`settle_worker`, from wsgi.py): a request makes tens of
thousands of short-lived objects, and at the usual threshold the collector ran two young collections per request
and a full one (115 ms) every couple of hundred requests; measured on the load mix (bench/load.py) in one
process, about 1 ms of CPU per request, under 0.1 ms so settled."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

YOUNG_THRESHOLD = 10_000

_lock = threading.Lock()
_running = 0
_usual: tuple[int, ...] = ()


@contextmanager
def frozen_heap() -> Iterator[None]:
    global _running, _usual
    with _lock:
        if _running == 0:
            _usual = gc.get_threshold()
            gc.set_threshold(max(YOUNG_THRESHOLD, _usual[0]), *_usual[1:])
        _running += 1
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()
        with _lock:
            _running -= 1
            if _running == 0:
                gc.set_threshold(*_usual)


def settle_worker() -> None:
    """For the life of a web worker: what its startup built frozen out of full collections (its garbage freed
    first, not frozen), and the youngest objects searched every YOUNG_THRESHOLD allocations (the older
    generations keep their thresholds)."""
    gc.collect()
    gc.freeze()
    _young, middle, old = gc.get_threshold()
    gc.set_threshold(YOUNG_THRESHOLD, middle, old)
