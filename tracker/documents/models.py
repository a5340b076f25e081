"""The text of stored documents, page by page, and the search index built from it.

DocumentText: one row per stored document (an attachment, or a generated letter's PDF) that says how far its
text extraction got, why pages could not be read, where the OCR'd copy is, and what the redaction check found.
SearchEntry: one row per page of a document, or per communication body: the text the search index reads.
The full-text index itself (SQLite FTS5 table `search_fts`, PostgreSQL column `search_entries.search_vector` and
the index of adjacent word pairs) is made by the migrations and lives outside the metadata: see
tracker/documents/fts.py.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, backref, mapped_column, relationship

from tracker.core.clock import now_utc
from tracker.extensions import db
from tracker.letters.models import Letter
from tracker.requests.models import Attachment, Communication, RecordsRequest

# DocumentText.state
WAITING = "waiting"  # not read yet
DONE = "done"  # every page read, or marked unreadable with its reason
UNREADABLE = "unreadable"  # the document as a whole could not be read (reason says why)
STATES = (WAITING, DONE, UNREADABLE)

# SearchEntry.kind
KINDS = {"document": "Documents", "letter": "Our letters", "communication": "Messages"}


class DocumentText(db.Model):
    """How far the text of one stored document got, and what the redaction check found."""

    __tablename__ = "document_texts"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("requests.id", ondelete="CASCADE"), index=True)
    attachment_id: Mapped[int | None] = mapped_column(ForeignKey("attachments.id", ondelete="CASCADE"),
                                                      unique=True)  # the document, when it is an attachment
    letter_id: Mapped[int | None] = mapped_column(ForeignKey("letters.id", ondelete="CASCADE"),
                                                  unique=True)  # or when it is one of our letters
    state: Mapped[str] = mapped_column(String(20), default=WAITING, index=True)  # see STATES
    pages: Mapped[int | None]  # pages in the document, once known
    pages_read: Mapped[int] = mapped_column(default=0)  # pages with text (text layer or OCR)
    pages_unreadable: Mapped[int] = mapped_column(default=0)  # pages marked unreadable, each with its reason
    pages_ocr: Mapped[int] = mapped_column(default=0)  # pages whose text came from OCR
    reason: Mapped[str] = mapped_column(Text, default="")  # why the document (or some pages) could not be read
    ocr_key: Mapped[str | None] = mapped_column(String(64))  # the OCR'd copy, in core.storage beside the original
    attempts: Mapped[int] = mapped_column(default=0)  # extraction runs started (a crash is not retried forever)
    started_at: Mapped[datetime | None]  # the current or last run began
    finished_at: Mapped[datetime | None]
    redaction_checked: Mapped[bool] = mapped_column(default=False)  # x-ray looked at it (agency PDFs only)
    redaction_findings: Mapped[list] = mapped_column(JSON, default=list)  # [{"page": 4, "text": "..."}]
    created_at: Mapped[datetime] = mapped_column(default=now_utc)

    request: Mapped[RecordsRequest] = relationship()
    attachment: Mapped[Attachment | None] = relationship(
        backref=backref("text_document", uselist=False, cascade="all, delete-orphan"))
    letter: Mapped[Letter | None] = relationship(
        backref=backref("text_document", uselist=False, cascade="all, delete-orphan"))

    @property
    def redaction_pages(self) -> list[int]:
        return sorted({int(f["page"]) for f in self.redaction_findings or []})

    @property
    def label(self) -> str:
        if self.attachment is not None:
            return self.attachment.original_name or f"attachment {self.attachment_id}"
        if self.letter is not None:
            return self.letter.label
        return "document"


class SearchEntry(db.Model):
    """One searchable piece: a page of a document, or the body of a communication."""

    __tablename__ = "search_entries"
    __table_args__ = (Index("ix_search_entries_document_page", "document_id", "page"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("requests.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))  # see KINDS
    document_id: Mapped[int | None] = mapped_column(ForeignKey("document_texts.id", ondelete="CASCADE"))
    communication_id: Mapped[int | None] = mapped_column(ForeignKey("communications.id", ondelete="CASCADE"),
                                                         index=True)
    page: Mapped[int | None]  # 1-based page of the document; None for a communication body
    occurred_on: Mapped[date] = mapped_column(index=True)  # the communication's day, or the upload's
    title: Mapped[str] = mapped_column(String(300), default="")  # file name or subject, shown with a hit
    body: Mapped[str] = mapped_column(Text, default="")  # the page's text
    source: Mapped[str] = mapped_column(String(10), default="text")  # text (layer), ocr, or "" when unreadable
    unreadable: Mapped[str] = mapped_column(String(500), default="")  # why this page has no text

    document: Mapped[DocumentText | None] = relationship(
        backref=backref("entries", cascade="all, delete-orphan", order_by="SearchEntry.page"))
    communication: Mapped[Communication | None] = relationship(
        backref=backref("search_entries", cascade="all, delete-orphan"))
