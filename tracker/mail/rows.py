"""The fetch's quick pass writes its batch's new rows without the unit of work: one INSERT per table, from the
objects as they were added (mail.batch). The unit of work spends most of its time on what these rows never need
(a dependency graph, history per attribute, cascades), for a few thousand objects a batch.

Only rows whose every key is known beforehand: their ids given ahead (core.ids_ahead), each many-to-one link to
a row with an id, each one-to-many collection holding only new rows that point back. The flush's own work is
done here: a link's key columns set from the linked row, the columns the flush writes as NULL so written, the
rest left to their defaults, and the communications indexed for search (documents.services, an after_flush
listener elsewhere). What does not fit (another kind of row, a key not known) is left to the flush that follows,
which writes whatever is still pending. The rows written leave the session, as nothing reads them from it again;
the collections that gained them on rows already stored are expired, to be read again if asked (and those rows,
unchanged otherwise, are left with nothing for the flush to write).
"""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import Table, insert
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import instance_state
from sqlalchemy.orm.interfaces import MANYTOMANY, MANYTOONE

from tracker.core.ids_ahead import ids_for_new_rows
from tracker.documents.services import index_new
from tracker.mail.models import IncomingMessage
from tracker.requests.models import Attachment, AuditEntry, Communication, Event

KINDS = (IncomingMessage, Communication, Event, Attachment, AuditEntry)  # no listener of a flush reacts to these


def write_new(session: Session) -> None:
    """Write the session's new rows with one INSERT per table where they fit (above); then flush the rest."""
    new = list(session.new)
    if new and all(isinstance(obj, KINDS) for obj in new) and ids_for_new_rows(session):
        planned = _plan(new)
        if planned is not None:
            rows, stale = planned
            connection = session.connection()
            for table in sorted(rows, key=_order):
                for group in _groups(rows[table]):
                    connection.execute(insert(table), group)
            index_new(connection, [obj for obj in new if isinstance(obj, Communication)])
            for obj in new:
                session.expunge(obj)
            for target, keys in stale.items():
                session.expire(target, sorted(keys))
                _settle(session, target)
    session.flush()


def _settle(session: Session, target: object) -> None:
    """A stored row whose only change was a collection that gained the rows just written (now expired) has
    nothing left to write: marked unchanged, as a flush would leave it, so that the flush after this one does
    not work through it and every relationship it has to find that out (a few ms a batch). A row with any other
    change stays as it is, for that flush."""
    state = instance_state(target)
    if state.modified and not state.expired and not state.committed_state \
            and not state.__dict__.get("_pending_mutations"):
        state._commit_all(state.dict, session.identity_map)


def _order(table: Table) -> int:
    """A table's place after those it refers to (the metadata's order, worked out once)."""
    if not _ORDER:
        _ORDER.update({t: i for i, t in enumerate(table.metadata.sorted_tables)})
    return _ORDER[table]


_ORDER: dict[Table, int] = {}


def _groups(rows: list[dict]) -> list[list[dict]]:
    """Rows with the same columns go in one statement (the others take their defaults), as the flush groups them."""
    groups: dict[frozenset, list[dict]] = defaultdict(list)
    for row in rows:
        groups[frozenset(row)].append(row)
    return list(groups.values())


def _plan(new: list) -> tuple[dict[Table, list[dict]], dict[object, set[str]]] | None:
    """Each new object's row, by table, and the stored rows whose collections gained one (to expire); None when
    one of them needs the unit of work."""
    pending = {id(obj) for obj in new}
    rows: dict[Table, list[dict]] = defaultdict(list)
    stale: dict[object, set[str]] = defaultdict(set)
    for obj in new:
        state = instance_state(obj)
        mapper, values = state.mapper, state.dict
        row = {}
        for rel in mapper.relationships:
            if rel.key not in values or rel.viewonly:
                continue
            linked = values[rel.key]
            if rel.direction is MANYTOONE:
                if linked is None:
                    continue
                target = instance_state(linked)
                for local, remote in rel.local_remote_pairs:
                    value = target.dict.get(target.mapper.get_property_by_column(remote).key)
                    if value is None:
                        return None  # linked to a row without an id yet
                    setattr(obj, mapper.get_property_by_column(local).key, value)
                    row[local.key] = value
                if target.key is not None:  # stored: its collection of these has this one pending
                    stale[linked].update(rev.key for rev in rel._reverse_property)
            elif rel.direction is MANYTOMANY:
                if linked:
                    return None
            else:  # one-to-many: only new rows that point back here (their own key columns say so)
                children = [linked] if not rel.uselist else list(linked or ())
                for child in children:
                    if child is None:
                        continue
                    back = instance_state(child).dict
                    if id(child) not in pending or not any(back.get(r.key) is obj for r in rel._reverse_property):
                        return None
        for prop in mapper.column_attrs:
            column = prop.columns[0]
            if column.key in row or column.table is not mapper.local_table:
                continue
            value = values.get(prop.key)
            if value is not None or prop.key in values and column.type.should_evaluate_none:
                row[column.key] = value
            elif column.primary_key:
                return None  # no id given
            elif column.default is None and column.server_default is None:
                row[column.key] = None  # as the flush writes a column with no default that was not set
        rows[mapper.local_table].append(row)
    return rows, stale
