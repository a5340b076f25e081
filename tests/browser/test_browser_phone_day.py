"""A reporter's day on a phone (390x844, touch): file a request, record the acknowledgment with the agency's
estimated date, follow a colleague's request; the menu folds behind a button and no page is wider than the
screen."""

from __future__ import annotations

import pytest

from tests.conftest import PASSWORD
from tests.helpers import make_agency, make_matter, make_request
from tracker.extensions import db

pytestmark = pytest.mark.slow


def _fits(tab) -> None:
    assert tab.evaluate("document.documentElement.scrollWidth") <= 390, tab.url


def test_a_reporter_files_acknowledges_and_follows_on_a_phone(app, users, browser, live_server, frozen):
    with app.app_context():
        agency = make_agency(name="ICE FOIA Office", abbreviation="ICE")
        make_matter("Death card allegations, ICE Denver Field Office")
        colleague = make_request(users["other_reporter"], agency, title="Colleague's OPR request").id
        db.session.commit()
    context = browser.new_context(base_url=live_server, viewport={"width": 390, "height": 844}, has_touch=True,
                                  is_mobile=True, device_scale_factor=2)
    tab = context.new_page()
    tab.goto("/login")
    tab.fill("input[name=email]", "reporter@test.example")
    tab.fill("input[name=password]", PASSWORD)
    tab.tap("button[type=submit]")
    tab.wait_for_url("**/requests")
    _fits(tab)

    # The menu hides behind its button, and opens with a tap.
    assert not tab.locator("nav[aria-label=Main]").is_visible()
    tab.tap("button.menu-toggle")
    assert tab.locator("button.menu-toggle").get_attribute("aria-expanded") == "true"
    tab.tap("nav[aria-label=Main] >> text=Requests")
    tab.tap("text=New request")
    tab.fill("#title", "OPR report, Denver death cards")
    tab.select_option("#agency_id", label="ICE FOIA Office (ICE)")
    tab.tap("#matter_ids-ts-control")
    tab.keyboard.type("denver")
    tab.tap(".ts-dropdown .option:has-text('Death card allegations')")
    tab.fill("#records_description", "The OPR report of investigation.")
    _fits(tab)
    tab.tap("button:has-text('Save draft')")
    assert tab.locator("[data-testid=status]").inner_text() == "Draft"
    assert "Death card allegations" in tab.locator("header.request-head").inner_text()
    _fits(tab)

    tab.tap("a.button:has-text('File the request')")
    tab.fill("#on", "2026-11-20")
    tab.select_option("#channel", "portal")
    tab.tap("button[type=submit]:has-text('File the request')")
    tab.tap("a.button:has-text('Record acknowledgment')")
    tab.fill("#on", "2026-11-23")
    tab.fill("#tracking_number", "2026-ICFO-01234")
    tab.fill("#estimated_completion_on", "2027-01-29")
    _fits(tab)
    tab.tap("button[type=submit]:has-text('Record acknowledgment')")
    assert "2026-ICFO-01234" in tab.locator("[data-testid=tracking-numbers]").inner_text()
    assert "January 29, 2027" in tab.locator("[data-kind=estimate]").inner_text()
    _fits(tab)

    tab.goto(f"/requests/{colleague}")
    with tab.expect_navigation():
        tab.tap("[data-testid=follow] button:has-text('Follow')")
    tab.wait_for_selector("[data-testid=follow] >> text=You follow this request")
    _fits(tab)
    context.close()
