"""The number of SQL statements behind /board and /matters does not grow with the number of requests."""

from __future__ import annotations

import contextlib

import pytest
from sqlalchemy import event

from bench.newsroom import generate_newsroom
from tracker.extensions import db

PAGES = ("/board", "/board/fragment", "/board?tv=1", "/board?column=overdue", "/matters", "/matters?state=withheld",
         "/matters/export.csv", "/board/agencies", "/board/agencies?period=all", "/api/v1/board/summary",
         "/api/v1/board/summary?agency_id=1", "/board?agency_id=1", "/board?jurisdiction=US-DHS",
         "/board?owner_id=2&status=acknowledged", "/board?matter_id=1", "/board?tv=1&agency_id=1")


@contextlib.contextmanager
def counting(app):
    statements: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", record)


def _counts(app, client) -> dict[str, int]:
    out = {}
    for page in PAGES:
        client.get(page)  # a first visit may load things once (calendars)
        with counting(app) as statements:
            response = client.get(page)
        assert response.status_code == 200, (page, response.status_code)
        out[page] = len(statements)
    return out


def _grow(app, requests: int, seed: int) -> None:
    with app.app_context():
        generate_newsroom(db.session, requests=requests, communications=requests * 2, matters=40, agencies=8,
                          users=6, seed=seed)
        db.session.commit()


@pytest.mark.parametrize("who", ["editor", "reporter"])
def test_query_counts_are_the_same_at_100_and_1000_requests(app, client, auth, users, frozen, who):
    _grow(app, 100, seed=1)
    auth.login(who)
    small = _counts(app, client)
    _grow(app, 900, seed=2)
    large = _counts(app, client)
    assert small == large
    assert max(large.values()) <= 15, large
