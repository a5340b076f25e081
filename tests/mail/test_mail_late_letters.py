"""Agency letters whose text comes late propose their next step then: a scanned letter read by OCR (emailed, or
uploaded by a reporter), and a PDF the fetch's quick reader gave up on, read by the documents job."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime

import pytest
import time_machine
from sqlalchemy import select

from tests.documents import makers
from tests.documents.support import extract
from tests.helpers import make_agency, make_request, perform
from tests.mail.mail_out_support import letter_text
from tests.mail.world import build
from tracker.auth.models import User
from tracker.core.clock import now_utc
from tracker.core.mail import OutboxMessage
from tracker.core.storage import storage
from tracker.extensions import db
from tracker.mail.agency_letters import file_agency_letter
from tracker.mail.fetch import fetch_mail
from tracker.mail.models import IncomingMessage
from tracker.mail.proposal_models import Proposal
from tracker.requests import services
from tracker.requests.models import RecordsRequest

pytestmark = pytest.mark.slow
DEC_9 = datetime(2026, 12, 9, 15, 0, tzinfo=UTC)


def _acknowledgment_pages() -> list[str]:
    """The ICE acknowledgment of tests/mail/letters, its paragraphs on one page."""
    paragraphs = [p.replace("\n", " ") for p in letter_text("ice_acknowledgment").split("\n\n")]
    return ["<br><br>".join(paragraphs[:6])]


def _email(token: str, message_id: str, pdf: bytes) -> bytes:
    from email.message import EmailMessage

    msg = EmailMessage()
    msg["From"] = "ICE FOIA Office <ice-foia@ice.dhs.gov>"
    msg["To"] = f"foia+{token}@newsroom.example"
    msg["Subject"] = "Correspondence from the ICE FOIA Office"
    msg["Date"] = "Tue, 08 Dec 2026 10:00:00 -0500"
    msg["Message-ID"] = message_id
    msg.set_content("Please find attached a letter about your FOIA request.")
    msg.add_attachment(pdf, maintype="application", subtype="pdf", filename="letter.pdf")
    return msg.as_bytes()


def _proposals(request_id: int) -> list[tuple[str, dict]]:
    rows = db.session.scalars(select(Proposal).where(Proposal.request_id == request_id).order_by(Proposal.id))
    return [(p.kind, dict(p.fields)) for p in rows]


def test_a_scanned_letter_by_email_proposes_once_ocr_has_read_it(app, ctx, users, dovecot):
    with time_machine.travel(DEC_9, tick=True):
        world = build(users)
        dovecot.append(_email(world.tokens[world.denver], "<scan@ice.dhs.gov>",
                              makers.scanned_pdf(_acknowledgment_pages(), dpi=200)))
        assert fetch_mail().filed == 1
        msg = db.session.scalar(select(IncomingMessage))
        assert any("no text layer" in n and "OCR" in n for n in msg.notes)
        assert _proposals(world.denver) == []  # nothing to read yet

        result = extract()
        assert result.ocr_pages == 1  # the scan; the .eml has no pages to read
        [(kind, fields)] = _proposals(world.denver)
        assert kind == "acknowledgment"
        assert (fields["tracking_number"], fields["received_on"]) == ("2026-ICFO-01234", "2026-12-02")
        db.session.refresh(msg)
        assert not any(a.get("unread") for a in msg.attachment_names)
        mails = db.session.scalars(select(OutboxMessage)).all()
        assert [m.subject for m in mails] == ["ICE answered 2026-ICFO-01234: proposed acknowledgment 2026-ICFO-01234"]

        from tracker.documents.services import requeue

        requeue(world.denver)  # read again (a new OCR language, say): nothing proposed or sent twice
        db.session.commit()
        extract()
        assert len(_proposals(world.denver)) == 1 and db.session.scalar(select(db.func.count(OutboxMessage.id))) == 1


def test_a_scanned_letter_a_reporter_uploads_proposes_once_ocr_has_read_it(app, ctx, users):
    with time_machine.travel(DEC_9, tick=True):
        reporter = db.session.get(User, users["reporter"])
        req = make_request(users["reporter"], make_agency(), title="OPR report, Denver")
        perform(req, "file", users["reporter"], on=date(2026, 11, 30), channel="mail")
        db.session.commit()
        scan = makers.scanned_pdf(_acknowledgment_pages(), dpi=200)
        filed = file_agency_letter(req, services.Upload("ice-letter.pdf", io.BytesIO(scan)), channel="portal",
                                   occurred_on=date(2026, 12, 8), actor=reporter, now=now_utc(),
                                   today=date(2026, 12, 9), storage=storage())
        db.session.commit()
        assert not filed.readable and "OCR" in filed.note
        assert _proposals(req.id) == []

        extract()
        [(kind, fields)] = _proposals(req.id)
        assert (kind, fields["tracking_number"]) == ("acknowledgment", "2026-ICFO-01234")


def test_a_pdf_the_fetch_could_not_read_is_read_by_the_documents_job(app, ctx, users, dovecot, monkeypatch):
    """The fetch reads PDFs in a child process: when that reader dies (here it gets too little memory to start),
    the message is filed all the same, the fetch goes on and never tries that PDF again; the documents job reads
    it in its own process, and the letter proposes then."""
    with time_machine.travel(DEC_9, tick=True):
        world = build(users)
        letter = makers.text_pdf(_acknowledgment_pages())
        dovecot.append(_email(world.tokens[world.denver], "<unread@ice.dhs.gov>", letter))
        monkeypatch.setitem(app.config, "TRACKER_TEXT_MEMORY_MB", 40)
        result = fetch_mail()
        assert (result.filed, result.problems) == (1, [])
        msg = db.session.scalar(select(IncomingMessage))
        assert any("letter.pdf" in n and "reader stopped" in n and "documents job" in n for n in msg.notes)
        assert _proposals(world.denver) == []
        assert fetch_mail().fetched == 0  # nothing is read twice, nothing loops

        monkeypatch.setitem(app.config, "TRACKER_TEXT_MEMORY_MB", 1024)
        extract()
        [(kind, fields)] = _proposals(world.denver)
        assert (kind, fields["tracking_number"]) == ("acknowledgment", "2026-ICFO-01234")
        assert db.session.get(RecordsRequest, world.denver).status == "filed"  # nothing changes without a person
