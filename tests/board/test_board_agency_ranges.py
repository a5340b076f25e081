"""The board filtered to one agency reads that agency's range of each status from an (agency_id, status, ...) index
(migration board19s), not every agency's requests of the status skipped one by one: its cards and its counts.
Read from SQLite's query plans (EXPLAIN QUERY PLAN), whose choice on a small newsroom is the one it makes on a
large one once ANALYZE has run; PostgreSQL's plans on a few hundred rows say nothing about a large newsroom, so
its side is measured by bench/board.py instead."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, text

from bench.newsroom import generate_newsroom
from tests.helpers import sqlite_plan
from tracker.auth.models import User
from tracker.board import counts, queries
from tracker.core.clock import today
from tracker.extensions import db


@pytest.mark.parametrize("who", ["editor", "reporter"])
def test_one_agency_is_read_from_its_own_range_of_each_status(app, users, frozen, who):
    with app.app_context():
        if db.engine.dialect.name != "sqlite":
            pytest.skip("SQLite's plans; PostgreSQL's are measured by bench/board.py")
        made = generate_newsroom(db.session, requests=600, communications=0, matters=20, agencies=8, users=6, seed=3)
        db.session.execute(text("ANALYZE"))
        db.session.commit()
        viewer = db.session.get(User, users[who])
        day = today()
        f = queries.BoardFilters(agency_id=made["agencies"][0])
        shape = queries._shape(viewer, f)
        params = queries._params(viewer, f, day, limit=queries.PER_COLUMN, week_end=day + timedelta(days=6))
        for statement in (queries._cards_statement(shape, ""), counts._statement(shape)):
            reads = [line for line in sqlite_plan(statement, params) if " requests " in f"{line} "
                     and "requests_1" not in line]  # requests_1: a reporter's own private ones, by owner
            assert reads, statement
            assert all("ix_requests_agency_status" in line or "PRIMARY KEY" in line for line in reads), reads
        # The same statement still answers as the direct count does.
        assert queries.column_counts(viewer, f, day)[0]["agency"] == len(db.session.scalars(
            select(queries.R.id).where(queries.R.agency_id == f.agency_id, queries.R.status.in_(
                ("filed", "acknowledged")), queries.R.response_due >= day,
                queries.scope(viewer))).all()) + len(db.session.scalars(
            select(queries.R.id).where(queries.R.agency_id == f.agency_id, queries.R.status.in_(
                ("filed", "acknowledged")), queries.R.response_due.is_(None), queries.scope(viewer))).all())
