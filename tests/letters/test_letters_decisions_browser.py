"""In a real Chromium: record the agency's denial of the fee waiver from the request page, see it on the page, and
write the appeal it feeds, addressed to the appeal office the determination letter named."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.helpers import perform
from tests.letters.letters_app_helpers import make_fixed_request
from tracker.extensions import db

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@pytest.mark.slow
def test_a_reporter_records_a_fee_waiver_denial_and_appeals_it(app, users, page, frozen):
    with app.app_context():
        req = make_fixed_request(users["reporter"], fee_waiver_requested=True)
        perform(req, "file", users["reporter"], on=date(2026, 10, 1), channel="portal")
        perform(req, "acknowledge", users["reporter"], on=date(2026, 10, 2), tracking_number="2026-ICFO-01234")
        db.session.commit()
        request_id = req.id
    page.login("reporter")
    page.goto(f"/requests/{request_id}/actions/decide_fee_waiver")
    page.fill("#on", "2026-11-10")
    page.select_option("#outcome", "denied")
    page.fill("#subject", "Fee waiver decision")
    page.click("button:has-text('Decision on the fee waiver')")
    page.wait_for_url(f"**/requests/{request_id}")
    assert "Denied, November 10, 2026" in page.locator("[data-testid=decision]").inner_text()
    assert "Fee waiver denied." in page.locator("#timeline").inner_text()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "letters-decision.png"), full_page=True)

    page.goto(f"/requests/{request_id}/actions/determine")
    page.fill("#on", "2026-11-20")
    page.select_option("#outcome", "granted_in_part")
    page.fill("#appeal_office", "U.S. Immigration and Customs Enforcement, Office of the Principal Legal Advisor")
    page.fill("#appeal_address", "500 12th Street SW, Mail Stop 5900\nWashington, DC 20536-5900")
    page.fill("#appeal_deadline_stated", "within 90 working days of the date of this letter")
    page.click("button:has-text('Record a determination')")
    page.wait_for_url(f"**/requests/{request_id}")

    page.goto(f"/requests/{request_id}/letters/new/appeal")
    assert page.locator("#channel").input_value() == "mail"
    page.check('#contested input[value="fee_waiver"]')
    page.click("button:has-text('Update the preview')")
    preview = page.frame_locator("iframe.letter-frame").locator("body")
    expect(preview).to_contain_text("denied my request for a fee waiver")
    body = preview.inner_text()
    for phrase in ("Office of the Principal Legal Advisor", "Mail Stop 5900", "Fee waiver",
                   "On November 10, 2026, the agency denied my request for a fee waiver", "6 C.F.R. 5.11(k)"):
        assert phrase in body, phrase
    assert "Stop 5009" not in body and "dhs.gov/foia" not in body
    page.screenshot(path=str(ARTIFACTS / "letters-appeal-compose.png"), full_page=True)
