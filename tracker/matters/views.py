"""OPR matters: the ledger of what remains undisclosed, each matter's page, its sources, the exports."""

from __future__ import annotations

import csv
import io
import json

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from tracker.agencies.models import Agency
from tracker.core.clock import now_utc, today
from tracker.core.errors import TrackerError
from tracker.core.forms import form_status
from tracker.extensions import db
from tracker.imports.values import guard
from tracker.matters import disclosure, ledger, services
from tracker.matters import queries as matter_queries
from tracker.matters.forms import MatterForm, SourceForm
from tracker.matters.models import Matter, MatterCategory, Source
from tracker.requests.exemptions import EXEMPTIONS
from tracker.requests.status import APPEAL_OUTCOMES, OUTCOMES, STATUSES

bp = Blueprint("matters", __name__)


def _place_errors(form, exc: TrackerError) -> None:
    """Each message on its field, or above the form; a refusal that names no field, its own message."""
    for name, message in exc.fields.items():
        field = getattr(form, name, None)
        if field is not None:
            field.errors = list(field.errors) + [message]
        else:
            form.form_errors.append(message)
    if not exc.fields:
        form.form_errors.append(exc.message)


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

CSV_COLUMNS = (
    ("id", "Matter ID"), ("title", "Matter"), ("category_label", "Category"), ("place", "Place"),
    ("opr_case_number", "OPR case number"), ("state_label", "Disclosure state"),
    ("derived_state_label", "Derived state"), ("override_reason", "Editor's reason for the state"),
    ("why", "Why"), ("first_requested_on", "First requested"),
    ("undisclosed_days", "Days undisclosed since first requested"),
    ("pending_working_days", "Working days the oldest pending request has waited"),
    ("disclosed_on", "Disclosed on"), ("requests_sent", "Requests sent"), ("requests_pending", "Pending"),
    ("requests_withheld", "Denied or no records"), ("requests_released_in_part", "Released in part"),
    ("requests_released_in_full", "Released in full"), ("pages_released", "Pages released"),
    ("pages_withheld", "Pages withheld"), ("exemptions_cited", "Exemptions in force"), ("url", "Link"),
)


def _flat(row: dict) -> dict:
    flat = dict(row)
    flat["override_reason"] = row["override"]["reason"] if row["override"] else ""
    for key, value in row["requests"].items():
        flat[f"requests_{key}"] = value
    flat["url"] = url_for("matters.show", matter_id=row["id"], _external=True)
    return flat


def _cell(value) -> str:
    """A CSV cell; text that a spreadsheet would run as a formula is quoted with a leading apostrophe, as in
    every export (imports.values.guard, which the CSV import undoes)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return guard(value)
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


@bp.get("/matters/export.csv")
@login_required
def export_csv():
    rows = ledger.ledger_rows(current_user, ledger.LedgerFilters.from_args(request.args), today())
    db.session.commit()  # keep the ledger summaries just recomputed (summaries.py)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([label for _key, label in CSV_COLUMNS])
    for row in rows:
        flat = _flat(row)
        writer.writerow([_cell(flat.get(key)) for key, _label in CSV_COLUMNS])
    body = "\ufeff" + out.getvalue()  # the byte-order mark makes spreadsheets read UTF-8
    return Response(body, mimetype="text/csv; charset=utf-8", headers={
        "Content-Disposition": f"attachment; filename=opr-matters-ledger-{today().isoformat()}.csv"})


@bp.get("/matters/export.json")
@login_required
def export_json():
    filters = ledger.LedgerFilters.from_args(request.args)
    rows = [ledger.jsonable({**row, "url": url_for("matters.show", matter_id=row["id"], _external=True)})
            for row in ledger.ledger_rows(current_user, filters, today())]
    db.session.commit()  # keep the ledger summaries just recomputed (summaries.py)
    body = json.dumps({"as_of": today().isoformat(), "filters": filters.as_args(), "count": len(rows),
                       "states": disclosure.STATES, "matters": rows}, ensure_ascii=False, indent=1)
    return Response(body, mimetype="application/json", headers={
        "Content-Disposition": f"attachment; filename=opr-matters-ledger-{today().isoformat()}.json"})


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
        override_errors=override_errors or {}, today=day,
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
    form = MatterForm(obj=matter)
    if request.method == "GET" and matter is not None:
        form.category.data = matter.category.value
    if form.validate_on_submit():
        try:
            matter = services.save_matter(matter, {name: getattr(form, name).data for name in services.MATTER_FIELDS})
            db.session.commit()
            flash(f"Saved {matter.title}.")
            return redirect(url_for("matters.show", matter_id=matter.id))
        except TrackerError as exc:
            db.session.rollback()
            _place_errors(form, exc)
    return render_template("matters/form.html", form=form, matter=matter), form_status(form)


@bp.post("/matters/<int:matter_id>/sources")
@login_required
def add_source(matter_id: int):
    matter = db.get_or_404(Matter, matter_id)
    form = SourceForm()
    if form.validate_on_submit():
        try:
            services.add_source(matter, {name: getattr(form, name).data for name in services.SOURCE_FIELDS})
            db.session.commit()
            flash("Source added.")
            return redirect(url_for("matters.show", matter_id=matter.id) + "#sources")
        except TrackerError as exc:
            db.session.rollback()
            matter = db.get_or_404(Matter, matter_id)
            _place_errors(form, exc)
    return _render_show(matter, source_form=form, open_form="source", status=422)


@bp.post("/matters/<int:matter_id>/sources/<int:source_id>/delete")
@login_required
def delete_source(matter_id: int, source_id: int):
    source = db.get_or_404(Source, source_id)
    if source.matter_id != matter_id:
        abort(404)
    if not current_user.is_editor:
        abort(403)
    services.delete_source(source)
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
