"""PostgreSQL's generic plans, for a page whose statements cost more to plan than to run.

psycopg prepares a statement on the server once it has run it five times on a connection. PostgreSQL then plans it
again on every run (a "custom" plan for the values given) unless its one "generic" plan looks as cheap; for the
board's statements (a union of a score of index ranges over a table with many indexes) it never does, and the
planning costs more CPU than the run: 5 ms of the cards statement's 8 at 10,000 requests, 2.5 of the counts' 3.7.
Their generic plans read the same index ranges (the values only bound them), so they are kept for the rest of the
transaction (set_config's `true`: local to it; nothing outlives the request's commit).
"""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.orm import Session

from tracker.core.mail import is_postgres

GENERIC_PLANS = text("SELECT set_config('plan_cache_mode', 'force_generic_plan', true)")


def use_generic_plans(session: Session) -> None:
    """Until the transaction ends, prepared statements run on their generic plan (PostgreSQL; SQLite has none)."""
    if is_postgres(session):
        session.execute(GENERIC_PLANS)
