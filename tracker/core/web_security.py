"""Web-wide protections set up once in create_app: the real client address behind trusted proxies, no caching
of anything a signed-in user or an API caller receives, the session cookie (session_cookie.py), and the
database-fault handling of db_faults.py."""

from __future__ import annotations

from flask import Flask, Response, g, request
from flask_login import AnonymousUserMixin, current_user
from werkzeug.middleware.proxy_fix import ProxyFix


def no_store(response: Response) -> Response:
    """Cache-Control: no-store on every API answer and every page served to a signed-in user: a shared or
    back-button cache must never keep a private request, an audit trail, a letter or a secret feed URL."""
    if request.endpoint == "static":
        return response
    if request.path.startswith("/api/") or _signed_in():
        response.headers["Cache-Control"] = "no-store"
        response.headers.pop("Expires", None)
    return response


def _signed_in() -> bool:
    user = g.get("_login_user")  # the user Flask-Login loaded for this request, if it did
    if user is not None and not isinstance(user, AnonymousUserMixin):
        # Signed in when the request came: asked of the object, a commit made since (a page's audit entry)
        # would have it loaded from the database again for every answer.
        return True
    try:
        return bool(current_user.is_authenticated)
    except Exception:  # noqa: BLE001  (the database failed while loading the user: assume the worst)
        return True


def init_web_security(app: Flask) -> None:
    proxies = int(app.config.get("TRACKER_TRUSTED_PROXIES") or 0)
    if proxies > 0:
        # TRACKER_TRUSTED_PROXIES proxies in front: trust that many X-Forwarded-For / -Proto / -Host entries.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)
    app.after_request(no_store)
    from tracker.core.session_cookie import init_session_cookie

    init_session_cookie(app)  # the signed session cookie re-signed when changed or a minute old, not at every answer
    from tracker.core.db_faults import init_db_faults

    init_db_faults(app)
