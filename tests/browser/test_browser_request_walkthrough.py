"""The foundation's walk-through in a real Chromium: draft, file, acknowledge, upload, partial grant."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import expect

from tests.helpers import make_agency, make_matter
from tracker.extensions import db

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def test_reporter_walks_a_request_through_in_the_browser(app, users, page):
    with app.app_context():
        make_agency(name="ICE FOIA Office", abbreviation="ICE")
        make_matter("Death card allegations, ICE Denver Field Office")
        db.session.commit()

    page.login("reporter")
    page.click("text=New request")
    page.fill("#title", "OPR report, Denver death cards")
    page.select_option("#agency_id", label="ICE FOIA Office (ICE)")
    # The matters picker: type to search, Enter to choose (keyboard only).
    page.click("#matter_ids-ts-control")
    page.keyboard.type("no such matter")
    expect(page.locator(".ts-dropdown .no-results")).to_be_visible()
    page.keyboard.press("Escape")
    page.keyboard.press("Enter")  # in the picker, with its list closed: the half-written form is not sent
    for _ in "no such matter":
        page.keyboard.press("Backspace")
    page.keyboard.type("death card")
    expect(page.locator(".ts-dropdown .option.active")).to_contain_text("Death card allegations")
    page.keyboard.press("Enter")
    page.fill("#records_description", "The OPR report of investigation and case-closing memorandum.")
    page.click("button:has-text('Save draft')")
    assert page.locator("[data-testid=status]").inner_text() == "Draft"
    assert "Death card allegations, ICE Denver Field Office" in page.locator("header.request-head").inner_text()

    page.click("a.button:has-text('File the request')")
    page.fill("#on", "2026-11-20")
    page.select_option("#channel", "portal")
    page.click("button[type=submit]:has-text('File the request')")
    assert "Filed" in page.locator("[data-testid=status]").inner_text()
    assert "December 21, 2026" in page.locator("[data-kind=response]").inner_text()

    page.click("a.button:has-text('Record acknowledgment')")
    page.fill("#on", "2026-11-23")
    page.fill("#tracking_number", "2026-ICFO-01234")
    page.click("button[type=submit]:has-text('Record acknowledgment')")
    assert "2026-ICFO-01234" in page.locator("[data-testid=tracking-numbers]").inner_text()

    page.set_input_files("#documents input[type=file]", files=[{
        "name": "ice-response.pdf", "mimeType": "application/pdf",
        "buffer": b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"}])
    page.click("#documents button:has-text('Upload')")
    # count() does not wait for the page the upload loads; expect() does.
    expect(page.locator("#documents").get_by_text("ice-response.pdf")).to_have_count(1)

    page.click("a.button:has-text('Record a determination')")
    page.fill("#on", "2026-11-25")
    page.select_option("#outcome", "granted_in_part")
    page.check("input[name=exemptions][value=b6]")
    page.click("label.check-option:has-text('(b)(7)(C)')")  # the whole label is the target
    page.fill("#pages_released", "12")
    page.fill("#pages_withheld", "40")
    page.click("button[type=submit]:has-text('Record a determination')")

    timeline = page.locator("#timeline").inner_text()
    assert "Granted in part, withheld in part citing (b)(6), (b)(7)(C)." in timeline
    assert "Acknowledged; tracking number 2026-ICFO-01234." in timeline
    assert "Uploaded 1 document(s): ice-response.pdf" in timeline
    assert "Filed by agency web portal." in timeline
    page.locator("[data-kind=response] summary").click()
    assert "Thanksgiving" in page.locator("[data-kind=response]").inner_text()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "request-walkthrough.png"), full_page=True)


def test_enter_right_after_typing_chooses_the_match_of_what_was_typed(app, users, page):
    with app.app_context():
        for n in range(3):
            make_matter(f"Matter number {n}")
        db.session.commit()
    page.login("reporter")
    page.goto("/requests/new")
    page.click("#matter_ids-ts-control")
    page.keyboard.type("number 1")
    page.keyboard.press("Enter")  # at once, as a quick typist does
    expect(page.locator("#matter_ids-ts-control").locator("xpath=..").locator(".item")).to_contain_text(
        ["Matter number 1"])
