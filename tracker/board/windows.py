"""The board's figures over periods of days (the last 12 months, 3 years, all time), kept on write and moved
once a day: the board's 12-month summary and the agency scorecards.

Each request adds facts on the days they happened (board_facts): on the day it was received, that it was
("requests"), its working days to acknowledgment ("ack_days", "4"), its estimates and whether its deadline
is set while the agency's clock runs; on the day of each determination, its exemptions and, for an initial
one, its outcome, its working days from receipt ("det_days", "21") and whether it met its deadline
("judged", "on_time" or "late"). A window holds, per privacy and agency (agency 0: every agency), how many
facts of each kind and value fall in its days: a few thousand rows at most whatever the number of
requests. What depends on today (overdue now, an estimate passed) is a fact less the few requests whose
date is still ahead, counted live from an index.

- A change to a request made through the ORM (the `requests_committing` signal) replaces that request's facts
  and moves the windows' counts by the difference, in the same transaction; the windows' rows are locked
  first, so a change and the day's move never miss each other.
- The first read of a new day moves the windows (`current`): it subtracts the facts of the days that left
  and adds those of the days that entered, read from the facts' day index; the caller commits.
- Rows written by raw SQL need `tallies.rebuild()`, which rebuilds the facts and empties the windows.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

from sqlalchemy import Row, case, delete, func, insert, inspect, select, update
from sqlalchemy.orm import Session

from tracker import deadlines
from tracker.agencies.models import Agency
from tracker.board.models import BoardFact, BoardOwnerWindowTally, BoardWindow, BoardWindowTally
from tracker.core.chunks import chunks
from tracker.core.mail import dialect_insert, is_postgres
from tracker.requests.changes import forget_inserted
from tracker.requests.estimates import RUNNING
from tracker.requests.models import Determination, DeterminationDocument, RecordsRequest

R, D = RecordsRequest, Determination
AGENCY_CLOCK = ("filed", "acknowledged")  # the agency's response clock runs (not paused)
facts, windows, counts = BoardFact.__table__, BoardWindow.__table__, BoardWindowTally.__table__
owners = BoardOwnerWindowTally.__table__  # the private facts' counts again, per owner
# What a request adds on the day it was received (scorecards), and on the day of each determination.
REQUEST_KINDS = ("requests", "ack_days", "estimated", "estimate_missed", "estimate_running", "clock_dated")
DECISION_KINDS = ("det_days", "judged", "outcome", "exemption")
# name -> (days, bounded): the facts of the `days` days to as_of (None: every day before); a bounded window
# ends on as_of (decisions), an open one also holds later days (requests received: the scorecards' rule).
# "d": decision facts, by decided_on; "r": request facts, by received_on.
WINDOWS = {"d12": (365, True), "d36": (1095, True), "dall": (None, True),
           "r12": (365, False), "r36": (1095, False), "rall": (None, False)}


def family(window: str) -> tuple[str, ...]:
    return DECISION_KINDS if window.startswith("d") else REQUEST_KINDS


def bounds(window: str, as_of: date) -> tuple[date | None, date | None]:
    """The window as (after, upto]: None is no bound."""
    days, bounded = WINDOWS[window]
    return (as_of - timedelta(days=days) if days else None), (as_of if bounded else None)


class _Calendars(dict):
    """Each jurisdiction's working-day calendar, looked up once."""

    def between(self, code: str, start: date | None, end: date | None) -> int | None:
        if start is None or end is None:
            return None
        if code not in self:
            try:
                self[code] = deadlines.calendar_for(deadlines.jurisdiction(code))
            except deadlines.DeadlineError:
                self[code] = None
        cal = self[code]
        if cal is None:
            return None
        try:
            return max(cal.between(start, end), 0)
        except deadlines.DeadlineError:
            return None


# What a request adds where it was received, read with its owner (a fact's owner) and its agency's jurisdiction.
RECEIVED = (R.id, R.owner_id, R.private, R.agency_id, Agency.jurisdiction, R.received_on, R.acknowledged_on, R.status,
            R.response_due, R.estimated_completion_on, R.determined_on)


def requests_now(conn, request_ids) -> dict[int, Row]:
    """These requests as they stand, by id: what they add where they were received (RECEIVED) and their appeal
    decision's deadline besides, so the tallies' keys come from the same statement (tallies.keep_board)."""
    query = select(*RECEIVED, R.appeal_decision_due).join(Agency, Agency.id == R.agency_id)
    return {row.id: row for row in conn.execute(query.where(R.id.in_(request_ids)))}


