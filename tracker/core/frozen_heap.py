"""A long job that makes many short-lived objects (the mail fetch) spends a good part of its time in Python's
full garbage collections, and each of them walks every object of the process: the app, SQLAlchemy's mappers
and caches, every loaded module. Inside `frozen_heap()` what existed before is left out of those walks
(gc.freeze) and put back at the end (gc.unfreeze): nothing lives longer for it, since what became garbage
meanwhile is collected by the first full collection after the job. Objects are freed by their reference
counts as always; only the search for cycles among the old objects waits.

Two at once in one process: the first to end puts everything back, and the other goes on with the usual
collections (slower, never wrong)."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def frozen_heap() -> Iterator[None]:
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()
