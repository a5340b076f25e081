"""The status letter per agency, from the agency's page (every pending request the user may act on) or from the
request list's bulk bar (the selected ones): the form, a live preview, then one letter stored with each."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from tracker.agencies.models import Agency
from tracker.core.clock import now_utc, today
from tracker.core.errors import TrackerError
from tracker.core.handlers import attempt
from tracker.core.storage import storage
from tracker.extensions import db
from tracker.letters import agency_letter, services, sources
from tracker.letters.forms import LetterForm
from tracker.letters.views import bp
from tracker.requests.access import MAX_ID


def _ids() -> list[int] | None:
    """The requests chosen on the list page (?ids=1,2,3), or None for every pending one."""
    raw = request.values.get("ids", "")
    if not raw:
        return None
    return [int(p) for p in raw.split(",") if p.strip().isdigit() and 0 < int(p) <= MAX_ID][:agency_letter.MAX_REQUESTS]


@bp.route("/agencies/<int:agency_id>/status-letter", methods=["GET", "POST"])
@login_required
def agency_status(agency_id: int):
    agency = db.get_or_404(Agency, agency_id)
    ids = _ids()
    reqs = agency_letter.open_requests(current_user, agency, ids)
    form = LetterForm()
    problems: list[str] = []
    status = 200
    search = sources.roots(current_app.config)
    letterhead = services.letterhead_from_config(current_app.config)
    if request.method == "GET":
        form.load(agency_letter.default_options(agency, current_user))
        options = form.options({})
    else:
        valid = form.validate_on_submit()
        options = form.options({})
        if not valid:
            status = 422
        elif request.form.get("do") == "generate":
            letters = attempt(form, lambda: agency_letter.generate(
                reqs, options, actor=current_user, now=now_utc(), today=today(), storage=storage(),
                search=search, letterhead=letterhead))
            if letters:
                flash(f"One status letter to {agency.abbreviation or agency.name} written, naming "
                      f"{len(letters)} request{'s' if len(letters) != 1 else ''}; a copy is stored with each.")
                return redirect(url_for("letters.show", letter_id=letters[0].id))
            problems = list(form.form_errors)
            status = 422
    html, missing = None, []
    try:
        html, missing = agency_letter.preview(reqs, options, today=today(), search=search, letterhead=letterhead)
    except TrackerError as exc:
        problems.append(exc.message)
        status = 422
    return render_template("letters/agency_status.html", agency=agency, reqs=reqs, form=form, html=html,
                           missing=missing, problems=problems, ids=",".join(map(str, ids)) if ids else "",
                           chosen=ids is not None, today=today(),
                           private_left_out=agency_letter.private_left_out(current_user, agency, ids),
                           rows={r.id: agency_letter.row(r, today()) for r in reqs}), status
