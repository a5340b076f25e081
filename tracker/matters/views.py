"""OPR matters: the ledger of what remains undisclosed, each matter's page, its sources, the exports."""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from tracker.agencies.models import Agency
from tracker.core.clock import now_utc, today
from tracker.core.errors import TrackerError
from tracker.core.forms import form_status
from tracker.core.handlers import attempt
from tracker.extensions import db
from tracker.ledger import disclosure, export
from tracker.ledger import matter_page as matter_queries
from tracker.ledger import queries as ledger
from tracker.matters import services
from tracker.matters.access import can_change, require_change
from tracker.matters.forms import MatterForm, SourceForm
from tracker.matters.models import Matter, MatterCategory, Source
from tracker.requests.exemptions import EXEMPTIONS
from tracker.requests.status import APPEAL_OUTCOMES, OUTCOMES, STATUSES

bp = Blueprint("matters", __name__)


@bp.get("/matters")
@login_required
def list_matters():
    filters = ledger.LedgerFilters.from_args(request.args)
    data = ledger.ledger(current_user, filters, today(), page=request.args.get("page", 1, type=int))
    agencies = db.session.execute(select(Agency.id, Agency.name, Agency.abbreviation).order_by(Agency.name)).all()
    page = render_template("matters/list.html", ledger=data, filters=filters, states=disclosure.STATES,
                           categories=list(MatterCategory), agencies=agencies, sorts=ledger.SORTS)
    db.session.commit()  # keep the ledger summaries just recomputed (summaries.py); after rendering, which
    return page  # would otherwise read the signed-in user again



# --- exports: one row per matter -------------------------------------------------------------------

def _export_rows() -> tuple[list[dict], ledger.LedgerFilters]:
    filters = ledger.LedgerFilters.from_args(request.args)
    rows = export.rows(current_user, filters, today(),
                       lambda matter_id: url_for("matters.show", matter_id=matter_id, _external=True))
    db.session.commit()  # keep the ledger summaries just recomputed (ledger/summaries.py)
    return rows, filters


@bp.get("/matters/export.csv")
@login_required
def export_csv():
    rows, _filters = _export_rows()
    return Response(export.as_csv(rows), content_type="text/csv; charset=utf-8", headers={
        "Content-Disposition": f"attachment; filename={export.filename(today(), 'csv')}"})


@bp.get("/matters/export.json")
@login_required
def export_json():
    rows, filters = _export_rows()
    return Response(export.as_json(rows, filters, today()), mimetype="application/json", headers={
        "Content-Disposition": f"attachment; filename={export.filename(today(), 'json')}"})


# --- one matter ------------------------------------------------------------------------------------

def _render_show(matter: Matter, *, source_form: SourceForm | None = None, open_form: str = "",
                 override_errors: dict | None = None, status: int = 200):
    day = today()
    requests_ = matter_queries.matter_requests(current_user, matter)
    return render_template(
        "matters/show.html", matter=matter, requests=requests_, statuses=STATUSES,
        row=ledger.matter_row(current_user, matter.id, day), remaining=matter_queries.remaining(requests_, day),
        timeline=matter_queries.timeline(matter, requests_), in_force=matter_queries.in_force,
        request_class=matter_queries.request_class, outcomes={**OUTCOMES, **APPEAL_OUTCOMES}, exemptions=EXEMPTIONS,
        states=disclosure.STATES, source_form=source_form or SourceForm(formdata=None), open_form=open_form,
        override_errors=override_errors or {}, today=day, can_change=can_change(current_user, matter),
    ), status


@bp.get("/matters/<int:matter_id>")
@login_required
def show(matter_id: int):
    return _render_show(db.get_or_404(Matter, matter_id))


@bp.route("/matters/new", methods=["GET", "POST"])
@bp.route("/matters/<int:matter_id>/edit", methods=["GET", "POST"])
@login_required
def edit(matter_id: int | None = None):
    matter = db.get_or_404(Matter, matter_id) if matter_id else None
    if matter is not None:
        require_change(current_user, matter)  # 403 with the reason: its creator and editors only
    form = MatterForm(obj=matter)
    if request.method == "GET" and matter is not None:
        form.category.data = matter.category.value
    if form.validate_on_submit() and (saved := attempt(form, lambda: services.save_matter(
            matter, {name: getattr(form, name).data for name in services.MATTER_FIELDS}, actor=current_user))):
        flash(f"Saved {saved.title}.")
        return redirect(url_for("matters.show", matter_id=saved.id))
    return render_template("matters/form.html", form=form, matter=matter), form_status(form)


@bp.post("/matters/<int:matter_id>/sources")
@login_required
def add_source(matter_id: int):
    matter = db.get_or_404(Matter, matter_id)
    form = SourceForm()
    if form.validate_on_submit() and attempt(form, lambda: services.add_source(
            matter, {name: getattr(form, name).data for name in services.SOURCE_FIELDS})):
        flash("Source added.")
        return redirect(url_for("matters.show", matter_id=matter.id) + "#sources")
    return _render_show(matter, source_form=form, open_form="source", status=422)


@bp.post("/matters/<int:matter_id>/sources/<int:source_id>/delete")
@login_required
def delete_source(matter_id: int, source_id: int):
    source = db.get_or_404(Source, source_id)
    if source.matter_id != matter_id:
        abort(404)
    services.delete_source(source, actor=current_user)
    db.session.commit()
    flash("Source removed.")
    return redirect(url_for("matters.show", matter_id=matter_id) + "#sources")


# --- editor overrides of the derived state ----------------------------------------------------------

@bp.post("/matters/<int:matter_id>/state")
@login_required
def set_state(matter_id: int):
    matter = db.get_or_404(Matter, matter_id)
    try:
        services.set_override(matter, state=request.form.get("state", ""), reason=request.form.get("reason", ""),
                              actor=current_user, now=now_utc())
        db.session.commit()
    except TrackerError as exc:
        db.session.rollback()
        if exc.status == 403:
            raise
        return _render_show(db.get_or_404(Matter, matter_id), open_form="override",
                            override_errors=exc.fields, status=422)
    flash("The state is overridden; the reason is shown beside it.")
    return redirect(url_for("matters.show", matter_id=matter_id) + "#state")


@bp.post("/matters/<int:matter_id>/state/clear")
@login_required
def clear_state(matter_id: int):
    matter = db.get_or_404(Matter, matter_id)
    if services.clear_override(matter, actor=current_user):
        db.session.commit()
        flash("The override is removed: the state is derived from the requests and sources again.")
    return redirect(url_for("matters.show", matter_id=matter_id) + "#state")
