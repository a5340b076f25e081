"""Issue 13's "Done when", walked as a new user would: a 30-page scanned PDF uploaded to a request through the
web page becomes searchable from the request list once the scheduler's extraction job has run, and a hit opens
the right page of the document (its OCR'd copy, read back here to check the page holds the words)."""

from __future__ import annotations

import io
import re
import time

import pytest

from tests.documents import makers
from tests.documents.support import text_of
from tests.helpers import csrf_token, make_agency, make_request
from tracker.documents.models import DONE
from tracker.extensions import db
from tracker.jobs.registry import jobs
from tracker.jobs.runner import _wrap
from tracker.requests.models import RecordsRequest

pytestmark = pytest.mark.slow

PAGES = 30
NEEDLE_PAGE = 23  # the one page that names the sergeant


def _page_text(n: int) -> str:
    if n == NEEDLE_PAGE:
        return ("Sergeant Okafor signed the restraint log at three in the morning and did not call the nurse. "
                "The detainee was moved to the medical unit the next day.")
    return (f"Report of investigation, part {n}. Officers interviewed the detainee and two witnesses about "
            "the transfer. The warden reviewed the housing records and the daily logs.")


def test_thirty_page_scan_becomes_searchable_and_a_hit_opens_its_page(app, client, auth, users, frozen):
    from pypdf import PdfReader

    scan = makers.scanned_pdf([_page_text(n) for n in range(1, PAGES + 1)])
    assert len(PdfReader(io.BytesIO(scan)).pages) == PAGES
    assert all(not (p.extract_text() or "").strip() for p in PdfReader(io.BytesIO(scan)).pages)  # images only
    with app.app_context():
        req = make_request(users["reporter"], make_agency(), title="Krome restraint review")
        db.session.commit()
        request_id = req.id

    auth.login("reporter")
    token = csrf_token(client, f"/requests/{request_id}")
    response = client.post(f"/requests/{request_id}/attachments", content_type="multipart/form-data",
                           data={"csrf_token": token, "files": [(io.BytesIO(scan), "krome-release.pdf")]})
    assert response.status_code == 302
    assert "1 document waiting to be read" in client.get(f"/requests/{request_id}").get_data(as_text=True)
    listing = client.get("/requests", query_string={"q": "okafor", "docs": "1"}).get_data(as_text=True)
    assert "No document, letter or message contains these words." in listing  # not read yet

    job = next(j for j in jobs(app) if j.id == "documents.extract")
    began = time.monotonic()
    _wrap(app, job)()  # one run of the scheduler's job, as `tracker scheduler` runs it
    seconds = time.monotonic() - began
    print(f"\nOCR of {PAGES} scanned pages by the documents.extract job: {seconds:.1f} s")

    with app.app_context():
        attachment = db.session.get(RecordsRequest, request_id).attachments[0]
        doc = text_of(attachment.id)
        assert (doc.state, doc.pages, doc.pages_ocr, doc.pages_unreadable) == (DONE, PAGES, PAGES, 0), doc.reason
        document_id = doc.id
    page = client.get(f"/requests/{request_id}").get_data(as_text=True)
    assert f"text: {PAGES} of {PAGES} pages" in page

    listing = client.get("/requests", query_string={"q": "okafor", "docs": "1"}).get_data(as_text=True)
    assert "Inside documents" in listing and f"krome-release.pdf, page {NEEDLE_PAGE}" in listing
    links = re.findall(r'href="(/documents/\d+#page=\d+)"', listing)
    assert links == [f"/documents/{document_id}#page={NEEDLE_PAGE}"]

    opened = client.get(links[0].split("#")[0])
    assert opened.status_code == 200 and opened.mimetype == "application/pdf"
    served = PdfReader(io.BytesIO(opened.data))
    assert len(served.pages) == PAGES
    assert "okafor" in served.pages[NEEDLE_PAGE - 1].extract_text().lower()  # the page the link opens
    assert all("okafor" not in p.extract_text().lower() for n, p in enumerate(served.pages, 1) if n != NEEDLE_PAGE)
