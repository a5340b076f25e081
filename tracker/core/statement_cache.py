"""psycopg's cache of parsed statements, widened to the statements this app runs.

Before sending a statement, psycopg parses its text for the %(name)s placeholders; it keeps the result for the next
execution of the same text, except for a text longer than 4 KB or with more than 50 parameters (a limit meant for
ORM INSERTs of many rows, whose texts rarely repeat), which it parses again every time. The board's, the ledger's
and the API's larger statements are built once and run on every view, and their id lists have the length of a page:
parsed every time, they cost 2 to 4 ms of CPU per board or ledger view at 10,000 requests. The cache stays bounded
(least recently used out), so a text that does not repeat only takes a place a while.
"""

from __future__ import annotations

from functools import lru_cache

LONGEST = 256 * 1024  # characters of a statement's text
MOST_PARAMETERS = 4096
ENTRIES = 512  # psycopg's own: 128, which the app's distinct statements nearly fill already


def widen() -> None:
    """Cache the parsing of long statements too (idempotent; a psycopg without these internals is left as it is)."""
    try:
        from psycopg import _queries
    except ImportError:  # no PostgreSQL driver: SQLite only
        return
    if not all(hasattr(_queries, name) for name in ("MAX_CACHED_STATEMENT_LENGTH", "MAX_CACHED_STATEMENT_PARAMS",
                                                     "_query2pg", "_query2pg_nocache")):
        return
    _queries.MAX_CACHED_STATEMENT_LENGTH = max(_queries.MAX_CACHED_STATEMENT_LENGTH, LONGEST)
    _queries.MAX_CACHED_STATEMENT_PARAMS = max(_queries.MAX_CACHED_STATEMENT_PARAMS, MOST_PARAMETERS)
    info = getattr(_queries._query2pg, "cache_info", None)
    if info is not None and (info().maxsize or 0) < ENTRIES:
        _queries._query2pg = lru_cache(maxsize=ENTRIES)(_queries._query2pg_nocache)
