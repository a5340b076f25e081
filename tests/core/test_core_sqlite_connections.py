"""Every SQLite connection of the app's engine reads the database file memory-mapped (core.sqlite_connections)."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from tracker import create_app
from tracker.core.sqlite_connections import MMAP_BYTES, configure
from tracker.extensions import db


@pytest.fixture
def sqlite_only(app):
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        pytest.skip("a setting of SQLite connections")


def test_every_connection_is_memory_mapped(app, sqlite_only):
    with app.app_context():
        db.engine.dispose()  # new connections, as a fresh worker opens them
        with db.engine.connect() as first, db.engine.connect() as second:
            assert first.scalar(text("PRAGMA mmap_size")) == MMAP_BYTES
            assert second.scalar(text("PRAGMA mmap_size")) == MMAP_BYTES


def test_an_app_with_its_own_engine_options_is_set_too(app, sqlite_only, tmp_path):
    other = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'other.sqlite'}",
                        "SQLALCHEMY_ENGINE_OPTIONS": {"connect_args": {"timeout": 0.2}},
                        "SECRET_KEY": "test-secret", "TRACKER_UPLOAD_DIR": str(tmp_path / "uploads")})
    with other.app_context():
        configure(db.engine)  # a second call adds no second listener
        with db.engine.connect() as conn:
            assert conn.scalar(text("PRAGMA mmap_size")) == MMAP_BYTES
        db.engine.dispose()
