"""A published story and its links: to matters, to requests, and to the documents it used."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Column, ForeignKey, Index, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.auth.models import User
from tracker.core.clock import now_utc
from tracker.extensions import db
from tracker.matters.models import Matter
from tracker.requests.models import Attachment, RecordsRequest

story_matters = Table(
    "story_matters",
    db.metadata,
    Column("story_id", ForeignKey("stories.id", ondelete="CASCADE"), primary_key=True),
    Column("matter_id", ForeignKey("matters.id", ondelete="CASCADE"), primary_key=True),
    Index("ix_story_matters_matter_id", "matter_id"),  # the ledger goes from matters to stories
)

story_requests = Table(
    "story_requests",
    db.metadata,
    Column("story_id", ForeignKey("stories.id", ondelete="CASCADE"), primary_key=True),
    Column("request_id", ForeignKey("requests.id", ondelete="CASCADE"), primary_key=True),
    Index("ix_story_requests_request_id", "request_id"),  # a request's page and the ledger
)

story_documents = Table(
    "story_documents",
    db.metadata,
    Column("story_id", ForeignKey("stories.id", ondelete="CASCADE"), primary_key=True),
    Column("attachment_id", ForeignKey("attachments.id", ondelete="CASCADE"), primary_key=True),
    Index("ix_story_documents_attachment_id", "attachment_id"),
)


class Story(db.Model):
    """A story the newsroom published from the records."""

    __tablename__ = "stories"

    id: Mapped[int] = mapped_column(primary_key=True)
    headline: Mapped[str] = mapped_column(String(300))  # as published
    url: Mapped[str] = mapped_column(String(1000))  # where it is published (http or https)
    published_on: Mapped[date] = mapped_column(index=True)  # the newsroom's day it was published
    note: Mapped[str] = mapped_column(Text, default="")  # what the records showed, for colleagues
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))  # who recorded it
    created_at: Mapped[datetime] = mapped_column(default=now_utc)  # when it was recorded
    updated_at: Mapped[datetime] = mapped_column(default=now_utc)  # when it was last changed

    created_by: Mapped[User | None] = relationship()
    matters: Mapped[list[Matter]] = relationship(secondary=story_matters, order_by=Matter.title)
    requests: Mapped[list[RecordsRequest]] = relationship(secondary=story_requests, order_by=RecordsRequest.id)
    documents: Mapped[list[Attachment]] = relationship(secondary=story_documents, order_by=Attachment.id)

    def __repr__(self) -> str:
        return f"<Story {self.id} {self.published_on}>"
