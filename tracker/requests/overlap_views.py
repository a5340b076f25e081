"""The colleague-overlap warning on the draft form: a JSON endpoint the form asks as the agency, the matters
or the description change, and the Jinja global the form and the draft's page render it with on the server
(so it shows on save, and without JavaScript)."""

from __future__ import annotations

from flask import Blueprint, Flask, jsonify, request, url_for
from flask_login import current_user, login_required

from tracker.core.converters import MAX_ID
from tracker.requests import access
from tracker.requests.overlap import TEXT_LIMIT, Overlap, for_draft, overlaps
from tracker.requests.status import STATUSES

bp = Blueprint("overlaps", __name__)


def overlap_json(o: Overlap) -> dict:
    req = o.request
    return {"id": req.id, "title": req.title, "owner": req.owner.name,
            "status": req.status, "status_label": STATUSES[req.status].label if req.status in STATUSES else req.status,
            "url": url_for("requests.show", request_id=req.id), "matters": o.matters, "shared_words": o.words,
            "reasons": o.reasons}


def _bad(field: str, message: str, status: int = 400):
    response = jsonify({"error": {"code": "bad_request", "message": message, "fields": {field: message}}})
    response.status_code = status
    return response


def _id(text: str | None) -> int | None:
    text = (text or "").strip()
    return int(text) if text.isdecimal() and len(text) < 12 and 0 < int(text) <= MAX_ID else None


@bp.post("/requests/overlaps")
@login_required
def check():
    """Colleagues' open requests to this agency that may overlap the draft in the form (JSON)."""
    form = request.form
    agency_id = _id(form.get("agency_id"))
    if agency_id is None:
        return _bad("agency_id", "Choose an agency: the check compares requests to the same agency.")
    matter_ids = []
    for raw in form.getlist("matter_ids"):
        matter_id = _id(raw)
        if matter_id is None:
            return _bad("matter_ids", "The matters are not valid ids.")
        matter_ids.append(matter_id)
    description = form.get("records_description") or ""
    if len(description) > TEXT_LIMIT:
        return _bad("records_description", f"The description is longer than {TEXT_LIMIT:,} characters.")
    owner_id = exclude_id = None
    if form.get("request_id"):
        request_id = _id(form.get("request_id"))
        if request_id is None:
            return _bad("request_id", "The request id is not valid.", 404)
        req = access.load(current_user, request_id, act=True)  # 404 or 403, as the edit page
        owner_id, exclude_id = req.owner_id, req.id
    found = overlaps(current_user, agency_id=agency_id, description=description, matter_ids=matter_ids,
                     owner_id=owner_id, exclude_id=exclude_id)
    return jsonify({"count": len(found), "overlaps": [overlap_json(o) for o in found]})


def draft_overlaps(form=None, req=None) -> list[dict]:
    """For templates: the overlaps of the draft in this form (its current data) or of this saved draft."""
    if req is not None and req.status != "draft":
        return []
    if form is not None:
        agency_id = _id(str(form.agency_id.data or ""))  # the form's data, checked or not: a bounded id or none
        if agency_id is None:
            return []
        found = overlaps(current_user, agency_id=agency_id, description=form.records_description.data or "",
                         matter_ids=[i for i in (_id(str(m)) for m in (form.matter_ids.data or [])) if i],
                         owner_id=req.owner_id if req is not None else None,
                         exclude_id=req.id if req is not None else None)
    elif req is not None:
        found = for_draft(current_user, req)
    else:
        return []
    return [overlap_json(o) for o in found]


def init_overlap_views(app: Flask) -> None:
    app.register_blueprint(bp)
    app.jinja_env.globals.update(draft_overlaps=draft_overlaps)
