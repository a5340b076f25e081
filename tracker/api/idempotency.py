"""Idempotency-Key on API writes: a client that retries a write (after a timeout, a dropped connection, a 503)
sends the same key, and gets the first answer back instead of the write being done twice.

The key's row is committed in the same transaction as the write itself: a key is stored exactly when its write
was. A handler wrapped in core.handlers.writes builds its answer before that commit, and the key's row joins the
session then, with the answer in it (answer_ready): one INSERT. Any other write's key joins the session before
the handler runs, and its answer is stored after its commit (a second, small commit). Keys are per caller and
forgotten after KEEP.

A retry with a stored key:
- same method, path and body, answer stored: the first answer again, with `Idempotent-Replayed: true`;
- same request, answer not stored (the connection broke after the write was saved): 409, "already done";
- a different request under the same key: 422.
A write that was refused or failed (nothing committed) leaves no key: a retry does it afresh.
"""

from __future__ import annotations

import hashlib
import logging
from datetime import datetime, timedelta

from flask import Blueprint, Response, current_app, g, has_request_context, request
from sqlalchemy import delete, inspect, select, update

from tracker.api.auth import api_user
from tracker.core.clock import now_utc
from tracker.core.db_faults import commit_state
from tracker.core.errors import Conflict, TrackerError, ValidationFailed
from tracker.core.handlers import answer_ready
from tracker.core.idempotency_models import IdempotencyKey
from tracker.extensions import db

HEADER = "Idempotency-Key"
WRITES = ("POST", "PUT", "PATCH", "DELETE")
KEEP = timedelta(hours=24)
LONGEST_KEY = 200
LARGEST_ANSWER = 1024 * 1024
SWEEP_EVERY = timedelta(minutes=10)
_next_sweep: datetime | None = None  # when this process next deletes expired keys
log = logging.getLogger("tracker.api")


def _fingerprint() -> str:
    digest = hashlib.sha256(f"{request.method} {request.full_path}\n".encode())
    digest.update(request.get_data(cache=True))
    return digest.hexdigest()


def _replay(row: IdempotencyKey) -> Response:
    response = Response(row.body or "", status=row.status, mimetype="application/json")
    response.headers["Idempotent-Replayed"] = "true"
    if row.location:
        response.headers["Location"] = row.location
    return response


def before_write():
    """Runs after authentication on every API request."""
    g.pop("db_commit", None)  # the auth layer's own bookkeeping commit is not the caller's write
    key = request.headers.get(HEADER)
    if request.method not in WRITES or key is None or g.get("api_user") is None:
        return None
    if not 0 < len(key) <= LONGEST_KEY or not key.isascii() or not key.isprintable():
        raise TrackerError(f"The {HEADER} header must be 1 to {LONGEST_KEY} printable ASCII characters.",
                           {HEADER: "Use a fresh random value (a UUID, say) for each write, and the same one "
                                    "for its retries."})
    now, user = now_utc(), api_user()
    row = db.session.scalar(select(IdempotencyKey).where(IdempotencyKey.user_id == user.id,
                                                         IdempotencyKey.key == key))
    if row is not None and row.expires_at <= now:
        db.session.delete(row)
        db.session.flush()
        row = None
    if row is not None:
        if row.fingerprint != _fingerprint():
            raise ValidationFailed(f"This {HEADER} was used for a different request; use a new key for a new "
                                   "write.", {HEADER: "Already used for a different request."})
        if row.status is None:
            raise Conflict(f"The write sent with this {HEADER} was already carried out, but its answer could not be "
                           "kept. Do not send it again: read the result with GET.")
        return _replay(row)
    _sweep_expired(now)
    g.idempotency_row = IdempotencyKey(user_id=user.id, key=key, method=request.method, path=request.path[:500],
                                       fingerprint=_fingerprint(), location="", created_at=now,
                                       expires_at=now + KEEP)
    view = current_app.view_functions.get(request.endpoint)
    if not getattr(view, "answer_ready_before_commit", False):
        db.session.add(g.idempotency_row)  # else added with its answer (keep_with_write), inserted once
    return None


def _sweep_expired(now: datetime) -> None:
    """Delete expired keys, at most once per SWEEP_EVERY in each process: a statement on every write would be
    housekeeping paid by every caller. An expired key is never used meanwhile: its lookup deletes it first."""
    global _next_sweep
    if _next_sweep is not None and now < _next_sweep:
        return
    db.session.execute(delete(IdempotencyKey).where(IdempotencyKey.expires_at < now))
    _next_sweep = now + SWEEP_EVERY


def _kept(response: Response) -> str | None:
    """The answer's body as a key keeps it; None for an answer that is not kept (a failure, a file, too large)."""
    if response.status_code >= 500 or response.is_streamed or response.mimetype != "application/json":
        return None
    body = response.get_data(as_text=True)
    return body if len(body) <= LARGEST_ANSWER else None


def keep_with_write(response: Response) -> None:
    """The key's row, with the answer set on it, added just before the write's commit, so both are saved by that
    one commit (a row with no answer when the answer is not kept: a retry is told the write was done)."""
    row = g.pop("idempotency_row", None) if has_request_context() else None
    if row is None:
        return
    body = _kept(response)
    if body is not None:
        row.status, row.body = response.status_code, body
        row.location = (response.headers.get("Location") or "")[:500]
    db.session.add(row)


def after_write(response: Response) -> Response:
    """Keep the answer with its key, once the write it answers was committed (a write whose handler is not
    wrapped in core.handlers.writes: the others' answers were kept in their own commit)."""
    row = g.pop("idempotency_row", None)
    if row is None or commit_state() != "done":
        return response
    body = _kept(response)
    if body is None:
        return response
    identity = inspect(row).identity  # known without loading the row again, which the commit expired
    if identity is None:
        return response
    try:
        db.session.execute(update(IdempotencyKey).where(IdempotencyKey.id == identity[0]).values(
            status=response.status_code, body=body, location=(response.headers.get("Location") or "")[:500]))
        db.session.commit()
    except Exception:  # noqa: BLE001  (the write stands; a retry is told it was done)
        log.warning("could not keep the answer for an Idempotency-Key", exc_info=True)
        try:
            db.session.rollback()
        except Exception:  # noqa: BLE001, S110
            pass
    return response


def init_idempotency(bp: Blueprint) -> None:
    bp.before_request(before_write)
    bp.after_request(after_write)
    answer_ready.connect(keep_with_write)
