"""The failed-redaction check: x-ray on PDFs received from an agency; the finding shown on the request page to
its owner, watchers and editors only, the uncovered text behind a click; never in exports or the API."""

from __future__ import annotations

import pytest

from tests.documents import makers
from tests.documents.support import extract, text_of, upload
from tests.helpers import make_agency, make_request
from tracker.extensions import db


@pytest.fixture
def redactions(app, users, frozen):
    with app.app_context():
        req = make_request(users["reporter"], make_agency(), title="Released report")
        failed = upload(req, users["reporter"], "failed.pdf", makers.redacted_pdf(failed=True))
        good = upload(req, users["reporter"], "good.pdf", makers.redacted_pdf(failed=False))
        extract(ocr=False)
        return {"request": req.id, "failed": failed.id, "good": good.id}


def test_black_box_over_live_text_is_found_and_a_true_redaction_is_not(app, redactions):
    with app.app_context():
        failed, good = text_of(redactions["failed"]), text_of(redactions["good"])
        assert failed.redaction_checked and failed.redaction_pages == [1]
        assert any("Jordan" in f["text"] for f in failed.redaction_findings)
        assert good.redaction_checked and good.redaction_findings == []


@pytest.mark.parametrize("who, shown", [("reporter", True), ("editor", True), ("other_reporter", False)])
def test_finding_only_for_owner_watchers_editors(client, auth, redactions, who, shown):
    auth.login(who)
    page = client.get(f"/requests/{redactions['request']}").get_data(as_text=True)
    assert ("Possible failed redaction" in page) == shown
    assert ("Show the uncovered text" in page) == shown
    if shown:
        assert "failed.pdf" in page and "on page 1" in page
        # behind a click: inside a closed <details>
        start = page.index("Show the uncovered text")
        assert page.rfind("<details>", 0, start) > page.rfind("</details>", 0, start)


def test_watcher_sees_the_finding(app, client, auth, users, redactions):
    with app.app_context():
        from tracker.auth.models import User
        from tracker.requests.models import RecordsRequest

        req = db.session.get(RecordsRequest, redactions["request"])
        req.watchers.append(db.session.get(User, users["other_reporter"]))
        db.session.commit()
    auth.login("other_reporter")
    assert "Possible failed redaction" in client.get(f"/requests/{redactions['request']}").get_data(as_text=True)


def test_never_in_exports_api_board_or_ledger(client, auth, redactions):
    auth.login("editor")
    for url in (f"/api/v1/requests/{redactions['request']}", "/api/v1/requests", "/board", "/matters",
                "/export/requests.csv", "/api/v1/ledger"):
        response = client.get(url)
        text = response.get_data(as_text=True)
        assert "redaction" not in text.lower() or response.status_code == 404, url


def test_our_own_letters_are_not_checked(app, users, frozen):
    from datetime import date

    from tracker.auth.models import User
    from tracker.core.clock import now_utc
    from tracker.requests import services as request_services
    from tracker.requests.services import Upload

    with app.app_context():
        import io

        from tests.documents.support import storage

        req = make_request(users["reporter"], make_agency())
        comm = request_services.add_communication(
            req, actor=db.session.get(User, users["reporter"]), now=now_utc(), storage=storage(), direction="out",
            channel="email", occurred_on=date(2026, 11, 27), subject="Our appeal",
            files=[Upload("appeal.pdf", io.BytesIO(makers.redacted_pdf(failed=True)))])
        db.session.commit()
        extract(ocr=False)
        doc = text_of(comm.attachments[0].id)
        assert not doc.redaction_checked and doc.redaction_findings == []
