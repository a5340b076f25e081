"""The Vaughn index page of one determination: its documents, and a form to add more (they often come later,
for instance in litigation)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from tracker.core.clock import now_utc
from tracker.core.handlers import Refused, attempt
from tracker.extensions import db
from tracker.requests import access, documents
from tracker.requests.exemptions import EXEMPTIONS
from tracker.requests.forms import VaughnForm
from tracker.requests.models import Determination, DeterminationDocument
from tracker.requests.status import APPEAL_OUTCOMES, OUTCOMES

bp = Blueprint("documents", __name__)


def _load(request_id: int, determination_id: int, *, act: bool = False) -> Determination:
    req = access.load(current_user, request_id, act=act)
    determination = db.session.get(Determination, determination_id)
    if determination is None or determination.request_id != req.id:
        abort(404)
    return determination


def _render(determination: Determination, form: VaughnForm, status: int = 200):
    docs = determination.documents
    totals = {name: sum(getattr(d, name) or 0 for d in docs) for name in ("pages", "withheld_in_full",
                                                                          "withheld_in_part")}
    return render_template("requests/documents.html", determination=determination, req=determination.request,
                           docs=docs, totals=totals, form=form, exemptions=EXEMPTIONS,
                           outcomes={**OUTCOMES, **APPEAL_OUTCOMES},
                           can_act=access.can_act(current_user, determination.request)), status


@bp.route("/requests/<int:request_id>/determinations/<int:determination_id>/documents", methods=["GET", "POST"])
@login_required
def index(request_id: int, determination_id: int):
    determination = _load(request_id, determination_id)
    form = VaughnForm()
    if form.is_submitted():
        access.check(current_user, determination.request, act=True)
    if form.validate_on_submit():
        made = attempt(form, lambda: documents.add_documents(determination, documents.rows_from_form(form.documents),
                                                             actor=current_user, now=now_utc()))
        if made is not None and not isinstance(made, Refused):
            flash(f"Added {len(made)} document(s) to the index." if made else "No rows were filled in.")
            return redirect(url_for("documents.index", request_id=request_id, determination_id=determination_id))
        form.documents.errors = list(form.documents.errors) + form.form_errors
    return _render(determination, form, 422 if form.is_submitted() else 200)


@bp.post("/requests/<int:request_id>/determinations/<int:determination_id>/documents/<int:document_id>/delete")
@login_required
def delete(request_id: int, determination_id: int, document_id: int):
    determination = _load(request_id, determination_id, act=True)
    document = db.session.get(DeterminationDocument, document_id)
    if document is None or document.determination_id != determination.id:
        abort(404)
    documents.delete_document(document, actor=current_user, now=now_utc())
    db.session.commit()
    flash("Document removed from the index.")
    return redirect(url_for("documents.index", request_id=request_id, determination_id=determination_id))
