"""On PostgreSQL a search is its settings and one statement that counts the hits and reads the page shown, snippets
included; only a page that the counted hits do not hold (past MAX_COUNT: after the newest counted, or any page of a
quoted phrase) takes a second, which reads that page with its snippets. Each round trip costs about as much as the
Python of the whole search (bench/search.py)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import event, insert

from tests.helpers import make_agency, make_request
from tracker.auth.models import User
from tracker.documents import search
from tracker.documents.models import SearchEntry
from tracker.documents.search import MAX_COUNT, SearchFilters
from tracker.extensions import db


def _entries(request_id: int, bodies: list[str]) -> None:
    db.session.execute(insert(SearchEntry), [
        {"request_id": request_id, "kind": "communication", "page": None, "occurred_on": date(2026, 11, 1),
         "title": f"Note {n}", "body": body, "source": "text", "unreadable": ""} for n, body in enumerate(bodies)])


def _searched(user_id: int, q: str, page: int = 1) -> tuple[search.Results, int]:
    user = db.session.get(User, user_id)
    seen: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        results = search.search(user, SearchFilters(q=q), page=page)
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    return results, len(seen)


def test_a_search_counts_and_shows_its_page_in_one_statement_after_its_settings(app, users, frozen):
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("PostgreSQL's statements; SQLite's snippet() needs a statement of its own")
        mine = make_request(users["reporter"], make_agency())
        hidden = make_request(users["other_reporter"], make_agency(name="CBP FOIA", abbreviation="CBP"), private=True)
        _entries(mine.id, [f"custody log entry {n}" for n in range(45)])
        _entries(hidden.id, ["custody log of a colleague"] * 5)
        db.session.commit()
        first, statements = _searched(users["reporter"], "custody")
        assert (first.total, first.more, len(first.hits), statements) == (45, False, 20, 2)
        assert {hit.request_id for hit in first.hits} == {mine.id} and "<mark>" in first.hits[0].snippet
        past_the_end, statements = _searched(users["reporter"], "custody", page=4)
        assert (past_the_end.total, past_the_end.hits, statements) == (45, [], 2)


def test_a_page_the_counted_hits_do_not_hold_takes_one_statement_more(app, users, frozen):
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("PostgreSQL's statements; SQLite's snippet() needs a statement of its own")
        req = make_request(users["reporter"], make_agency())
        title = req.title
        _entries(req.id, [f"the medical staff report {n}" for n in range(MAX_COUNT + 30)])
        db.session.commit()
        newest = [f"Note {n}" for n in range(MAX_COUNT + 29, -1, -1)]
        counted, statements = _searched(users["reporter"], "medical")
        assert (counted.total, counted.more, statements) == (MAX_COUNT, True, 2)
        assert [hit.title for hit in counted.hits] == newest[:20]
        later, statements = _searched(users["reporter"], "medical", page=MAX_COUNT // 20 + 1)
        assert ([hit.title for hit in later.hits], statements) == (newest[MAX_COUNT:MAX_COUNT + 20], 3)
        phrase, statements = _searched(users["reporter"], '"medical staff"')  # its matches are not newest first
        assert ([hit.title for hit in phrase.hits], statements) == (newest[:20], 3)
        # `recent` names each hit's request and agency as the page statement does (subqueries, not a join)
        named = {(hit.request_title, hit.agency_name) for hit in later.hits + phrase.hits}
        assert named == {(title, "ICE FOIA Office")}
