"""The agency directory: everyone reads it, admins change it."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from tracker import deadlines
from tracker.agencies import services
from tracker.agencies.forms import AgencyForm
from tracker.agencies.models import Agency
from tracker.auth.permissions import require_admin
from tracker.core.errors import TrackerError
from tracker.core.forms import form_status, place_errors
from tracker.extensions import db
from tracker.requests.models import RecordsRequest
from tracker.requests.queries import visible_to

bp = Blueprint("agencies", __name__)


@bp.get("/agencies")
@login_required
def list_agencies():
    return render_template("agencies/list.html", agencies=services.all_agencies())


@bp.get("/agencies/<int:agency_id>")
@login_required
def show(agency_id: int):
    agency = db.get_or_404(Agency, agency_id)
    requests_ = db.session.scalars(
        select(RecordsRequest).where(RecordsRequest.agency_id == agency.id, visible_to(current_user))
        .order_by(RecordsRequest.updated_at.desc())
    ).all()
    jurisdiction = {j.code: j for j in deadlines.jurisdictions()}.get(agency.jurisdiction)
    return render_template("agencies/show.html", agency=agency, requests=requests_, jurisdiction=jurisdiction)


@bp.route("/agencies/new", methods=["GET", "POST"])
@bp.route("/agencies/<int:agency_id>/edit", methods=["GET", "POST"])
@login_required
def edit(agency_id: int | None = None):
    require_admin(current_user)
    agency = db.get_or_404(Agency, agency_id) if agency_id else None
    form = AgencyForm(obj=agency)
    form.parent_id.choices = [(0, "None")] + [(a.id, a.label) for a in services.all_agencies()
                                               if agency is None or a.id != agency.id]
    form.jurisdiction.choices = [(j.code, f"{j.code}: {j.name}") for j in deadlines.jurisdictions()]
    if request.method == "GET" and agency is not None:
        form.parent_id.data = agency.parent_id or 0
    if form.validate_on_submit():
        try:
            data = {name: getattr(form, name).data for name in services.FIELDS}
            agency = services.save_agency(agency, data)
            db.session.commit()
            flash(f"Saved {agency.name}.")
            return redirect(url_for("agencies.show", agency_id=agency.id))
        except TrackerError as exc:
            db.session.rollback()
            place_errors(form, exc)
    return render_template("agencies/form.html", form=form, agency=agency), form_status(form)
