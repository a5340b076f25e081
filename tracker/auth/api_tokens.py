"""Personal API tokens: created and revoked by their user, stored only as a SHA-256 hash.

A token is a long random secret, so one fast hash is enough (unlike a password it cannot be guessed from a
list). A token works only while its user is active; deactivating a user revokes all of their tokens for good.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import bindparam, event, inspect, select, update

from tracker.auth.models import ApiToken, User
from tracker.core.clock import now_utc
from tracker.core.converters import MAX_ID
from tracker.core.errors import NotFound, ValidationFailed
from tracker.core.validation import text_errors
from tracker.extensions import db

PREFIX = "trk_"
TOUCH_EVERY = timedelta(minutes=5)  # last_used_at is refreshed at most this often
MAX_ACTIVE_PER_USER = 20
# The token's user, with the few columns of the token that are checked, in one statement, as every API call asks
# for them; built once, not at every call (building it cost ~0.3 ms of CPU a call, about what running it costs).
# The token itself is not loaded as an object (nor joined-eager-loaded): only when its last use is to be noted.
_TOKEN_USER = (select(User, ApiToken.id, ApiToken.revoked_at, ApiToken.last_used_at)
               .join(ApiToken, ApiToken.user_id == User.id)
               .where(ApiToken.token_hash == bindparam("token_hash")))


def hash_token(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()


def create_token(user: User, name: str, *, now: datetime) -> tuple[ApiToken, str]:
    """A new token for `user`; returns the row and the secret, which is shown once and never stored."""
    name = (name or "").strip()
    errors = text_errors(ApiToken, {"name": name})
    if not name:
        errors["name"] = "Give the token a name, e.g. where you will use it."
    if len(tokens_of(user, active_only=True)) >= MAX_ACTIVE_PER_USER:
        errors["name"] = f"You already have {MAX_ACTIVE_PER_USER} active tokens; revoke one first."
    if errors:
        raise ValidationFailed("The token has errors.", errors)
    secret = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user=user, name=name, token_hash=hash_token(secret), hint=secret[: len(PREFIX) + 6],
                     created_at=now)
    db.session.add(token)
    db.session.flush()
    return token, secret


def tokens_of(user: User, *, active_only: bool = False) -> list[ApiToken]:
    query = select(ApiToken).where(ApiToken.user_id == user.id)
    if active_only:
        query = query.where(ApiToken.revoked_at.is_(None))
    return list(db.session.scalars(query.order_by(ApiToken.revoked_at.is_not(None), ApiToken.created_at.desc(),
                                                  ApiToken.id.desc())))


def revoke_token(user: User, token_id: int, *, now: datetime) -> ApiToken:
    """Revoke one of the user's own tokens. Someone else's token is "not found", not "forbidden"."""
    token = db.session.get(ApiToken, token_id) if token_id <= MAX_ID else None
    if token is None or token.user_id != user.id:
        raise NotFound("There is no such token.")
    if token.revoked_at is None:
        token.revoked_at = now
        db.session.flush()
    return token


def authenticate(secret: str, *, now: datetime) -> User | None:
    """The active user whose live token this is, or None. Refreshes last_used_at now and then (not committed)."""
    if not secret or not secret.startswith(PREFIX) or len(secret) > 200:
        return None
    row = db.session.execute(_TOKEN_USER, {"token_hash": hash_token(secret)}).first()
    if row is None:
        return None
    user, token_id, revoked_at, last_used_at = row
    if revoked_at is not None or not user.active:
        return None
    if last_used_at is None or now - last_used_at >= TOUCH_EVERY:
        db.session.get(ApiToken, token_id).last_used_at = now  # left to the caller to commit (the session is dirty)
    return user


@event.listens_for(User, "before_update")
def _revoke_tokens_of_deactivated_user(mapper, connection, user: User) -> None:
    """Whoever deactivates a user (the admin page, the CLI, a script), that user's tokens die in the same flush,
    and stay dead if the account is reactivated."""
    history = inspect(user).attrs.active.history
    if history.has_changes() and user.active is False:
        connection.execute(update(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
                           .values(revoked_at=now_utc()))
