"""What sets this installation apart from every other: a random part, made once and kept in the database.

Reminder Message-IDs carry it, so two newsrooms (or a test copy of one) that happen to hold the same data never
send different mail under the same Message-ID, which mail clients would fold into one.
"""

from __future__ import annotations

import secrets
from datetime import datetime

from sqlalchemy import String, select
from sqlalchemy.orm import Mapped, mapped_column

from tracker.core.clock import now_utc
from tracker.extensions import db


class Installation(db.Model):
    """One row (id 1): this installation's random identity."""

    __tablename__ = "installation"

    id: Mapped[int] = mapped_column(primary_key=True)  # always 1
    message_id_part: Mapped[str] = mapped_column(String(32))  # random hex in every Message-ID this tracker makes
    created_at: Mapped[datetime] = mapped_column(default=now_utc)


def message_id_part() -> str:
    """The installation's random part; made on first use (insert-if-absent, so two processes agree). Read
    through the session's identity map: asked for every mail queued, it costs one query per transaction."""
    row = db.session.get(Installation, 1)
    part = row.message_id_part if row is not None else None
    if part is None:  # the first mail of this installation: make the part (the row is written with the mail)
        if db.session.get_bind().dialect.name == "postgresql":
            from sqlalchemy.dialects.postgresql import insert
        else:
            from sqlalchemy.dialects.sqlite import insert
        db.session.execute(insert(Installation.__table__).on_conflict_do_nothing(), {
            "id": 1, "message_id_part": secrets.token_hex(8), "created_at": now_utc()})
        return db.session.scalar(select(Installation.message_id_part).where(Installation.id == 1))
    return part
