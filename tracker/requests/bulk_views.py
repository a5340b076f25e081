"""The bulk bar of the request list: one action on the ticked requests, or on every request matching the
list's filter; all or nothing, then a summary of what changed.

The form posts to /requests/bulk with the list's own query string, so a refusal shows the same list again
(with the refusal's status: 404 for a request the user may not see, 403 for one they may not change, 409 for
one that changed meanwhile) and a success goes back to it."""

from __future__ import annotations

from datetime import datetime

from flask import current_app, flash, redirect, request, url_for
from flask_login import current_user, login_required

from tracker.core.clock import now_utc, today
from tracker.core.errors import TrackerError, ValidationFailed
from tracker.core.storage import storage
from tracker.extensions import db
from tracker.requests import bulk
from tracker.requests.views import bp, filters_from, list_requests_page


def _ids() -> list[int]:
    return [int(v) for v in request.values.getlist("ids") if v.isdigit() and len(v) <= 10]


def _shown_at() -> datetime | None:
    try:
        return datetime.fromisoformat(request.form.get("shown_at", ""))
    except ValueError:
        return None


def _selection() -> tuple[list[int], dict[int, str] | None, datetime | None]:
    """The ticked ids with the version each row carried, or every id matching the list's filter (as of the
    moment the list was shown: a request changed after it is refused)."""
    if request.form.get("scope") == "filter":
        shown_at = _shown_at()
        if shown_at is None:
            raise ValidationFailed("The list is too old to act on: show it again.")
        ids = bulk.ids_matching(current_user, filters_from(request.args))
        expected = request.form.get("total", type=int)
        if expected is not None and expected != len(ids) and len(ids) <= bulk.MAX_SELECTION:
            raise bulk.BulkRefused(f"Nothing was changed: the filter now matches {len(ids)} requests, not the "
                                   f"{expected} you selected. Check the list and select again.")
        return ids, None, shown_at
    ids = _ids()
    versions = {i: request.form[f"v_{i}"] for i in ids if f"v_{i}" in request.form}
    return ids, versions, None


@bp.post("/requests/bulk")
@login_required
def bulk_action():
    job = bulk.Job(actor=current_user, now=now_utc(), today=today(),
                   params={k: request.form.get(k, "") for k in ("owner_id", "matter_id")},
                   storage=storage(), config=current_app.config)
    try:
        ids, versions, shown_at = _selection()
        outcome = bulk.run(request.values.get("action", ""), ids, job, versions=versions, shown_at=shown_at)
        db.session.commit()
    except TrackerError as exc:
        db.session.rollback()
        flash(exc.message, "error")
        return list_requests_page(), exc.status
    flash(outcome.summary)
    letters = outcome.results.get("letter_ids") or []
    if outcome.results.get("agency_letter") and letters:
        return redirect(url_for("letters.show", letter_id=letters[0]))
    return redirect(url_for("requests.list_requests", **request.args.to_dict()))
