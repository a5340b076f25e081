"""The one door every operation goes through, in the manner of indico's request handler: commit once when
it succeeds; when a service refuses (TrackerError), roll back and show the refusal.

Web views call `attempt(form, operation)`: the refusal's messages land beside the fields they name and the
rest above the form, none dropped. API handlers are wrapped in `@writes`: commit after the handler returns;
a refusal propagates to the error handler, which rolls back and answers the JSON error shape. CLI commands
and jobs use `one_commit()`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from typing import TypeVar

from blinker import Namespace
from flask import Response, current_app

from tracker.core.errors import TrackerError
from tracker.extensions import db

T = TypeVar("T")
_signals = Namespace()
# Sent with an API write's answer just before the write is committed: what must be kept with the answer (the
# Idempotency-Key's stored reply, api/idempotency.py) joins the same commit instead of making one of its own.
answer_ready = _signals.signal("answer-ready")


class Refused:
    """What attempt() returns when the service refused; falsy, so `if result:` reads naturally."""

    def __init__(self, error: TrackerError):
        self.error = error

    def __bool__(self) -> bool:
        return False


@contextmanager
def one_commit() -> Iterator[None]:
    """Commit once when the block finishes; roll back everything if it raises."""
    try:
        yield
    except BaseException:
        db.session.rollback()
        raise
    db.session.commit()


def attempt(form, operation: Callable[[], T]) -> T | Refused:
    """Run a web form's operation: its result, committed; or, when refused, a Refused after the rollback,
    with the messages placed on the form."""
    try:
        result = operation()
        db.session.commit()
        return result
    except TrackerError as exc:
        db.session.rollback()
        place_errors(form, exc)
        return Refused(exc)


def writes(handler: Callable[..., object]) -> Callable[..., Response]:
    """An API handler that changes data: commit once after it returns, its answer (built before the commit, from
    what is in hand) announced by answer_ready first."""
    @wraps(handler)
    def wrapper(*args, **kwargs):
        response = current_app.make_response(handler(*args, **kwargs))
        answer_ready.send(response)
        db.session.commit()
        return response
    wrapper.answer_ready_before_commit = True  # what joins the commit may wait for answer_ready (api/idempotency)
    return wrapper


def place_errors(form, exc: TrackerError) -> None:
    """Show a service's refusal: each message on the field it names; above the form, the refusal's own message
    when no message found its field, then every message that fits no field. Nothing is dropped."""
    loose, placed = [], False
    for name, message in exc.fields.items():
        field = form._fields.get(name)
        if field is not None:
            field.errors = list(field.errors) + [message]
            placed = True
        else:
            loose.append(message)
    for message in ([] if placed else [exc.message]) + loose:
        if message not in form.form_errors:
            form.form_errors.append(message)
