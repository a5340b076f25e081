"""A request loaded to be shown whole (its page, the API's answer): the request, its agency and owner, and whether
each list the page shows has any row at all, in one statement.

Most requests have no watchers, letters, documents, stories or pending proposals, and each of those lists cost a
statement per view to learn that it was empty. A list known empty is set empty (an ORM collection) or answered
without a query (a fact another module registered), so showing it costs nothing; a list with rows loads as before.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import ColumnElement, Integer, bindparam, exists, inspect, select
from sqlalchemy.orm import aliased, joinedload
from sqlalchemy.orm.attributes import set_committed_value

from tracker.extensions import db
from tracker.requests.models import RecordsRequest

# A request shown whole: its agency and owner come in its own statement.
SHOWN = (joinedload(RecordsRequest.agency, innerjoin=True), joinedload(RecordsRequest.owner, innerjoin=True))

# The request's collections whose emptiness is asked (events and communications: nearly every request has some).
# `letters` is the letters module's backref: asked when that module is loaded, as it always is in the app.
LISTS = ("watchers", "matters", "tracking_numbers", "tolled_spans", "determinations", "attachments", "letters")

_child = aliased(RecordsRequest)
# Facts about rows that are not the request's collections, name -> its condition on RecordsRequest; the modules
# that own those rows register theirs (the dependency runs their way) and answer from known() when they can.
_FACTS: dict[str, Callable[[], ColumnElement[bool]]] = {
    "referrals": lambda: exists().where(_child.referred_from_id == RecordsRequest.id),
}
_statements: tuple | None = None  # (the lists asked, the load by id, the facts of a request in hand)
_FACTS_KEY = "shown_facts"  # on the request's instance state: (the transaction, {fact: bool})


def register_fact(name: str, condition: Callable[[], ColumnElement[bool]]) -> None:
    """Ask, with every shown load, whether `condition` (correlated to RecordsRequest) holds."""
    global _statements
    _FACTS[name] = condition
    _statements = None


def _build() -> tuple[list[str], object, object]:
    relationships = inspect(RecordsRequest).relationships
    lists = [name for name in LISTS if name in relationships]
    columns = [getattr(RecordsRequest, name).any().label(name) for name in lists]
    columns += [condition().label(name) for name, condition in _FACTS.items()]
    by_id = RecordsRequest.id == bindparam("shown_id", type_=Integer)
    return lists, select(RecordsRequest, *columns).options(*SHOWN).where(by_id), select(*columns).where(by_id)


def _prepared() -> tuple[list[str], object, object]:
    global _statements
    if _statements is None:  # built at the first use, when every module has registered its facts
        _statements = _build()
    return _statements


def load(request_id: int, *, facts: bool = True) -> RecordsRequest | None:
    """The request with its agency and owner, its empty lists set empty and its facts noted; None if none.
    `facts=False` for a write: what it changes would make them wrong before its answer learns them again (an
    empty list set empty stays right: every service adds to a request's lists through them)."""
    lists, by_id, _ = _prepared()
    row = db.session.execute(by_id, {"shown_id": request_id}).first()
    if row is None:
        return None
    _note(row[0], lists, row[1:], facts=facts)
    return row[0]


def learn(req: RecordsRequest) -> None:
    """The same for a request in hand (an API write's answer): its lists and facts as they stand after the write
    (the statement flushes it first), in one statement instead of one per list."""
    lists, _, facts_of = _prepared()
    _note(req, lists, db.session.execute(facts_of, {"shown_id": req.id}).one())


def learn_created(req: RecordsRequest) -> None:
    """The same for a request this transaction inserted and answers at once (the API's create), without asking:
    no other transaction can have added a row to it, and its creator added rows only through its lists (which
    stay as loaded), so every list not loaded is empty and every fact is false."""
    lists, _, _ = _prepared()
    _note(req, lists, [False] * (len(lists) + len(_FACTS)))


def _note(req: RecordsRequest, lists: list[str], flags, *, facts: bool = True) -> None:
    unloaded = inspect(req).unloaded
    for name, flag in zip(lists, flags[:len(lists)], strict=True):
        if not flag and name in unloaded:  # never over a list this session has loaded (and may have changed)
            set_committed_value(req, name, [])
    if facts:
        known_now = {name: bool(flag) for name, flag in zip(_FACTS, flags[len(lists):], strict=True)}
        inspect(req).info[_FACTS_KEY] = (db.session().get_transaction(), known_now)


def known(req: RecordsRequest, fact: str) -> bool | None:
    """Whether the fact held when this request was loaded to be shown (or learned) in the current transaction;
    None when unknown (not loaded that way, or in an earlier transaction), and the caller asks the database."""
    noted = inspect(req).info.get(_FACTS_KEY)
    if noted is None or noted[0] is not db.session().get_transaction():
        return None
    return noted[1].get(fact)
