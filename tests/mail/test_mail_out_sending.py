# ruff: noqa: F811  (pytest fixtures imported from mail_out_support, then named as arguments)
"""Sending a stored letter by email: through the outbox to a real SMTP server (aiosmtpd), from the newsroom
mailbox with the request's reply address as Reply-To and the PDF attached, exactly once, with its Message-ID on
the communication; refused plainly for portal-only agencies and when no mailbox is set up; the same over the API."""

from __future__ import annotations

import io
import re
from datetime import timedelta

from pypdf import PdfReader
from sqlalchemy import select

from tests.letters.letters_app_helpers import make_fixed_request, make_ice, pdf_text
from tests.mail.mail_out_support import (  # noqa: F401  (fixtures)
    MAILBOX,
    api_headers,
    generate_letter,
    mailbox,
    smtp_app,
    smtp_server,
)
from tracker.core.clock import now_utc
from tracker.core.mail import OutboxMessage
from tracker.core.storage import DirectoryStorage
from tracker.extensions import db
from tracker.letters.models import Letter
from tracker.reminders import delivery
from tracker.requests.models import Communication, RecordsRequest


def _letter(app, users, **agency) -> tuple[int, int, str]:
    with app.app_context():
        req = make_fixed_request(users["reporter"], make_ice(**agency))
        letter = generate_letter(app, req, "foia_request", users["reporter"])
        db.session.commit()
        return letter.id, req.id, req.reply_token


def _token(client, url: str) -> str:
    html = client.get(url).get_data(as_text=True)
    return re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', html).group(1)


def test_send_by_email_reaches_the_agency_once_with_reply_to_pdf_and_message_id(app, frozen, users, auth, client,
                                                                                 smtp_app):
    letter_id, req_id, token = _letter(app, users)
    auth.login("reporter")
    page = client.get(f"/letters/{letter_id}").get_data(as_text=True)
    assert "Send by email" in page and 'value="ice-foia@ice.dhs.gov"' in page
    assert 'value="reporter@test.example"' in page  # Cc the reporter

    csrf = _token(client, f"/letters/{letter_id}")
    form = {"csrf_token": csrf, "to": "ice-foia@ice.dhs.gov", "cc": "reporter@test.example"}
    response = client.post(f"/letters/{letter_id}/email", data=form)
    assert response.status_code == 302, response.get_data(as_text=True)

    with app.app_context():
        letter = db.session.get(Letter, letter_id)
        comm = letter.communication
        assert (comm.direction, comm.channel) == ("out", "email")
        assert re.fullmatch(r"<[0-9a-f]{24}\.[0-9a-f]+@newsroom\.example>", comm.message_id)  # the mailbox's domain
        message_id = comm.message_id
        req = db.session.get(RecordsRequest, req_id)
        assert req.status == "filed" and req.sent_on == req.received_on  # sending the request letter filed it
        [row] = db.session.scalars(select(OutboxMessage)).all()
        assert row.status == "pending" and row.message_id == message_id
        report = delivery.deliver()
        assert report.sent == 1 and report.failed == 0
        with DirectoryStorage(app.config["TRACKER_UPLOAD_DIR"]).open(letter.storage_key) as f:
            stored_pdf = f.read()
        letter_body = letter.text

    [msg] = smtp_app.messages
    assert msg["To"] == "ice-foia@ice.dhs.gov"
    assert msg["Cc"] == "reporter@test.example"
    assert msg["Reply-To"] == f"foia+{token}@newsroom.example"
    assert MAILBOX in msg["From"] and "Reporter" in msg["From"]
    assert msg["Message-ID"] == message_id
    assert msg["Auto-Submitted"] is None  # a person's letter: the agency's systems may answer it
    [(mail_from, rcpt)] = smtp_app.envelopes
    assert mail_from == MAILBOX and sorted(rcpt) == ["ice-foia@ice.dhs.gov", "reporter@test.example"]
    body = msg.get_body(("plain",)).get_content().replace("\r\n", "\n")
    assert body.strip() == letter_body.replace("\r\n", "\n").strip()  # the portal text
    [part] = list(msg.iter_attachments())
    assert part.get_content_type() == "application/pdf"
    pdf = part.get_content()
    assert pdf == stored_pdf and len(PdfReader(io.BytesIO(pdf)).pages) >= 1
    assert "Freedom of Information Act" in pdf_text(pdf)  # read back

    # A second attempt, from the page or a double click, sends nothing more: the letter is already sent.
    again = client.post(f"/letters/{letter_id}/email", data=form)
    assert again.status_code == 409 and "already recorded as sent" in again.get_data(as_text=True)
    with app.app_context():
        # A retry of delivery (the scheduler's next round) finds nothing to send.
        assert delivery.deliver().sent == 0
        assert len(db.session.scalars(select(OutboxMessage)).all()) == 1
        assert len(db.session.scalars(select(Communication).where(Communication.request_id == req_id)).all()) == 1
    assert len(smtp_app.messages) == 1


