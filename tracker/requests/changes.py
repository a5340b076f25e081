"""Two signals for every change to requests, naming each request whose row, tracking numbers, tolled spans,
determinations or their documents, or matters changed:

- `requests_changed`, after each flush: for summaries a read later in the same transaction must already see
  (the ledger's matter summaries are marked stale). Cheap receivers only.
- `requests_committing`, once as the transaction commits, with the sum of its flushes: for what is costly to
  keep and read only by others (the board's tallies and windows, the reminder plans the next scan reads). An
  action flushes several times on its way (every query autoflushes); kept per flush, the board's counts cost
  four times as much and held its window locks from the first flush to the commit, and a mail fetch woke
  a request's reminder plan at every flush.

Receivers run inside the transaction and write with `session.connection()`: what they write commits or rolls
back with the change.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import chain

from blinker import Namespace
from sqlalchemy import event, inspect, select
from sqlalchemy.orm import Session

from tracker.core.chunks import chunks
from tracker.requests.models import (
    Determination,
    DeterminationDocument,
    RecordsRequest,
    TolledSpan,
    TrackingNumber,
)

_signals = Namespace()
requests_changed = _signals.signal("requests-changed")
requests_committing = _signals.signal("requests-committing")
_CHILDREN = (TrackingNumber, TolledSpan, Determination)


@dataclass
class Changes:
    request_ids: set[int] = field(default_factory=set)  # requests that changed and still exist
    matter_ids: set[int] = field(default_factory=set)  # matters linked or unlinked (deleted requests included)
    deleted_request_ids: set[int] = field(default_factory=set)  # requests deleted in this flush (board tallies)
    # Requests inserted in this flush; at the commit, those inserted by this transaction that still exist and were
    # not deleted by it (an id SQLite may give again). Nothing was derived from them before: what is kept per
    # request (matter links, the board's entries and facts) needs no reading for them.
    inserted_request_ids: set[int] = field(default_factory=set)
    # Requests a flush wrote with their matter links loaded: matter_ids holds every matter they link, so the links
    # need no reading (the ledger's summaries).
    links_known_request_ids: set[int] = field(default_factory=set)
    # Requests a flush wrote with their determinations loaded and empty; at the commit, those of them no flush of
    # the transaction added a determination to (the board's windows read no decisions for them). A determination
    # is always added as an object (never by plain SQL), so a flush sees it.
    undecided_request_ids: set[int] = field(default_factory=set)
    decided_request_ids: set[int] = field(default_factory=set)  # a flush's requests with a determination written


def _request_id_of(obj) -> int | None:
    return obj.request_id if obj.request_id is not None else getattr(obj.request, "id", None)


# A request is "dirty" too when only its record grew (a communication, an attachment or an event added to it):
# that changes nothing the summaries read, so it is no change here. Any other attribute (a column, the agency,
# the watchers, the matters) is.
_RECORD = frozenset({"communications", "attachments", "events"})


def _changed(req: RecordsRequest) -> bool:
    state = inspect(req)
    # Only attributes set since the last flush can have history (SQLAlchemy keeps their committed values): a
    # request that only gained a communication has none of its sixty others looked at.
    touched = set(state.mapper.attrs.keys()).difference(state.unmodified, _RECORD)
    return any(state.attrs[key].history.has_changes() for key in touched)


def _written(session: Session, found: Changes) -> set[int]:
    """The named requests this flush inserted or updated: they exist as it ends (an update of a missing row fails)."""
    return {obj.id for obj in chain(session.new, session.dirty)
            if isinstance(obj, RecordsRequest) and obj.id in found.request_ids}


def collect(session: Session) -> Changes:
    found = Changes()
    determination_ids: set[int] = set()
    decided: set[int] = set()  # requests a determination was added to, changed or removed from
    deleted = {obj.id for obj in session.deleted if isinstance(obj, RecordsRequest)}
    for obj in chain(session.new, session.dirty, session.deleted):
        if isinstance(obj, RecordsRequest):
            history = inspect(obj).attrs.matters.history  # links added or removed (never loads)
            linked = history.added or history.deleted
            if obj in session.dirty and not linked and not _changed(obj):
                continue
            if obj.id is not None:
                found.request_ids.add(obj.id)
                if obj in session.new:
                    found.inserted_request_ids.add(obj.id)
                unloaded = inspect(obj).unloaded
                if "matters" not in unloaded:
                    found.links_known_request_ids.add(obj.id)
                if "determinations" not in unloaded and not obj.determinations:
                    found.undecided_request_ids.add(obj.id)
            found.matter_ids.update(m.id for m in chain(history.added or (), history.unchanged or (),
                                                        history.deleted or ()) if m.id is not None)
        elif isinstance(obj, _CHILDREN):
            if (request_id := _request_id_of(obj)) is not None:
                found.request_ids.add(request_id)
                if isinstance(obj, Determination):
                    decided.add(request_id)
        elif isinstance(obj, DeterminationDocument):
            determination_id = (obj.determination_id if obj.determination_id is not None
                                else getattr(obj.determination, "id", None))
            if determination_id is not None:
                determination_ids.add(determination_id)
    if determination_ids:
        found.request_ids.update(session.connection().scalars(
            select(Determination.request_id).where(Determination.id.in_(sorted(determination_ids)))))
    found.request_ids -= deleted  # a request deleted in this flush (with its children) has nothing to keep
    found.decided_request_ids = decided
    found.undecided_request_ids -= decided
    found.deleted_request_ids = {i for i in deleted if i is not None}
    return found


_PENDING = "tracker.requests_changed"  # session.info key: what this transaction's flushes touched so far
# session.info key: the requests its flushes wrote and none deleted since; None once a savepoint was rolled back
# (what it wrote is undone: every named request is looked up).
_WRITTEN = "tracker.requests_written"


def _after_flush(session: Session, flush_context) -> None:
    found = collect(session)
    if found.request_ids or found.matter_ids or found.deleted_request_ids:
        requests_changed.send(session, changes=found)
        pending = session.info.setdefault(_PENDING, Changes())
        pending.request_ids |= found.request_ids
        pending.matter_ids |= found.matter_ids
        pending.deleted_request_ids |= found.deleted_request_ids
        pending.inserted_request_ids |= found.inserted_request_ids
        pending.undecided_request_ids |= found.undecided_request_ids
        pending.decided_request_ids |= found.decided_request_ids
        written = session.info.setdefault(_WRITTEN, set())
        if written is not None:
            written -= found.deleted_request_ids
            written |= _written(session, found)


def _after_soft_rollback(session: Session, previous_transaction) -> None:
    if previous_transaction.nested and _PENDING in session.info:
        session.info[_WRITTEN] = None


def _before_commit(session: Session) -> None:
    session.flush()  # the commit's own last flush comes after this event: take its changes too
    pending = session.info.pop(_PENDING, None)
    written = session.info.pop(_WRITTEN, None) or set()
    if pending is None:
        return
    # Named by any flush, decided by what is stored now: a savepoint rolled back may have undone a deletion,
    # and a request changed by one flush may be deleted by the next.
    named = sorted(pending.request_ids | pending.deleted_request_ids)
    # A request a flush wrote and none deleted since exists, unless a savepoint was rolled back (nothing deletes
    # requests but the session). Only the others are looked up.
    existing = written & set(named)
    for chunk in chunks([i for i in named if i not in existing]):
        existing.update(session.connection().scalars(select(RecordsRequest.id).where(RecordsRequest.id.in_(chunk))))
    changes = Changes(request_ids=existing, matter_ids=pending.matter_ids,
                      deleted_request_ids=set(named) - existing,
                      inserted_request_ids=(pending.inserted_request_ids & existing) - pending.deleted_request_ids,
                      undecided_request_ids=(pending.undecided_request_ids - pending.decided_request_ids) & existing)
    requests_committing.send(session, changes=changes)


def _after_transaction_end(session: Session, transaction) -> None:
    if transaction.parent is None:  # the whole transaction ended (a commit has sent already; a rollback undid)
        session.info.pop(_PENDING, None)
        session.info.pop(_WRITTEN, None)


def forget_inserted(session: Session) -> None:
    """What is derived per request was rebuilt from scratch inside this transaction (the board's rebuild): the
    requests it inserted so far have rows derived from them now, to be read at the commit like any other's."""
    pending = session.info.get(_PENDING)
    if pending is not None:
        pending.inserted_request_ids.clear()


def install() -> None:
    """Send requests_changed after each flush and requests_committing as each transaction commits (idempotent;
    called by create_app)."""
    for name, listener in (("after_flush", _after_flush), ("before_commit", _before_commit),
                           ("after_transaction_end", _after_transaction_end),
                           ("after_soft_rollback", _after_soft_rollback)):
        if not event.contains(Session, name, listener):
            event.listen(Session, name, listener)
