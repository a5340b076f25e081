"""Errors that services raise; views and the API turn them into a message or a 4xx JSON error."""

from __future__ import annotations


class TrackerError(Exception):
    """A refusal a user can act on. `fields` maps a form field to its message."""

    status = 400
    code = "bad_request"

    def __init__(self, message: str, fields: dict[str, str] | None = None):
        super().__init__(message)
        self.message = message
        self.fields = fields or {}


class ValidationFailed(TrackerError):
    status = 422
    code = "validation_failed"


class ActionNotAllowed(TrackerError):
    status = 409
    code = "action_not_allowed"


class Forbidden(TrackerError):
    status = 403
    code = "forbidden"


class NotFound(TrackerError):
    status = 404
    code = "not_found"


class Conflict(TrackerError):
    status = 409
    code = "conflict"
