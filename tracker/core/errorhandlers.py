"""Turn refusals and faults into a clear page (or JSON under /api/) with the right status; never a 500
for something a user did."""

from __future__ import annotations

from flask import Flask, g, jsonify, make_response, render_template, request
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DBAPIError, OperationalError
from werkzeug.exceptions import HTTPException

from tracker.core.errors import TrackerError
from tracker.extensions import db, login_manager


def wants_json() -> bool:
    return request.path.startswith("/api/")


def error_response(status: int, code: str, message: str, fields: dict | None = None,
                   template: str = "error.html"):
    if wants_json():
        body = jsonify({"error": {"code": code, "message": message, "fields": fields or {}}})
    else:
        body = render_template(template, status=status, message=message)
    return make_response(body, status)


def init_errorhandlers(app: Flask) -> None:
    @app.errorhandler(TrackerError)
    def tracker_error(exc: TrackerError):
        db.session.rollback()  # a refused action changes nothing
        return error_response(exc.status, exc.code, exc.message, exc.fields)

    @app.errorhandler(CSRFError)
    def csrf_error(exc: CSRFError):
        return error_response(
            400, "csrf", "The form expired or was sent from elsewhere. Reload the page and try again."
        )

    @app.errorhandler(413)
    def too_large(exc):
        limit = app.config["MAX_CONTENT_LENGTH"] // (1024 * 1024)
        return error_response(413, "too_large", f"The upload is too large: the limit is {limit} MB per request.")

    @app.errorhandler(OperationalError)
    def database_unavailable(exc: OperationalError):
        return _database_unavailable(app, exc)

    @app.errorhandler(DBAPIError)
    def database_error(exc: DBAPIError):
        if not exc.connection_invalidated:  # not a lost connection: a bug, as before
            raise exc
        return _database_unavailable(app, exc)

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        messages = {
            400: "The request could not be understood.",
            403: "You do not have access to this page.",
            404: "There is nothing here. The link may be wrong, or the item was removed.",
            405: "That method is not allowed here.",
        }
        return error_response(exc.code or 500, exc.name.lower().replace(" ", "_"),
                              messages.get(exc.code, exc.description or exc.name))


# What the answer says depends on whether this request's commit went through (core/db_faults.py): a client
# told "nothing was saved" retries, so that must never be said of a write that was committed.
UNAVAILABLE = {
    "": ("database_busy", "The database is busy or unavailable. Nothing was saved; try again in a moment."),
    "started": ("database_lost_during_save",
                "The connection to the database broke while saving: the change may or may not have been saved. "
                "Look before you try again (an API client can resend it with the same Idempotency-Key)."),
    "done": ("saved_answer_incomplete",
             "The change was saved, but the connection to the database broke before the answer was complete. "
             "Do not send it again: reload the page (or read it back with GET) to see it."),
}


def _database_unavailable(app: Flask, exc: Exception):
    from tracker.core.db_faults import commit_state

    try:
        db.session.rollback()
    except Exception:  # noqa: BLE001  (the connection is gone; the teardown throws the session away)
        app.logger.warning("rollback failed on a lost database connection")
    app.logger.warning("database unavailable: %s", exc)
    # Flask-Login loads the user for every template from the very database that failed: answer as anonymous,
    # on a page without the navigation.
    g._login_user = login_manager.anonymous_user()
    code, message = UNAVAILABLE[commit_state() if request.method not in ("GET", "HEAD") else ""]
    response = error_response(503, code, message, template="error_unavailable.html")
    response.headers["Retry-After"] = "5"
    return response