def _facts_of(conn, request_ids: list[int] | None, *, undecided: bool = False,
              now: list[Row] | None = None) -> dict[int, Counter]:
    """What the requests add now, by request (all requests with request_ids None): fact -> how many, a fact
    being (private, agency_id, day, kind, key, owner_id). `undecided`: the requests are known to have no
    determination, which are then not read. `now`: their rows of requests_now, read already."""
    out: dict[int, Counter] = {}
    cals = _Calendars()
    owner_of: dict[int, int] = {}

    def add(request_id, private, agency_id, day, kind, key=""):
        out.setdefault(request_id, Counter())[(bool(private), agency_id, day, kind, key[:100],
                                               owner_of[request_id])] += 1

    # Every request with its owner (a fact's owner), its receipt facts read where it was received.
    received = select(*RECEIVED).join(Agency, Agency.id == R.agency_id)
    decided = (select(D.id, D.request_id, R.private, R.agency_id, D.decided_on, D.stage, D.outcome, D.working_days,
                      D.on_time, D.exemptions).join(R, R.id == D.request_id).where(D.decided_on.is_not(None)))
    documents = select(DeterminationDocument.determination_id, DeterminationDocument.exemptions)
    if request_ids is not None:
        received = received.where(R.id.in_(request_ids))
        decided = decided.where(D.request_id.in_(request_ids))
        documents = documents.join(D, D.id == DeterminationDocument.determination_id).where(
            D.request_id.in_(request_ids))
    for row in conn.execute(received) if now is None else now:
        rid, owner, private, agency_id, code, got, acked, status, due, estimate, determined = row[:len(RECEIVED)]
        owner_of[rid] = owner
        if got is None:
            continue
        add(rid, private, agency_id, got, "requests")
        if (n := cals.between(code, got, acked)) is not None:
            add(rid, private, agency_id, got, "ack_days", str(n))
        if estimate is not None:
            add(rid, private, agency_id, got, "estimated")
            if status in RUNNING:  # missed once today passes it: counted live against today
                add(rid, private, agency_id, got, "estimate_running")
            elif determined is not None and determined > estimate:
                add(rid, private, agency_id, got, "estimate_missed")
        if status in AGENCY_CLOCK and due is not None:  # overdue once today passes it: counted live
            add(rid, private, agency_id, got, "clock_dated")
    decisions = [] if undecided else conn.execute(decided).all()
    cited: dict[int, set] = {}
    # The documents' exemptions only where there are decisions (most requests a write changes have none).
    for determination_id, codes in conn.execute(documents) if decisions else ():
        cited.setdefault(determination_id, set()).update(codes or [])
    for did, rid, private, agency_id, day, stage, outcome, working_days, on_time, codes in decisions:
        for code in sorted(set(codes or []) | cited.get(did, set())):
            add(rid, private, agency_id, day, "exemption", code)
        if stage != "initial":
            continue
        add(rid, private, agency_id, day, "outcome", outcome or "")
        if working_days is not None:
            add(rid, private, agency_id, day, "det_days", str(working_days))
        if on_time is not None:
            add(rid, private, agency_id, day, "judged", "on_time" if on_time else "late")
    return out