def test_a_crashed_sender_retries_with_the_same_message_id(app, frozen, users, auth, client, smtp_app):
    """The outbox's one window: the server accepted it, the sender died before recording it. The copy sent again
    carries the same Message-ID, the one on the communication, so mail clients fold the two."""
    letter_id, _req_id, _token_ = _letter(app, users)
    auth.login("reporter")
    client.post(f"/letters/{letter_id}/email", data={"csrf_token": _token(client, f"/letters/{letter_id}"),
                                                      "to": "ice-foia@ice.dhs.gov", "cc": ""})
    with app.app_context():
        assert delivery.deliver().sent == 1
        row = db.session.scalars(select(OutboxMessage)).one()
        row.status, row.sent_at = "sending", None  # as if the process died before marking it sent
        row.claimed_by, row.lease_until = "elsewhere:1:dead", now_utc() - timedelta(minutes=1)  # lease ran out
        db.session.commit()
        assert delivery.deliver().sent == 1
        comm_mid = db.session.get(Letter, letter_id).communication.message_id
    assert [m["Message-ID"] for m in smtp_app.messages] == [comm_mid, comm_mid]
    assert smtp_app.messages[0]["Cc"] is None


def test_portal_only_agency_is_not_offered_email_for_a_request(app, frozen, users, auth, client, mailbox):
    letter_id, _req_id, _t = _letter(app, users, portal_only=True)
    auth.login("reporter")
    page = client.get(f"/letters/{letter_id}").get_data(as_text=True)
    assert "takes requests only through its online portal at https://www.dhs.gov/foia" in page
    assert 'data-testid="send-email"' not in page
    assert "Copy text for the agency portal" in page  # the portal text is offered instead
    response = client.post(f"/letters/{letter_id}/email", data={"csrf_token": _token(client, f"/letters/{letter_id}"),
                                                                 "to": "ice-foia@ice.dhs.gov"})
    assert response.status_code == 409
    with app.app_context():
        assert db.session.scalars(select(OutboxMessage)).all() == []
        assert db.session.get(Letter, letter_id).communication_id is None


def test_without_a_mailbox_the_page_says_email_is_not_set_up(app, frozen, users, auth, client):
    letter_id, _req_id, _t = _letter(app, users)
    auth.login("reporter")
    page = client.get(f"/letters/{letter_id}").get_data(as_text=True)
    assert "Sending by email is not set up: the newsroom has no mailbox address (TRACKER_MAIL_ADDRESS)." in page
    assert client.post(f"/letters/{letter_id}/email",
                       data={"csrf_token": _token(client, f"/letters/{letter_id}")}).status_code == 409


def test_bad_addresses_are_refused_on_the_field(app, frozen, users, auth, client, mailbox):
    letter_id, _req_id, _t = _letter(app, users)
    auth.login("reporter")
    for to, cc in (("", ""), ("not an address", ""), ("a@b.example\r\nBcc: x@y.example", ""),
                   ("ice-foia@ice.dhs.gov", "ok@x.example, nope"), ("a@x.example, b@x.example", "")):
        response = client.post(f"/letters/{letter_id}/email",
                               data={"csrf_token": _token(client, f"/letters/{letter_id}"), "to": to, "cc": cc})
        assert response.status_code == 422, (to, cc)
    with app.app_context():
        assert db.session.scalars(select(OutboxMessage)).all() == []
        assert db.session.get(Letter, letter_id).communication_id is None


def test_who_may_send(app, frozen, users, auth, client, mailbox):
    letter_id, _req_id, _t = _letter(app, users)
    auth.login("other_reporter")
    assert client.get(f"/letters/{letter_id}/email").status_code == 403
    assert client.get("/letters/999999/email").status_code == 404
    with app.app_context():
        req = make_fixed_request(users["reporter"], db.session.get(Letter, letter_id).request.agency, private=True)
        private_letter = generate_letter(app, req, "foia_request", users["reporter"]).id
        db.session.commit()
    assert client.get(f"/letters/{private_letter}/email").status_code in (403, 404)  # 404 once access.load lands


def test_api_send_once_then_409(app, frozen, users, client, smtp_app):
    letter_id, req_id, token = _letter(app, users)
    headers = api_headers(app, users["reporter"])
    response = client.post(f"/api/v1/letters/{letter_id}/send", json={}, headers=headers)
    assert response.status_code == 201, response.json
    assert response.json["message_id"] and response.json["communication"]["channel"] == "email"
    assert client.post(f"/api/v1/letters/{letter_id}/send", json={}, headers=headers).status_code == 409
    with app.app_context():
        delivery.deliver()
    [msg] = smtp_app.messages
    assert msg["Reply-To"] == f"foia+{token}@newsroom.example" and msg["Cc"] == "reporter@test.example"
    assert client.post("/api/v1/letters/999999/send", json={}, headers=headers).status_code == 404
    assert client.post(f"/api/v1/letters/{letter_id}/send", json={"to": 7}, headers=headers).status_code == 422
