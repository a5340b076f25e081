"""Per-matter summaries of what its requests add up to, so the ledger reads one row per matter instead of
every request.

A summary holds the facts (facts.py) of the matter's public requests and of its private ones apart: an
editor sees both added up, a reporter the public part plus the private requests they may see. Those are their
own, summed per owner beside the summary (MatterOwnerSummary, computed and kept with it: a reporter may own
hundreds), and the private requests of others they watch, computed live (a handful). A summary is never
served stale:

- any change to a request, its matters, its determinations or their Vaughn documents, made through the
  ORM in any process, bumps `changes` of the matters concerned in the same transaction (the `requests_changed`
  signal of requests/changes.py, sent after each flush);
- a read first recomputes every summary whose `computed` differs from `changes` (or that is missing:
  rows written by raw SQL) in one batched query, and stores it only if `changes` has not moved
  meanwhile (a conditional UPDATE), so a concurrent change is never overwritten.

Besides the facts (JSON), a summary keeps the state they give and the first day a request was sent, over
the public requests and over all, as plain columns: the ledger filters, counts, sorts and pages by them
in SQL and builds rows only for the matters it shows.

Sources and editors' overrides are not summarised: the ledger reads them live (one row per matter).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from functools import cache

from sqlalchemy import JSON, and_, bindparam, delete, literal, or_, select, true, update
from sqlalchemy.orm import Session

from tracker.auth.models import User
from tracker.extensions import db
from tracker.ledger import disclosure as dz
from tracker.ledger import facts
from tracker.ledger.sqldays import to_date
from tracker.matters.models import Matter, MatterOwnerSummary, MatterSummary
from tracker.requests.access import watched_private_of_others_sql
from tracker.requests.changes import requests_changed
from tracker.requests.models import RecordsRequest, request_matters

summaries = MatterSummary.__table__
owners = MatterOwnerSummary.__table__  # the private part again, per owner
EVERYTHING = true()  # one object, so the facts statements over all requests are built once
PRIVATE = RecordsRequest.private.is_(True)  # likewise for the private requests, summed per owner
COLUMNS = (summaries.c.public.label("summary_public"), summaries.c.private.label("summary_private"))


@cache
def _watched():
    """One object, like EVERYTHING, for a reporter's live part; built on first use, not at import, so a mutation
    run (which empties the caches for each mutant) builds it with the code under test."""
    return watched_private_of_others_sql()


def _insert(session, table=summaries):
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert(table)


# --- keeping them current ----------------------------------------------------------------------------

def _bump_changed(session: Session, *, changes) -> None:
    ids = set(changes.matter_ids)
    # A request inserted by this flush has only the links its collection added, and one written with its links
    # loaded has those it holds: already in matter_ids.
    linked = (set(changes.request_ids) - set(getattr(changes, "inserted_request_ids", ()) or ())
              - set(getattr(changes, "links_known_request_ids", ()) or ()))
    if linked:
        ids.update(session.connection().scalars(select(request_matters.c.matter_id)
                                                .where(request_matters.c.request_id.in_(sorted(linked)))))
    if not ids:
        return
    existing = select(Matter.id, literal(1), literal(-1)).where(Matter.id.in_(sorted(ids)))  # not deleted ones
    stmt = _insert(session).from_select(["matter_id", "changes", "computed"], existing)
    stmt = stmt.on_conflict_do_update(index_elements=[summaries.c.matter_id],
                                      set_={"changes": summaries.c.changes + 1})
    session.connection().execute(stmt)


def install_summary_listener() -> None:
    """Mark a matter's summary stale whenever its requests change (idempotent; called by create_app)."""
    requests_changed.connect(_bump_changed)


# --- reading them -------------------------------------------------------------------------------------

def _parts(where, matter_ids=None, params: dict | None = None, *, by_owner: bool = False) -> dict[tuple, dict]:
    """(matter id, private), or (matter id, owner id) with by_owner, -> the facts of the requests matching `where`,
    with their exemptions in force."""
    grouped = facts.grouped_facts(where, matter_ids, params, by_owner=by_owner)
    exemptions = facts.exemptions_in_force(where, matter_ids, params, by_owner=by_owner)
    out = {}
    for key in set(grouped) | set(exemptions):
        part = dict(grouped.get(key) or {})
        if exemptions.get(key):
            part["exemptions"] = dict(exemptions[key])
        out[key] = part
    return out


def _compute(matter_ids: list[int]) -> dict[int, dict[str, dict]]:
    """matter id -> {"public": facts, "private": facts, "owners": {owner id: facts}} over all its requests (two
    queries, two more for the private ones per owner where there are any)."""
    out: dict[int, dict] = {m: {"owners": {}} for m in matter_ids}
    for (matter_id, private), part in _parts(EVERYTHING, matter_ids).items():
        out[matter_id]["private" if private else "public"] = part
    with_private = [m for m in matter_ids if out[m].get("private")]
    if with_private:
        for (matter_id, owner_id), part in _parts(PRIVATE, with_private, by_owner=True).items():
            out[matter_id]["owners"][owner_id] = part
    return out


def headline(parts: list[dict | None]) -> tuple[str, int | None]:
    """The state the requests alone give (no sources, no override) and the day number of the first sent."""
    f, _exemptions = combine([p for p in parts if p], {})
    return dz.derived_state(f), min((p["sent"] for p in parts if p and p.get("sent") is not None), default=None)


