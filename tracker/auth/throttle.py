"""Login throttling: too many failures for one account, or from one address, wait before trying again."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, func, or_, select

from tracker.auth.models import LoginFailure
from tracker.extensions import db

WINDOW = timedelta(minutes=15)
MAX_PER_ACCOUNT = 5
MAX_PER_ADDRESS = 20


def wait_needed(email: str, address: str, now: datetime) -> timedelta | None:
    """How long to wait before the next try, or None when a try is allowed."""
    since = now - WINDOW
    email = (email or "").strip().lower()
    per_account = db.session.scalar(
        select(func.count()).where(LoginFailure.email == email, LoginFailure.at > since)
    )
    per_address = db.session.scalar(
        select(func.count()).where(LoginFailure.address == address, LoginFailure.at > since)
    )
    if per_account < MAX_PER_ACCOUNT and per_address < MAX_PER_ADDRESS:
        return None
    oldest = db.session.scalar(
        select(func.min(LoginFailure.at)).where(
            or_(LoginFailure.email == email, LoginFailure.address == address), LoginFailure.at > since
        )
    )
    return max((oldest + WINDOW) - now, timedelta(minutes=1))


def record_failure(email: str, address: str, now: datetime) -> None:
    db.session.add(LoginFailure(email=(email or "").strip().lower()[:320], address=address[:64], at=now))
    # Old rows are useless; forget them as we go.
    db.session.execute(delete(LoginFailure).where(LoginFailure.at < now - 4 * WINDOW))
    db.session.flush()


def clear_failures(email: str) -> None:
    db.session.execute(delete(LoginFailure).where(LoginFailure.email == (email or "").strip().lower()))
