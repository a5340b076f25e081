"""In Chromium: a reporter picks New Jersey's commercial kind of request, and the request page lays out the state
deadlines with how each was counted. Screenshots go to test-artifacts/."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import make_agency
from tracker.extensions import db

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@pytest.mark.slow
def test_reporter_files_a_commercial_request_in_new_jersey(app, users, page, frozen):
    with app.app_context():
        make_agency(jurisdiction="US-NJ", name="New Jersey State Police", abbreviation="NJSP")
        db.session.commit()
    ARTIFACTS.mkdir(exist_ok=True)
    page.login("reporter")
    page.goto("/requests/new")
    page.fill("#title", "Use-of-force reports, Troop B")
    page.select_option("#agency_id", label="New Jersey State Police (NJSP)")
    page.select_option("#deadline_variant", value="commercial")
    page.fill("#records_description", "Use-of-force reports filed by Troop B in 2025.")
    page.screenshot(path=str(ARTIFACTS / "state-request-form.png"), full_page=True)
    page.click("form.grid-form button.primary")
    page.wait_for_url("**/requests/*")
    page.goto(page.url + "/actions/file")
    page.fill("#on", "2026-11-02")
    page.select_option("#channel", value="portal")
    page.click("form.grid-form button.primary")
    page.wait_for_url("**/requests/*")
    response = page.locator('[data-kind="response"]')
    assert "November 24, 2026" in response.inner_text() or "2026-11-24" in response.inner_text()
    denied = page.locator('[data-kind="deemed_denial"]').inner_text()
    assert "Deemed denied if no response by" in denied
    assert page.locator('[data-kind="appeal_no_response"]').count() == 1
    page.screenshot(path=str(ARTIFACTS / "state-request-deadlines.png"), full_page=True)
    assert "Kind of request" in page.inner_text("main") and "Commercial-purpose request" in page.inner_text("main")
