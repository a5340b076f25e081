"""Filing an unsorted message by hand, naming the request as people know it: the number the request page shows
("Request #12"), or a tracking number such as 2026-ICFO-00881 that belongs to exactly one request the person
may see. Anything else is a plain error beside the field, and the message stays unsorted."""

from __future__ import annotations

import html
import re
from datetime import UTC, date, datetime

import pytest
import time_machine
from sqlalchemy import select

from tests.helpers import csrf_token
from tests.mail.conftest import corpus_message
from tests.mail.world import build
from tracker.extensions import db
from tracker.mail.fetch import fetch_mail
from tracker.mail.models import IncomingMessage
from tracker.requests.models import RecordsRequest, TrackingNumber

NOW = datetime(2026, 12, 5, 15, 0, tzinfo=UTC)
TITLE = "OPR report, Denver “death card” inquiry"


FORWARD = (b"From: Sam Reporter <reporter@test.example>\r\nTo: foia@newsroom.example\r\n"
           b"Subject: Fwd: records letter\r\nDate: Fri, 04 Dec 2026 10:00:00 -0500\r\n"
           b"Message-ID: <stray-forward@test.example>\r\n\r\nFor one of my requests.\r\n\r\n"
           b"---------- Forwarded message ---------\r\nFrom: Records Office <records@city.example>\r\n"
           b"Date: Thu, Dec 3, 2026 at 9:00 AM\r\nSubject: Your records request\r\n"
           b"To: Sam <sam@gmail.com>\r\n\r\nWe have located 12 pages.\r\n")


@pytest.fixture
def world(app, users, dovecot):
    """The mail world of tests/mail/world.py with three unsorted messages: a newsletter, a state agency's letter
    and a letter the reporter forwarded (the one a reporter sees in Unsorted mail)."""
    with time_machine.travel(NOW, tick=True):
        with app.app_context():
            made = build(users)
            db.session.get(RecordsRequest, made.still).title = TITLE
            db.session.commit()
            dovecot.append(corpus_message("newsletter"), corpus_message("state_agency_letter"), FORWARD)
            fetch_mail()
            rows = db.session.execute(select(IncomingMessage.id, IncomingMessage.forwarded_by_id).where(
                IncomingMessage.status == "unsorted").order_by(IncomingMessage.id)).all()
            made.unsorted = [i for i, by in rows if by is None]
            [made.forwarded] = [i for i, by in rows if by is not None]
            db.session.remove()
        yield made


def _file(client, message_id: int, number: str, **extra):
    return client.post(f"/mail/messages/{message_id}/file", data={
        "csrf_token": csrf_token(client, "/mail/unsorted"), "number": number, **extra})


def _status(app, message_id: int) -> tuple[str, int | None]:
    with app.app_context():
        msg = db.session.get(IncomingMessage, message_id)
        return msg.status, msg.request_id


def _field_error(page: str, message_id: int) -> str:
    return html.unescape(re.search(rf'id="file-{message_id}-err"[^>]*>(.*?)</p>', page, re.S).group(1))


def test_the_request_page_shows_the_number_unsorted_mail_asks_for(client, auth, world):
    auth.login("reporter")
    page = client.get(f"/requests/{world.still}").get_data(as_text=True)
    assert f'<p class="request-number muted small" data-testid="request-number">Request #{world.still}</p>' in page
    auth.logout()
    auth.login("editor")
    page = client.get("/mail/unsorted").get_data(as_text=True)
    assert 'name="number"' in page and 'type="number"' not in page  # a tracking number can be typed
    assert "Request # or tracking number" in page


def test_filed_by_tracking_number_with_a_plain_message(app, client, auth, world):
    auth.login("editor")
    message = world.unsorted[0]
    response = _file(client, message, " 2026-icfo-00881 ")  # as typed: spaces, lower case
    assert response.status_code == 302
    assert _status(app, message) == ("filed", world.still)
    page = client.get(response.location).get_data(as_text=True)
    assert f"Filed on request #{world.still}: {TITLE}." in page
    assert "“OPR report" not in page  # no quotation marks around a title that has its own


@pytest.mark.parametrize("typed", ["{id}", "#{id}", "Request #{id}", "request {id}"])
def test_filed_by_the_request_number_as_shown(app, client, auth, world, typed):
    auth.login("editor")
    message = world.unsorted[1]
    assert _file(client, message, typed.format(id=world.kallas)).status_code == 302
    assert _status(app, message) == ("filed", world.kallas)


def test_what_names_no_request_one_may_see_is_refused_beside_the_field(app, client, auth, world):
    with app.app_context():  # the same number at another agency: tracking numbers are unique per agency only
        appeal = db.session.get(RecordsRequest, world.appeal)
        db.session.add(TrackingNumber(request=appeal, agency_id=appeal.agency_id, kind="request",
                                      number="2026-ICFO-00057", assigned_on=date(2026, 11, 1)))
        db.session.commit()
    stray_id = world.forwarded
    auth.login("reporter")
    cases = (
        ("", "Give the request's number or its tracking number (the request's number is at the top of its page, "
             "as “Request #12”)."),
        ("2026-ICFO-99999", "No request you can see has this tracking number."),
        ("2026-ICFO-00213", "No request you can see has this tracking number."),  # another reporter's, private
        (str(world.dallas), "No request you can see has this number or tracking number."),  # the same, by number
        (f"#{world.dallas}", "There is no request with this number that you can see."),
        ("#2147483648", "There is no request with this number that you can see."),
        ("2026-ICFO-00057", "Several requests have this tracking number: give the request's number instead (the "
                            "request's number is at the top of its page, as “Request #12”)."),
        ("x" * 101, "Too long for a request or tracking number (at most 100 characters)."),
    )
    for typed, said in cases:
        response = _file(client, stray_id, typed)
        page = response.get_data(as_text=True)
        assert response.status_code == 422, typed
        assert _field_error(page, stray_id) == said, typed
        assert f'value="{typed}"' in page and 'aria-invalid="true"' in page  # what was typed is kept
    no_token = client.post(f"/mail/messages/{stray_id}/file", data={"number": str(world.still)})
    assert no_token.status_code == 400
    assert _status(app, stray_id) == ("unsorted", None)
    # from the message's own page, the error shows there
    response = _file(client, stray_id, "2026-ICFO-99999", shown_on="message")
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "Download the original (.eml)" in page  # the message page
    assert _field_error(page, stray_id) == "No request you can see has this tracking number."

