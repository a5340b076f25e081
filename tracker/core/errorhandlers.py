"""Turn refusals and faults into a clear page (or JSON under /api/) with the right status; never a 500
for something a user did."""

from __future__ import annotations

from flask import Flask, g, jsonify, make_response, render_template, request
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import OperationalError
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
        db.session.rollback()
        app.logger.warning("database unavailable: %s", exc)
        # Flask-Login loads the user for every template from the very database that failed: answer as anonymous,
        # on a page without the navigation.
        g._login_user = login_manager.anonymous_user()
        response = error_response(
            503, "database_busy", "The database is busy or unavailable. Nothing was saved; try again in a moment.",
            template="error_unavailable.html",
        )
        response.headers["Retry-After"] = "5"
        return response

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
