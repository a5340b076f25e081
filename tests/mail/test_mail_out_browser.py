"""In Chromium: an agency's acknowledgment arrives, the request page proposes it with its sentence, one click opens
the acknowledgment form filled in, recording it moves the deadlines (time frozen)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from tests.helpers import make_agency, make_request, perform
from tests.mail.mail_out_support import letter_text
from tracker.core.clock import now_utc
from tracker.core.storage import DirectoryStorage
from tracker.extensions import db
from tracker.mail.signals import letter_received
from tracker.requests import services

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@pytest.mark.slow
def test_acknowledgment_proposal_one_click_form_filled_deadlines_move(app, frozen, users, page):
    frozen.move_to(datetime(2026, 12, 9, 15, 0, tzinfo=UTC))
    with app.app_context():
        req = make_request(users["reporter"], make_agency(), title="OPR report, Denver death cards")
        perform(req, "file", users["reporter"], on=date(2026, 11, 30), channel="mail")
        comm = services.add_communication(req, actor=None, now=now_utc(), storage=DirectoryStorage(
            app.config["TRACKER_UPLOAD_DIR"]), direction="in", channel="email", occurred_on=date(2026, 12, 9),
            subject="ICE FOIA acknowledgment", body=letter_text("ice_acknowledgment"))
        letter_received.send(comm, text=letter_text("ice_acknowledgment"), trusted=True)
        db.session.commit()
        request_id = req.id

    page.login("reporter")
    page.goto(f"/requests/{request_id}")
    assert "Deadlines start when the agency receives the request." in page.locator("section.deadlines").inner_text()
    proposal = page.locator("[data-testid=proposal]")
    assert "This acknowledges receipt of your Freedom of Information Act (FOIA) request" in proposal.inner_text()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "mail-out-proposal.png"), full_page=True)

    proposal.locator("[data-testid=accept]").click()  # one click: the normal action form, filled in
    assert page.locator("#tracking_number").input_value() == "2026-ICFO-01234"
    assert page.locator("#received_on").input_value() == "2026-12-02"
    assert page.locator("#on").input_value() == "2026-12-08"
    assert "This acknowledges receipt" in page.locator("[data-testid=evidence]").inner_text()
    page.screenshot(path=str(ARTIFACTS / "mail-out-accept.png"), full_page=True)
    page.click("[data-testid=confirm]")

    assert "Acknowledged" in page.locator("[data-testid=status]").inner_text()
    assert "2026-ICFO-01234" in page.locator("[data-testid=tracking-numbers]").inner_text()
    assert "December 31, 2026" in page.locator("[data-kind=response]").inner_text()  # 20 working days from Dec 2
    assert page.locator("[data-testid=proposal]").count() == 0
    assert "Acknowledged; tracking number 2026-ICFO-01234." in page.locator("#timeline").inner_text()


@pytest.mark.slow
@pytest.mark.parametrize("width", [390, 1280])
def test_proposals_read_as_cards_and_one_not_possible_now_has_no_button(app, frozen, users, page, width):
    """No list bullet beside a card; a proposal the request's status refuses says why, with no button but
    Dismiss; "Upload the agency's letter" is a heading the size of "Record a communication", as on a phone."""
    frozen.move_to(datetime(2027, 3, 4, 15, 0, tzinfo=UTC))
    with app.app_context():
        req = make_request(users["reporter"], make_agency(), title="OPR report, Denver death cards")
        perform(req, "file", users["reporter"], on=date(2026, 11, 30), channel="mail")
        perform(req, "extend", users["reporter"], on=date(2026, 12, 10))
        for name, on in (("ice_acknowledgment", date(2026, 12, 8)), ("ice_extension", date(2026, 12, 10))):
            comm = services.add_communication(req, actor=None, now=now_utc(), storage=DirectoryStorage(
                app.config["TRACKER_UPLOAD_DIR"]), direction="in", channel="email", occurred_on=on,
                subject=f"ICE letter of {on:%B %-d}", body=letter_text(name))
            letter_received.send(comm, text=letter_text(name), trusted=True)
        db.session.commit()
        request_id = req.id

    page.set_viewport_size({"width": width, "height": 900})
    page.login("reporter")
    page.goto(f"/requests/{request_id}")
    assert page.locator(".proposal-list").evaluate("e => getComputedStyle(e).listStyleType") == "none"
    ack, extension = page.locator("[data-kind=acknowledgment]"), page.locator("[data-kind=extension]")
    assert ack.locator("[data-testid=accept]").is_visible()
    assert extension.locator("[data-testid=accept]").count() == 0
    assert extension.locator("[data-testid=why-not]").inner_text() == "An extension notice is already recorded."
    assert extension.locator("[data-testid=dismiss]").is_visible()
    size = "e => getComputedStyle(e).fontSize"
    upload = page.locator("#agency-letter summary h2")
    assert upload.inner_text() == "Upload the agency’s letter"
    assert upload.evaluate(size) == page.locator("#communication summary h2").evaluate(size)
    assert page.evaluate("document.documentElement.scrollWidth") <= width  # nothing wider than the screen
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"mail-out-proposals-{width}.png"), full_page=True)
