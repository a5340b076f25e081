"""Password reset by an emailed link: signed, expiring after an hour, and single-use.

The token carries a fingerprint of the current password hash and session version, so it stops working
the moment it is used (the password changes) or the user logs out everywhere. Nothing is stored.
"""

from __future__ import annotations

import hashlib
from datetime import datetime

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from tracker.auth.models import User
from tracker.core.errors import ValidationFailed
from tracker.extensions import db

MAX_AGE_SECONDS = 3600
SALT = "password-reset"


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def _fingerprint(user: User) -> str:
    return hashlib.sha256(f"{user.password_hash}:{user.session_version}".encode()).hexdigest()[:32]


def make_token(user: User) -> str:
    return _serializer().dumps({"user": user.id, "fp": _fingerprint(user)})


def user_for_token(token: str) -> User:
    """The user the token was made for, if it is still valid; otherwise a message that says why not."""
    try:
        data = _serializer().loads(token, max_age=MAX_AGE_SECONDS)
    except SignatureExpired as exc:
        raise ValidationFailed("This link has expired. Ask for a new one.") from exc
    except BadSignature as exc:
        raise ValidationFailed("This link is not valid. Ask for a new one.") from exc
    user = db.session.get(User, data.get("user")) if isinstance(data, dict) else None
    if user is None or not user.active or data.get("fp") != _fingerprint(user):
        raise ValidationFailed("This link was already used or is no longer valid. Ask for a new one.")
    return user


def reset_password(token: str, password: str) -> User:
    user = user_for_token(token)
    if len(password) < 10:
        raise ValidationFailed("Password too short.", {"password": "Use at least 10 characters."})
    user.set_password(password)
    user.session_version += 1  # other sessions end with the old password
    db.session.flush()
    return user


def reset_email(user: User, link: str, now: datetime) -> dict:
    """What the email says; queued through the outbox by the view."""
    text = (
        f"Hello {user.name},\n\n"
        "Someone (we hope you) asked to reset your password for the records tracker.\n"
        f"Set a new password here within the next hour:\n\n{link}\n\n"
        "The link works once. If you did not ask for it, ignore this email: your password stays as it is.\n"
    )
    html = (
        f"<p>Hello {_escape(user.name)},</p><p>Someone (we hope you) asked to reset your password for the records "
        f'tracker. <a href="{_escape(link)}">Set a new password</a> within the next hour.</p>'
        "<p>The link works once. If you did not ask for it, ignore this email: your password stays as it is.</p>"
    )
    return {"subject": "[FOIA tracker] Reset your password", "text_body": text, "html_body": html,
            "key": f"password-reset:{user.id}:{int(now.timestamp())}"}


def _escape(value: str) -> str:
    from markupsafe import escape

    return str(escape(value))
