"""Per-matter summaries of what its requests add up to, so the ledger reads one row per matter instead of
every request.

A summary holds the facts (facts.py) of the matter's public requests and of its private ones apart: an
editor sees both added up, a reporter the public part plus, computed live, the private requests they may
see (their own or watched: a handful). A summary is never served stale:

- any change to a request, its matters, its determinations or their Vaughn documents, made through the
  ORM in any process, bumps `changes` of the matters concerned in the same transaction (an `after_flush`
  listener, installed by create_app);
- a read recomputes every summary whose `computed` differs from `changes` (or that is missing: rows
  written by raw SQL) in one batched query, uses the result, and stores it only if `changes` has not
  moved meanwhile (a conditional UPDATE), so a concurrent change is never overwritten.

Sources and editors' overrides are not summarised: the ledger reads them live (one row per matter).
"""

from __future__ import annotations

from collections import Counter
from itertools import chain

from sqlalchemy import JSON, bindparam, event, inspect, literal, select, true, update
from sqlalchemy.orm import Session

from tracker.agencies.models import Agency
from tracker.auth.models import User
from tracker.extensions import db
from tracker.matters import disclosure as dz
from tracker.matters import facts
from tracker.matters.models import Matter, MatterSummary
from tracker.matters.sqldays import to_date
from tracker.requests.documents import DeterminationDocument
from tracker.requests.models import Determination, RecordsRequest, request_matters
from tracker.requests.queries import visible_to

summaries = MatterSummary.__table__
COLUMNS = (summaries.c.changes.label("summary_changes"), summaries.c.computed.label("summary_computed"),
           summaries.c.public.label("summary_public"), summaries.c.private.label("summary_private"))


def _insert(session):
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert(summaries)


# --- keeping them current ----------------------------------------------------------------------------

def _touched_matter_ids(session: Session) -> set[int]:
    matter_ids: set[int] = set()
    request_ids: set[int] = set()
    determination_ids: set[int] = set()
    for obj in chain(session.new, session.dirty, session.deleted):
        if isinstance(obj, RecordsRequest):
            if obj.id is not None:
                request_ids.add(obj.id)
            history = inspect(obj).attrs.matters.history  # links added or removed (never loads)
            matter_ids.update(m.id for m in chain(history.added or (), history.unchanged or (), history.deleted or ())
                              if m.id is not None)
        elif isinstance(obj, Determination):
            request_id = obj.request_id if obj.request_id is not None else getattr(obj.request, "id", None)
            if request_id is not None:
                request_ids.add(request_id)
        elif isinstance(obj, DeterminationDocument):
            determination_id = (obj.determination_id if obj.determination_id is not None
                                else getattr(obj.determination, "id", None))
            if determination_id is not None:
                determination_ids.add(determination_id)
    conn = session.connection()
    if determination_ids:
        request_ids.update(conn.scalars(select(Determination.request_id)
                                        .where(Determination.id.in_(sorted(determination_ids)))))
    if request_ids:
        matter_ids.update(conn.scalars(select(request_matters.c.matter_id)
                                       .where(request_matters.c.request_id.in_(sorted(request_ids)))))
    return matter_ids


def _bump_after_flush(session: Session, flush_context) -> None:
    ids = _touched_matter_ids(session)
    if not ids:
        return
    existing = select(Matter.id, literal(1), literal(-1)).where(Matter.id.in_(sorted(ids)))  # not deleted ones
    stmt = _insert(session).from_select(["matter_id", "changes", "computed"], existing)
    stmt = stmt.on_conflict_do_update(index_elements=[summaries.c.matter_id],
                                      set_={"changes": summaries.c.changes + 1})
    session.connection().execute(stmt)


def install_summary_listener() -> None:
    """Mark a matter's summary stale whenever its requests change (idempotent; called by create_app)."""
    if not event.contains(Session, "after_flush", _bump_after_flush):
        event.listen(Session, "after_flush", _bump_after_flush)


# --- reading them -------------------------------------------------------------------------------------

