"""Read-only board links for wall screens: made and revoked by editors; only the token's hash is kept."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import select

from tracker.auth.models import User
from tracker.auth.permissions import require_editor
from tracker.board.models import BoardShare
from tracker.core.errors import NotFound, ValidationFailed
from tracker.core.validation import text_errors
from tracker.extensions import db

TOKEN_BYTES = 32  # 256 bits of randomness: unguessable
TOUCH_EVERY = timedelta(minutes=10)  # how often a screen's visit is written down (not at every refresh)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_share(*, actor: User, now: datetime, label: str, filters: dict | None = None) -> tuple[BoardShare, str]:
    """A new link; returns the share and the token, which is shown once and never stored."""
    require_editor(actor)
    label = (label or "").strip()
    errors = text_errors(BoardShare, {"label": label})
    if not label:
        errors["label"] = "Name the screen or place this link is for, e.g. “Newsroom wall, 3rd floor”."
    if errors:
        raise ValidationFailed("The link has errors.", errors)
    token = secrets.token_urlsafe(TOKEN_BYTES)
    share = BoardShare(token_hash=token_hash(token), label=label, filters=dict(filters or {}),
                       created_by_id=actor.id, created_at=now)
    db.session.add(share)
    db.session.flush()
    return share, token


def revoke_share(share: BoardShare, *, actor: User, now: datetime) -> None:
    require_editor(actor)
    if share.revoked_at is None:
        share.revoked_at = now
        share.revoked_by_id = actor.id
        db.session.flush()


def share_for_token(token: str, *, now: datetime) -> BoardShare:
    """The active share of a token, noting (at most every few minutes) that a screen used it.
    A wrong or revoked token is NotFound: nothing tells a guesser which tokens once existed."""
    if not token or len(token) > 200:
        raise NotFound("This board link does not work. It may have been revoked; ask an editor for a new one.")
    share = db.session.scalar(select(BoardShare).where(BoardShare.token_hash == token_hash(token)))
    if share is None or share.revoked_at is not None:
        raise NotFound("This board link does not work. It may have been revoked; ask an editor for a new one.")
    if share.last_used_at is None or now - share.last_used_at >= TOUCH_EVERY:
        share.last_used_at = now
        db.session.flush()
    return share


def list_shares() -> list[BoardShare]:
    return list(db.session.scalars(select(BoardShare).order_by(BoardShare.revoked_at.is_not(None),
                                                               BoardShare.created_at.desc())))
