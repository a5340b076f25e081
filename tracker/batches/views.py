"""Web pages for batches: draft one request to several agencies, see them side by side, act on them all."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from tracker.agencies import queries as agency_queries
from tracker.auth.services import active_user_choices
from tracker.batches import actions, queries, services
from tracker.batches.forms import BatchActionForm, BatchFileForm, BatchForm
from tracker.core.clock import now_utc, today
from tracker.core.errors import NotFound, TrackerError
from tracker.core.forms import form_status
from tracker.core.handlers import attempt, place_errors
from tracker.core.storage import storage
from tracker.extensions import db
from tracker.letters import services as letter_services
from tracker.letters import sources
from tracker.matters import queries as matter_queries

bp = Blueprint("batches", __name__)


def _batch_form() -> BatchForm:
    form = BatchForm()
    form.agency_ids.choices = agency_queries.choices()
    form.matter_ids.choices = matter_queries.choices()
    form.watcher_ids.choices = active_user_choices()
    if request.method == "GET" and request.args.get("matter_id", "").isdigit():
        form.matter_ids.data = [int(request.args["matter_id"])]
    return form


@bp.route("/batches/new", methods=["GET", "POST"])
@login_required
def new_batch():
    form = _batch_form()
    if form.validate_on_submit():
        data = {name: getattr(form, name).data for name in services.SHARED_FIELDS}
        batch = attempt(form, lambda: services.create_batch(
            actor=current_user, now=now_utc(), today=today(), data=data, agency_ids=form.agency_ids.data or [],
            matter_ids=form.matter_ids.data, watcher_ids=form.watcher_ids.data))
        if batch:
            flash(f"{len(batch.requests)} requests drafted, one per agency. Write their letters, then file them.")
            return redirect(url_for("batches.show", batch_id=batch.id))
    return render_template("batches/new.html", form=form), form_status(form)


def _context() -> actions.Context:
    config = current_app.config
    return actions.Context(actor=current_user, now=now_utc(), today=today(), storage=storage(),
                           search=sources.roots(config), letterhead=letter_services.letterhead_from_config(config))


def _render_show(batch, reqs, *, file_form: BatchFileForm | None = None, refusal: str = "", reasons=(),
                 status: int = 200):
    rows = queries.rows(current_user, reqs)
    if file_form is None:
        file_form = BatchFileForm(formdata=None)
        file_form.on.data = today()
    return render_template("batches/show.html", batch=batch, rows=rows, file_form=file_form,
                           actions=actions.ACTIONS, refusal=refusal,
                           reasons=reasons, can_act=any(r.can_act for r in rows), today=today(),
                           drafts=any(r.status == "draft" for r in reqs)), status


@bp.get("/batches/<int:batch_id>")
@login_required
def show(batch_id: int):
    batch, reqs = queries.load(current_user, batch_id, audit_as="view", now=now_utc())
    db.session.commit()
    return _render_show(batch, reqs)


@bp.post("/batches/<int:batch_id>/actions/<action>")
@login_required
def act(batch_id: int, action: str):
    batch, reqs = queries.load(current_user, batch_id)
    if action not in actions.ACTIONS:
        raise NotFound(f"There is no batch action called “{action[:40]}”.")
    form = BatchFileForm() if action == "file" else BatchActionForm()
    if not form.validate_on_submit():
        return _render_show(batch, reqs, file_form=form if action == "file" else None,
                            refusal="The form has expired or has errors; try again.", status=422)
    inp = actions.BatchActionInput(on=form.on.data, channel=form.channel.data or "",
                                   note=form.note.data or "") if action == "file" else actions.BatchActionInput()
    try:
        summary = actions.apply(reqs, action, inp, _context())
        db.session.commit()
    except TrackerError as exc:
        db.session.rollback()
        batch, reqs = queries.load(current_user, batch_id)
        if action == "file":
            place_errors(form, exc)
        reasons = [(r.agency.label, why) for r, why in getattr(exc, "reasons", [])]
        return _render_show(batch, reqs, file_form=form if action == "file" else None,
                            refusal=getattr(exc, "headline", exc.message), reasons=reasons, status=exc.status)
    flash(summary.headline)
    for req, line in summary.changed:
        flash(f"{req.agency.label}: {line}")
    for req, why in summary.skipped:
        flash(f"{req.agency.label}, left as it was: {why}", "warning")
    return redirect(url_for("batches.show", batch_id=batch.id))
