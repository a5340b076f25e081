"""Web pages for records requests: list, create, edit, the request page, actions, documents."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, send_file, url_for
from flask_login import current_user, login_required

from tracker.agencies import queries as agency_queries
from tracker.auth.permissions import require_editor
from tracker.auth.services import active_user_choices
from tracker.core.clock import now_utc, today
from tracker.core.errors import TrackerError
from tracker.core.forms import form_status
from tracker.core.handlers import Refused, attempt
from tracker.core.storage import storage
from tracker.extensions import db
from tracker.matters import queries as matter_queries
from tracker.requests import (
    access,
    audit,
    bulk,
    documents,
    due_dates,
    estimates,
    following,
    lifecycle,
    referrals,
    services,
)
from tracker.requests.action_fields import ACTION_FIELDS, FIELD_HINTS, FIELD_LABELS, action_input
from tracker.requests.exemptions import EXEMPTIONS
from tracker.requests.forms import ActionForm, CommunicationForm, EstimateForm, RequestForm, UploadForm
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

@bp.before_app_request
def _audit_origin() -> None:
    """Every audit entry written while answering this request names the client's address."""
    audit.origin.set(request.remote_addr or "")


def _uploads(field) -> list[services.Upload]:
    return [services.Upload(f.filename, f.stream) for f in (field.data or []) if f and f.filename]


def _request_form(req: RecordsRequest | None = None) -> RequestForm:
    form = RequestForm(obj=req)
    form.agency_id.choices = [(0, "Choose an agency…"), *agency_queries.choices()]
    form.matter_ids.choices = matter_queries.choices()
    form.watcher_ids.choices = active_user_choices()
    if request.method == "GET":
        if req is not None:
            form.matter_ids.data = [m.id for m in req.matters]
            form.watcher_ids.data = [u.id for u in req.watchers]
        elif request.args.get("matter_id", "").isdigit():
            form.matter_ids.data = [int(request.args["matter_id"])]
    return form


def _request_data(form: RequestForm) -> dict:
    names = ("title", "subject", "agency_id", "private", "records_description", "records_from", "records_to",
             "delivery_format", "fee_category", "fee_limit", "fee_waiver_requested", "fee_waiver_justification",
             "expedited_requested", "expedited_category", "expedited_justification", "follow_up_on",
             "deadline_variant")
    return {name: getattr(form, name).data for name in names}


MAX_PAGE = 100_000


def filters_from(args) -> RequestFilters:
    """The list's filter from a query string: the list page's, and the bulk bar's (it posts with the same one)."""
    def id_arg(name: str) -> int | None:
        value = args.get(name, type=int)
        return value if value is not None and 0 < value <= access.MAX_ID else None

    return RequestFilters(
        q=args.get("q", "")[:200].replace("\x00", ""),
        status=args.get("status", "") if args.get("status") in STATUSES else "",
        agency_id=id_arg("agency_id"), owner_id=id_arg("owner_id"), matter_id=id_arg("matter_id"),
        mine=args.get("mine") == "1", sort=args.get("sort", "updated") if args.get("sort") in SORTS else "updated",
    )


def _listed(rows: list, day) -> list[tuple]:
    """What each row of the list prints beyond its own columns, worked out here in one loop, not by the template's
    calls and filters per row (about a third of the page's rendering): (row, its version for the bulk bar, its
    matters' titles, its status's label, its running deadline as (label, day, "late" or "") or None)."""
    listed = []
    for r in rows:
        live = due_dates.live_deadline(r)
        listed.append((
            r, bulk.version_of(r), "; ".join([m.title for m in r.matters]),
            STATUSES[r.status].label if r.status in STATUSES else r.status,
            (live[0], live[1].isoformat(), "late" if live[1] < day else "") if live else None,
        ))
    return listed


@bp.get("/requests", endpoint="list_requests")
@login_required
def list_requests_page():
    args = request.args
    filters = filters_from(args)
    page = list_requests(current_user, filters, page=min(max(args.get("page", 1, type=int), 1), MAX_PAGE))
    return render_template(
        "requests/list.html", page=page, rows=_listed(page.items, today()), filters=filters, statuses=STATUSES,
        sorts=SORTS,
        # The menus as (value, label) pairs, printed by option_tags: a template loop over a newsroom's hundreds of
        # matters, twice, cost more than the rows; only what the menus print is loaded, from the table's columns (mapped
        # attributes would run the hundreds of rows through the ORM's loading).
        agencies=agency_queries.choices(),
        matters=matter_queries.choices(),
        users=active_user_choices(),
        export_args={k: v for k, v in args.items() if k not in ("page", "fmt")},
        bulk_actions=bulk.ACTIONS.values(), shown_at=now_utc().isoformat(),
    )


