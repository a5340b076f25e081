"""Read-only links to the status board for a wall screen: a random token, revocable by an editor."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.auth.models import User
from tracker.core.clock import now_utc
from tracker.extensions import db


class BoardShare(db.Model):
    """A board link that works without login. Only a hash of the token is stored; the link is shown once."""

    __tablename__ = "board_shares"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)  # SHA-256 hex of the random token
    label: Mapped[str] = mapped_column(String(200))  # e.g. "Newsroom wall screen, 3rd floor"
    filters: Mapped[dict] = mapped_column(JSON, default=dict)  # the board filters this link always shows
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))  # the editor who made the link
    created_at: Mapped[datetime] = mapped_column(default=now_utc)
    last_used_at: Mapped[datetime | None]  # last time a screen opened or refreshed it (to the nearest minutes)
    revoked_at: Mapped[datetime | None]  # set when an editor revokes it; the link then stops working
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))  # the editor who revoked it

    created_by: Mapped[User] = relationship(foreign_keys=[created_by_id])
    revoked_by: Mapped[User | None] = relationship(foreign_keys=[revoked_by_id])

    @property
    def active(self) -> bool:
        return self.revoked_at is None

    def __repr__(self) -> str:
        return f"<BoardShare {self.id} {self.label!r}{' revoked' if self.revoked_at else ''}>"
