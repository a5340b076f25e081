"""A batch: the requests one reporter drafted in one step, one per agency, sharing the description."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.auth.models import User
from tracker.core.clock import now_utc
from tracker.extensions import db
from tracker.requests.models import RecordsRequest


class RequestBatch(db.Model):
    """The requests drafted together; each keeps its own letter, clock, tracking number and status."""

    __tablename__ = "request_batches"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(300))  # the shared title, as the requests had it when drafted
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))  # the reporter who drafted them
    created_at: Mapped[datetime] = mapped_column(default=now_utc)

    creator: Mapped[User | None] = relationship(foreign_keys=[created_by])
    requests: Mapped[list[RecordsRequest]] = relationship(
        primaryjoin="RequestBatch.id == foreign(RecordsRequest.batch_id)", order_by=RecordsRequest.id, viewonly=True)

    def __repr__(self) -> str:
        return f"<RequestBatch {self.id}>"
