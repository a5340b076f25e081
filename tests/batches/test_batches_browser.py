"""In a real Chromium: from a matter, one request to three agencies, the batch page, all filed, three clocks."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.helpers import make_agency, make_matter
from tracker.extensions import db

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
pytestmark = pytest.mark.slow


def test_one_matter_to_three_agencies_filed_in_one_step(app, users, page, frozen):
    with app.app_context():
        make_agency("ICE FOIA Office", "ICE", "US-DHS")
        make_agency("DHS Office of Inspector General", "DHS OIG", "US-DHS")
        make_agency("Denver Sheriff Department", "DSD", "US-CO")
        matter = make_matter("Death card allegations, ICE Denver Field Office")
        db.session.commit()
        matter_id = matter.id

    page.login("reporter")
    page.goto(f"/matters/{matter_id}")
    page.click("a.button:has-text('Ask several agencies')")
    expect(page.locator("h1")).to_have_text("Request from several agencies")
    page.fill("#title", "OPR report, Denver death cards")
    page.click("#agency_ids-ts-control")  # the picker: type to search, then choose
    for name in ("ICE FOIA", "Inspector General", "Denver Sheriff"):
        page.fill("#agency_ids-ts-control", name)
        page.locator(".ts-dropdown .option", has_text=name).click()
    expect(page.locator("#agency_ids-ts-control").locator("xpath=..").locator(".item")).to_have_count(3)
    page.fill("#records_description", "The OPR report of investigation and case-closing memorandum.")
    page.click("button:has-text('Save the drafts')")
    expect(page.locator("h1")).to_have_text("OPR report, Denver death cards")
    rows = page.locator("[data-testid=batch-requests] tbody tr")
    expect(rows).to_have_count(3)
    expect(page.locator("[data-testid=status]")).to_have_text(["Draft", "Draft", "Draft"])

    page.fill("#on", "2026-11-30")
    page.select_option("#channel", "portal")
    page.click("button:has-text('Record all as filed')")
    expect(page.get_by_text("Record as filed: 3 requests changed.")).to_be_visible()
    expect(page.locator("[data-testid=status]")).to_have_text(["Filed, awaiting acknowledgment"] * 3)
    # Three clocks, each under its own law: 20 working days federal, 3 in Colorado.
    for agency, due in (("ICE FOIA Office", "December 29, 2026"),
                        ("DHS Office of Inspector General", "December 29, 2026"),
                        ("Denver Sheriff Department", "December 3, 2026")):
        expect(rows.filter(has_text=agency).locator("[data-testid=due]")).to_contain_text(due)
    ARTIFACTS.mkdir(exist_ok=True)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.screenshot(path=str(ARTIFACTS / "batch-desk.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=str(ARTIFACTS / "batch-phone.png"), full_page=True)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the batch page scrolls sideways on a phone ({width}px)"
