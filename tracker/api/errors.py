"""What the global error handler does not add for the API: the Allow header on 405 (clients and tools read it).

The JSON shape itself comes from tracker/core/errorhandlers.py for every path under /api/.
"""

from __future__ import annotations

from flask import Blueprint, Flask
from werkzeug.exceptions import MethodNotAllowed

from tracker.core.errorhandlers import error_response


def _method_not_allowed(exc: MethodNotAllowed):
    response = error_response(405, "method_not_allowed", "That method is not allowed here.")
    if exc.valid_methods:
        response.headers["Allow"] = ", ".join(sorted(exc.valid_methods))
    return response


def init_errors(bp: Blueprint) -> None:
    def register(state) -> None:
        app: Flask = state.app
        app.register_error_handler(MethodNotAllowed, _method_not_allowed)

    bp.record_once(register)