@bp.route("/requests/new", methods=["GET", "POST"])
@login_required
def new_request():
    form = _request_form()
    if form.validate_on_submit() and (req := attempt(form, lambda: services.create_request(
            actor=current_user, now=now_utc(), today=today(), data=_request_data(form),
            matter_ids=form.matter_ids.data, watcher_ids=form.watcher_ids.data))):
        flash("Request drafted. File it when it has gone out.")
        return redirect(url_for("requests.show", request_id=req.id))
    return render_template("requests/form.html", form=form, req=None), form_status(form)


@bp.route("/requests/<int:request_id>/edit", methods=["GET", "POST"])
@login_required
def edit(request_id: int):
    req = access.load(current_user, request_id, act=True)
    form = _request_form(req)
    if form.validate_on_submit() and attempt(form, lambda: services.update_request(
            req, actor=current_user, now=now_utc(), today=today(), data=_request_data(form),
            matter_ids=form.matter_ids.data, watcher_ids=form.watcher_ids.data) or True):
        flash("Saved.")
        return redirect(url_for("requests.show", request_id=req.id))
    return render_template("requests/form.html", form=form, req=req), form_status(form)


def _render_show(req: RecordsRequest, *, communication_form: CommunicationForm | None = None,
                 open_form: str = "", status: int = 200, estimate_form: EstimateForm | None = None):
    day = today()
    can_act = access.can_act(current_user, req)
    # The page's forms are shown only to who may act on the request: not built for the others (most views of a
    # newsroom's requests), whose page never prints them.
    if can_act:
        forms = {"communication_form": communication_form or CommunicationForm(formdata=None, occurred_on=day),
                 "upload_form": UploadForm(formdata=None),
                 "estimate_form": estimate_form or EstimateForm(formdata=None, on=day)}
    else:
        forms = {"communication_form": None, "upload_form": None, "estimate_form": None}
    return render_template(
        "requests/show.html", req=req, deadlines=due_dates.summary(req, day), statuses=STATUSES,
        timeline=timeline(req), actions=allowed_actions(req.status) if can_act else [], can_act=can_act,
        outcomes={**OUTCOMES, **APPEAL_OUTCOMES}, exemptions=EXEMPTIONS, fee_categories=FEE_CATEGORIES,
        variant_label=due_dates.variant_label,
        channels=CHANNELS, today=day, open_form=open_form,
        estimate_passed=estimates.passed(req, day), estimate_history=estimates.history(req),
        estimate_open=req.status in estimates.RUNNING,
        referral_tree=referrals.tree(req, current_user, day), **forms,
    ), status


@bp.get("/requests/<int:request_id>")
@login_required
def show(request_id: int):
    req = access.load(current_user, request_id, audit_as="view", detail="request page", shown=True)
    page = _render_show(req)
    db.session.commit()  # the view's audit entry: after rendering, which a commit's expiry would make load it all again
    return page


@bp.get("/requests/<int:request_id>/audit")
@login_required
def audit_trail(request_id: int):
    req = access.load(current_user, request_id)
    require_editor(current_user)
    return render_template("requests/audit.html", req=req, entries=audit.entries(req))


def _action_input(form: ActionForm, action_name: str) -> lifecycle.ActionInput:
    comm = services.CommunicationInput(
        channel=form.channel.data or "email", subject=form.subject.data or "", body=form.body.data or "",
        files=_uploads(form.files),
    )
    docs = documents.rows_from_form(form.documents) if action_name in documents.STAGE_OF_ACTION else []
    return action_input(form, communication=comm, documents=docs)


@bp.route("/requests/<int:request_id>/actions/<action_name>", methods=["GET", "POST"])
@login_required
def act(request_id: int, action_name: str):
    req = access.load(current_user, request_id, act=True)
    action = ACTIONS.get(action_name) or abort(404)
    form = ActionForm()
    form.set_outcomes(action_name)
    if action_name == "refer":
        form.agency_id.choices = referrals.agency_choices(req)
    if request.method == "GET":
        form.on.data = today()
    refused = None
    if req.status not in action.allowed_from:
        refused = f"“{action.label}” is not possible while the request is “{STATUSES[req.status].label}”."
    if form.validate_on_submit() and refused is None and attempt(form, lambda: lifecycle.perform(
            req, action_name, _action_input(form, action_name), actor=current_user, now=now_utc(), today=today(),
            storage=storage())):
        flash(f"{action.label}: recorded.")
        return redirect(url_for("requests.show", request_id=req.id))
    status = 409 if refused else form_status(form)
    return render_template("requests/action.html", req=req, action=action, form=form, refused=refused,
                           fields=ACTION_FIELDS[action_name], field_labels=FIELD_LABELS,
                           field_hints=FIELD_HINTS), status


