"""Web pages for records requests: list, create, edit, the request page, actions, documents."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, send_file, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from tracker.agencies.models import Agency
from tracker.auth.permissions import can_act_on_request, require_act, require_editor, require_view
from tracker.auth.services import active_users
from tracker.core.clock import now_utc, today
from tracker.core.errors import TrackerError
from tracker.core.forms import form_status, place_errors
from tracker.core.storage import DirectoryStorage
from tracker.extensions import db
from tracker.matters.models import Matter
from tracker.requests import audit, documents, due_dates, lifecycle, services
from tracker.requests.exemptions import EXEMPTIONS
from tracker.requests.forms import ActionForm, CommunicationForm, RequestForm, UploadForm
from tracker.requests.models import Attachment, RecordsRequest
from tracker.requests.queries import SORTS, RequestFilters, list_requests, timeline
from tracker.requests.status import (
    ACTIONS,
    APPEAL_OUTCOMES,
    CHANNELS,
    FEE_CATEGORIES,
    OUTCOMES,
    STATUSES,
    allowed_actions,
)

bp = Blueprint("requests", __name__)

# The fields each action asks for, in the order shown.
ACTION_FIELDS = {
    "file": ["on", "channel", "received_on", "tracking_number"],
    "acknowledge": ["on", "tracking_number", "received_on"],
    "request_clarification": ["on", "our_answer_due_on"],
    "answer_clarification": ["on"],
    "fee_estimate": ["on", "amount", "our_answer_due_on"],
    "fee_agreed": ["on", "amount"],
    "extend": ["on"],
    "determine": ["on", "outcome", "exemptions", "pages_released", "pages_withheld"],
    "appeal": ["on", "tracking_number"],
    "appeal_extend": ["on"],
    "decide_appeal": ["on", "outcome", "exemptions", "pages_released", "pages_withheld"],
    "mediate": ["on", "tracking_number"],
    "end_mediation": ["on"],
    "sue": ["on", "tracking_number"],
    "close": ["on"],
    "withdraw": ["on"],
    "reopen": [],
}
FIELD_LABELS = {"amount": {"fee_agreed": "Amount paid (USD)", "fee_estimate": "Estimated fee (USD)"},
                "tracking_number": {"sue": "Case number", "appeal": "Appeal tracking number",
                                    "mediate": "OGIS case number"}}


def storage() -> DirectoryStorage:
    return DirectoryStorage(current_app.config["TRACKER_UPLOAD_DIR"])




def _uploads(field) -> list[services.Upload]:
    return [services.Upload(f.filename, f.stream) for f in (field.data or []) if f and f.filename]


def _load(request_id: int, *, act: bool = False) -> RecordsRequest:
    req = db.get_or_404(RecordsRequest, request_id)
    (require_act if act else require_view)(current_user, req)
    return req


def _audit(req: RecordsRequest, action: str, detail: str = "") -> None:
    """Append to a private request's audit trail; committed with the change, or on its own for a view."""
    audit.record(req, actor=current_user, now=now_utc(), action=action, detail=detail,
                 address=request.remote_addr or "")


def _request_form(req: RecordsRequest | None = None) -> RequestForm:
    form = RequestForm(obj=req)
    agencies = db.session.scalars(select(Agency).order_by(Agency.name)).all()
    form.agency_id.choices = [(0, "Choose an agency…")] + [(a.id, a.label) for a in agencies]
    form.matter_ids.choices = [(m.id, m.title) for m in db.session.scalars(select(Matter).order_by(Matter.title))]
    form.watcher_ids.choices = [(u.id, u.name) for u in active_users()]
    if request.method == "GET":
        if req is not None:
            form.matter_ids.data = [m.id for m in req.matters]
            form.watcher_ids.data = [u.id for u in req.watchers]
        elif request.args.get("matter_id", "").isdigit():
            form.matter_ids.data = [int(request.args["matter_id"])]
    return form


def _request_data(form: RequestForm) -> dict:
    names = ("title", "agency_id", "private", "records_description", "records_from", "records_to",
             "delivery_format", "fee_category", "fee_limit", "fee_waiver_requested", "fee_waiver_justification",
             "expedited_requested", "expedited_category", "expedited_justification", "follow_up_on")
    return {name: getattr(form, name).data for name in names}


