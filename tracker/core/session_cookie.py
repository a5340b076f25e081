"""The signed session cookie, re-signed when it changed or once it is a minute old, not on every response.

A signed-in session is permanent (auth.views.login) and Flask refreshes a permanent session's cookie on every
response (SESSION_REFRESH_EACH_REQUEST): the session serialised as tagged JSON, compressed, signed and sent again,
unchanged but for its timestamp, on every page and every API call that carries the cookie. Here an unchanged
session's cookie is sent again only when the one the browser sent was signed REFRESH_AFTER ago or more: the session
still lasts PERMANENT_SESSION_LIFETIME after the last request (less at most REFRESH_AFTER), and a changed session
(login, logout, a flashed message, a new CSRF token) is sent at once as before. The answer still says
`Vary: Cookie` whenever the cookie would have been refreshed.

Nothing about who is signed in is decided here: the cookie's signature and age are checked as before, and the
login it names is checked against the database on every request (auth.sessions).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from flask import Flask
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface
from itsdangerous import BadSignature, URLSafeTimedSerializer

REFRESH_AFTER = timedelta(seconds=60)


class SessionInterface(SecureCookieSessionInterface):
    def __init__(self) -> None:
        self._serializer: tuple[tuple, URLSafeTimedSerializer | None] | None = None

    def get_signing_serializer(self, app: Flask) -> URLSafeTimedSerializer | None:
        """Flask's serializer, built once per key rather than twice a request."""
        keys = (app.secret_key, tuple(app.config["SECRET_KEY_FALLBACKS"] or ()))
        cached = self._serializer
        if cached is None or cached[0] != keys:
            cached = self._serializer = (keys, super().get_signing_serializer(app))
        return cached[1]

    def open_session(self, app: Flask, request) -> SecureCookieSession | None:
        s = self.get_signing_serializer(app)
        if s is None:
            return None
        val = request.cookies.get(self.get_cookie_name(app))
        if not val:
            return self.session_class()
        max_age = int(app.permanent_session_lifetime.total_seconds())
        try:
            data, signed_at = s.loads(val, max_age=max_age, return_timestamp=True)
        except BadSignature:
            return self.session_class()
        session = self.session_class(data)
        session.signed_at = signed_at  # when the cookie the browser sent was signed
        return session

    def _refreshed_each_request(self, app: Flask, session) -> bool:
        return bool(session.permanent and app.config["SESSION_REFRESH_EACH_REQUEST"])

    def should_set_cookie(self, app: Flask, session) -> bool:
        if session.modified:
            return True
        if not self._refreshed_each_request(app, session):
            return False
        signed_at = getattr(session, "signed_at", None)
        return signed_at is None or datetime.now(UTC) - signed_at >= REFRESH_AFTER

    def save_session(self, app: Flask, session, response) -> None:
        super().save_session(app, session, response)
        if session and self._refreshed_each_request(app, session):
            response.vary.add("Cookie")  # as when the cookie was sent again on every answer


def init_session_cookie(app: Flask) -> None:
    app.session_interface = SessionInterface()
