"""A list row's matters: their ids read with the row, their titles and order (by title) from the matters' menu."""

from __future__ import annotations

from tests.board.test_board_query_counts import counting
from tests.helpers import make_agency, make_matter, make_request
from tracker.auth.models import User
from tracker.extensions import db
from tracker.matters import queries as matter_queries
from tracker.requests.queries import RequestFilters, list_requests


def test_a_rows_matters_by_title_from_the_menu_or_read_when_the_menu_lacks_one(app, users, monkeypatch):
    """A row's matters' titles come from the matters' menu, in its order (by title); a matter the menu lacks (added
    after the menu was read) makes the page read its matters with their titles."""
    with app.app_context():
        agency = make_agency()
        zulu, alpha, mike = (make_matter(t).id for t in ("Zulu", "Alpha", "Mike"))
        make_request(users["reporter"], agency, title="Three matters", matter_ids=[zulu, alpha, mike])
        make_request(users["reporter"], agency, title="None")
        db.session.commit()
        reporter = db.session.get(User, users["reporter"])
        listed = {r.title: [m.title for m in r.matters] for r in list_requests(reporter, RequestFilters()).items}
        assert listed == {"Three matters": ["Alpha", "Mike", "Zulu"], "None": []}
        full = matter_queries.choices()
        monkeypatch.setattr(matter_queries, "choices", lambda: [pair for pair in full if pair[0] != mike])
        with counting(app) as statements:
            items = list_requests(reporter, RequestFilters()).items
        again = {r.title: [(m.id, m.title) for m in r.matters] for r in items}
        assert again == {"Three matters": [(alpha, "Alpha"), (mike, "Mike"), (zulu, "Zulu")], "None": []}
        assert len([s for s in statements if "FROM request_matters JOIN matters" in s]) == 1
