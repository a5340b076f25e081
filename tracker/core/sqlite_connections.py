"""What every SQLite connection of the app's engine is set to when it is opened (PostgreSQL needs nothing).

Memory-mapped reads (PRAGMA mmap_size, per connection): SQLite then reads the database file's pages where the
kernel keeps them instead of copying each one through a read() call into its own small page cache (2 MB by
default). A search touches hundreds of pages of a large file that its cache cannot hold: each hit's entry, to learn
its request (a reporter's visibility), and the full-text index's own blocks; mapped, a reporter's search over
100,000 pages spent about half as much on those lookups (bench/search.py). SQLite only reads through the mapping
(writes still go through write() and its journal, so a transaction's safety is the same); the mapping is of the
file, not memory taken: at most MMAP_BYTES of address space per connection, the rest of a larger file read as
before. The one risk SQLite documents, an I/O error of the disk showing as a signal rather than an error, is a
failing disk either way.
"""

from __future__ import annotations

from sqlalchemy import event

MMAP_BYTES = 256 * 1024 * 1024


def configure(engine) -> None:
    """Set every connection the engine opens (idempotent: one listener however often it is called)."""
    if not event.contains(engine, "connect", _on_connect):
        event.listen(engine, "connect", _on_connect)


def _on_connect(dbapi_connection, _connection_record) -> None:
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute(f"PRAGMA mmap_size = {MMAP_BYTES}")
    finally:
        cursor.close()
