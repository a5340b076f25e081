"""What the global error handler does not add for the API: the Allow header on 405 (clients and tools read it),
and a 409 for a unique constraint that a service's check let through.

The JSON shape itself comes from tracker/core/errorhandlers.py for every path under /api/.
"""

from __future__ import annotations

from flask import Blueprint, Flask, current_app
from sqlalchemy.exc import IntegrityError
from werkzeug.exceptions import MethodNotAllowed

from tracker.core.errorhandlers import error_response
from tracker.extensions import db


def _method_not_allowed(exc: MethodNotAllowed):
    response = error_response(405, "method_not_allowed", "That method is not allowed here.")
    if exc.valid_methods:
        response.headers["Allow"] = ", ".join(sorted(exc.valid_methods))
    return response


def _integrity_error(exc: IntegrityError):
    """A unique constraint the service's own check missed (e.g. a race between two writers): a 409, not a 500."""
    db.session.rollback()
    current_app.logger.warning("integrity error under the API: %s", exc.orig)
    return error_response(409, "conflict", "This conflicts with a record that already exists (a name or number "
                                           "that must be unique). Nothing was saved.")


def init_errors(bp: Blueprint) -> None:
    bp.register_error_handler(IntegrityError, _integrity_error)

    def register(state) -> None:
        app: Flask = state.app
        app.register_error_handler(MethodNotAllowed, _method_not_allowed)

    bp.record_once(register)
