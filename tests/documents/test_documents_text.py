"""Text of stored documents: the text layer page by page, plain text and HTML, letters, and the job that reads
them; the request page's progress."""

from __future__ import annotations

from sqlalchemy import select

from tests.documents import makers
from tests.documents.support import extract, storage, text_of, upload
from tests.helpers import make_agency, make_request
from tracker.documents.models import DONE, WAITING, DocumentText, SearchEntry
from tracker.extensions import db


def test_text_pdf_is_read_page_by_page(app, users, frozen):
    with app.app_context():
        req = make_request(users["reporter"], make_agency(), title="Denver report")
        a = upload(req, users["reporter"], "release.pdf", makers.text_pdf(
            ["The detainee asked for a doctor.", "Medical staff logged the transfer.", "Signed by the officer."]))
        assert db.session.scalars(select(DocumentText)).all() == []  # nothing is read in the web request
        result = extract(ocr=False)
        assert result.documents == 1 and result.pages == 3
        doc = text_of(a.id)
        assert (doc.state, doc.pages, doc.pages_read, doc.pages_unreadable, doc.ocr_key) == (DONE, 3, 3, 0, None)
        pages = db.session.scalars(select(SearchEntry).where(SearchEntry.document_id == doc.id)
                                   .order_by(SearchEntry.page)).all()
        assert [p.page for p in pages] == [1, 2, 3]
        assert "transfer" in pages[1].body and pages[1].kind == "document" and pages[1].title == "release.pdf"


def test_plain_text_and_html(app, users, frozen):
    with app.app_context():
        req = make_request(users["reporter"], make_agency())
        t = upload(req, users["reporter"], "notes.txt", b"Interview notes: the warden declined.")
        h = upload(req, users["reporter"], "page.html",
                   b"<html><head><script>var secret='no';</script></head><body><p>Press release</p></body></html>")
        extract(ocr=False)
        assert db.session.scalars(select(SearchEntry.body).join(DocumentText).where(
            DocumentText.attachment_id == t.id)).one() == "Interview notes: the warden declined."
        bodies = db.session.scalars(select(SearchEntry.body).join(DocumentText).where(
            DocumentText.attachment_id == h.id)).all()
        assert bodies == ["Press release"]  # the script is not text


def test_scan_without_ocr_is_marked_with_the_reason(app, users, frozen):
    with app.app_context():
        req = make_request(users["reporter"], make_agency())
        a = upload(req, users["reporter"], "scan.pdf", makers.scanned_pdf(["A scanned page."]))
        extract(ocr=False)
        doc = text_of(a.id)
        assert doc.pages == 1 and doc.pages_read == 0 and doc.pages_unreadable == 1
        assert "no text layer" in doc.reason


def test_the_job_is_registered_and_never_runs_in_the_web(app):
    from tracker.jobs.registry import jobs

    job = next(j for j in jobs(app) if j.id == "documents.extract")
    assert job.trigger == "interval"


def test_extract_text_command_reads_the_backlog(app, users, frozen):
    with app.app_context():
        req = make_request(users["reporter"], make_agency())
        for n in range(3):
            upload(req, users["reporter"], f"part-{n}.pdf", makers.text_pdf([f"Part {n} of the release."]))
    result = app.test_cli_runner().invoke(args=["extract-text", "--no-ocr"])
    assert result.exit_code == 0, result.output
    assert "3 document(s), 3 page(s) read" in result.output
    with app.app_context():
        assert db.session.scalar(select(db.func.count()).select_from(DocumentText)
                                 .where(DocumentText.state == WAITING)) == 0
    again = app.test_cli_runner().invoke(args=["extract-text", "--again", "--no-ocr"])
    assert "3 document(s) will be read again" in again.output and "3 page(s) read" in again.output


def test_request_page_shows_progress(app, client, auth, users, frozen):
    with app.app_context():
        req = make_request(users["reporter"], make_agency())
        upload(req, users["reporter"], "one.pdf", makers.text_pdf(["First.", "Second."]))
        upload(req, users["reporter"], "scan.pdf", makers.scanned_pdf(["Scanned."]))
        req_id = req.id
    auth.login("reporter")
    page = client.get(f"/requests/{req_id}").get_data(as_text=True)
    assert "2 documents waiting to be read" in page
    with app.app_context():
        extract(ocr=False)
    page = client.get(f"/requests/{req_id}").get_data(as_text=True)
    assert "text: 2 of 3 pages" in page and "1 page unreadable" in page


def test_original_is_never_replaced(app, users, frozen):
    with app.app_context():
        req = make_request(users["reporter"], make_agency())
        data = makers.text_pdf(["Keep me."])
        a = upload(req, users["reporter"], "keep.pdf", data)
        extract(ocr=False)
        assert storage().open(a.storage_key).read() == data


def test_ocrmypdf_sidecar_pages():
    from tracker.documents.reader import sidecar_pages

    text = "[OCR skipped on page(s) 1-2]\fThird page\n\f[OCR skipped on page(s) 4]\fFifth"
    assert sidecar_pages(text) == {3: "Third page\n", 5: "Fifth"}


def test_our_letters_are_read_and_found(app, users, frozen):
    import io

    from tracker.auth.models import User
    from tracker.core.clock import now_utc
    from tracker.documents import search
    from tracker.letters.models import Letter

    with app.app_context():
        req = make_request(users["reporter"], make_agency())
        pdf = makers.text_pdf(["Freedom of Information Act request for the Otero report of investigation."])
        stored = storage().save(io.BytesIO(pdf))
        db.session.add(Letter(request=req, kind="foia_request", version=1, title="FOIA request", text="...",
                              storage_key=stored.key, sha256=stored.sha256, size=stored.size, pages=1,
                              filename="2026-11-30-foia_request.pdf", created_at=now_utc()))
        db.session.commit()
        extract(ocr=False)
        hits = search.search(db.session.get(User, users["editor"]), search.SearchFilters(q="otero", kind="letter")).hits
        assert [(h.kind, h.page, h.title) for h in hits] == [("letter", 1, "FOIA request, version 1")]
