"""Device cookies (OWASP): a browser that logged in to an account before is known to it.

The cookie is signed with the app's secret and names the account (its lower-case email) and a random nonce.
It proves nothing on its own (the password is still needed); it only decides which failure count a login try
is weighed against (throttle.py). One cookie per browser: it names the account that last logged in there.
"""

from __future__ import annotations

import secrets

from flask import Response, current_app, request
from itsdangerous import BadSignature, URLSafeSerializer

COOKIE = "tracker_device"
SALT = "login-device"
MAX_AGE = 365 * 24 * 3600


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def nonce_for(email: str) -> str:
    """The nonce of this browser's device cookie if it is valid for the account `email`; '' otherwise."""
    raw = request.cookies.get(COOKIE, "")
    if not raw or len(raw) > 1000:
        return ""
    try:
        data = _serializer().loads(raw)
    except BadSignature:
        return ""
    if not isinstance(data, dict) or data.get("e") != (email or "").strip().lower():
        return ""
    nonce = data.get("n")
    return nonce if isinstance(nonce, str) and 0 < len(nonce) <= 64 else ""


def issue(response: Response, email: str, nonce: str = "") -> None:
    """Give the browser a device cookie for `email` (keeping its nonce when it had one for this account)."""
    value = _serializer().dumps({"e": email.strip().lower(), "n": nonce or secrets.token_urlsafe(16)})
    response.set_cookie(COOKIE, value, max_age=MAX_AGE, httponly=True, samesite="Lax",
                        secure=current_app.config.get("SESSION_COOKIE_SECURE", False), path="/")
