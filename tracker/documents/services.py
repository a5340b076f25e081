"""Extraction: every stored attachment and letter gets its page text, and search entries to find it by.

One function, extract_pending(), serves the scheduler job `documents.extract` and `tracker extract-text`:
it takes the documents still waiting, oldest first, and reads each (reader.py) in its own transaction, so
a crash loses at most one document's work. Communication bodies are indexed as they are written, in the
same flush (install_search_listener).
"""

from __future__ import annotations

import logging
import tempfile
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from sqlalchemy import delete, event, exists, insert, inspect, or_, select
from sqlalchemy.orm import Session

from tracker.core.clock import local, now_utc
from tracker.core.storage import Storage
from tracker.documents import reader
from tracker.documents.limits import Limits
from tracker.documents.models import DONE, UNREADABLE, WAITING, DocumentText, SearchEntry
from tracker.documents.signals import document_read
from tracker.extensions import db
from tracker.letters.models import Letter
from tracker.requests.models import Attachment, Communication

log = logging.getLogger("tracker.documents")
MAX_ATTEMPTS = 3  # a document whose reading killed the process this often is marked unreadable
TITLE_LENGTH = 300


@dataclass
class ExtractResult:
    documents: int = 0
    pages: int = 0
    ocr_pages: int = 0
    unreadable_pages: int = 0
    failed: list[str] = field(default_factory=list)
    left: int = 0  # documents still waiting when the run stopped

    def summary(self) -> str:
        text = f"{self.documents} document(s), {self.pages} page(s) read ({self.ocr_pages} by OCR)"
        if self.unreadable_pages:
            text += f", {self.unreadable_pages} page(s) unreadable"
        if self.failed:
            text += f", {len(self.failed)} document(s) unreadable"
        if self.left:
            text += f"; {self.left} still waiting"
        return text


def is_from_agency(attachment: Attachment) -> bool:
    """Released records and agency letters: everything stored except what we sent."""
    return not (attachment.communication is not None and attachment.communication.direction == "out")


def enqueue_missing(now: datetime) -> int:
    """A waiting DocumentText for every attachment and letter that has none. Adds and flushes."""
    made = 0
    attachments = db.session.scalars(select(Attachment).where(
        ~exists().where(DocumentText.attachment_id == Attachment.id)).order_by(Attachment.id)).all()
    for attachment in attachments:
        db.session.add(DocumentText(request_id=attachment.request_id, attachment=attachment, created_at=now))
        made += 1
    letters = db.session.scalars(select(Letter).where(
        ~exists().where(DocumentText.letter_id == Letter.id)).order_by(Letter.id)).all()
    for letter in letters:
        db.session.add(DocumentText(request_id=letter.request_id, letter=letter, created_at=now))
        made += 1
    db.session.flush()
    return made


def _source(doc: DocumentText) -> tuple[str, str, str, str]:
    """(storage key, content type, kind, the day it is filed under) of a document."""
    if doc.attachment is not None:
        a = doc.attachment
        day = a.communication.occurred_on if a.communication is not None else local(a.uploaded_at).date()
        kind = "letter" if a.communication is not None and a.communication.direction == "out" else "document"
        email = (a.original_name or "").lower().endswith(".eml")  # an uploaded one is sniffed as plain text
        return a.storage_key, reader.MESSAGE if email else a.content_type, kind, day.isoformat()
    letter = doc.letter
    day = letter.sent_on or local(letter.created_at).date()
    return letter.storage_key, "application/pdf", "letter", day.isoformat()


