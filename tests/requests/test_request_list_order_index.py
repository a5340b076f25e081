"""The request list in its default order (the last change first) is read from an index in that order (migration
list15a), so the database stops at the page it shows instead of sorting every request it may show. Read from
SQLite's query plans (EXPLAIN QUERY PLAN), whose choice on a small newsroom is the one it makes on a large one
once ANALYZE has run; PostgreSQL's plans on a few hundred rows say nothing about a large newsroom (bench/load.py
measures it there)."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from bench.newsroom import generate_newsroom
from tests.helpers import sqlite_plan
from tracker.auth.models import User
from tracker.extensions import db
from tracker.requests.queries import RequestFilters, list_requests, request_list_query


@pytest.mark.parametrize("who", ["editor", "reporter"])
def test_the_list_reads_its_default_order_from_the_index(app, users, frozen, who):
    with app.app_context():
        if db.engine.dialect.name != "sqlite":
            pytest.skip("SQLite's plans; PostgreSQL's are measured by bench/load.py")
        generate_newsroom(db.session, requests=600, communications=0, matters=20, agencies=8, users=6, seed=3)
        db.session.execute(text("ANALYZE"))
        db.session.commit()
        viewer = db.session.get(User, users[who])
        plan = sqlite_plan(request_list_query(viewer, RequestFilters()).limit(50))
        assert any("ix_requests_updated_at_id" in line for line in plan), plan
        assert not any("TEMP B-TREE FOR ORDER BY" in line for line in plan), plan
        # The first page is still the last changed, newest first among equals.
        shown = list_requests(viewer, RequestFilters()).items
        keys = [(r.updated_at, r.id) for r in shown]
        assert keys == sorted(keys, reverse=True) and len(shown) == 50