def _compute(matter_ids: list[int]) -> dict[int, dict[str, dict]]:
    """matter id -> {"public": facts, "private": facts} over all its requests (two queries)."""
    everything = true()
    grouped = facts.grouped_facts(everything, matter_ids)
    exemptions = facts.exemptions_in_force(everything, matter_ids)
    out: dict[int, dict[str, dict]] = {m: {} for m in matter_ids}
    for key in set(grouped) | set(exemptions):
        part = dict(grouped.get(key) or {})
        if exemptions.get(key):
            part["exemptions"] = dict(exemptions[key])
        out[key[0]]["private" if key[1] else "public"] = part
    return out


def _store(rows, computed: dict[int, dict[str, dict]]) -> None:
    """Keep what was computed, unless the matter changed meanwhile (then the next read computes it again)."""
    stale = [{"m": r.id, "c": r.summary_changes, "p": computed[r.id].get("public"),
              "q": computed[r.id].get("private")} for r in rows if r.summary_changes is not None]
    missing = [{"matter_id": r.id, "changes": 0, "computed": 0, "public": computed[r.id].get("public"),
                "private": computed[r.id].get("private")} for r in rows if r.summary_changes is None]
    if stale:
        db.session.execute(
            update(summaries).where(summaries.c.matter_id == bindparam("m"), summaries.c.changes == bindparam("c"))
            .values(computed=bindparam("c"), public=bindparam("p", type_=JSON), private=bindparam("q", type_=JSON)),
            stale)
    if missing:
        db.session.execute(_insert(db.session).on_conflict_do_nothing(index_elements=[summaries.c.matter_id]),
                           missing)


def _viewer_parts(viewer: User) -> tuple[bool, bool, dict[int, list[dict]]]:
    """(sees public requests, sees every private one, the private parts it sees otherwise: computed live)."""
    if not viewer.is_authenticated or not viewer.active:
        return False, False, {}
    if viewer.is_editor:
        return True, True, {}
    own = (RecordsRequest.private.is_(True)) & visible_to(viewer)
    live: dict[int, list[dict]] = {}
    grouped = facts.grouped_facts(own)
    exemptions = facts.exemptions_in_force(own)
    for key in set(grouped) | set(exemptions):
        part = dict(grouped.get(key) or {})
        if exemptions.get(key):
            part["exemptions"] = dict(exemptions[key])
        live.setdefault(key[0], []).append(part)
    return True, False, live


def facts_for(viewer: User, rows) -> dict[int, tuple[dz.MatterFacts, Counter]]:
    """For each matter row (selected with COLUMNS, outer-joined on the summary): the facts of the requests
    the viewer may see, and the exemptions in force among them."""
    stale = [r for r in rows if r.summary_computed is None or r.summary_computed != r.summary_changes]
    computed = _compute([r.id for r in stale]) if stale else {}
    if stale:
        _store(stale, computed)
    public, private, live = _viewer_parts(viewer)
    jurisdictions = dict(db.session.execute(select(Agency.id, Agency.jurisdiction)).all())
    out = {}
    for r in rows:
        stored = computed[r.id] if r.id in computed else {"public": r.summary_public, "private": r.summary_private}
        parts = ([stored.get("public")] if public else []) + ([stored.get("private")] if private else [])
        out[r.id] = combine([p for p in parts + live.get(r.id, []) if p], jurisdictions)
    return out


def combine(parts: list[dict], jurisdictions: dict[int, str]) -> tuple[dz.MatterFacts, Counter]:
    """Facts of disjoint sets of requests added up: counts and pages summed, first dates the earliest."""
    counts: Counter = Counter()
    exemptions: Counter = Counter()
    f = dz.MatterFacts()
    sent = oldest = full = None
    for p in parts:
        counts.update(p.get("counts") or {})
        exemptions.update(p.get("exemptions") or {})
        sent = _least(sent, p.get("sent"))
        oldest = _least(oldest, p.get("oldest"))
        full = _least(full, p.get("full"))
        f.pages_released += p.get("released", 0)
        f.pages_withheld += p.get("withheld", 0)
        f.challenged += p.get("challenged", 0)
    f.counts = {cls: counts[cls] for cls in dz.REQUEST_CLASSES if counts.get(cls)}
    f.first_requested_on, f.first_full_on = to_date(sent), to_date(full)
    if oldest is not None:
        since, agency_id = divmod(int(oldest), facts.AGENCY_SPAN)
        f.pending_since[jurisdictions.get(agency_id, "US")] = to_date(since)
    return f, exemptions


def _least(a, b):
    return b if a is None else a if b is None else min(a, b)