def read_document(doc: DocumentText, *, storage: Storage, limits: Limits, now: datetime, ocr: bool = True) -> None:
    """Read one document's pages into search entries (replacing any it had). Adds and flushes."""
    from datetime import date

    key, content_type, kind, day = _source(doc)
    if doc.attachment is not None and doc.attachment.content_type == reader.MESSAGE \
            and doc.attachment.communication_id is not None:
        # The mailbox's original of a message it filed: the message's text is searched as the message itself
        # and its attachments as their own documents; read here too, every hit on it would be found twice.
        db.session.execute(delete(SearchEntry).where(SearchEntry.document_id == doc.id))
        doc.pages, doc.pages_read, doc.pages_ocr, doc.pages_unreadable = 1, 1, 0, 0
        _finish(doc, DONE, "searched as the message it is the original of", now)
        return
    redactions = doc.attachment is not None and content_type == reader.PDF and is_from_agency(doc.attachment)
    db.session.execute(delete(SearchEntry).where(SearchEntry.document_id == doc.id))
    doc.pages, doc.pages_read, doc.pages_ocr, doc.pages_unreadable, doc.reason = None, 0, 0, 0, ""
    try:
        path = storage.path(key)
    except ValueError:
        path = None
    if path is None or not path.exists():
        _finish(doc, UNREADABLE, "the stored file is missing", now)
        return
    with tempfile.TemporaryDirectory(prefix="tracker-ocr-") as work:
        # An uploaded .eml (the mailbox's own originals were left above): its attached PDFs are its next pages.
        reading = reader.read(path, content_type, limits, ocr=ocr, redactions=redactions, workdir=Path(work),
                              message_pdfs=content_type == reader.MESSAGE)
        if reading.error:
            _finish(doc, UNREADABLE, reading.error, now)
            return
        if reading.ocr_file is not None:
            old_key = doc.ocr_key
            with open(reading.ocr_file, "rb") as fh:
                doc.ocr_key = storage.save(fh).key  # beside the original, never over it
            if old_key:
                storage.delete(old_key)
    title = doc.label[:TITLE_LENGTH]
    rows = []
    for number, page in enumerate(reading.pages, start=1):
        rows.append({"request_id": doc.request_id, "kind": kind, "document_id": doc.id, "page": number,
                     "occurred_on": date.fromisoformat(day), "title": title, "body": page.text,
                     "source": page.source, "unreadable": page.reason[:500] if not page.text or
                     page.source == "ocr" and page.reason else ""})
    unread = max(reading.total - len(reading.pages), 0)
    if rows:
        db.session.execute(insert(SearchEntry), rows)
    doc.pages = reading.total or len(reading.pages)
    doc.pages_read = sum(1 for r in rows if r["body"] and not r["unreadable"])
    doc.pages_ocr = sum(1 for p in reading.pages if p.source == "ocr" and p.text)
    doc.pages_unreadable = sum(1 for r in rows if r["unreadable"]) + unread
    reasons = sorted({r["unreadable"] for r in rows if r["unreadable"]})
    doc.reason = "; ".join(reading.notes + reasons)[:2000]
    if redactions:
        doc.redaction_checked = True
        doc.redaction_findings = reading.redactions[:200]
    _finish(doc, DONE, doc.reason, now)
    _tell_readers(doc, "\n\n".join(r["body"] for r in rows if r["body"]))


def _tell_readers(doc: DocumentText, text: str) -> None:
    """document_read, its receivers' failures contained: the document stays read whatever they do."""
    if not text.strip():
        return
    try:
        with db.session.begin_nested():
            document_read.send(doc, text=text, ocr_pages=doc.pages_ocr)
    except Exception:  # noqa: BLE001
        log.exception("a document_read receiver failed for document %s", doc.id)


def _finish(doc: DocumentText, state: str, reason: str, now: datetime) -> None:
    doc.state, doc.reason, doc.finished_at = state, reason[:2000], now
    db.session.flush()


