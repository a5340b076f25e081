"""SQLite counts a search's hits among the newest pages first, without scoring them (bm25 costs more than finding
them): words found more than MAX_COUNT times there are shown newest first at once; hits older than those pages are
counted by the full pass, on both engines alike."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import event, insert

from tests.helpers import make_agency, make_request
from tracker.auth.models import User
from tracker.documents import search
from tracker.documents.models import SearchEntry
from tracker.documents.search import MAX_COUNT, NEWEST, SearchFilters
from tracker.extensions import db


def _entry(request_id: int, n: int, body: str, **kw) -> dict:
    return {"request_id": request_id, "kind": "communication", "page": None, "occurred_on": date(2026, 11, 1),
            "title": f"Note {n}", "body": body, "source": "text", "unreadable": "", **kw}


def _statements_of(user_id: int, q: str) -> tuple[search.Results, list[str]]:
    seen: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        results = search.search(db.session.get(User, user_id), SearchFilters(q=q))
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    return results, seen


def test_words_found_more_than_max_count_times_among_the_newest_pages_are_not_scored(app, users, frozen):
    with app.app_context():
        if db.engine.dialect.name != "sqlite":
            pytest.skip("SQLite's bm25; PostgreSQL scores the hits in the pass that counts them")
        req = make_request(users["reporter"], make_agency())
        db.session.execute(insert(SearchEntry), [_entry(req.id, n, f"custody log entry {n}")
                                                 for n in range(MAX_COUNT + 50)])
        db.session.commit()
        results, statements = _statements_of(users["reporter"], "custody")
        assert (results.total, results.more, results.newest_first) == (MAX_COUNT, True, True)
        assert [h.title for h in results.hits] == [f"Note {n}" for n in range(MAX_COUNT + 49, MAX_COUNT + 29, -1)]
        assert not [s for s in statements if "rank" in s]


def test_hits_older_than_the_newest_pages_are_counted_too(app, users, frozen):
    """More than MAX_COUNT hits, all older than the NEWEST newest ids: none is found among those, all are counted."""
    with app.app_context():
        req = make_request(users["reporter"], make_agency())
        db.session.execute(insert(SearchEntry), [_entry(req.id, n, f"custody log entry {n}")
                                                 for n in range(MAX_COUNT + 5)])
        db.session.execute(insert(SearchEntry), [_entry(req.id, -1, "an unrelated memo", id=MAX_COUNT + NEWEST + 100)])
        db.session.commit()
        results = search.search(db.session.get(User, users["reporter"]), SearchFilters(q="custody"))
        assert (results.total, results.more, results.newest_first) == (MAX_COUNT, True, True)
        assert [h.title for h in results.hits] == [f"Note {n}" for n in range(MAX_COUNT + 4, MAX_COUNT - 16, -1)]
        fewer = search.search(db.session.get(User, users["reporter"]), SearchFilters(q='"log entry 1"'))
        assert (fewer.total, fewer.more, fewer.newest_first) == (1, False, False)
