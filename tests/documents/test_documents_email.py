"""The text of raw emails: an .eml someone uploads (its attached PDFs become the pages after the message), and
the original of a message the mailbox filed (searched as the message itself, so not read again)."""

from __future__ import annotations

import io
from email import policy
from email.message import EmailMessage

from sqlalchemy import select

from tests.documents import makers
from tests.documents.support import extract, storage, text_of, upload
from tests.helpers import make_agency, make_request
from tracker.auth.models import User
from tracker.core.clock import now_utc
from tracker.documents import search
from tracker.documents.models import DONE, SearchEntry
from tracker.documents.search import SearchFilters
from tracker.extensions import db
from tracker.requests import services
from tracker.requests.models import Attachment


def _email(*, html_only: bool = False, pdf: bytes | None = None, forwarded: EmailMessage | None = None) -> bytes:
    msg = EmailMessage(policy=policy.SMTP)
    msg["From"] = "FOIA Office <foia@ice.dhs.gov>"
    msg["To"] = "Reporter <reporter@newsroom.example>"
    msg["Subject"] = "=?utf-8?q?Interim_release_=E2=80=94_case_2026-ICFO-0042?="
    msg["Date"] = "Mon, 02 Nov 2026 10:15:00 -0500"
    if html_only:
        msg.set_content("<html><head><style>p {color: red}</style><script>steal()</script></head>"
                        "<body><p>The <b>warden</b> memo is enclosed.</p></body></html>", subtype="html")
    else:
        msg.set_content("Please find the warden's memo enclosed.\nRegards, FOIA Office")
        msg.add_alternative("<p>Please find the <b>warden's</b> memo enclosed.</p>", subtype="html")
    if pdf is not None:
        msg.add_attachment(pdf, maintype="application", subtype="pdf", filename="memo.pdf")
    if forwarded is not None:
        msg.add_attachment(forwarded)
    return msg.as_bytes()


def _pages(doc_id: int) -> list[SearchEntry]:
    return db.session.scalars(select(SearchEntry).where(SearchEntry.document_id == doc_id)
                              .order_by(SearchEntry.page)).all()


def test_uploaded_eml_gives_headers_body_and_its_pdf_pages(app, users, frozen):
    inner = EmailMessage(policy=policy.SMTP)
    inner["From"] = "Field Office <field@ice.dhs.gov>"
    inner["Subject"] = "Original complaint"
    inner.set_content("Detainee Whitfield filed the complaint in March.")
    raw = _email(pdf=makers.text_pdf(["Memo page one: the transfer.", "Memo page two: Otero facility."]),
                 forwarded=inner)
    with app.app_context():
        req = make_request(users["reporter"], make_agency())
        a = upload(req, users["reporter"], "interim-release.eml", raw)
        assert a.content_type == "text/plain"  # what the upload sniffs: the name says it is an email
        extract(ocr=False)
        doc = text_of(a.id)
        assert (doc.state, doc.pages, doc.pages_read, doc.reason) == (DONE, 3, 3, "")
        first, *pdf = _pages(doc.id)
        assert "From: FOIA Office <foia@ice.dhs.gov>" in first.body
        assert "To: Reporter <reporter@newsroom.example>" in first.body
        assert "Subject: Interim release — case 2026-ICFO-0042" in first.body  # encoded words decoded
        assert "Date: Mon, 02 Nov 2026 10:15:00 -0500" in first.body
        assert "Attachments: memo.pdf" in first.body
        assert "Please find the warden's memo enclosed." in first.body
        assert "<p>" not in first.body and "Content-Type" not in first.body and "base64" not in first.body
        assert "Forwarded message" in first.body and "Detainee Whitfield filed the complaint" in first.body
        assert ["the transfer" in pdf[0].body, "Otero facility" in pdf[1].body] == [True, True]
        results = search.search(db.session.get(User, users["reporter"]), SearchFilters(q="otero facility"))
        assert [(h.document_id, h.page) for h in results.hits] == [(doc.id, 3)]
        results = search.search(db.session.get(User, users["reporter"]), SearchFilters(q="whitfield"))
        assert [(h.document_id, h.page) for h in results.hits] == [(doc.id, 1)]


def test_html_only_email_is_read_as_text(app, users, frozen):
    with app.app_context():
        req = make_request(users["reporter"], make_agency())
        a = upload(req, users["reporter"], "reply.EML", _email(html_only=True))
        extract(ocr=False)
        (page,) = _pages(text_of(a.id).id)
        assert "The warden memo is enclosed." in page.body
        assert "steal" not in page.body and "color" not in page.body and "<b>" not in page.body


def test_the_mailboxs_original_of_a_filed_message_is_found_once_as_the_message(app, users, frozen):
    """The mailbox files a message (its text searched as the message) with its attachments as their own
    documents and keeps the raw .eml beside them (message/rfc822): the original adds no second hit."""
    with app.app_context():
        req = make_request(users["reporter"], make_agency())
        reporter = db.session.get(User, users["reporter"])
        message = services.add_communication(
            req, actor=reporter, now=now_utc(), storage=storage(), direction="in", channel="email",
            occurred_on=now_utc().date(), subject="Interim release", body="Please find the warden's memo enclosed.")
        stored = storage().save(io.BytesIO(_email(pdf=makers.text_pdf(["Memo page one."]))))
        a = Attachment(request=req, communication=message, storage_key=stored.key, sha256=stored.sha256,
                       size=stored.size, content_type="message/rfc822", original_name="message-7.eml",
                       uploaded_by=reporter, uploaded_at=now_utc())
        db.session.add(a)
        db.session.commit()
        extract(ocr=False)
        doc = text_of(a.id)
        assert doc.state == DONE and _pages(doc.id) == [] and "searched as the message" in doc.reason
        results = search.search(reporter, SearchFilters(q="warden memo"))
        assert [(h.kind, h.communication_id) for h in results.hits] == [("communication", message.id)]


def test_broken_email_is_read_as_far_as_it_goes(app, users, frozen):
    with app.app_context():
        req = make_request(users["reporter"], make_agency())
        raw = (b"From: =?broken?q?x?=\r\nSubject: Truncated\r\nContent-Type: multipart/mixed; boundary=zz\r\n\r\n"
               b"--zz\r\nContent-Type: text/plain; charset=no-such-charset\r\n\r\nThe warden\xff replied.\r\n--zz")
        a = upload(req, users["reporter"], "broken.eml", raw)
        extract(ocr=False)
        doc = text_of(a.id)
        (page,) = _pages(doc.id)
        assert doc.state == DONE and "Subject: Truncated" in page.body and "The warden" in page.body
