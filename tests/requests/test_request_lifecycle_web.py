"""The issue's walk-through, in the web UI through the test client: file, acknowledge, upload, determine."""

from __future__ import annotations

import io

from sqlalchemy import select

from tests.helpers import csrf_token, make_agency, make_matter
from tracker.extensions import db
from tracker.requests.models import Attachment, Event, RecordsRequest

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_reporter_files_and_follows_a_request(app, client, auth, frozen, users):
    with app.app_context():
        agency_id = make_agency().id
        matter_id = make_matter().id
        db.session.commit()
    auth.login("reporter")

    token = csrf_token(client, "/requests/new")
    response = client.post("/requests/new", data={
        "csrf_token": token, "title": "OPR report, Denver death cards", "agency_id": agency_id,
        "matter_ids": [matter_id], "records_description": "The OPR report of investigation.",
        "fee_category": "news_media", "expedited_category": "", "delivery_format": "PDF",
    })
    assert response.status_code == 302, response.get_data(as_text=True)
    url = response.headers["Location"]
    request_id = int(url.rsplit("/", 1)[1])

    # File by portal on Friday 2026-11-20: due Monday 2026-12-21 (Thanksgiving skipped).
    token = csrf_token(client, f"/requests/{request_id}/actions/file")
    response = client.post(f"/requests/{request_id}/actions/file", data={
        "csrf_token": token, "on": "2026-11-20", "channel": "portal"})
    assert response.status_code == 302, response.get_data(as_text=True)

    token = csrf_token(client, f"/requests/{request_id}/actions/acknowledge")
    response = client.post(f"/requests/{request_id}/actions/acknowledge", data={
        "csrf_token": token, "on": "2026-11-23", "tracking_number": "2026-ICFO-01234"})
    assert response.status_code == 302

    token = csrf_token(client, f"/requests/{request_id}")
    response = client.post(f"/requests/{request_id}/attachments", data={
        "csrf_token": token, "files": [(io.BytesIO(PDF), "response letter.pdf")]},
        content_type="multipart/form-data")
    assert response.status_code == 302

    token = csrf_token(client, f"/requests/{request_id}/actions/determine")
    response = client.post(f"/requests/{request_id}/actions/determine", data={
        "csrf_token": token, "on": "2026-11-27", "outcome": "granted_in_part", "exemptions": ["b6", "b7C"],
        "pages_released": "12", "pages_withheld": "40", "subject": "Final response",
        "files": [(io.BytesIO(PDF), "final.pdf")]}, content_type="multipart/form-data")
    assert response.status_code == 302, response.get_data(as_text=True)

    page = client.get(url).get_data(as_text=True)
    assert "2026-ICFO-01234" in page
    assert "(b)(6)" in page and "(b)(7)(C)" in page
    assert "response letter.pdf" in page and "final.pdf" in page
    assert "Granted in part" in page
    assert "December 21, 2026" in page  # the response deadline, kept on the page after the determination
    assert "How was this computed?" in page

    with app.app_context():
        req = db.session.get(RecordsRequest, request_id)
        assert req.status == "determined"
        assert req.response_due.isoformat() == "2026-12-21"
        assert [e.action for e in req.events] == ["create", "file", "acknowledge", "upload", "determine"]
        attachments = db.session.scalars(select(Attachment)).all()
        assert {a.content_type for a in attachments} == {"application/pdf"}
        assert req.appeal_due is not None  # a partial grant opens the appeal window


def test_action_not_allowed_is_refused_and_changes_nothing(app, client, auth, users):
    with app.app_context():
        from tests.helpers import make_request

        req_id = make_request(users["reporter"], make_agency()).id
        db.session.commit()
    auth.login("reporter")
    page = client.get(f"/requests/{req_id}/actions/determine")
    assert page.status_code == 409
    assert "not possible while the request is “Draft”" in page.get_data(as_text=True)
    token = csrf_token(client, f"/requests/{req_id}")
    response = client.post(f"/requests/{req_id}/actions/determine",
                           data={"csrf_token": token, "on": "2026-11-20", "outcome": "denied"})
    assert response.status_code == 409
    with app.app_context():
        assert db.session.get(RecordsRequest, req_id).status == "draft"
        assert db.session.scalars(select(Event)).all()[-1].action == "create"


def test_bad_input_shows_field_errors_not_500(app, client, auth, users, frozen):
    with app.app_context():
        agency_id = make_agency().id
        db.session.commit()
    auth.login("reporter")
    token = csrf_token(client, "/requests/new")
    response = client.post("/requests/new", data={
        "csrf_token": token, "title": "x" * 400, "agency_id": agency_id, "fee_category": "nonsense",
        "records_from": "2026-02-01", "records_to": "2026-01-01", "fee_limit": "-5", "expedited_category": ""})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Too long: 400 characters, and the limit is 300." in page
    assert "Not a valid choice" in page
    assert "The end of the date range is before its start." in page
    assert "Enter an amount of 0 or more." in page
    with app.app_context():
        assert db.session.scalars(select(RecordsRequest)).all() == []
