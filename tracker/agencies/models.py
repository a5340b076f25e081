"""Agencies and their FOIA offices: where requests go and where appeals go."""

from __future__ import annotations

from datetime import date

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
    mail_domains: Mapped[str] = mapped_column(Text, default="")  # domains its mail comes from, e.g. "ice.dhs.gov"
    portal_only: Mapped[bool] = mapped_column(default=False)  # takes requests only through its portal, not email
    notes: Mapped[str] = mapped_column(Text, default="")  # e.g. "check: appeal address unconfirmed"
    # Days this agency closes that its state's law lets it choose (Texas: optional holidays by name, and its own
    # designated non-business days as YYYY-MM-DD), one per line; the deadline engine counts them as closed.
    observed_days: Mapped[str] = mapped_column(Text, default="")
    # The appeal authority (6 CFR 5.8(a)(1); 28 CFR 16.8(a)): where appeals go when the determination letter
    # names nothing else. appeal_office and appeal_address above; a determination's own instructions win.
    appeal_email: Mapped[str] = mapped_column(String(320), default="")
    appeal_portal_url: Mapped[str] = mapped_column(String(500), default="")  # where appeals are filed online
    appeal_check: Mapped[bool] = mapped_column(default=False)  # the appeal contact is unconfirmed: check it
    # Where expedited-processing requests of category (iv) go (DHS: the Senior Director of FOIA Operations,
    # 6 CFR 5.5(e)(2)); None: to the agency itself.
    expedited_iv_office_id: Mapped[int | None] = mapped_column(ForeignKey("agencies.id"))

    parent: Mapped[Agency | None] = relationship(remote_side=[id], foreign_keys=[parent_id])
    expedited_iv_office: Mapped[Agency | None] = relationship(remote_side=[id], foreign_keys=[expedited_iv_office_id])

    @property
    def domains(self) -> list[str]:
        """The mail domains, lower case: a sender at one of them, or a subdomain, is this agency's."""
        return [d.strip().lower().lstrip("@") for d in self.mail_domains.replace("\n", ",").split(",") if d.strip()]

    @property
    def observes(self) -> list:
        """observed_days as the deadline engine takes them: holiday names, and dates for YYYY-MM-DD lines."""
        return observed_days_list(self.observed_days)

    @property
    def label(self) -> str:
        return label_of(self.name, self.abbreviation)

    def __repr__(self) -> str:
        return f"<Agency {self.name}>"


def label_of(name: str, abbreviation: str) -> str:
    """How an agency is named in menus and pages: "Immigration and Customs Enforcement (ICE)"."""
    return f"{name} ({abbreviation})" if abbreviation else name


def observed_days_list(observed_days: str | None) -> list:
    """An agency's observed_days as the deadline engine takes them: holiday names, and dates for YYYY-MM-DD
    lines (what is neither is passed on as written, for the engine to refuse with a clear message)."""
    out: list = []
    for line in (observed_days or "").splitlines():
        text = line.split("#", 1)[0].strip()
        if not text:
            continue
        try:
            out.append(date.fromisoformat(text[:10]) if text[:4].isdigit() else text)
        except ValueError:
            out.append(text)
    return out
