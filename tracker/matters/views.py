"""OPR matters and their sources."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from tracker.core.errors import TrackerError
from tracker.extensions import db
from tracker.matters import services
from tracker.matters.forms import MatterForm, SourceForm
from tracker.matters.models import Matter, Source
from tracker.requests.models import RecordsRequest, request_matters
from tracker.requests.queries import visible_to
from tracker.requests.status import STATUSES

bp = Blueprint("matters", __name__)


def _place_errors(form, exc: TrackerError) -> None:
    for name, message in exc.fields.items():
        field = getattr(form, name, None)
        if field is not None:
            field.errors = list(field.errors) + [message]
        else:
            form.form_errors.append(message)


@bp.get("/matters")
@login_required
def list_matters():
    matters = db.session.scalars(select(Matter).order_by(Matter.title)).all()
    return render_template("matters/list.html", matters=matters)


@bp.get("/matters/<int:matter_id>")
@login_required
def show(matter_id: int):
    matter = db.get_or_404(Matter, matter_id)
    requests_ = db.session.scalars(
        select(RecordsRequest).join(request_matters).where(request_matters.c.matter_id == matter.id,
                                                           visible_to(current_user))
        .order_by(RecordsRequest.created_at)
    ).all()
    return render_template("matters/show.html", matter=matter, requests=requests_, statuses=STATUSES,
                           source_form=SourceForm(formdata=None))


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
    return render_template("matters/form.html", form=form, matter=matter)


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
            _place_errors(form, exc)
    requests_ = []
    return render_template("matters/show.html", matter=matter, requests=requests_, statuses=STATUSES,
                           source_form=form, open_form="source"), 422


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
