"""In a real Chromium: write a request letter, see the preview, generate it, copy the text, record it as sent."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import expect

from tests.letters.letters_app_helpers import make_fixed_request
from tracker.extensions import db

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def test_reporter_writes_previews_and_sends_a_request_letter(app, users, page, frozen):
    with app.app_context():
        request_id = make_fixed_request(users["reporter"]).id
        db.session.commit()
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.login("reporter")
    page.goto(f"/requests/{request_id}")
    page.click("a.button:has-text('Write a letter')")
    page.click("a.button:has-text('FOIA request (federal)')")

    preview = page.frame_locator("iframe.letter-frame")
    assert "Freedom of Information Act request" in preview.locator("body").inner_text()
    assert "Eagle County" in preview.locator("body").inner_text()  # proposed from the request's matter
    # The sandbox keeps the letter from running anything or reaching the page.
    assert page.locator("iframe.letter-frame").get_attribute("sandbox") == ""

    page.check("#fee_waiver_requested")
    page.fill("#custom_text", "I am happy to receive the records in several installments.")
    page.click("button:has-text('Update the preview')")
    expect(page.frame_locator("iframe.letter-frame").locator("body")).to_contain_text("several installments")
    body = page.frame_locator("iframe.letter-frame").locator("body").inner_text()
    assert "Fee waiver" in body and "several installments" in body
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "letters-compose.png"), full_page=True)

    page.click("button:has-text('Generate PDF')")
    page.wait_for_url("**/letters/*")
    assert "version 1" in page.locator("h1").inner_text()
    with page.expect_download() as download:
        page.click("[data-testid=download]")
    assert download.value.suggested_filename == "2026-11-30-foia_request.pdf"

    page.click("button:has-text('Copy text for the agency portal')")
    page.wait_for_selector("[data-copy-status]:has-text('Copied')")
    page.screenshot(path=str(ARTIFACTS / "letters-letter.png"), full_page=True)
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == page.locator("#letter-text").input_value()
    assert "several installments" in copied and "<" not in copied

    page.fill("#on", "2026-11-30")
    page.select_option("#channel", "portal")
    page.fill("#tracking_number", "2026-ICFO-07777")
    page.click("button:has-text('Record as sent')")
    page.wait_for_url(f"**/requests/{request_id}*")
    assert page.locator("[data-testid=status]").inner_text() == "Filed, awaiting acknowledgment"
    assert "2026-ICFO-07777" in page.locator("[data-testid=tracking-numbers]").inner_text()
    timeline = page.locator("#timeline").inner_text()
    assert "2026-11-30-foia_request.pdf" in timeline and "FOIA request (federal)" in timeline
    page.screenshot(path=str(ARTIFACTS / "letters-sent.png"), full_page=True)
