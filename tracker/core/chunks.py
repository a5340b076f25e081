"""Long lists of ids split for `IN (...)` lists: SQLite limits the bound parameters of one statement."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

CHUNK = 500  # ids per IN list


def chunks(ids: Sequence[int], size: int = CHUNK) -> Iterator[Sequence[int]]:
    for start in range(0, len(ids), size):
        yield ids[start:start + size]