MAX_ID = 2**31 - 1  # a larger id in a filter would overflow the database's integer
MAX_PAGE = 100_000


def _id_arg(name: str) -> int | None:
    value = request.args.get(name, type=int)
    return value if value is not None and 0 < value <= MAX_ID else None


@bp.get("/requests", endpoint="list_requests")
@login_required
def list_requests_page():
    args = request.args
    filters = RequestFilters(
        q=args.get("q", "")[:200].replace("\x00", ""),
        status=args.get("status", "") if args.get("status") in STATUSES else "",
        agency_id=_id_arg("agency_id"), owner_id=_id_arg("owner_id"), matter_id=_id_arg("matter_id"),
        mine=args.get("mine") == "1", sort=args.get("sort", "updated") if args.get("sort") in SORTS else "updated",
    )
    page = list_requests(current_user, filters, page=min(max(args.get("page", 1, type=int), 1), MAX_PAGE))
    return render_template(
        "requests/list.html", page=page, filters=filters, statuses=STATUSES, sorts=SORTS,
        agencies=db.session.scalars(select(Agency).order_by(Agency.name)).all(),
        matters=db.session.scalars(select(Matter).order_by(Matter.title)).all(), users=active_users(),
        today=today(), export_args={k: v for k, v in args.items() if k not in ("page", "fmt")},
    )


@bp.route("/requests/new", methods=["GET", "POST"])
@login_required
def new_request():
    form = _request_form()
    if form.validate_on_submit():
        try:
            req = services.create_request(actor=current_user, now=now_utc(), today=today(),
                                          data=_request_data(form), matter_ids=form.matter_ids.data,
                                          watcher_ids=form.watcher_ids.data)
            db.session.commit()
            flash("Request drafted. File it when it has gone out.")
            return redirect(url_for("requests.show", request_id=req.id))
        except TrackerError as exc:
            db.session.rollback()
            place_errors(form, exc)
    return render_template("requests/form.html", form=form, req=None), form_status(form)


@bp.route("/requests/<int:request_id>/edit", methods=["GET", "POST"])
@login_required
def edit(request_id: int):
    req = _load(request_id, act=True)
    form = _request_form(req)
    if form.validate_on_submit():
        try:
            services.update_request(req, actor=current_user, now=now_utc(), today=today(), data=_request_data(form),
                                    matter_ids=form.matter_ids.data, watcher_ids=form.watcher_ids.data)
            _audit(req, "change", "edited details")
            db.session.commit()
            flash("Saved.")
            return redirect(url_for("requests.show", request_id=req.id))
        except TrackerError as exc:
            db.session.rollback()
            req = _load(request_id, act=True)
            place_errors(form, exc)
    return render_template("requests/form.html", form=form, req=req), form_status(form)


def _render_show(req: RecordsRequest, *, communication_form: CommunicationForm | None = None,
                 open_form: str = "", status: int = 200):
    day = today()
    can_act = can_act_on_request(current_user, req)
    return render_template(
        "requests/show.html", req=req, deadlines=due_dates.summary(req, day), statuses=STATUSES,
        timeline=timeline(req), actions=allowed_actions(req.status) if can_act else [], can_act=can_act,
        outcomes={**OUTCOMES, **APPEAL_OUTCOMES}, exemptions=EXEMPTIONS, fee_categories=FEE_CATEGORIES,
        channels=CHANNELS, today=day, open_form=open_form,
        communication_form=communication_form or CommunicationForm(formdata=None, occurred_on=day),
        upload_form=UploadForm(formdata=None),
    ), status


@bp.get("/requests/<int:request_id>")
@login_required
def show(request_id: int):
    req = _load(request_id)
    _audit(req, "view", "request page")
    db.session.commit()
    return _render_show(req)


@bp.get("/requests/<int:request_id>/audit")
@login_required
def audit_trail(request_id: int):
    req = _load(request_id)
    require_editor(current_user)
    return render_template("requests/audit.html", req=req, entries=audit.entries(req))


