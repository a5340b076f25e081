"""One scheduler leads: a second `tracker scheduler` (by mistake, or a standby on another machine) waits and
takes over when the leader dies.

- PostgreSQL: a session-level advisory lock, held on a connection of its own for as long as the process leads.
  The server releases it the moment that connection ends (the process died, the machine went away), so a
  standby's next try (every TRACKER_SCHEDULER_STANDBY_SECONDS) takes over.
- SQLite (one machine by nature): an exclusive lock (flock) on a file beside the database, released by the
  kernel when the process ends, however it ends.

The lock covers the scheduler as a whole, so every job of the registry runs in the leader only; each job also
checks, just before it runs, that the lock is still held (a leader that lost its database connection stops).
"""

from __future__ import annotations

import fcntl
import hashlib
import logging
import os
from pathlib import Path

from flask import Flask
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.pool import NullPool

log = logging.getLogger("tracker.jobs")
# The advisory lock's key: the same number in every tracker process on this database.
LOCK_KEY = int.from_bytes(hashlib.sha256(b"tracker scheduler leader").digest()[:8], "big", signed=True)


class PostgresLeader:
    def __init__(self, url: str):
        self.engine = create_engine(url, poolclass=NullPool, isolation_level="AUTOCOMMIT")
        self.conn: Connection | None = None
        self.holding = False  # the lock was granted on self.conn

    def describe(self) -> str:
        return "a PostgreSQL advisory lock"

    def acquire(self) -> bool:
        try:
            if self.conn is None:
                self.conn = self.engine.connect()
            if self.conn.execute(text("SELECT pg_try_advisory_lock(:key)"), {"key": LOCK_KEY}).scalar():
                self.holding = True
                return True
        except Exception:  # noqa: BLE001  (the database is unreachable: stay a standby, try again later)
            log.warning("could not reach the database to try the scheduler lock", exc_info=True)
            self._drop()
        return False

    def held(self) -> bool:
        if self.conn is None or not self.holding:  # a connection that tried and failed holds nothing
            return False
        try:
            # A session-level lock lasts as long as its connection, and only release() unlocks it.
            return self.conn.execute(text("SELECT 1")).scalar() == 1
        except Exception:  # noqa: BLE001  (the lock's connection is gone, and the lock with it)
            self._drop()
            return False

    def release(self) -> None:
        # Unlock before closing: the server frees a closed connection's locks only when its backend notices the
        # close, a moment later, and a standby trying in that moment would be refused.
        if self.conn is not None and self.holding:
            try:
                self.conn.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": LOCK_KEY})
            except Exception:  # noqa: BLE001, S110  (the connection is gone, and the lock with it)
                pass
        self._drop()
        self.engine.dispose()

    def _drop(self) -> None:
        self.holding = False
        if self.conn is not None:
            try:
                self.conn.close()
            except Exception:  # noqa: BLE001, S110
                pass
            self.conn = None


class FileLeader:
    def __init__(self, path: Path):
        self.path = path
        self.fd: int | None = None

    def describe(self) -> str:
        return f"a lock on {self.path}"

    def acquire(self) -> bool:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            return False
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        self.fd = fd
        return True

    def held(self) -> bool:
        return self.fd is not None

    def release(self) -> None:
        if self.fd is not None:
            os.close(self.fd)  # closing the file releases the lock
            self.fd = None


def leadership_for(app: Flask) -> PostgresLeader | FileLeader:
    url = make_url(app.config["SQLALCHEMY_DATABASE_URI"])
    if url.get_backend_name() == "postgresql":
        return PostgresLeader(url.render_as_string(hide_password=False))
    if url.database and url.database != ":memory:":
        return FileLeader(Path(url.database + ".scheduler-lock"))
    return FileLeader(Path(app.instance_path) / "scheduler.lock")
