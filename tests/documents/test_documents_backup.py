"""Extracted text, the search index and OCR'd copies survive `tracker backup` and `tracker restore`."""

from __future__ import annotations

import shutil

import pytest
from sqlalchemy import delete

from tests.documents import makers
from tests.documents.support import extract, storage, text_of, upload
from tests.helpers import make_agency, make_request
from tracker.auth.models import User
from tracker.documents import search
from tracker.documents.models import DocumentText, SearchEntry
from tracker.extensions import db


@pytest.mark.slow
def test_text_index_and_ocr_copy_round_trip(app, users, frozen, tmp_path):
    with app.app_context():
        req = make_request(users["reporter"], make_agency())
        a = upload(req, users["reporter"], "scan.pdf", makers.scanned_pdf(["The night nurse signed the log."]))
        extract()
        ocr_key = text_of(a.id).ocr_key
        ocr_bytes = storage().open(ocr_key).read()
        attachment_id = a.id
    runner = app.test_cli_runner()
    result = runner.invoke(args=["backup", str(tmp_path / "b")])
    assert result.exit_code == 0, result.output
    with app.app_context():
        db.session.execute(delete(SearchEntry))  # the text and its search entries, gone
        db.session.execute(delete(DocumentText))
        db.session.commit()
        assert not search.search(db.session.get(User, users["editor"]), search.SearchFilters(q="night nurse")).hits
    shutil.rmtree(app.config["TRACKER_UPLOAD_DIR"])
    result = runner.invoke(args=["restore", str(tmp_path / "b"), "--yes"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert text_of(attachment_id).ocr_key == ocr_key
        assert storage().open(ocr_key).read() == ocr_bytes
        hits = search.search(db.session.get(User, users["editor"]), search.SearchFilters(q="night nurse")).hits
        assert [h.page for h in hits] == [1]
