"""Spreadsheet imports: an uploaded file on its way in (mapping, dry run, import), and saved mappings."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.auth.models import User
from tracker.core.clock import now_utc
from tracker.extensions import db


class ImportUpload(db.Model):
    """One uploaded CSV file and where its import stands."""

    __tablename__ = "import_uploads"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)  # who uploaded
    filename: Mapped[str] = mapped_column(String(255))  # the file's name as uploaded, sanitised (a label only)
    storage_key: Mapped[str] = mapped_column(String(64))  # the bytes, in the attachment storage
    size: Mapped[int]  # bytes
    encoding: Mapped[str] = mapped_column(String(20))  # how the file was read: utf-8, windows-1252...
    headers: Mapped[list] = mapped_column(JSON, default=list)  # the header row, as read
    row_count: Mapped[int]  # data rows (blank lines not counted)
    mapping: Mapped[dict] = mapped_column(JSON, default=dict)  # the mapping in use (see mapping.py)
    report: Mapped[dict] = mapped_column(JSON, default=dict)  # the last dry run's or import's report
    status: Mapped[str] = mapped_column(String(20), default="uploaded")  # uploaded, checked, imported
    created_at: Mapped[datetime] = mapped_column(default=now_utc)
    updated_at: Mapped[datetime] = mapped_column(default=now_utc)
    imported_at: Mapped[datetime | None]  # when its requests were imported (then it cannot run again)

    user: Mapped[User] = relationship()


class ImportMapping(db.Model):
    """A mapping saved under a name, shared by the newsroom, for spreadsheets that come back every month."""

    __tablename__ = "import_mappings"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)  # e.g. "Data desk tracking sheet"
    mapping: Mapped[dict] = mapped_column(JSON, default=dict)  # the mapping (see mapping.py)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(default=now_utc)  # last saved

    created_by: Mapped[User | None] = relationship()