def _store(rows, computed: dict[int, dict[str, dict]]) -> None:
    """Keep what was computed, unless the matter changed meanwhile (then the next read computes it again)."""
    values = {}
    for r in rows:
        public, private = computed[r.id].get("public"), computed[r.id].get("private")
        (state_public, first_public), (state_all, first_all) = headline([public]), headline([public, private])
        values[r.id] = {"public": public, "private": private, "state_public": state_public,
                        "first_public": first_public, "state_all": state_all, "first_all": first_all}
    stale = [{"m": r.id, "c": r.summary_changes, **{f"v_{k}": v for k, v in values[r.id].items()}}
             for r in rows if r.summary_changes is not None]
    missing = [{"matter_id": r.id, "changes": 0, "computed": 0, **values[r.id]} for r in rows
               if r.summary_changes is None]
    if stale:
        db.session.execute(
            update(summaries).where(summaries.c.matter_id == bindparam("m"), summaries.c.changes == bindparam("c"))
            .values(computed=bindparam("c"), public=bindparam("v_public", type_=JSON),
                    private=bindparam("v_private", type_=JSON),
                    **{k: bindparam(f"v_{k}") for k in ("state_public", "first_public", "state_all", "first_all")}),
            stale)
    if missing:
        db.session.execute(_insert(db.session).on_conflict_do_nothing(index_elements=[summaries.c.matter_id]),
                           missing)
    _store_owners(rows, computed)


def _store_owners(rows, computed: dict[int, dict]) -> None:
    """Replace the matters' per-owner rows by those computed, keeping only rows at their summary's `computed`: a
    matter whose summary was not stored (changed meanwhile) keeps its rows, which stay consistent with it."""
    ids = sorted(r.id for r in rows)
    if missing := [r.id for r in rows if r.summary_changes is None]:  # a summary deleted by hand: its rows with it
        db.session.execute(delete(owners).where(owners.c.matter_id.in_(missing)))
    current = (select(summaries.c.computed).where(summaries.c.matter_id == owners.c.matter_id)
               .scalar_subquery())
    not_current = delete(owners).where(owners.c.matter_id.in_(ids), owners.c.computed != current)
    db.session.execute(not_current)  # earlier computations (owners who have no private request now among them)
    values = [{"owner_id": owner_id, "matter_id": r.id, "private": part,
               "computed": 0 if r.summary_changes is None else r.summary_changes}
              for r in rows for owner_id, part in computed[r.id]["owners"].items()]
    if values:
        db.session.execute(_insert(db.session, owners).on_conflict_do_nothing(
            index_elements=[owners.c.owner_id, owners.c.matter_id]), values)
        db.session.execute(not_current)  # ours, where the summary was not stored


def refresh(matter_ids=None) -> None:
    """Recompute and keep every summary that is stale or missing (of the given matters, or of all): after
    this, the stored states are current and the database can filter, count and sort by them."""
    query = (select(Matter.id, summaries.c.changes.label("summary_changes"))
             .outerjoin(summaries, summaries.c.matter_id == Matter.id)
             .where(or_(summaries.c.computed.is_(None), summaries.c.computed != summaries.c.changes)))
    if matter_ids is not None:
        query = query.where(Matter.id.in_(matter_ids))
    stale = db.session.execute(query).all()
    if stale:
        _store(stale, _compute([r.id for r in stale]))


@dataclass
class Audience:
    """Whose requests a viewer's ledger adds up (the kinds of requests.queries.viewer_kind): "all"
    (editors), "member" (the public ones plus the private ones the viewer may see; `live`: matter id ->
    the facts of those private ones: their own read from the kept rows per owner, others' they watch computed
    live), or "none"."""

    kind: str
    live: dict[int, list[dict]] = field(default_factory=dict)


@cache
def _own_parts():
    """The viewer's own private parts kept per owner, at their summary's current computation (built once: the
    viewer is the parameter viewer_id)."""
    current = and_(summaries.c.matter_id == owners.c.matter_id, summaries.c.computed == owners.c.computed)
    return (select(owners.c.matter_id, owners.c.private).join(summaries, current)
            .where(owners.c.owner_id == bindparam("viewer_id")))


@cache
def _public_parts():
    """The public parts of the matters bound as matter_ids (built once)."""
    return select(summaries.c.matter_id, summaries.c.public).where(
        summaries.c.matter_id.in_(bindparam("matter_ids", expanding=True)))


def audience(viewer: User) -> Audience:
    if not viewer.is_authenticated or not viewer.active:
        return Audience("none")
    if viewer.is_editor:
        return Audience("all")
    live: dict[int, list[dict]] = {}
    for matter_id, part in db.session.execute(_own_parts(), {"viewer_id": viewer.id}):
        live.setdefault(matter_id, []).append(part)
    for (matter_id, _private), part in _parts(_watched(), params={"viewer_id": viewer.id}).items():
        live.setdefault(matter_id, []).append(part)
    return Audience("member", live)


def live_headlines(seen: Audience) -> dict[int, tuple[str, int | None]]:
    """For the matters where the viewer sees private requests: state and first day over what they see."""
    if not seen.live:
        return {}
    public = dict(db.session.execute(_public_parts(), {"matter_ids": sorted(seen.live)}).all())
    return {m: headline([public.get(m), *parts]) for m, parts in seen.live.items()}


def facts_for(seen: Audience, rows, jurisdictions: dict[int, str]) -> dict[int, tuple[dz.MatterFacts, Counter]]:
    """For each matter row (selected with COLUMNS, after refresh()): the facts of the requests the viewer
    may see, and the exemptions in force among them."""
    out = {}
    for r in rows:
        parts = [] if seen.kind == "none" else [r.summary_public] + (
            [r.summary_private] if seen.kind == "all" else seen.live.get(r.id, []))
        out[r.id] = combine([p for p in parts if p], jurisdictions)
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