def _action_input(form: ActionForm, action_name: str) -> lifecycle.ActionInput:
    comm = services.CommunicationInput(
        channel=form.channel.data or "email", subject=form.subject.data or "", body=form.body.data or "",
        files=_uploads(form.files),
    )
    return lifecycle.ActionInput(
        on=form.on.data, received_on=form.received_on.data, channel=form.channel.data or "",
        tracking_number=form.tracking_number.data or "", outcome=form.outcome.data or "",
        exemptions=form.exemptions.data or [], pages_released=form.pages_released.data,
        pages_withheld=form.pages_withheld.data, amount=form.amount.data,
        our_answer_due_on=form.our_answer_due_on.data, note=form.note.data or "", communication=comm,
    )


@bp.route("/requests/<int:request_id>/actions/<action_name>", methods=["GET", "POST"])
@login_required
def act(request_id: int, action_name: str):
    req = _load(request_id, act=True)
    action = ACTIONS.get(action_name) or abort(404)
    form = ActionForm()
    form.set_outcomes(action_name)
    if request.method == "GET":
        form.on.data = today()
    refused = None
    if req.status not in action.allowed_from:
        refused = f"“{action.label}” is not possible while the request is “{STATUSES[req.status].label}”."
    if form.validate_on_submit() and refused is None:
        try:
            lifecycle.perform(req, action_name, _action_input(form, action_name), actor=current_user,
                             now=now_utc(), today=today(), storage=storage())
            if action_name in documents.STAGE_OF_ACTION:  # the Vaughn index rows, if any
                documents.add_documents(documents.latest_determination(req, documents.STAGE_OF_ACTION[action_name]),
                                        documents.rows_from_form(form.documents))
            _audit(req, "change", action.label)
            db.session.commit()
            flash(f"{action.label}: recorded.")
            return redirect(url_for("requests.show", request_id=req.id))
        except TrackerError as exc:
            db.session.rollback()
            req = _load(request_id, act=True)
            place_errors(form, exc)
    status = 409 if refused else form_status(form)
    return render_template("requests/action.html", req=req, action=action, form=form, refused=refused,
                           fields=ACTION_FIELDS[action_name], field_labels=FIELD_LABELS), status


@bp.route("/requests/<int:request_id>/communications", methods=["POST"])
@login_required
def add_communication(request_id: int):
    req = _load(request_id, act=True)
    form = CommunicationForm()
    if form.validate_on_submit():
        try:
            files = _uploads(form.files)
            services.add_communication(req, actor=current_user, now=now_utc(), storage=storage(),
                                       direction=form.direction.data, channel=form.channel.data,
                                       occurred_on=form.occurred_on.data, subject=form.subject.data,
                                       body=form.body.data, files=files)
            _audit(req, "change", "recorded a communication")
            db.session.commit()
            flash("Communication recorded.")
            return redirect(url_for("requests.show", request_id=req.id) + "#timeline")
        except TrackerError as exc:
            db.session.rollback()
            req = _load(request_id, act=True)
            place_errors(form, exc)
    return _render_show(req, communication_form=form, open_form="communication", status=422)


@bp.route("/requests/<int:request_id>/attachments", methods=["POST"])
@login_required
def upload(request_id: int):
    req = _load(request_id, act=True)
    form = UploadForm()
    if form.validate_on_submit():
        uploads = _uploads(form.files)
        count = services.upload_documents(req, uploads, actor=current_user, now=now_utc(), storage=storage())
        if count:
            _audit(req, "change", f"uploaded {count} document(s)")
            db.session.commit()
            flash(f"Uploaded {count} document(s).")
            return redirect(url_for("requests.show", request_id=req.id) + "#documents")
    flash("Choose a file to upload.", "error")
    return redirect(url_for("requests.show", request_id=req.id) + "#documents")


@bp.get("/attachments/<int:attachment_id>")
@login_required
def download(attachment_id: int):
    attachment = db.get_or_404(Attachment, attachment_id)
    require_view(current_user, attachment.request)
    path = storage().path(attachment.storage_key)
    if not path.exists():
        abort(404)
    _audit(attachment.request, "download", attachment.original_name)
    db.session.commit()
    # Always a download with the sniffed type, never rendered inline: a stored file cannot act as a page.
    response = send_file(path, mimetype=attachment.content_type, as_attachment=True,
                         download_name=attachment.original_name or f"attachment-{attachment.id}")
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
