"""The board's tallies: how many requests have each (status, private, agency, dated), kept on write.

The board's column counts are sums of these few rows (at most statuses x agencies x 4) plus index ranges
of the requests whose deadline is still ahead (tallies cannot know "today"), so they cost the same at a
thousand requests and at a hundred thousand. `dated` says whether the deadline a status's column splits
on is set: the agency's response deadline while its clock runs, the appeal decision deadline during an
appeal (day_of). A request counted "dated" and not ahead of today is overdue.

The tallies stay right because every change to a request made through the ORM, in any process, sends
`requests_committing` as its transaction commits (requests/changes.py); the receiver here reads what each
changed request was last counted as (board_entries) and what it is now, and moves one count from the old key
to the new, in the same transaction. Rows written by raw SQL (bench/newsroom.py, a restore) need `rebuild()`.
"""

from __future__ import annotations

from collections import Counter

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from tracker.board import windows
from tracker.board.models import BoardEntry, BoardTally
from tracker.board.windows import AGENCY_CLOCK
from tracker.core.chunks import chunks
from tracker.core.mail import dialect_insert
from tracker.requests.changes import forget_inserted, requests_committing
from tracker.requests.models import RecordsRequest

R = RecordsRequest
entries, tallies = BoardEntry.__table__, BoardTally.__table__
FACTS = (R.id, R.status, R.private, R.agency_id, R.response_due, R.appeal_decision_due)


def day_column(status: str):
    """The deadline a request of this status is overdue by, or None: the board's "overdue" column."""
    if status in AGENCY_CLOCK:
        return R.response_due
    if status == "appealed":
        return R.appeal_decision_due
    return None


def _key(status, private, agency_id, response_due, appeal_decision_due) -> tuple:
    day = response_due if status in AGENCY_CLOCK else appeal_decision_due if status == "appealed" else None
    return status, bool(private), agency_id, day is not None


def _changed_ids(changes) -> list[int]:
    return sorted(set(changes.request_ids) | set(getattr(changes, "deleted_request_ids", ()) or ()))


def keep(session: Session, *, changes, now: dict | None = None) -> None:
    """Move the counts of the requests this transaction changed (or deleted) from their old keys to their new.
    `now`: windows.requests_now of them, read already."""
    ids = _changed_ids(changes)
    if not ids:
        return
    conn = session.connection()
    inserted = set(getattr(changes, "inserted_request_ids", ()) or ())  # never counted yet: no entry to read
    delta: Counter = Counter()
    for chunk in chunks(ids):
        counted = [i for i in chunk if i not in inserted]
        old = {row.request_id: (row.status, row.private, row.agency_id, row.dated)
               for row in (conn.execute(select(entries).where(entries.c.request_id.in_(counted))) if counted else ())}
        rows = conn.execute(select(*FACTS).where(R.id.in_(chunk))) if now is None else (
            now[i] for i in chunk if i in now)
        new = {row.id: _key(row.status, row.private, row.agency_id, row.response_due, row.appeal_decision_due)
               for row in rows}
        moved = [i for i in chunk if old.get(i) != new.get(i)]
        if not moved:
            continue
        for i in moved:
            if i in old:
                delta[old[i]] -= 1
            if i in new:
                delta[new[i]] += 1
        if gone := [i for i in moved if i in old and i not in new]:  # deleted requests: their entries with them
            conn.execute(delete(entries).where(entries.c.request_id.in_(gone)))
        rows = [{"request_id": i, "status": k[0], "private": k[1], "agency_id": k[2], "dated": k[3]}
                for i in moved if (k := new.get(i)) is not None]
        if rows:  # an entry replaced in place: one statement, not a delete and an insert
            stmt = dialect_insert(entries, session)
            conn.execute(stmt.on_conflict_do_update(index_elements=["request_id"], set_={
                name: stmt.excluded[name] for name in ("status", "private", "agency_id", "dated")}), rows)
    changed = [{"status": k[0], "private": k[1], "agency_id": k[2], "dated": k[3], "n": d}
               for k, d in sorted(delta.items()) if d]  # sorted: concurrent writers lock rows in one order
    if changed:
        stmt = dialect_insert(tallies, session)
        conn.execute(stmt.on_conflict_do_update(index_elements=["status", "private", "agency_id", "dated"],
                                                set_={"n": tallies.c.n + stmt.excluded.n}), changed)


def rebuild(session: Session) -> None:
    """Entries and tallies from scratch, and the windows' facts (after rows were written by raw SQL, e.g. the
    bench's newsroom)."""
    forget_inserted(session)  # the entries written here are read at the commit like any other's
    conn = session.connection()
    conn.execute(delete(entries))
    conn.execute(delete(tallies))
    counted: Counter = Counter()
    rows = []
    for row in conn.execute(select(*FACTS)):
        k = _key(*row[1:])
        counted[k] += 1
        rows.append({"request_id": row.id, "status": k[0], "private": k[1], "agency_id": k[2], "dated": k[3]})
        if len(rows) >= 20_000:
            conn.execute(insert(entries), rows)
            rows = []
    if rows:
        conn.execute(insert(entries), rows)
    if counted:
        conn.execute(insert(tallies), [{"status": k[0], "private": k[1], "agency_id": k[2], "dated": k[3], "n": n}
                                       for k, n in sorted(counted.items())])
    windows.rebuild(session)


def from_scratch(session: Session) -> dict[tuple, int]:
    """The tallies as a count of the requests would give them (tests compare the two); zeros left out."""
    out: Counter = Counter()
    for row in session.execute(select(*FACTS)):
        out[_key(*row[1:])] += 1
    return dict(out)


def stored(session: Session) -> dict[tuple, int]:
    return {(r.status, r.private, r.agency_id, r.dated): r.n
            for r in session.execute(select(tallies).where(tallies.c.n != 0))}


def keep_board(session: Session, *, changes) -> None:
    """The tallies, then the windows' facts and counts: one receiver, so every process locks their rows in the
    same order. Blinker calls a signal's receivers in the order of a set, which differs between processes; two
    web workers that took them in opposite orders deadlocked (a 503 under bench/load.py about once a minute)."""
    ids = _changed_ids(changes)
    if not ids:
        return
    # The requests as they stand, read once for both (a statement each before).
    now = {i: row for chunk in chunks(ids) for i, row in windows.requests_now(session.connection(), chunk).items()}
    keep(session, changes=changes, now=now)
    windows.keep(session, changes=changes, now=now)


def install_tally_listener() -> None:
    """Keep the tallies and the windows' facts whenever requests change (idempotent; called by create_app)."""
    requests_committing.connect(keep_board)

