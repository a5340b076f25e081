"""Logins the server can end: each login is a row, and the session and remember-me cookies name it.

The cookies carry "user id . session version . login id" (User.get_id). A login is valid while its row is
not ended and the user's session version is unchanged, so:
- logging out ends this login: the copied session cookie and the remember-me cookie stop working at once;
- logging out everywhere (or a new password, or a deactivation) bumps the version and ends them all.
Only a SHA-256 of the login id is stored, so a copy of the database cannot be turned into cookies.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import bindparam, delete, or_, select, update

from tracker.auth.models import User, UserSession
from tracker.extensions import db

# Rows of logins that ended (or older than any remember-me cookie) are deleted as new logins come.
KEEP_ENDED = timedelta(days=30)
LONGEST_LOGIN = timedelta(days=366)

# The user of a live login: built once, as every signed-in request runs it (building it anew cost about as much
# CPU as running it: ~0.45 ms a request).
_LIVE_LOGIN = (select(User).join(UserSession, UserSession.user_id == User.id)
               .where(User.id == bindparam("user_id"), UserSession.id == bindparam("digest"),
                      UserSession.ended_at.is_(None)))


def _digest(login_id: str) -> str:
    return hashlib.sha256(login_id.encode()).hexdigest()


def start(user: User, *, now: datetime) -> str:
    """Record a new login of `user`; returns the login id for the cookies (also set on the user object)."""
    login_id = secrets.token_urlsafe(24)
    db.session.add(UserSession(id=_digest(login_id), user_id=user.id, created_at=now))
    db.session.execute(delete(UserSession).where(
        UserSession.user_id == user.id,
        or_(UserSession.ended_at < now - KEEP_ENDED, UserSession.created_at < now - LONGEST_LOGIN)))
    db.session.flush()
    user.login_session_id = login_id
    return login_id


def end(login_id: str, *, now: datetime) -> bool:
    """End one login (logout). Returns whether a live login was ended."""
    if not login_id:
        return False
    result = db.session.execute(update(UserSession).where(UserSession.id == _digest(login_id),
                                                          UserSession.ended_at.is_(None)).values(ended_at=now))
    return bool(result.rowcount)


def load(cookie_id: str) -> User | None:
    """The user a session or remember-me cookie names, if that login is still live; else None."""
    user_id, _, rest = (cookie_id or "").partition(".")
    version, _, login_id = rest.partition(".")
    if not user_id.isdigit() or not version.isdigit() or not login_id or int(user_id) > 2**31 - 1:
        return None
    user = db.session.scalar(_LIVE_LOGIN, {"user_id": int(user_id), "digest": _digest(login_id)})
    if user is None or not user.active or str(user.session_version) != version:
        return None
    user.login_session_id = login_id
    return user
