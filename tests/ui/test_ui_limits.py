"""A text past its limit is refused with a message and kept in the form; the page shows the limit, and the
browser never cuts a paste short (no maxlength attribute)."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from tests.helpers import csrf_token, make_agency
from tracker.extensions import db
from tracker.requests.models import RecordsRequest


def test_records_sought_too_long_is_refused_with_a_message_not_cut(app, auth, users, client):
    with app.app_context():
        agency_id = make_agency().id
        db.session.commit()
    auth.login("reporter")
    form = client.get("/requests/new").get_data(as_text=True)
    textarea = re.search(r'<textarea[^>]*name="records_description"[^>]*>', form).group(0)
    assert 'data-limit="20000"' in textarea and "maxlength" not in textarea
    text = "x" * 25_000
    answer = client.post("/requests/new", data={"csrf_token": csrf_token(client, "/requests/new"), "title": "Long",
                                                "agency_id": agency_id, "records_description": text,
                                                "fee_category": "news_media", "expedited_category": ""})
    page = answer.get_data(as_text=True)
    assert answer.status_code == 422
    assert "Too long: 25000 characters, and the limit is 20,000." in page
    assert text in page  # the text stays in the box, whole
    with app.app_context():
        assert db.session.scalar(select(func.count(RecordsRequest.id))) == 0


def test_requests_csv_links_each_request_and_matters_csv_has_one_charset(app, auth, users, client):
    import csv
    import io

    from tests.helpers import make_request

    with app.app_context():
        req_id = make_request(users["reporter"], make_agency()).id
        db.session.commit()
    auth.login("reporter")
    rows = list(csv.DictReader(io.StringIO(client.get("/export/requests.csv").get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0]["link"].endswith(f"/requests/{req_id}") and rows[0]["link"].startswith("http")
    assert client.get("/matters/export.csv").headers["Content-Type"] == "text/csv; charset=utf-8"
