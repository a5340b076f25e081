"""How search counts and orders its hits: best first across pages (ranked from the one pass that counts them),
and the count capped at MAX_COUNT with only what the viewer may see counted, at the edge of the cap too."""

from __future__ import annotations

from datetime import date

from sqlalchemy import insert

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


def _search(user_id: int, page: int = 1, **kw):
    return search.search(db.session.get(User, user_id), SearchFilters(**kw), page=page)


def test_hits_are_best_first_across_pages_and_ties_in_the_order_added(app, users, frozen):
    # Pages of the same length: the more often the word, the better the match on both engines (bm25, ts_rank).
    times = [n % 5 + 1 for n in range(45)]  # five groups of nine equal pages
    with app.app_context():
        req = make_request(users["reporter"], make_agency())
        _entries(req.id, [" ".join(["restraint"] * k + ["logbook"] * (10 - k)) for k in times])
        db.session.commit()
        expected = [f"Note {n}" for n in sorted(range(45), key=lambda n: (-times[n], n))]
        pages = [_search(users["editor"], page=p, q="restraint") for p in (1, 2, 3, 4)]
        assert [(r.total, r.more, r.newest_first, len(r.hits)) for r in pages] == [
            (45, False, False, 20), (45, False, False, 20), (45, False, False, 5), (45, False, False, 0)]
        assert [h.title for r in pages for h in r.hits] == expected


def test_the_count_at_the_cap_counts_only_what_the_viewer_may_see(app, users, frozen):
    with app.app_context():
        ice, cbp = make_agency(), make_agency(name="CBP FOIA", abbreviation="CBP", jurisdiction="US-DHS")
        mine = make_request(users["reporter"], ice)
        hidden = make_request(users["other_reporter"], cbp, private=True)
        _entries(mine.id, [f"custody log entry {n}" for n in range(MAX_COUNT - 5)])
        _entries(hidden.id, [f"custody log entry {n}" for n in range(10)])
        db.session.commit()
        reporter = _search(users["reporter"], q="custody")
        assert (reporter.total, reporter.more, reporter.newest_first) == (MAX_COUNT - 5, False, False)
        assert {h.request_id for h in reporter.hits} == {mine.id}
        editor = _search(users["editor"], q="custody")
        assert (editor.total, editor.more, editor.newest_first) == (MAX_COUNT, True, True)
        assert [h.request_id for h in editor.hits] == [hidden.id] * 10 + [mine.id] * 10  # newest first
        only_cbp = _search(users["editor"], q="custody", agency_id=cbp.id)
        assert (only_cbp.total, only_cbp.more) == (10, False)
        assert _search(users["reporter"], q="custody", agency_id=cbp.id).total == 0


def test_newest_first_pages_past_the_counted_hits(app, users, frozen):
    """Past MAX_COUNT hits the pages list the newest first: the first pages from the rows that were counted,
    the later ones (past MAX_COUNT + 1 rows) by a query of their own, with no gap and no repeat between them."""
    total = MAX_COUNT + 100
    with app.app_context():
        req = make_request(users["reporter"], make_agency())
        _entries(req.id, [f"custody log entry {n}" for n in range(total)])
        db.session.commit()
        last = (total + 19) // 20
        seen = []
        for page in (1, 2, MAX_COUNT // 20, MAX_COUNT // 20 + 1, last, last + 1):
            results = _search(users["reporter"], page=page, q="custody")
            assert (results.total, results.more, results.newest_first) == (MAX_COUNT, True, True)
            seen.append([h.title for h in results.hits])
        newest = [f"Note {n}" for n in range(total - 1, -1, -1)]
        pages = [newest[(p - 1) * 20:p * 20] for p in (1, 2, MAX_COUNT // 20, MAX_COUNT // 20 + 1, last, last + 1)]
        assert seen == pages and seen[-1] == []
