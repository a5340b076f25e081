"""The list's total: counted only when the page is full (or empty past the first); a page short of full is the
last one, and the total is the rows before it and on it. The same numbers, one statement fewer."""

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
    (1, 5, 5, True),  # full: there may be more
    (2, 2, 2, True),
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


def test_a_list_with_nothing_to_show_counts_nothing(app, users, five):
    with app.app_context():
        reporter = db.session.get(User, users["reporter"])
        with counting(app) as statements:
            listed = list_requests(reporter, RequestFilters(q="no such words"), page=1)
        assert (listed.items, listed.total, listed.pages) == ([], 0, 0)
        assert not [s for s in statements if COUNT.match(s)]
