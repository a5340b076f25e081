"""The request list (the web page and the API's) reads its page as plain rows (requests.listing): the same values
as the request's own (its first own tracking number, its matters by title, its agency and owner), in three
statements that read only what a row shows, and a count over ids (in the same statement, for a full page)."""

from __future__ import annotations

import re

from tests.board.test_board_query_counts import counting
from tests.helpers import make_agency, make_matter, make_request
from tracker.extensions import db
from tracker.requests.models import TrackingNumber


def _listed(app, users):
    with app.app_context():
        agency = make_agency(name="Bureau & Co", abbreviation="")
        later, earlier = make_matter("Zeta <inquiry>"), make_matter("Alpha inquiry")
        req = make_request(users["reporter"], agency, title="Numbered", matter_ids=[later.id, earlier.id])
        db.session.add_all([TrackingNumber(request_id=req.id, agency_id=agency.id, kind=kind, number=number)
                            for kind, number in (("appeal", "APP-1"), ("request", "REQ-1"), ("request", "REQ-2"))])
        make_request(users["editor"], agency, title="Bare")
        db.session.commit()
        return req.id, agency.id, [earlier.id, later.id]


def test_a_row_shows_its_own_first_tracking_number_and_its_matters_by_title(app, client, auth, users, bearer,
                                                                             frozen):
    request_id, agency_id, matter_ids = _listed(app, users)
    auth.login("reporter")
    page = client.get("/requests").get_data(as_text=True)
    row = page[page.index(f'name="ids" value="{request_id}"'):]
    row = row[:row.index("</tr>")]
    assert '<span class="mono">REQ-1</span>' in row and "APP-1" not in row
    assert '<div class="sub">Alpha inquiry; Zeta &lt;inquiry&gt;</div>' in row
    assert "<td>Bureau &amp; Co</td>" in row and "<td>Reporter" in row
    items = client.get("/api/v1/requests?sort=title", headers=bearer()).get_json()["items"]
    assert [i["title"] for i in items] == ["Bare", "Numbered"]
    bare, numbered = items
    assert numbered["tracking_number"] == "REQ-1" and bare["tracking_number"] is None
    assert numbered["matters"] == [{"id": matter_ids[0], "title": "Alpha inquiry"},
                                   {"id": matter_ids[1], "title": "Zeta <inquiry>"}] and bare["matters"] == []
    assert numbered["agency"] == {"id": agency_id, "name": "Bureau & Co", "abbreviation": "", "jurisdiction": "US-DHS"}
    assert numbered["owner"]["id"] == users["reporter"] and bare["owner"]["id"] == users["editor"]


def test_the_list_reads_only_what_its_rows_show(app, client, auth, users, bearer, frozen):
    _listed(app, users)
    auth.login("reporter")
    for path, headers in (("/requests", {}), ("/api/v1/requests", bearer())):
        client.get(path, headers=headers)
        with counting(app) as statements:
            assert client.get(path, headers=headers).status_code == 200
        rows = [s for s in statements if re.search(r"\bFROM requests JOIN agencies\b", s)]
        numbers = [s for s in statements if re.search(r"\bFROM tracking_numbers\b", s)]
        matters = [s for s in statements if re.search(r"\bJOIN matters\b|\bFROM matters\b.*\bJOIN\b", s, re.S)]
        counts = [s for s in statements if re.match(r"SELECT count", s)]
        assert len(rows) == 1 and numbers == rows  # each row's tracking number read with it
        assert "assigned_on" not in numbers[0]  # the number only, not the row
        # the matters' ids with the rows, their titles from the matters' menu (kept per process: core.menus)
        assert matters == [] and re.search(r"string_agg|group_concat", rows[0])
        assert counts == []  # a page short of full is the last: its rows tell the total
    with counting(app) as statements:  # a full page is counted, by the statement of its rows
        assert client.get("/api/v1/requests?per_page=1", headers=bearer()).get_json()["total"] == 2
    assert [s for s in statements if re.match(r"SELECT count", s)] == []
    rows = [s for s in statements if re.search(r"\bFROM requests JOIN agencies\b", s)]
    count = re.search(r"\(SELECT count\(requests\.id\).*?\) END", rows[0], re.S)
    assert len(rows) == 1 and count and "requests.title" not in count.group(0)  # ids counted, not every column


def test_pages_keep_the_order_and_a_page_past_the_last_shows_no_rows(app, client, auth, users, bearer, frozen):
    _listed(app, users)
    auth.login("reporter")
    # By title; by creation (at one instant here), the newest first.
    for sort, titles in (("title", ["Bare", "Numbered"]), ("created", ["Bare", "Numbered"])):
        shown = [client.get(f"/api/v1/requests?sort={sort}&page={n}&per_page=1", headers=bearer()).get_json()
                 for n in (1, 2)]
        assert [answer["items"][0]["title"] for answer in shown] == titles
        assert shown[1]["items"][0]["tracking_number"] == ("REQ-1" if titles[1] == "Numbered" else None)
    answer = client.get("/api/v1/requests?page=5&per_page=1", headers=bearer()).get_json()
    assert answer["items"] == [] and answer["total"] == 2 and answer["pages"] == 2
    page = client.get("/requests?page=5").get_data(as_text=True)
    assert "No requests match" in page
