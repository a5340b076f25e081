"""OCR of scans and images through ocrmypdf and tesseract, and bad input marked unreadable in bounded time."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.documents import makers
from tests.documents.support import extract, storage, text_of, upload
from tests.helpers import make_agency, make_request
from tracker.auth.models import User
from tracker.documents import search
from tracker.documents.limits import Limits
from tracker.documents.models import DONE, UNREADABLE, SearchEntry
from tracker.extensions import db

pytestmark = pytest.mark.slow


def test_scanned_pdf_is_ocrd_into_a_copy_beside_the_original(app, users, frozen):
    with app.app_context():
        req = make_request(users["reporter"], make_agency())
        scan = makers.scanned_pdf(["The detainee asked for a doctor three times.",
                                   "Investigators interviewed the night nurse."])
        a = upload(req, users["reporter"], "scan.pdf", scan)
        result = extract()
        doc = text_of(a.id)
        assert (doc.state, doc.pages, doc.pages_read, doc.pages_ocr) == (DONE, 2, 2, 2)
        assert doc.ocr_key and doc.ocr_key != a.storage_key
        assert storage().open(a.storage_key).read() == scan  # the original, untouched
        assert storage().open(doc.ocr_key).read(5) == b"%PDF-"
        assert result.ocr_pages == 2
        hits = search.search(db.session.get(User, users["editor"]), search.SearchFilters(q="night nurse")).hits
        assert [(h.page, h.source) for h in hits] == [(2, "ocr")]


@pytest.mark.parametrize("fmt, content_type", [("PNG", "image/png"), ("JPEG", "image/jpeg"), ("TIFF", "image/tiff")])
def test_images_through_tesseract(app, users, frozen, fmt, content_type):
    with app.app_context():
        req = make_request(users["reporter"], make_agency())
        a = upload(req, users["reporter"], f"photo.{fmt.lower()}", makers.image_bytes(["Use of force report."], fmt))
        assert a.content_type == content_type
        extract()
        doc = text_of(a.id)
        assert doc.state == DONE and doc.pages_ocr == 1
        body = db.session.scalars(select(SearchEntry.body).where(SearchEntry.document_id == doc.id)).one()
        assert "force report" in body.lower()


def test_page_in_another_script_is_marked(app, users, frozen):
    with app.app_context():
        req = make_request(users["reporter"], make_agency())
        a = upload(req, users["reporter"], "ru.pdf", makers.scanned_pdf(
            ["Заключение служебной проверки: задержанный трижды просил врача. Протокол подписан начальником."]))
        extract()
        doc = text_of(a.id)
        assert doc.pages_unreadable == 1 and "another language" in doc.reason


def test_bad_input_is_marked_unreadable_and_nothing_else_stops(app, users, frozen):
    limits = Limits(max_pages=200, document_seconds=120)
    with app.app_context():
        req = make_request(users["reporter"], make_agency())
        bad = {
            "encrypted.pdf": makers.encrypted_pdf(),
            "truncated.pdf": makers.text_pdf(["Cut short."])[:700],
            "nested.pdf": makers.nested_pdf(),
            "huge.png": makers.huge_png(),
            "long.pdf": makers.many_pages_pdf(2000),
        }
        ids = {name: upload(req, users["reporter"], name, data).id for name, data in bad.items()}
        good = upload(req, users["reporter"], "good.pdf", makers.text_pdf(["Still read after all that."]))
        extract(limits)
        reasons = {name: text_of(i) for name, i in ids.items()}
        assert reasons["encrypted.pdf"].state == UNREADABLE and "encrypted" in reasons["encrypted.pdf"].reason
        truncated = reasons["truncated.pdf"]
        assert truncated.state == UNREADABLE and "damaged or truncated" in truncated.reason
        assert reasons["huge.png"].state == UNREADABLE and "30,000 × 30,000 pixels" in reasons["huge.png"].reason
        nested = reasons["nested.pdf"]
        assert nested.state == UNREADABLE or nested.pages_unreadable == nested.pages
        assert nested.reason
        long = reasons["long.pdf"]
        assert (long.state, long.pages, long.pages_read, long.pages_unreadable) == (DONE, 2000, 200, 1800)
        assert "only the first 200 of 2,000 pages" in long.reason
        assert text_of(good.id).state == DONE and text_of(good.id).pages_read == 1


def test_a_slow_document_stops_at_its_time_limit(app, users, frozen):
    import subprocess
    import time

    from tracker.documents.reader import run_bounded

    began = time.monotonic()
    with pytest.raises(subprocess.TimeoutExpired):
        run_bounded(["sleep", "30"], seconds=1, memory_mb=256)
    assert time.monotonic() - began < 10  # the child was killed, not waited for
    with app.app_context():
        req = make_request(users["reporter"], make_agency())
        a = upload(req, users["reporter"], "long.pdf", makers.many_pages_pdf(2000))
        extract(Limits(document_seconds=1))  # a thousand pages cannot be read in a second
        doc = text_of(a.id)
        assert doc.state == UNREADABLE and "took more than 1 seconds" in doc.reason