def median(histogram: dict) -> float | int | None:
    """statistics.median of the values a histogram {value: how many} holds, without listing them."""
    total = sum(histogram.values())
    if not total:
        return None
    middle, found, seen = ((total - 1) // 2, total // 2), [], 0  # 0-based positions of the middle value(s)
    for value in sorted(histogram):
        n = histogram[value]
        found += [value for position in middle if seen <= position < seen + n]
        seen += n
        if len(found) == 2:
            break
    return found[0] if total % 2 else (found[0] + found[1]) / 2


def _known_undecided(session: Session, request_id: int) -> bool:
    """The session holds the request with its determinations loaded, and there are none: a determination is
    always added through its request (lifecycle, referrals), which appends it to that list."""
    obj = session.identity_map.get(inspect(R).identity_key_from_primary_key((request_id,)))
    if obj is None:
        return False
    state = inspect(obj)
    return state.persistent and "determinations" not in state.unloaded and not obj.determinations


def _stored_facts(conn, request_ids: list[int]) -> dict[int, Counter]:
    out: dict[int, Counter] = {}
    for row in conn.execute(select(facts).where(facts.c.request_id.in_(request_ids))):
        out.setdefault(row.request_id, Counter())[(row.private, row.agency_id, row.day, row.kind, row.key,
                                                   row.owner_id)] += 1
    return out


def _rows(request_id: int, found: Counter) -> list[dict]:
    return [{"request_id": request_id, "private": f[0], "agency_id": f[1], "day": f[2], "kind": f[3], "key": f[4],
             "owner_id": f[5]} for f, n in found.items() for _ in range(n)]


def _inside(window: str, kind: str, day: date, as_of: date) -> bool:
    after, upto = bounds(window, as_of)
    return kind in family(window) and (after is None or day > after) and (upto is None or day <= upto)


def _apply(session: Session, deltas: dict[str, Counter]) -> None:
    """Add each window's delta {(private, agency_id, kind, key, owner_id): n} to its counts (and to its
    every-agency rows), and its private part to the owners' counts: one statement per table for all the windows
    (a filing moves three windows; a statement each cost three times as much). In the windows' order, then the
    keys': every writer holds the windows' rows (_locked_windows) before it moves their counts."""
    both: Counter = Counter()
    mine: Counter = Counter()
    for window, delta in deltas.items():
        for (private, agency_id, kind, key, owner_id), n in delta.items():
            both[(window, private, agency_id, kind, key)] += n
            both[(window, private, 0, kind, key)] += n
            if private:
                mine[(window, owner_id, agency_id, kind, key)] += n
                mine[(window, owner_id, 0, kind, key)] += n
    for table, first, found in ((counts, "private", both), (owners, "owner_id", mine)):
        rows = [{"window": k[0], first: k[1], "agency_id": k[2], "kind": k[3], "key": k[4], "n": n}
                for k, n in sorted(found.items()) if n]
        if rows:
            stmt = dialect_insert(table, session)
            session.connection().execute(stmt.on_conflict_do_update(
                index_elements=["window", first, "agency_id", "kind", "key"], set_={"n": table.c.n + stmt.excluded.n}),
                rows)


REBUILD = "rebuild"  # a row of this name (left by the migration): the next read builds the facts first


def _locked_windows(session: Session) -> dict[str, date]:
    query = select(windows.c.name, windows.c.as_of).order_by(windows.c.name)
    if is_postgres(session):
        query = query.with_for_update()
    return dict(session.connection().execute(query).all())


def keep(session: Session, *, changes, now: dict[int, Row] | None = None) -> None:
    """Replace the facts of the requests this transaction changed (or deleted) and move the windows' counts.
    `now`: requests_now of them, read already."""
    ids = sorted(set(changes.request_ids) | set(getattr(changes, "deleted_request_ids", ()) or ()))
    if not ids:
        return
    conn = session.connection()
    inserted = set(getattr(changes, "inserted_request_ids", ()) or ())  # no facts stored for them yet
    undecided = set(getattr(changes, "undecided_request_ids", ()) or ())  # known to have no determination
    as_of: dict[str, date] | None = None
    for chunk in chunks(ids):
        counted = [i for i in chunk if i not in inserted]
        old = _stored_facts(conn, counted) if counted else {}
        new = _facts_of(conn, chunk, undecided=all(i in undecided or _known_undecided(session, i) for i in chunk),
                        now=None if now is None else [now[i] for i in chunk if i in now])
        moved = [i for i in chunk if old.get(i, Counter()) != new.get(i, Counter())]
        if not moved:
            continue
        if as_of is None:
            as_of = {name: day for name, day in _locked_windows(session).items() if name in WINDOWS}
        if stale := [i for i in moved if i in old]:  # a request with no facts stored has none to delete
            conn.execute(delete(facts).where(facts.c.request_id.in_(stale)))
        rows = [row for i in moved for row in _rows(i, new.get(i, Counter()))]
        if rows:
            conn.execute(insert(facts), rows)
        deltas: dict[str, Counter] = {}
        for window, day in as_of.items():
            delta = deltas[window] = Counter()
            for i in moved:
                for sign, found in ((-1, old.get(i, Counter())), (1, new.get(i, Counter()))):
                    for (private, agency_id, fact_day, kind, key, owner_id), n in found.items():
                        if _inside(window, kind, fact_day, day):
                            delta[(private, agency_id, kind, key, owner_id)] += sign * n
        _apply(session, deltas)


def _sum_range(session: Session, window: str, after: date | None, upto: date | None) -> Counter:
    """The window's kinds of facts of the days in (after, upto], grouped: read from the facts' day index."""
    conds = [facts.c.kind.in_(family(window))]
    if after is not None:
        conds.append(facts.c.day > after)
    if upto is not None:
        conds.append(facts.c.day <= upto)
    owner = case((facts.c.private, facts.c.owner_id), else_=0)  # only the private facts' owners are counted apart
    query = (select(facts.c.private, facts.c.agency_id, facts.c.kind, facts.c.key, owner, func.count()).where(*conds)
             .group_by(facts.c.private, facts.c.agency_id, facts.c.kind, facts.c.key, owner))
    return Counter({(bool(p), a, k, v, o): n for p, a, k, v, o, n in session.connection().execute(query)})


def _below(a: date | None, b: date | None) -> bool:
    """a < b, where None is minus infinity for a and plus infinity for b."""
    return a is None or b is None or a < b


def _minus(a: tuple, b: tuple) -> list[tuple]:
    """The day ranges (after, upto] of range a that are not in range b (None: no bound)."""
    (a_after, a_upto), (b_after, b_upto) = a, b
    out = []
    if b_after is not None:  # a's days up to b's start
        upto = b_after if a_upto is None else min(a_upto, b_after)
        if _below(a_after, upto):
            out.append((a_after, upto))
    if b_upto is not None:  # a's days after b's end
        after = b_upto if a_after is None else max(a_after, b_upto)
        if _below(after, a_upto):
            out.append((after, a_upto))
    return out


def current(session: Session, today: date) -> None:
    """Bring every window to `today` (a no-op but for one small read, except on a day's first read)."""
    stored = dict(session.connection().execute(select(windows.c.name, windows.c.as_of)).all())
    if all(stored.get(name) == today for name in WINDOWS):
        return
    stored = _locked_windows(session)  # then look again: another process may have just moved them
    if REBUILD in stored:  # facts never built (the migration): build them from the requests now, once
        rebuild(session)
        stored = {}
    conn = session.connection()
    for name in WINDOWS:
        as_of = stored.get(name)
        if as_of == today:
            continue
        new = bounds(name, today)
        if as_of is None:  # never counted (or rebuilt): count it afresh
            conn.execute(delete(counts).where(counts.c.window == name))
            conn.execute(delete(owners).where(owners.c.window == name))
            delta = _sum_range(session, name, *new)
        else:  # the days that entered, less those that left
            old = bounds(name, as_of)
            delta = Counter()
            for piece in _minus(new, old):
                delta.update(_sum_range(session, name, *piece))
            for piece in _minus(old, new):
                delta.subtract(_sum_range(session, name, *piece))
        _apply(session, {name: delta})
        if as_of is None:  # an upsert: two first reads at once both count afresh, and agree
            stmt = dialect_insert(windows, session).values(name=name, as_of=today)
            conn.execute(stmt.on_conflict_do_update(index_elements=["name"], set_={"as_of": today}))
        else:
            conn.execute(update(windows).where(windows.c.name == name).values(as_of=today))


def rebuild(session: Session) -> None:
    """Facts from scratch; the windows are counted afresh by their next read."""
    forget_inserted(session)  # the facts written here are read at the commit like any other's
    conn = session.connection()
    conn.execute(delete(facts))
    conn.execute(delete(counts))
    conn.execute(delete(owners))
    conn.execute(delete(windows))
    rows = [row for request_id, found in _facts_of(conn, None).items() for row in _rows(request_id, found)]
    for start in range(0, len(rows), 20_000):
        conn.execute(insert(facts), rows[start:start + 20_000])


def stored_counts(session: Session, window: str) -> dict[tuple, int]:
    """A window's counts as kept (tests compare them with from_scratch)."""
    return {(r.private, r.agency_id, r.kind, r.key): r.n
            for r in session.execute(select(counts).where(counts.c.window == window, counts.c.n != 0))}


def stored_owner_counts(session: Session, window: str) -> dict[tuple, int]:
    """A window's private counts per owner as kept: (owner_id, agency_id, kind, key) -> n."""
    return {(r.owner_id, r.agency_id, r.kind, r.key): r.n
            for r in session.execute(select(owners).where(owners.c.window == window, owners.c.n != 0))}


def from_scratch(session: Session, window: str, today: date, *, per_owner: bool = False) -> dict[tuple, int]:
    """A window's counts from every request (per_owner: its private counts per owner, as stored_owner_counts)."""
    found: Counter = Counter()
    for request_found in _facts_of(session.connection(), None).values():
        for (private, agency_id, day, kind, key, owner_id), n in request_found.items():
            if not _inside(window, kind, day, today) or (per_owner and not private):
                continue
            first = owner_id if per_owner else private
            found[(first, agency_id, kind, key)] += n
            found[(first, 0, kind, key)] += n
    return dict(found)
