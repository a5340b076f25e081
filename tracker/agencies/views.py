"""The agency directory: everyone reads it, admins change it."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from tracker import deadlines
from tracker.agencies import services
from tracker.agencies.forms import AgencyForm
from tracker.agencies.models import Agency
from tracker.agencies.notes import split_notes
from tracker.auth.permissions import require_admin
from tracker.core.forms import form_status
from tracker.core.handlers import attempt
from tracker.extensions import db
from tracker.requests.queries import at_agency
from tracker.requests.status import STATUSES

bp = Blueprint("agencies", __name__)


@bp.get("/agencies")
@login_required
def list_agencies():
    return render_template("agencies/list.html", agencies=services.all_agencies())


@bp.get("/agencies/<int:agency_id>")
@login_required
def show(agency_id: int):
    agency = db.get_or_404(Agency, agency_id)
    requests_ = at_agency(current_user, agency.id)
    jurisdiction = {j.code: j for j in deadlines.jurisdictions()}.get(agency.jurisdiction)
    public_notes, internal_notes = split_notes(agency.notes or "")
    return render_template("agencies/show.html", agency=agency, requests=requests_, jurisdiction=jurisdiction,
                           public_notes=public_notes, internal_notes=internal_notes, statuses=STATUSES)


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
    form.expedited_iv_office_id.choices = [(0, "The agency itself")] + [
        (a.id, a.label) for a in services.all_agencies() if agency is None or a.id != agency.id]
    if request.method == "GET" and agency is not None:
        form.parent_id.data = agency.parent_id or 0
        form.expedited_iv_office_id.data = agency.expedited_iv_office_id or 0
    if form.validate_on_submit():
        data = {name: getattr(form, name).data for name in services.FIELDS}
        if saved := attempt(form, lambda: services.save_agency(agency, data)):
            flash(f"Saved {saved.name}.")
            return redirect(url_for("agencies.show", agency_id=saved.id))
    return render_template("agencies/form.html", form=form, agency=agency), form_status(form)
