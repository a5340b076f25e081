"""On PostgreSQL the board's and the ledger's statements (longer than 4 KB, or with more than 50 parameters) are
parsed by psycopg once, not again at every view (core/statement_cache.py)."""

from __future__ import annotations

import pytest

from bench.newsroom import generate_newsroom
from tracker.extensions import db


def test_long_statements_are_parsed_once(app, client, auth, users, frozen, monkeypatch):
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("psycopg's cache: PostgreSQL only")
        generate_newsroom(db.session, requests=200, communications=0, matters=60, agencies=8, users=6, seed=5)
        db.session.commit()
    from psycopg import _queries

    auth.login("reporter")
    pages = ("/board", "/matters", "/requests")
    for page in pages:
        assert client.get(page).status_code == 200
    parsed = []
    uncached = _queries._query2pg_nocache

    def spy(query, *args, **kwargs):
        parsed.append(query[:80])
        return uncached(query, *args, **kwargs)

    monkeypatch.setattr(_queries, "_query2pg_nocache", spy)
    for page in pages:
        assert client.get(page).status_code == 200
    assert parsed == []