def extract_pending(*, storage: Storage, limits: Limits, limit: int | None = None, ocr: bool = True,
                    clock=time.monotonic) -> ExtractResult:
    """Read waiting documents, one transaction each (this commits: it is the job, and the CLI's loop),
    until none is left, `limit` are done or the run's time budget is spent."""
    result = ExtractResult()
    enqueue_missing(now_utc())
    db.session.commit()
    started = clock()
    while limit is None or result.documents < limit:
        if clock() - started > limits.job_seconds and limit is None:
            break
        doc = db.session.scalars(select(DocumentText).where(DocumentText.state == WAITING)
                                 .order_by(DocumentText.id).limit(1)).first()
        if doc is None:
            break
        if doc.attempts >= MAX_ATTEMPTS:
            _finish(doc, UNREADABLE, f"reading stopped {doc.attempts} times without finishing", now_utc())
            db.session.commit()
            result.failed.append(doc.label)
            continue
        doc.attempts += 1
        doc.started_at = now_utc()
        db.session.commit()  # a crash from here on counts as an attempt
        try:
            read_document(doc, storage=storage, limits=limits, now=now_utc(), ocr=ocr)
            db.session.commit()
        except Exception:
            db.session.rollback()
            log.exception("reading document %s failed", doc.id)
            doc = db.session.get(DocumentText, doc.id)
            _finish(doc, UNREADABLE, "reading failed unexpectedly; see the scheduler's log", now_utc())
            db.session.commit()
        result.documents += 1
        if doc.state == UNREADABLE:
            result.failed.append(doc.label)
        result.pages += doc.pages_read
        result.ocr_pages += doc.pages_ocr
        result.unreadable_pages += doc.pages_unreadable
    result.left = db.session.scalar(select(db.func.count()).select_from(DocumentText)
                                    .where(DocumentText.state == WAITING)) or 0
    return result


def requeue(request_id: int | None = None, *, unreadable_only: bool = False) -> int:
    """Mark documents to be read again (after installing a language, raising a limit). Adds and flushes."""
    query = select(DocumentText)
    if request_id is not None:
        query = query.where(DocumentText.request_id == request_id)
    if unreadable_only:
        query = query.where(or_(DocumentText.state == UNREADABLE, DocumentText.pages_unreadable > 0))
    count = 0
    for doc in db.session.scalars(query):
        doc.state, doc.attempts = WAITING, 0
        count += 1
    db.session.flush()
    return count


# --- communications: indexed in the same flush that writes them ---------------------------------------

def _communication_row(comm: Communication) -> dict | None:
    if not (comm.subject or "").strip() and not (comm.body or "").strip():
        return None
    from tracker.documents.worker import clean

    body, _ = clean(comm.body or "", Limits().page_chars)
    return {"request_id": comm.request_id, "kind": "communication", "communication_id": comm.id, "page": None,
            "occurred_on": comm.occurred_on, "title": (comm.subject or "")[:TITLE_LENGTH], "body": body,
            "source": "text", "unreadable": ""}


def _text_changed(comm: Communication) -> bool:
    state = inspect(comm)
    return any(state.attrs[name].history.has_changes()
               for name in ("subject", "body", "occurred_on", "request_id", "request"))


def _after_flush(session: Session, _context) -> None:
    # A communication changed in what it says (or new): another column set (its Message-ID, its event) is not
    # indexed again. One statement for the old entries and one for the new, however many were written.
    new = [obj for obj in session.new if isinstance(obj, Communication) and obj.id is not None]
    changed = [obj for obj in session.dirty if isinstance(obj, Communication) and _text_changed(obj)]
    if not new and not changed:
        return
    connection = session.connection()
    if changed:
        connection.execute(delete(SearchEntry).where(SearchEntry.communication_id.in_([c.id for c in changed])))
    index_new(connection, [*new, *changed])


def index_new(connection, communications: list[Communication]) -> None:
    """Index communications just written (the mail fetch calls it for the rows it writes without a flush)."""
    rows = [row for comm in communications if (row := _communication_row(comm)) is not None]
    if rows:
        connection.execute(insert(SearchEntry), rows)


_installed = False


def install_search_listener() -> None:
    """Index every communication written or changed, in the transaction that writes it."""
    global _installed
    if not _installed:
        event.listen(Session, "after_flush", _after_flush)
        _installed = True
