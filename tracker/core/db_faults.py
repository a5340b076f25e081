"""Database faults under load: what a request knows about its own commit, and a teardown that never turns a
finished answer into a 500.

- Every commit made while serving a request is noted in `g` (`g.db_commit` is "started", then "done"), so the
  "database unavailable" answer can tell the truth: "nothing was saved" only when nothing was committed;
  "saved" when the commit went through and only the answer after it failed; "may or may not" when the
  connection broke during the commit itself.
- Flask-SQLAlchemy ends the session after the response is built (teardown). If the connection died meanwhile,
  its ROLLBACK raises there, after every error handler, and the WSGI server would replace the finished
  response with a bare 500. The teardown here logs it, throws the broken session away and keeps the answer.
"""

from __future__ import annotations

import logging

from flask import Flask, g, has_request_context
from flask_sqlalchemy.session import Session
from sqlalchemy import event

from tracker.extensions import db

log = logging.getLogger("tracker.db")


def _before_commit(_session) -> None:
    if has_request_context():
        g.db_commit = "started"


def _after_commit(_session) -> None:
    if has_request_context():
        g.db_commit = "done"


def commit_state() -> str:
    """'' (nothing committed in this request), 'started' (a commit broke off) or 'done'."""
    return g.get("db_commit", "") if has_request_context() else ""


def safe_teardown(exc: BaseException | None) -> None:
    try:
        db.session.remove()
    except Exception as exc:  # noqa: BLE001  (a dead connection: the answer is already made, keep it)
        log.warning("the database connection broke while the request was ending; the answer stands: %s",
                    str(exc).splitlines()[0] if str(exc) else type(exc).__name__)
        try:
            db.session.registry().invalidate()  # the connection is unusable: never hand it out again
        except Exception:  # noqa: BLE001, S110
            pass
        db.session.registry.clear()


def init_db_faults(app: Flask) -> None:
    if not event.contains(Session, "before_commit", _before_commit):
        event.listen(Session, "before_commit", _before_commit)
        event.listen(Session, "after_commit", _after_commit)
    funcs = app.teardown_appcontext_funcs
    for index, func in enumerate(funcs):
        if getattr(func, "__func__", None) is type(db)._teardown_session:
            funcs[index] = safe_teardown
