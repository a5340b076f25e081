"""Menus of rows that change rarely (every matter, every agency, the active users), kept per process, never stale.

The request list, the request and batch forms and the board print these menus on every view; reading them cost the
list a fifth of its CPU (three statements, hundreds of rows). Each menu's rows are now kept in the process with the
version its table had when they were read, and served again only while the database still holds that version.

The versions live in menu_versions, one row per menu. Triggers on the menu's table (migration menus15h) give the row a
new random number at every insert, delete and truncate, and at every update of a column the menu shows, in the same
transaction as the change: whoever writes (the web, the API, the CLI, an import, raw SQL in a migration or in psql), a
committed change is seen by every process's next read of the versions. A random number, not a count: the version of a
transaction that rolled back, or of a database restored from a backup, is never the version of other rows. A missing
row (the table emptied by hand) means "unknown": that menu is read every time until a change writes its row again.

The versions of all menus are read in one statement, at a view's first menu, and held until the session writes
(a flush, a statement that is not a SELECT) or its transaction ends. They are read before the rows, so rows are kept
under their version or an older one (then read again at the next view), never under a newer one (which would be stale).
"""

from __future__ import annotations

from collections.abc import Callable

from flask import current_app
from sqlalchemy import BigInteger, String, event, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from tracker.extensions import db

# The menus and the columns they show, as the triggers watch them (migration menus15h).
WATCHED = {"agencies": ("id", "name", "abbreviation"), "matters": ("id", "title"), "users": ("id", "name", "active")}


class MenuVersion(db.Model):
    """The version of one menu's table: a new random number whenever a row the menu shows changes (set by
    triggers, never by the application)."""

    __tablename__ = "menu_versions"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)  # the menu's table: agencies, matters, users
    version: Mapped[int] = mapped_column(BigInteger)  # random; a new one at every change of a shown column


_TABLE = MenuVersion.__table__
_READ_VERSIONS = select(_TABLE.c.name, _TABLE.c.version)
_KEPT = "tracker.menus"  # app.extensions: {menu: (version, rows)}, this process's menus of that app's database
_HELD = "tracker.menu_versions"  # session.info: the versions read in this transaction, until the session writes


class Menu(list):
    """A menu's rows, a new list each time, which the caller may change. `kept` is the process's kept tuple of the
    rows it was copied from: the same object for as long as the table's version stands, so what is built from a
    menu (template_helpers.option_tags) is kept for that object instead of being compared row by row at each print.
    Any change to the list drops `kept` (the list no longer holds those rows)."""

    __slots__ = ("kept",)

    def __init__(self, rows=(), kept: tuple | None = None) -> None:
        super().__init__(rows)
        self.kept = kept


def _dropping_kept(name: str):
    method = getattr(list, name)

    def changed(self, *args, **kwargs):
        self.kept = None
        return method(self, *args, **kwargs)

    changed.__name__ = name
    return changed


for _name in ("__setitem__", "__delitem__", "__iadd__", "__imul__", "append", "extend", "insert", "pop", "remove",
              "clear", "sort", "reverse"):
    setattr(Menu, _name, _dropping_kept(_name))


def menu(name: str, load: Callable[[], list]) -> list:
    """The rows `load` reads for menu `name` (a table of WATCHED), from this process's copy while the database's
    version of the table is the one it was read at; a new list each call (a Menu when kept), which the caller may
    change."""
    info = db.session.info
    versions = info.get(_HELD)
    if versions is None:
        versions = info[_HELD] = dict(db.session.execute(_READ_VERSIONS).all())
    version = versions.get(name)
    kept = current_app.extensions.setdefault(_KEPT, {})
    copy = kept.get(name)
    if version is not None and copy is not None and copy[0] == version:
        return Menu(copy[1], copy[1])
    rows = load()
    if version is None:
        return rows
    kept[name] = (version, tuple(rows))
    return Menu(kept[name][1], kept[name][1])


def _forget(session: Session, *args) -> None:
    session.info.pop(_HELD, None)


event.listen(Session, "after_flush", _forget)
event.listen(Session, "after_transaction_end", _forget)


@event.listens_for(Session, "do_orm_execute")
def _forget_on_write(state) -> None:
    if not state.is_select:
        state.session.info.pop(_HELD, None)
