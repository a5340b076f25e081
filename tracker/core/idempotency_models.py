"""Stored answers to API writes sent with an Idempotency-Key header (see tracker/api/idempotency.py)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from tracker.core.clock import now_utc
from tracker.extensions import db


class IdempotencyKey(db.Model):
    """One API write made with an Idempotency-Key: written in the same transaction as the write itself, so a
    key is stored exactly when the write was; its answer is added once the answer is built."""

    __tablename__ = "idempotency_keys"
    __table_args__ = (UniqueConstraint("user_id", "key", name="uq_idempotency_keys_user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))  # keys are per caller
    key: Mapped[str] = mapped_column(String(200))  # the client's Idempotency-Key
    method: Mapped[str] = mapped_column(String(10))  # POST, PATCH...
    path: Mapped[str] = mapped_column(String(500))  # the URL path it was sent to
    fingerprint: Mapped[str] = mapped_column(String(64))  # SHA-256 of the method, path and body
    status: Mapped[int | None]  # the first answer's status; NULL while (or if) its answer was not stored
    body: Mapped[str | None] = mapped_column(Text)  # the first answer's JSON body
    location: Mapped[str] = mapped_column(String(500), default="")  # its Location header, if any
    created_at: Mapped[datetime] = mapped_column(default=now_utc)
    expires_at: Mapped[datetime] = mapped_column(index=True)  # after this the key is forgotten
