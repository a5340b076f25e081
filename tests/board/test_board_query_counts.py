"""The number of SQL statements behind /board and /matters does not grow with the number of requests."""

from __future__ import annotations

import contextlib
import re

import pytest
from sqlalchemy import Join

from bench.newsroom import generate_newsroom
from tests.helpers import on_engine
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

    with on_engine(app, "before_cursor_execute", record):
        yield statements


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


def test_the_board_loads_its_viewer_once(app, client, auth, users, frozen):
    """The board commits (a day's first read moves its windows) after rendering: a commit before it expired the
    signed-in user, whom the page's header then loaded again."""
    _grow(app, 20, seed=3)
    auth.login("reporter")
    for page in ("/board", "/board/fragment"):
        client.get(page)
        with counting(app) as statements:
            assert client.get(page).status_code == 200
        assert [s for s in statements if re.search(r"FROM users\s+WHERE users\.id = ", s)] == [], page


def _top_tables(froms) -> list:
    """The tables and subqueries a statement's own FROM joins (not those inside its subqueries)."""
    out = []
    for item in froms:
        out += _top_tables((item.left, item.right)) if isinstance(item, Join) else [item]
    return out


@pytest.mark.parametrize("who", ["editor", "reporter", None])
def test_the_cards_are_not_joined_back_to_every_request(app, users, who):
    """Each piece of the cards statement carries the columns a card reads: joined back to requests by id, the
    hundred ranked rows made PostgreSQL hash the whole table (half the board's database time at 10,000 requests).
    A reporter's private requests are one list the statement reads once, not once per piece."""
    from tracker.auth.models import User
    from tracker.board import queries

    with app.app_context():
        viewer = db.session.get(User, users[who]) if who else None
        for filters in (queries.BoardFilters(), queries.BoardFilters(matter_id=1), queries.BoardFilters(agency_id=1)):
            statement = queries._cards_statement(queries._shape(viewer, filters), "")
            assert queries.R.__table__ not in _top_tables(statement.get_final_froms())
            sql = str(statement.compile(db.engine))
            assert sql.count("FROM request_watchers") == (1 if who == "reporter" else 0)
