"""A referral in a real Chromium: one matter's request at three agencies; ICE refers part of the records to a
fourth agency, and the tree shows both clocks of that chain with their due dates; the child says where it came
from. Screenshots at phone and desk widths land in test-artifacts/."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from playwright.sync_api import expect

from tests.browser.test_browser_pages_fit_and_a11y import AXE, _axe, _login
from tests.helpers import d, make_agency, make_matter, make_request, perform
from tracker.extensions import db

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def test_ice_refers_part_to_a_fourth_agency_and_the_tree_shows_the_clocks(app, users, page, frozen, browser,
                                                                         live_server):
    frozen.move_to(datetime(2026, 12, 4, 15, tzinfo=UTC))
    with app.app_context():
        matter = make_matter("Death card allegations, ICE Denver Field Office")
        ice = make_agency()
        others = [make_agency(name="DHS Office of Inspector General", abbreviation="DHS OIG"),
                  make_agency(name="DHS Office for Civil Rights and Civil Liberties", abbreviation="CRCL")]
        make_agency(name="Department of Justice, Office of Information Policy", abbreviation="DOJ OIP",
                    jurisdiction="US-DOJ")
        ids = []
        for agency in [ice, *others]:
            req = make_request(users["reporter"], agency, title=f"Death card ROI, {agency.abbreviation}",
                               matter_ids=[matter.id], records_description="The report of investigation.")
            perform(req, "file", users["reporter"], on=d("2026-11-02"), channel="portal")
            ids.append(req.id)
        db.session.commit()

    page.login("reporter")
    page.goto(f"/requests/{ids[0]}")
    page.click("a.button:has-text('Record a referral')")
    expect(page.locator("h1")).to_have_text("Record a referral")
    ARTIFACTS.mkdir(exist_ok=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=str(ARTIFACTS / "referrals-form-390.png"), full_page=True)
    page.fill("#on", "2026-11-16")
    page.select_option("#scope", "part")
    page.select_option("#agency_id", label="Department of Justice, Office of Information Policy (DOJ OIP)")
    page.fill("#received_on", "2026-11-18")
    page.fill("#tracking_number", "DOJ-2026-0777")
    page.click("button[type=submit]:has-text('Record a referral')")

    tree = page.locator("[data-testid=referral-tree]")
    expect(tree.locator("[data-testid=referral]")).to_have_count(2)
    rows = tree.locator("[data-testid=referral]")
    expect(rows.nth(0)).to_contain_text("ICE FOIA Office (ICE)")
    expect(rows.nth(0).locator("[data-testid=referral-due]")).to_have_text("December 2, 2026")
    expect(rows.nth(1)).to_contain_text("Department of Justice, Office of Information Policy (DOJ OIP)")
    expect(rows.nth(1)).to_contain_text("DOJ-2026-0777")
    expect(rows.nth(1).locator("[data-testid=referral-due]")).to_have_text("December 17, 2026")
    expect(rows.nth(1)).to_contain_text("Part of the records referred November 16, 2026; received November 18, 2026.")
    rows.nth(1).locator("summary:has-text('How was this computed?')").click()
    expect(rows.nth(1).locator("details.how ol")).to_contain_text("Thanksgiving")
    for width, height in ((390, 844), (1280, 900)):
        page.set_viewport_size({"width": width, "height": height})
        tree.scroll_into_view_if_needed()
        page.screenshot(path=str(ARTIFACTS / f"referrals-tree-{width}.png"), full_page=True)
        overflow = page.evaluate("document.documentElement.scrollWidth > document.documentElement.clientWidth")
        assert not overflow, f"the page scrolls sideways at {width} px"

    rows.nth(1).locator("a").first.click()
    expect(page.locator("[data-testid=referred-from]")).to_contain_text(f"ICE FOIA Office (ICE), request #{ids[0]}")
    expect(page.locator("[data-testid=status]")).to_have_text("Filed, awaiting acknowledgment")
    expect(page.locator("[data-kind=response] .date")).to_have_text("December 17, 2026")
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=str(ARTIFACTS / "referrals-child-390.png"), full_page=True)

    # The tree, the refer form and the child's page pass axe (a context that lets the test inject it).
    assert AXE.exists(), "axe-core is not installed: run `make axe`"
    context = browser.new_context(base_url=live_server, viewport={"width": 1280, "height": 900}, bypass_csp=True)
    tab = context.new_page()
    _login(tab, "reporter")
    problems = []
    for path in (f"/requests/{ids[0]}", f"/requests/{ids[0]}/actions/refer", page.url):
        tab.goto(path)
        problems += [f"{path}: {v}" for v in _axe(tab)]
    context.close()
    assert not problems, "\n".join(problems)
