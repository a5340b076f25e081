"""The list's total: counted only when the page is full (or empty past the first); a page short of full is the
last one, and the total is the rows before it and on it. A full page's total is counted by the page's own
statement, on its last row; only an empty page past the first asks with a statement of its own. The same numbers,
one statement for every page that shows a row."""

from __future__ import annotations

import re

import pytest

from tests.board.test_board_query_counts import counting
from tests.helpers import make_agency, make_request
from tracker.auth.models import User
from tracker.extensions import db
from tracker.requests.queries import RequestFilters, list_requests

COUNT = re.compile(r"SELECT count\(requests\.id\)")


@pytest.fixture
def five(app, users):
    with app.app_context():
        agency = make_agency()
        for n in range(5):
            make_request(users["reporter"], agency, title=f"Request {n}")
        make_request(users["other_reporter"], agency, title="Private", private=True)
        db.session.commit()


@pytest.mark.parametrize(("page", "per_page", "shown", "counted"), [
    (1, 50, 5, False),  # one page, short of full
    (1, 5, 5, False),  # full: there may be more, counted by the page's statement
    (2, 2, 2, False),
    (1, 4, 4, False),
    (3, 2, 1, False),  # the last page, short of full
    (4, 2, 0, True),  # past the end: nothing on it tells the total
])
def test_the_total_is_counted_only_when_the_page_cannot_tell_it(app, users, five, page, per_page, shown, counted):
    with app.app_context():
        reporter = db.session.get(User, users["reporter"])
        with counting(app) as statements:
            listed = list_requests(reporter, RequestFilters(), page=page, per_page=per_page)
        assert (len(listed.items), listed.total) == (shown, 5)  # the private request of another is not counted
        assert bool([s for s in statements if COUNT.match(s)]) is counted
        assert len(statements) == 1 + counted


def test_a_full_page_counts_with_its_filter_and_its_viewer(app, users, five):
    with app.app_context():
        agency = make_agency(name="Another agency")
        make_request(users["reporter"], agency, title="Elsewhere")
        make_request(users["other_reporter"], agency, title="Private elsewhere", private=True)
        db.session.commit()
        reporter = db.session.get(User, users["reporter"])
        editor = db.session.get(User, users["editor"])
        assert list_requests(reporter, RequestFilters(), per_page=2).total == 6
        assert list_requests(editor, RequestFilters(), per_page=2).total == 8
        assert list_requests(reporter, RequestFilters(q="Request"), per_page=2).total == 5
        assert list_requests(editor, RequestFilters(agency_id=agency.id), per_page=1).total == 2
        assert list_requests(reporter, RequestFilters(agency_id=agency.id), per_page=1).total == 1
        assert list_requests(reporter, RequestFilters(mine=True), per_page=3, page=2).total == 6


def test_a_list_with_nothing_to_show_counts_nothing(app, users, five):
    with app.app_context():
        reporter = db.session.get(User, users["reporter"])
        with counting(app) as statements:
            listed = list_requests(reporter, RequestFilters(q="no such words"), page=1)
        assert (listed.items, listed.total, listed.pages) == ([], 0, 0)
        assert not [s for s in statements if COUNT.match(s)]


def test_a_shape_of_filter_builds_its_statement_once(app, users, five):
    """The page's statement is kept per shape of filter (which filters are set) and run with each list's values."""
    from tracker.requests import listing

    with app.app_context():
        other = make_agency(name="Another agency")
        make_request(users["reporter"], other, title="Elsewhere")
        db.session.commit()
        reporter = db.session.get(User, users["reporter"])
        first = list_requests(reporter, RequestFilters(agency_id=other.id, status="draft"))
        kept = listing._statement.cache_info().currsize
        second = list_requests(reporter, RequestFilters(agency_id=other.id - 1, status="draft"))
        assert listing._statement.cache_info().currsize == kept
        assert [r.title for r in first.items] == ["Elsewhere"]
        assert sorted(r.title for r in second.items) == [f"Request {n}" for n in range(5)]
