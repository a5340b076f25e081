"""Incoming mail on the web and the API: the reply address, the timeline, Unsorted mail and who may see it."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import time_machine
from sqlalchemy import select

from tests.helpers import csrf_token
from tests.mail.conftest import corpus_message
from tests.mail.world import build
from tracker.extensions import db
from tracker.mail.fetch import fetch_mail
from tracker.mail.models import IncomingMessage

NOW = datetime(2026, 12, 5, 15, 0, tzinfo=UTC)


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=True):
        yield


@pytest.fixture
def world(app, users, dovecot, clock):
    with app.app_context():
        made = build(users)
        dovecot.append(corpus_message("ice_acknowledgment", made.tokens[made.denver]),
                       corpus_message("html_only", made.tokens[made.denver]),
                       corpus_message("spoofed_sender", made.tokens[made.denver]),
                       corpus_message("newsletter"),
                       corpus_message("state_agency_letter").replace(b"Public Information Request",
                                                                      b"Fwd: Public Information Request"),
                       _forward_of_stray())
        fetch_mail()
        ids = {m.message_id: m.id for m in db.session.scalars(select(IncomingMessage))}
        db.session.remove()
    made.ids = ids
    return made


def _forward_of_stray() -> bytes:
    return (b"From: Sam Reporter <reporter@test.example>\r\nTo: foia@newsroom.example\r\n"
            b"Subject: Fwd: records letter\r\nDate: Fri, 04 Dec 2026 10:00:00 -0500\r\n"
            b"Message-ID: <stray-forward@test.example>\r\n\r\nFor my Texas request.\r\n\r\n"
            b"---------- Forwarded message ---------\r\nFrom: Records Office <records@city.example>\r\n"
            b"Date: Thu, Dec 3, 2026 at 9:00 AM\r\nSubject: Your records request\r\n"
            b"To: Sam <sam@gmail.com>\r\n\r\nWe have located 12 pages.\r\n")


def test_request_page_shows_reply_address_and_incoming_mail(client, auth, world):
    auth.login("reporter")
    page = client.get(f"/requests/{world.denver}").get_data(as_text=True)
    assert f"foia+{world.tokens[world.denver]}@newsroom.example" in page
    assert 'data-copy="reply-address"' in page and "mail.js" in page
    assert "ICE FOIA Request 2026-ICFO-01234 Acknowledgment" in page
    assert "unverified sender" in page  # the spoofed message
    assert "original (.eml)" in page
    api = client.get(f"/api/v1/requests/{world.denver}").json
    assert api["reply_address"] == f"foia+{world.tokens[world.denver]}@newsroom.example"
    mail = client.get(f"/api/v1/requests/{world.denver}/mail").json["items"]
    assert len(mail) == 3 and {m["unverified_sender"] for m in mail} == {True, False}


def test_raw_and_sanitised_html(client, auth, world):
    auth.login("reporter")
    msg_id = world.ids["<portal-update-01234@securerelease.dhs.gov>"]
    raw = client.get(f"/mail/messages/{msg_id}/raw")
    assert raw.status_code == 200 and raw.mimetype == "message/rfc822"
    assert b"Message-ID: <portal-update-01234@securerelease.dhs.gov>" in raw.data
    assert "attachment" in raw.headers["Content-Disposition"]
    html = client.get(f"/mail/messages/{msg_id}/html")
    body = html.get_data(as_text=True)
    assert html.status_code == 200 and "2026-ICFO-01234" in body
    for bad in ("<script", "onclick", "alert(", "pixel.gif", "remote.example", "<iframe", "evil.example", "style="):
        assert bad not in body
    csp = html.headers["Content-Security-Policy"]
    assert "sandbox" in csp and "img-src data:" in csp and "frame-ancestors 'self'" in csp
    assert html.headers.get("X-Frame-Options") is None
    page = client.get(f"/mail/messages/{msg_id}").get_data(as_text=True)
    assert "<iframe" in page and "sandbox" in page


def test_unsorted_visibility(client, auth, world):
    stray = world.ids["<stray-forward@test.example>"]
    newsletter = world.ids["<weekly-2026-48@foiaweekly.example>"]
    auth.login("other_reporter")
    page = client.get("/mail/unsorted").get_data(as_text=True)
    assert "No unsorted mail" in page
    for url in (f"/mail/messages/{stray}", f"/mail/messages/{stray}/raw", f"/mail/messages/{stray}/html",
                f"/api/v1/mail/{stray}", f"/mail/messages/{newsletter}"):
        assert client.get(url).status_code == 404, url
    token = csrf_token(client, "/mail/unsorted")
    assert client.post(f"/mail/messages/{stray}/dismiss", data={"csrf_token": token}).status_code == 404
    assert client.post(f"/mail/messages/{stray}/file", data={"csrf_token": token,
                                                             "number": world.denver}).status_code == 404
    assert client.get("/api/v1/mail/unsorted").json["items"] == []
    auth.logout()

    auth.login("reporter")  # the reporter who forwarded it sees it, and only it
    page = client.get("/mail/unsorted").get_data(as_text=True)
    assert "Your records request" in page and "This week in FOIA" not in page
    assert [m["id"] for m in client.get("/api/v1/mail/unsorted").json["items"]] == [stray]
    assert client.get(f"/mail/messages/{newsletter}").status_code == 404
    # a private request of someone else cannot be the target
    token = csrf_token(client, "/mail/unsorted")
    response = client.post(f"/mail/messages/{stray}/file", data={"csrf_token": token, "number": world.dallas})
    assert response.status_code == 422
    assert "No request you can see has this number or tracking number." in response.get_data(as_text=True)
    response = client.post(f"/mail/messages/{stray}/file", data={"csrf_token": token, "number": world.still},
                           follow_redirects=True)
    assert f"Filed on request #{world.still}: OPR report still." in response.get_data(as_text=True)
    with client.application.app_context():
        msg = db.session.get(IncomingMessage, stray)
        assert (msg.status, msg.request_id, msg.matched_by, msg.trusted) == ("filed", world.still, "person", False)
        assert msg.handled_by_id is not None and msg.communication.message_id == "<stray-forward@test.example>"
    page = client.get(f"/requests/{world.still}").get_data(as_text=True)
    assert "Your records request" in page
    auth.logout()

    auth.login("editor")  # editors see everything unsorted, and dismiss in one click
    page = client.get("/mail/unsorted").get_data(as_text=True)
    assert "This week in FOIA" in page and "Your records request" not in page
    token = csrf_token(client, "/mail/unsorted")
    assert client.post(f"/mail/messages/{newsletter}/dismiss", data={"csrf_token": token}).status_code == 302
    assert "This week in FOIA" not in client.get("/mail/unsorted").get_data(as_text=True)


def test_api_file_and_dismiss(app, client, auth, world):
    auth.login("editor")
    state = world.ids["<pir-26-04512@dps.texas.gov>"]
    headers = {"X-CSRFToken": csrf_token(client, "/mail/unsorted")}
    bad = client.post(f"/api/v1/mail/{state}/file", json={"request_id": 999999}, headers=headers)
    assert bad.status_code == 422 and "request_id" in bad.json["error"]["fields"]
    missing = client.post(f"/api/v1/mail/{state}/file", json={}, headers=headers)
    assert missing.status_code == 422
    ok = client.post(f"/api/v1/mail/{state}/file", json={"request_id": world.appeal}, headers=headers)
    assert ok.status_code == 200 and ok.json["status"] == "filed" and ok.json["request_id"] == world.appeal
    again = client.post(f"/api/v1/mail/{state}/dismiss", headers=headers)
    assert again.status_code == 409
    assert client.post("/api/v1/mail/2147483648/dismiss", headers=headers).status_code == 404


def test_reply_address_hidden_without_a_mailbox(app, client, auth, users):
    from tests.helpers import make_agency, make_request

    saved = app.config.get("TRACKER_MAIL_ADDRESS")
    app.config["TRACKER_MAIL_ADDRESS"] = ""
    try:
        with app.app_context():
            req = make_request(users["reporter"], make_agency())
            db.session.commit()
            rid = req.id
        auth.login("reporter")
        page = client.get(f"/requests/{rid}").get_data(as_text=True)
        assert "Reply address" not in page
        assert client.get(f"/api/v1/requests/{rid}").json["reply_address"] is None
    finally:
        app.config["TRACKER_MAIL_ADDRESS"] = saved
