"""On SQLite a scan takes the database's one write lock before it reads a batch, so two scanners take turns
instead of both reading the same due plans. Nothing needs to be written for it: the lock is held from
touch_write_lock to the commit, and nothing else is left in the database (PostgreSQL uses row locks)."""

from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy import select
from sqlalchemy.engine import make_url

from tracker.reminders import services
from tracker.reminders.models import ReminderState


@pytest.fixture
def other_writer(app):
    """A second connection to the same SQLite file that gives up at once when the database is locked."""
    url = make_url(app.config["SQLALCHEMY_DATABASE_URI"])
    if url.get_backend_name() != "sqlite":
        pytest.skip("SQLite's single write lock; PostgreSQL scanners take row locks instead")
    conn = sqlite3.connect(url.database, timeout=0)
    yield conn
    conn.close()


def _write(conn: sqlite3.Connection) -> None:
    conn.execute("UPDATE reminder_state SET digests_on = digests_on")
    conn.commit()


def test_a_scan_holds_the_write_lock_until_it_commits(db, other_writer):
    services.touch_write_lock()
    with pytest.raises(sqlite3.OperationalError, match="database is locked"):
        _write(other_writer)
    db.session.commit()
    _write(other_writer)  # the lock is gone with the commit


def test_the_lock_is_taken_when_the_state_row_is_already_there(db, other_writer):
    services.ensure_state()
    db.session.commit()
    services.touch_write_lock()
    with pytest.raises(sqlite3.OperationalError, match="database is locked"):
        _write(other_writer)
    db.session.commit()
    state = db.session.scalars(select(ReminderState)).one()
    assert state.last_scan_at is None  # the lock needs no write of its own
