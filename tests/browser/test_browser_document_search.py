"""In Chromium: a scan uploaded on the request page is read by the job, found from the request list's "also
search inside documents", and the hit opens the PDF at its page; the owner sees a failed redaction."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.documents import makers
from tests.documents.support import extract
from tests.helpers import make_agency, make_request
from tracker.extensions import db

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
pytestmark = pytest.mark.slow


def test_scan_becomes_searchable_and_opens_at_the_page(app, users, page, frozen):
    with app.app_context():
        req = make_request(users["reporter"], make_agency(), title="Otero OPR report")
        db.session.commit()
        req_id = req.id
    scan = makers.scanned_pdf(["Cover page of the release.", "Nothing on this page either.",
                               "The night nurse called the duty officer at midnight."])
    page.login("reporter")
    page.goto(f"/requests/{req_id}")
    page.set_input_files("#documents input[type=file]", files=[
        {"name": "otero-release.pdf", "mimeType": "application/pdf", "buffer": scan},
        {"name": "failed-redaction.pdf", "mimeType": "application/pdf", "buffer": makers.redacted_pdf(failed=True)}])
    page.click("#documents button:has-text('Upload')")
    expect(page.locator("#text-progress")).to_contain_text("2 documents waiting to be read")  # the page after upload

    with app.app_context():
        extract()  # what the scheduler's documents.extract job runs
    page.goto(f"/requests/{req_id}")
    assert "text: 4 of 4 pages" in page.locator("#text-progress").inner_text()
    finding = page.locator(".redaction-finding")
    assert "Possible failed redaction" in finding.inner_text() and "on page 1" in finding.inner_text()
    assert not page.get_by_text("Jordan Whitf").first.is_visible()  # hidden until clicked
    finding.locator("summary").click()
    assert page.locator(".uncovered").first.is_visible()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "documents-request-page.png"), full_page=True)

    page.goto("/requests")
    page.fill("input[name=q]", "night nurse")
    page.check("input[name=docs]")
    page.click("button:has-text('Show')")
    hit = page.locator(".inside-documents .hit-title").first
    assert hit.inner_text() == "otero-release.pdf, page 3"
    page.screenshot(path=str(ARTIFACTS / "documents-request-list.png"), full_page=True)
    href = hit.get_attribute("href")
    assert href.endswith("#page=3")

    page.goto("/search?q=%22duty+officer%22")
    page.screenshot(path=str(ARTIFACTS / "documents-search.png"), full_page=True)
    assert page.locator(".search-hits mark").first.inner_text().lower() in ("duty", "officer", "duty officer")

    # Last: a request outside the page has another user agent, which ends the login session.
    response = page.request.get(href.split("#")[0])
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF-")


def test_colleague_sees_no_finding(app, users, page, frozen):
    with app.app_context():
        from tests.documents.support import upload

        req = make_request(users["reporter"], make_agency(), title="Released report")
        upload(req, users["reporter"], "failed.pdf", makers.redacted_pdf(failed=True))
        extract(ocr=False)
        req_id = req.id
    page.login("other_reporter")
    page.goto(f"/requests/{req_id}")
    assert page.locator(".redaction-finding").count() == 0
