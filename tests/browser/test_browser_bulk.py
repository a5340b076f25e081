"""The request list's bulk bar in a real Chromium: tick rows, choose an action, apply; select all on the page;
the status letter offered only for one agency."""

from __future__ import annotations

import os
from pathlib import Path

from playwright.sync_api import expect
from sqlalchemy import select

from tests.helpers import make_agency, make_request
from tracker.extensions import db
from tracker.requests.models import RecordsRequest

ARTIFACTS = Path(os.environ.get("TRACKER_SCREENSHOTS", Path(__file__).resolve().parents[2] / "test-artifacts"))


def test_editor_selects_rows_and_reassigns_them(app, users, page):
    with app.app_context():
        ice = make_agency()
        doj = make_agency("DOJ Office of Information Policy", "OIP", "US-DOJ")
        for n in range(4):
            make_request(users["reporter"], ice, title=f"ICE request {n}")
        make_request(users["reporter"], doj, title="DOJ request")
        db.session.commit()

    page.set_viewport_size({"width": 1280, "height": 900})
    page.login("editor")
    bar = page.get_by_test_id("bulk-bar")
    expect(bar).to_be_visible()
    page.get_by_label("Select ICE request 1").check()
    page.get_by_label("Select ICE request 2").check()
    expect(page.get_by_test_id("bulk-count")).to_have_text("2 selected")
    page.get_by_test_id("bulk-action").select_option("reassign")
    owner = bar.get_by_label("New owner")
    expect(owner).to_be_visible()
    owner.select_option(label="Other Reporter")
    expect(bar.locator("select[name=matter_id]")).to_be_hidden()  # only the action's own question is asked
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "bulk-bar-1280.png"), full_page=True)
    bar.get_by_role("button", name="Apply").click()
    expect(page.get_by_text("2 requests given to Other Reporter.")).to_be_visible()
    with app.app_context():
        owners = dict(db.session.execute(select(RecordsRequest.title, RecordsRequest.owner_id)).all())
    assert owners["ICE request 1"] == owners["ICE request 2"] == users["other_reporter"]
    assert owners["ICE request 0"] == owners["DOJ request"] == users["reporter"]

    # Select all on the page, then the status letter is not offered: the rows are at two agencies.
    expect(page.get_by_test_id("bulk-count")).to_have_text("0 selected")  # the reloaded page's script has run
    page.get_by_label("Select all on this page").check()
    expect(page.get_by_test_id("bulk-count")).to_have_text("5 selected")
    expect(page.locator("select[name=action] option[value=agency_letter]")).to_be_disabled()
    page.get_by_label("Select DOJ request").uncheck()
    expect(page.locator("select[name=action] option[value=agency_letter]")).to_be_enabled()

    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    expect(bar).to_be_visible()
    page.get_by_label("Select ICE request 0").check()
    page.get_by_test_id("bulk-action").select_option("add_matter")
    expect(bar.locator("select[name=owner_id]")).to_be_hidden()
    page.screenshot(path=str(ARTIFACTS / "bulk-bar-390.png"), full_page=True)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the list is {width}px wide on a phone"
