"""Read-only links to the status board for a wall screen: a random token, revocable by an editor."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, ForeignKey, Index, String
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


class BoardEntry(db.Model):
    """What the board last counted a request as (tallies.py): the key of its tally, so a change moves one
    count from the old key to the new. No foreign key: a deleted request's entry is read, then removed."""

    __tablename__ = "board_entries"

    request_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)  # the request (no FK, see above)
    status: Mapped[str] = mapped_column(String(30))  # its status when last counted
    private: Mapped[bool]  # whether it was private
    agency_id: Mapped[int]  # its agency
    dated: Mapped[bool]  # whether the deadline its column depends on was set (tallies.day_of)


class BoardTally(db.Model):
    """How many requests have each (status, private, agency, dated): the board's counts read these few rows
    instead of counting requests; kept in the transaction of every change (tallies.py)."""

    __tablename__ = "board_tallies"

    status: Mapped[str] = mapped_column(String(30), primary_key=True)  # a status code
    private: Mapped[bool] = mapped_column(primary_key=True)  # private requests apart: a reporter sees few of them
    agency_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)  # the agency (for its filter)
    dated: Mapped[bool] = mapped_column(primary_key=True)  # the column's deadline is set (overdue is then decidable)
    n: Mapped[int] = mapped_column(default=0)  # how many requests


class BoardFact(db.Model):
    """One thing a request adds to the board's figures over a period of days (windows.py), on the day it
    happened: e.g. that it was received ("requests") on its day of receipt, an initial determination's working
    days ("det_days", "21") on the day it was decided."""

    __tablename__ = "board_facts"
    # A request's facts; with what a reporter's figures read of them (their private requests' facts, counted
    # live), so those are read from the index alone.
    __table_args__ = (Index("ix_board_facts_request_id", "request_id", "day", "kind", "key", "agency_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int]  # the request it comes from (no FK: see BoardEntry)
    private: Mapped[bool]  # whether the request is private
    # the request's owner (of a private one: whose counts in board_owner_window_tallies it is in)
    owner_id: Mapped[int] = mapped_column(default=0, server_default="0")
    agency_id: Mapped[int]  # the request's agency
    day: Mapped[date] = mapped_column(index=True)  # the day it counts on: received_on, or a decided_on
    kind: Mapped[str] = mapped_column(String(20))  # what it is: windows.REQUEST_KINDS or DECISION_KINDS
    key: Mapped[str] = mapped_column(String(100))  # its value: a number of working days, "on_time", an exemption


class BoardWindow(db.Model):
    """A period of days the board keeps figures for (e.g. the 12 months to `as_of`), moved on each new day;
    a row named "rebuild" (left by the migration) has the next read build the facts first."""

    __tablename__ = "board_windows"

    name: Mapped[str] = mapped_column(String(20), primary_key=True)  # windows.WINDOWS, e.g. "d12": decided in 12 months
    as_of: Mapped[date]  # the last day of the period the tallies hold


class BoardWindowTally(db.Model):
    """How many facts of each kind and value fall in a window, per privacy and agency (agency 0: all)."""

    __tablename__ = "board_window_tallies"
    # The scorecards and the 12-month strip read a window's rows per agency and value, summed over privacy: in this
    # order, from the index alone, the database sums them as it reads them (no sort of thousands of rows).
    __table_args__ = (Index("ix_board_window_tallies_by_agency", "window", "agency_id", "kind", "key", "private", "n"),)

    window: Mapped[str] = mapped_column(String(20), primary_key=True)  # BoardWindow.name
    private: Mapped[bool] = mapped_column(primary_key=True)
    agency_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)  # 0: every agency
    kind: Mapped[str] = mapped_column(String(20), primary_key=True)
    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    n: Mapped[int] = mapped_column(default=0)


class BoardOwnerWindowTally(db.Model):
    """The private facts of BoardWindowTally again, per owner: a reporter's figures read their own private requests'
    counts here instead of counting those requests' facts live (a reporter may own thousands)."""

    __tablename__ = "board_owner_window_tallies"

    window: Mapped[str] = mapped_column(String(20), primary_key=True)  # BoardWindow.name
    owner_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)  # the private requests' owner
    agency_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)  # 0: every agency
    kind: Mapped[str] = mapped_column(String(20), primary_key=True)
    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    n: Mapped[int] = mapped_column(default=0)
