"""Agencies and their FOIA offices: where requests go and where appeals go."""

from __future__ import annotations

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.extensions import db


class Agency(db.Model):
    __tablename__ = "agencies"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(300), unique=True)  # e.g. "ICE FOIA Office"
    abbreviation: Mapped[str] = mapped_column(String(40), default="")  # e.g. "ICE"
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("agencies.id"))  # ICE -> DHS
    jurisdiction: Mapped[str] = mapped_column(String(20), default="US")  # selects the deadline rules
    foia_email: Mapped[str] = mapped_column(String(320), default="")
    portal_url: Mapped[str] = mapped_column(String(500), default="")  # where requests are filed online
    mailing_address: Mapped[str] = mapped_column(Text, default="")
    phone: Mapped[str] = mapped_column(String(60), default="")
    public_liaison: Mapped[str] = mapped_column(Text, default="")  # the FOIA Public Liaison, 552(a)(6)(B)(ii)
    appeal_office: Mapped[str] = mapped_column(String(300), default="")
    appeal_address: Mapped[str] = mapped_column(Text, default="")
    notes: Mapped[str] = mapped_column(Text, default="")  # e.g. "check: appeal address unconfirmed"

    parent: Mapped[Agency | None] = relationship(remote_side=[id])

    @property
    def label(self) -> str:
        return f"{self.name} ({self.abbreviation})" if self.abbreviation else self.name

    def __repr__(self) -> str:
        return f"<Agency {self.name}>"
