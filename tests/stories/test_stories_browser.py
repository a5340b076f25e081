"""In a real Chromium: a story recorded from the request page makes its matter "Published" in the ledger; the
draft form warns, as the description is typed, that a colleague's open request to the same agency overlaps.
Screenshots at phone (390 px) and desk (1280 px) widths go to test-artifacts/."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import expect

from tests.helpers import make_request
from tests.stories import world
from tracker.extensions import db

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def _shots(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    for width in (390, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(ARTIFACTS / f"stories-{name}-{width}.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def test_a_story_makes_the_matter_published_and_the_draft_form_warns(app, users, page):
    with app.app_context():
        ids = world.build(users)
        from tracker.agencies.models import Agency

        colleague = make_request(users["other_reporter"], db.session.get(Agency, ids["ice"]),
                                 title="Otero death investigation (Sam)",
                                 records_description="The OPR report of investigation of the death of a detainee "
                                                     "at the Otero County Processing Center.")
        db.session.commit()
        colleague_id = colleague.id

    page.login("reporter")
    page.goto(f"/requests/{ids['public']}")
    page.click("a.button:has-text('Record a published story')")
    expect(page.get_by_role("heading", name="Record a published story")).to_be_visible()
    page.fill("#headline", "ICE hid the Otero findings")
    page.fill("#url", "https://news.example/otero")
    page.fill("#published_on", "2026-11-20")
    page.click("label.check-option:has-text('report.pdf')")
    _shots(page, "form")
    page.click("button:has-text('Record the story')")
    stories = page.locator("[data-testid=stories]")
    expect(stories.get_by_text("ICE hid the Otero findings")).to_be_visible()
    expect(stories.get_by_text("report.pdf")).to_be_visible()
    _shots(page, "request")

    page.goto("/matters")
    row = page.locator(f"tr[data-matter-id='{ids['death']}']")
    expect(row.locator("[data-testid=published]")).to_have_text("Published")
    expect(row.get_by_text("ICE hid the Otero findings")).to_be_visible()
    expect(page.locator(f"tr[data-matter-id='{ids['other']}'] [data-testid=published]")).to_have_count(0)
    page.select_option("select[name=published]", "yes")
    page.click("form.filters button:has-text('Show')")
    expect(page.locator("tr[data-matter-id]")).to_have_count(1)
    _shots(page, "ledger")

    page.goto("/requests/new")
    warning = page.locator("[data-testid=overlap-warning]")
    expect(warning).to_be_hidden()
    page.fill("#title", "Otero report")
    page.select_option("#agency_id", label="ICE FOIA Office (ICE)")
    page.fill("#records_description", "All records of the OPR investigation into the death at the Otero County "
                                      "Processing Center.")
    expect(warning).to_be_visible()
    link = warning.get_by_role("link", name="Otero death investigation (Sam)")
    expect(link).to_have_attribute("href", f"/requests/{colleague_id}")
    expect(warning).to_contain_text("similar description: both mention")
    _shots(page, "draft-warning")
    page.click("button:has-text('Save draft')")  # a warning, not a block: the draft is saved, and still warned
    expect(page.locator("[data-testid=status]")).to_have_text("Draft")
    expect(page.locator("[data-testid=overlap-warning]")).to_contain_text("Otero death investigation (Sam)")