@bp.route("/requests/<int:request_id>/communications", methods=["POST"])
@login_required
def add_communication(request_id: int):
    req = access.load(current_user, request_id, act=True)
    form = CommunicationForm()
    if form.validate_on_submit() and attempt(form, lambda: services.add_communication(
            req, actor=current_user, now=now_utc(), storage=storage(), direction=form.direction.data,
            channel=form.channel.data, occurred_on=form.occurred_on.data, subject=form.subject.data,
            body=form.body.data, files=_uploads(form.files))):
        flash("Communication recorded.")
        return redirect(url_for("requests.show", request_id=req.id) + "#timeline")
    return _render_show(req, communication_form=form, open_form="communication", status=422)


@bp.route("/requests/<int:request_id>/attachments", methods=["POST"])
@login_required
def upload(request_id: int):
    req = access.load(current_user, request_id, act=True)
    form = UploadForm()
    if form.validate_on_submit():
        uploads = _uploads(form.files)
        count = services.upload_documents(req, uploads, actor=current_user, now=now_utc(), storage=storage())
        if count:
            db.session.commit()
            flash(f"Uploaded {count} document(s).")
            return redirect(url_for("requests.show", request_id=req.id) + "#documents")
    flash("Choose a file to upload.", "error")
    return redirect(url_for("requests.show", request_id=req.id) + "#documents")


@bp.get("/attachments/<int:attachment_id>")
@login_required
def download(attachment_id: int):
    attachment = db.get_or_404(Attachment, attachment_id)
    access.load(current_user, attachment.request_id, audit_as="download", detail=attachment.original_name)
    path = storage().path(attachment.storage_key)
    if not path.exists():
        abort(404)
    db.session.commit()
    # Always a download with the sniffed type, never rendered inline: a stored file cannot act as a page.
    response = send_file(path, mimetype=attachment.content_type, as_attachment=True,
                         download_name=attachment.original_name or f"attachment-{attachment.id}")
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


# --- following: any colleague who may see a request may follow it and get its reminders ---------------

@bp.post("/requests/<int:request_id>/follow")
@login_required
def follow(request_id: int):
    req = access.load(current_user, request_id)
    try:
        if following.follow(req, user=current_user, now=now_utc()):
            audit.record(req, actor=current_user, action="change", detail="followed", now=now_utc())
            db.session.commit()
            flash("You follow this request: its reminders come to you too.")
    except TrackerError as exc:
        db.session.rollback()
        flash(exc.message, "error")
    return redirect(url_for("requests.show", request_id=request_id))


@bp.post("/requests/<int:request_id>/unfollow")
@login_required
def unfollow(request_id: int):
    req = access.load(current_user, request_id)
    try:
        if following.unfollow(req, user=current_user, now=now_utc()):
            audit.record(req, actor=current_user, action="change", detail="stopped following", now=now_utc())
            db.session.commit()
            flash("You no longer follow this request.")
    except TrackerError as exc:
        db.session.rollback()
        flash(exc.message, "error")
    if not access.can_view(current_user, db.get_or_404(RecordsRequest, request_id)):
        return redirect(url_for("requests.list_requests"))  # a private request they no longer see
    return redirect(url_for("requests.show", request_id=request_id))


@bp.post("/requests/<int:request_id>/estimate")
@login_required
def record_estimate(request_id: int):
    """The agency's estimated completion date, from a letter that is no lifecycle step."""
    req = access.load(current_user, request_id, act=True)
    form = EstimateForm()
    if form.validate_on_submit():
        def record() -> bool:
            changed = estimates.record(req, form.estimated_completion_on.data, given_on=form.on.data,
                                       actor=current_user, now=now_utc(), today=today())
            if changed:
                audit.record(req, actor=current_user, action="change", detail="estimated completion date")
            return changed

        recorded = attempt(form, record)
        if not isinstance(recorded, Refused):
            if recorded:
                flash("Recorded the agency's estimated completion date.")
            return redirect(url_for("requests.show", request_id=req.id) + "#deadlines")
    return _render_show(req, estimate_form=form, open_form="estimate", status=422)


from tracker.requests import bulk_views  # noqa: E402, F401  (the bulk actions attach their route to bp)
