"""Who is calling the API: a personal token (Authorization: Bearer ...), or a logged-in browser session.

The blueprint is exempt from the global CSRF check, and this module puts it back for the session case: only
a request that carries a valid token skips CSRF, because a token is never sent by a browser on its own.
"""

from __future__ import annotations

from flask import Blueprint, g, request
from flask_login import current_user

from tracker.auth import api_tokens
from tracker.auth.models import User
from tracker.core.clock import now_utc
from tracker.core.errors import TrackerError
from tracker.extensions import csrf, db

SAFE_METHODS = ("GET", "HEAD", "OPTIONS", "TRACE")
PUBLIC_ENDPOINTS = {"api.openapi", "api.docs"}


class Unauthenticated(TrackerError):
    status = 401
    code = "unauthenticated"


def _bearer() -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, value = header.partition(" ")
    if not header:
        return None
    if scheme.lower() != "bearer" or not value.strip():
        raise Unauthenticated("Send the token as: Authorization: Bearer <token>.")
    return value.strip()


def authenticate() -> None:
    """Runs before every API view: set g.api_user, or refuse with 401."""
    g.api_user = None
    g.api_token_auth = False
    if request.endpoint in PUBLIC_ENDPOINTS:
        return
    secret = _bearer()
    if secret is not None:
        user = api_tokens.authenticate(secret, now=now_utc())
        if user is None:
            raise Unauthenticated("The token is not valid: it may be mistyped, revoked, or its user deactivated.")
        if db.session.dirty:  # last_used_at refreshed: a small write of the auth layer, committed on its own
            db.session.commit()
            g.pop("db_commit", None)  # bookkeeping, not the caller's write (core/db_faults.py)
        g.api_user = db.session.get(User, user.id)
        g.api_token_auth = True
        return
    if current_user.is_authenticated:
        if request.method not in SAFE_METHODS:
            csrf.protect()  # a browser session keeps CSRF protection: send X-CSRFToken
        g.api_user = current_user._get_current_object()
        return
    raise Unauthenticated("Log in, or send a personal API token: Authorization: Bearer <token>.")


def api_user() -> User:
    return g.api_user


def add_challenge(response):
    if response.status_code == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="tracker"'
    response.headers.setdefault("Cache-Control", "no-store")
    return response


def init_auth(bp: Blueprint) -> None:
    csrf.exempt(bp)
    bp.before_request(authenticate)
    bp.after_request(add_challenge)
