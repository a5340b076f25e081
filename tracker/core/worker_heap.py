"""The garbage collector of a web worker, set once its app is built (wsgi.py).

A request makes tens of thousands of short-lived objects (ORM rows and their states, template output), and the
collector's default young-generation threshold (700 allocations) ran a young collection twice per request and,
by promoting whatever a request still held at that moment, a full collection every couple of hundred requests:
each walks every object of the process (the app, SQLAlchemy's mappers and caches, every module: about 230,000
objects, 115 ms). Measured on the load mix (bench/load.py) in one process: about 1 ms of CPU per request in the
collector, under 0.1 ms so settled.

- What the app built at startup lives as long as the worker: frozen (gc.freeze), left out of full collections.
- Young objects are collected every YOUNG net allocations: a request's objects are mostly freed by their
  reference counts before, so few collections, each of the objects then alive.
Objects are freed by their reference counts as always; only the search for cycles runs less often.
"""

from __future__ import annotations

import gc

YOUNG = 10_000  # the default 700 collected twice per request


def settle() -> None:
    """Freeze the heap built so far and widen the young generation (the older ones keep their thresholds)."""
    gc.collect()  # what startup left as garbage is freed, not frozen
    gc.freeze()
    _young, middle, old = gc.get_threshold()
    gc.set_threshold(YOUNG, middle, old)
