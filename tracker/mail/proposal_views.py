"""Web pages of the outgoing half of the mailbox: send a stored letter by email; the request page's proposals
(accept with the normal action form filled in, or dismiss); upload the agency's letter. Thin: load and check,
call a service, commit once, render."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from tracker.core.clock import now_utc, today
from tracker.core.errors import TrackerError
from tracker.core.forms import form_status
from tracker.core.handlers import attempt, place_errors
from tracker.core.storage import storage as _storage
from tracker.extensions import db
from tracker.letters.models import Letter
from tracker.mail import agency_letters, proposals, sending
from tracker.mail.addresses import mailbox_address
from tracker.mail.proposal_forms import AgencyLetterForm, EditStepForm, EmailLetterForm
from tracker.mail.proposal_models import Proposal
from tracker.reminders.delivery import smtp_configured
from tracker.requests import access, audit
from tracker.requests.action_fields import ACTION_FIELDS, FIELD_LABELS, action_input
from tracker.requests.forms import ActionForm
from tracker.requests.models import RecordsRequest
from tracker.requests.services import Upload
from tracker.requests.status import ACTIONS

bp = Blueprint("mail_out", __name__)

EDIT_LABELS = {"still_interested": "Agency wants our answer by", "estimated_completion": "Follow up on"}


def _load(request_id: int, *, act: bool = False) -> RecordsRequest:
    return access.load(current_user, request_id, act=act)


def _load_proposal(request_id: int, proposal_id: int, *, act: bool = True) -> Proposal:
    req = _load(request_id, act=act)
    proposal = db.get_or_404(Proposal, proposal_id)
    if proposal.request_id != req.id:
        abort(404)
    return proposal


def _audit(req: RecordsRequest, action: str, detail: str) -> None:
    audit.record(req, actor=current_user, now=now_utc(), action=action, detail=detail[:500])


# --- template helpers: the request page and the letter page include small partials -------------------------

@bp.app_template_global()
def pending_proposals(req: RecordsRequest) -> list[Proposal]:
    return proposals.pending(req)


@bp.app_template_global()
def proposal_summary(proposal: Proposal) -> str:
    return proposals.describe(proposal)


@bp.app_template_global()
def proposal_action_label(proposal: Proposal) -> str:
    return proposals.action_label(proposal, proposal.request)


@bp.app_template_global()
def proposal_why_not(proposal: Proposal) -> str:
    """Why the request page offers no button to accept this proposal now; "" when it does."""
    return proposals.why_not(proposal, proposal.request)


@bp.app_template_global()
def agency_letter_form() -> AgencyLetterForm:
    return AgencyLetterForm(formdata=None)


@bp.app_template_global()
def letter_email(letter: Letter) -> dict:
    """What the letter page needs to offer "Send by email", or to say why it cannot."""
    form = EmailLetterForm(formdata=None)
    form.to.data = sending.default_to(letter)
    form.cc.data = current_user.email if current_user.is_authenticated else ""
    return {"refusal": sending.not_offered(letter), "portal_only": sending.portal_only(letter), "form": form,
            "smtp": smtp_configured(), "mailbox": mailbox_address(),
            "move_on": letter.kind in ("appeal", "ogis_mediation")}


# --- sending a letter -------------------------------------------------------------------------------------

@bp.route("/letters/<int:letter_id>/email", methods=["GET", "POST"])
@login_required
def send_letter(letter_id: int):
    letter = db.get_or_404(Letter, letter_id)
    access.load(current_user, letter.request_id, act=True)
    form = EmailLetterForm() if request.method == "POST" else letter_email(letter)["form"]
    refusal = sending.not_offered(letter)
    if request.method == "POST" and not refusal and form.validate_on_submit():
        inp = sending.EmailInput(to=form.to.data or "", cc=form.cc.data or "", move_on=form.move_on.data,
                                 note=form.note.data or "")
        try:
            comm = sending.send_by_email(letter, inp, actor=current_user, now=now_utc(), today=today(),
                                         storage=_storage())
            _audit(letter.request, "change", f"sent {letter.label} by email")
            db.session.commit()
            when = ("It goes out within a few minutes." if smtp_configured() else
                    "It waits in the outbox until a mail server is set up (TRACKER_SMTP_HOST).")
            flash(f"{letter.label} sent by email to {inp.to.strip()}. {when}")
            return redirect(url_for("requests.show", request_id=comm.request_id) + "#timeline")
        except TrackerError as exc:
            db.session.rollback()
            letter = db.get_or_404(Letter, letter_id)
            refusal = sending.not_offered(letter)
            place_errors(form, exc)
    status = 409 if refusal and request.method == "POST" else form_status(form)
    return render_template("mail/send.html", letter=letter, req=letter.request, form=form, refusal=refusal,
                           smtp=smtp_configured(), mailbox=mailbox_address(),
                           move_on=letter.kind in ("appeal", "ogis_mediation")), status


# --- proposals --------------------------------------------------------------------------------------------

def _prefill(form: ActionForm, proposal: Proposal) -> None:
    v = proposals.values(proposal)
    form.on.data = v.get("on") or (proposal.communication.occurred_on if proposal.communication else None) or today()
    form.received_on.data = v.get("received_on")
    form.tracking_number.data = v.get("tracking_number", "")
    form.outcome.data = v.get("outcome", "")
    form.exemptions.data = list(v.get("exemptions") or [])
    form.pages_released.data = v.get("pages_released")
    form.pages_withheld.data = v.get("pages_withheld")
    form.amount.data = v.get("amount")
    form.our_answer_due_on.data = v.get("our_answer_due_on")


@bp.route("/requests/<int:request_id>/proposals/<int:proposal_id>", methods=["GET", "POST"])
@login_required
def accept(request_id: int, proposal_id: int):
    proposal = _load_proposal(request_id, proposal_id)
    req = proposal.request
    action_name = proposals.action_for(proposal, req)
    refused = proposals.why_not(proposal, req) or None
    if refused and proposal.status == "pending":
        refused += " Dismiss the proposal, or record what happened another way."
    if action_name is not None:
        form = ActionForm()
        form.set_outcomes(action_name)
        if request.method == "GET":
            _prefill(form, proposal)
    else:
        form = EditStepForm()
        if request.method == "GET":
            v = proposals.values(proposal)
            form.on.data = v.get("our_answer_due_on") or v.get("completion_on")
            form.tracking_number.data = v.get("tracking_number", "")
    if request.method == "POST" and refused is None and form.validate_on_submit():
        def record() -> bool:
            edit = None if action_name else proposals.EditInput(on=form.on.data,
                                                                tracking_number=form.tracking_number.data or "")
            proposals.accept(proposal, actor=current_user, now=now_utc(), today=today(), storage=_storage(),
                             action_input=action_input(form) if action_name else None, edit=edit)
            _audit(req, "change", f"accepted proposal: {proposals.KINDS.get(proposal.kind, proposal.kind)}")
            return True

        if attempt(form, record):
            flash(f"{proposals.action_label(proposal, req) or 'Proposal'}: recorded.")
            return redirect(url_for("requests.show", request_id=req.id))
        proposal = _load_proposal(request_id, proposal_id)  # as stored, after the rollback
        req = proposal.request
    status = 409 if refused else form_status(form)
    return render_template(
        "mail/accept.html", req=req, proposal=proposal, form=form, refused=refused, action_name=action_name,
        action=ACTIONS.get(action_name or ""), fields=ACTION_FIELDS.get(action_name or "", []),
        field_labels=FIELD_LABELS, edit_label=EDIT_LABELS.get(proposal.kind, "Date"),
        kind_label=proposals.KINDS.get(proposal.kind, proposal.kind), summary=proposals.describe(proposal),
    ), status


@bp.post("/requests/<int:request_id>/proposals/<int:proposal_id>/dismiss")
@login_required
def dismiss(request_id: int, proposal_id: int):
    proposal = _load_proposal(request_id, proposal_id)
    form = EditStepForm()  # for its CSRF check only
    if not form.validate_on_submit():
        abort(400)
    try:
        proposals.dismiss(proposal, actor=current_user, now=now_utc())
        _audit(proposal.request, "change", f"dismissed proposal: {proposal.kind}")
        db.session.commit()
        flash("Proposal dismissed. Nothing was changed.")
    except TrackerError as exc:
        db.session.rollback()
        flash(exc.message, "error")
    return redirect(url_for("requests.show", request_id=request_id) + "#proposals")


# --- the agency's letter, uploaded ------------------------------------------------------------------------

@bp.post("/requests/<int:request_id>/agency-letter")
@login_required
def upload_agency_letter(request_id: int):
    req = _load(request_id, act=True)
    form = AgencyLetterForm()
    if form.validate_on_submit() and getattr(form.file.data, "filename", ""):
        try:
            filed = agency_letters.file_agency_letter(
                req, Upload(form.file.data.filename, form.file.data.stream), channel=form.channel.data,
                occurred_on=form.occurred_on.data, actor=current_user, now=now_utc(), today=today(),
                storage=_storage())
            _audit(req, "change", "uploaded the agency's letter")
            db.session.commit()
            found = len(proposals.of_letter(filed.communication))  # this letter's, not all that wait
            if filed.note:
                flash(filed.note, "error")
            flash("The agency's letter is on the timeline." + (
                f" The tracker read it: {found} proposal{'s' if found != 1 else ''} to review below." if found
                else " The tracker found no next step in it." if filed.readable else ""))
            # Straight to the proposals when there are some; else the top of the page, where the message shows.
            return redirect(url_for("requests.show", request_id=req.id) + ("#proposals" if found else ""))
        except TrackerError as exc:
            db.session.rollback()
            flash(exc.message, "error")
            return redirect(url_for("requests.show", request_id=request_id))
    flash("; ".join(e for errors in form.errors.values() for e in errors) or "Choose the PDF.", "error")
    return redirect(url_for("requests.show", request_id=req.id))
