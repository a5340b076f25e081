"""What a search sets on PostgreSQL for its own transaction: plans made for the words typed, and no JIT compilation
(compiling a plan costs more than a search's statements take); the connection's own settings come back after it."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import insert, text

from tests.helpers import make_agency, make_request
from tracker.auth.models import User
from tracker.documents import search
from tracker.documents.models import SearchEntry
from tracker.documents.search import SearchFilters
from tracker.extensions import db


def _settings() -> tuple[str, str]:
    return tuple(db.session.execute(text("SELECT current_setting('plan_cache_mode'), current_setting('jit')")).one())


def test_a_search_plans_for_its_words_without_jit_until_its_transaction_ends(app, users, frozen):
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("PostgreSQL's planner settings; SQLite has neither")
        req = make_request(users["reporter"], make_agency())
        db.session.execute(insert(SearchEntry), [
            {"request_id": req.id, "kind": "communication", "page": None, "occurred_on": date(2026, 11, 1),
             "title": "Note", "body": "custody log entry", "source": "text", "unreadable": ""}])
        db.session.commit()
        own = _settings()
        results = search.search(db.session.get(User, users["editor"]), SearchFilters(q="custody"))
        assert results.total == 1
        assert _settings() == ("force_custom_plan", "off")
        db.session.rollback()
        assert _settings() == own
