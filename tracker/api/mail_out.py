"""Over JSON: send a stored letter by email; the proposals read from agency letters (list, accept with fields,
dismiss); upload the agency's letter to be read. Thin: parse, check who may, call the same services as the web
pages, commit once. The OpenAPI paths and schemas are at the end (PATHS, added to the document)."""

from __future__ import annotations

from flask import request

from tracker.api import bp, schemas
from tracker.api.auth import api_user
from tracker.api.fields import MAX_ID, Bool, Day, Enum, String
from tracker.api.representations import (
    INSTANT,
    INT,
    SCHEMAS,
    STR,
    communication_json,
    nullable,
    obj,
    ref,
)
from tracker.api.requests import load, storage
from tracker.core.clock import now_utc, today
from tracker.core.errors import NotFound, ValidationFailed
from tracker.extensions import db
from tracker.letters.models import Letter
from tracker.mail import agency_letters, proposals, sending
from tracker.mail.proposal_models import Proposal
from tracker.requests import access, lifecycle
from tracker.requests.services import Upload

SEND_BODY = {
    "to": String(320, "The agency's address; omitted: the agency's FOIA address from the directory."),
    "cc": String(2000, "Comma-separated addresses; omitted: you."),
    "move_on": Bool("An appeal or OGIS letter: also record the appeal or the mediation request."),
    "note": String(20000, "A note for the timeline."),
}
ACCEPT_BODY = {
    **{k: v for k, v in schemas.ACTION_BODY.items() if k not in ("channel", "communication")},
    "on": Day("The day it happened; omitted: the letter's date as read."),
    "tracking_number": String(100, "acknowledgment: the request's number; appeal_acknowledgment: the appeal's."),
    "follow_up_on": Day("estimated_completion: the day to follow up; omitted: the date read.", nullable=True),
}
LIST_QUERY = {"status": Enum(["pending", "accepted", "dismissed", "all"], default="pending")}
UPLOAD_CHANNELS = ["portal", "email", "mail", "fax"]


def proposal_json(p: Proposal) -> dict:
    values = dict(p.fields or {})
    why_not = proposals.why_not(p, p.request)
    return {"id": p.id, "request_id": p.request_id, "communication_id": p.communication_id, "kind": p.kind,
            "label": proposals.KINDS.get(p.kind, p.kind), "summary": proposals.describe(p),
            "action": proposals.action_for(p, p.request), "acceptable": not why_not, "why_not": why_not or None,
            "fields": values, "sentence": p.sentence,
            "status": p.status, "created_at": p.created_at.isoformat() if p.created_at else None,
            "decided_at": p.decided_at.isoformat() if p.decided_at else None, "event_id": p.event_id}


def _on_actable_request(model, item_id: int, noun: str):
    """A letter or proposal on a request the caller may act on: 404 when it is missing or its request hidden."""
    item = db.session.get(model, item_id) if item_id <= MAX_ID else None
    if item is None or not access.can_view(api_user(), item.request):
        raise NotFound(f"There is no {noun} with this id.")
    access.check(api_user(), item.request, act=True)
    return item


def _letter(letter_id: int) -> Letter:
    return _on_actable_request(Letter, letter_id, "letter")


def _proposal(proposal_id: int) -> Proposal:
    return _on_actable_request(Proposal, proposal_id, "proposal")


@bp.post("/letters/<int:letter_id>/send")
def send_letter(letter_id: int):
    letter = _letter(letter_id)
    body = schemas.parse(SEND_BODY)
    actor = api_user()
    inp = sending.EmailInput(to=body.get("to") or sending.default_to(letter),
                             cc=body["cc"] if "cc" in body else actor.email, move_on=body.get("move_on", False),
                             note=body.get("note", ""))
    comm = sending.send_by_email(letter, inp, actor=actor, now=now_utc(), today=today(), storage=storage())
    db.session.commit()
    return {"communication": communication_json(comm), "message_id": comm.message_id}, 201


@bp.get("/requests/<int:request_id>/proposals")
def list_proposals(request_id: int):
    req = load(request_id)
    status = schemas.query(LIST_QUERY)["status"]
    stmt = db.select(Proposal).where(Proposal.request_id == req.id).order_by(Proposal.id)
    if status != "all":
        stmt = stmt.where(Proposal.status == status)
    return {"items": [proposal_json(p) for p in db.session.scalars(stmt)]}


@bp.post("/proposals/<int:proposal_id>/accept")
def accept_proposal(proposal_id: int):
    proposal = _proposal(proposal_id)
    body = schemas.parse(ACCEPT_BODY)
    read = proposals.values(proposal)
    merged = {**read, **body}  # what was sent wins over what was read
    if proposal.communication is not None and merged.get("on") is None:
        merged["on"] = proposal.communication.occurred_on
    inp = lifecycle.ActionInput(
        on=merged.get("on"), received_on=merged.get("received_on"), tracking_number=merged.get("tracking_number", ""),
        outcome=merged.get("outcome", ""), exemptions=list(merged.get("exemptions") or []),
        pages_released=merged.get("pages_released"), pages_withheld=merged.get("pages_withheld"),
        amount=merged.get("amount"), our_answer_due_on=merged.get("our_answer_due_on"), note=merged.get("note", ""),
        **{name: merged.get(name) or "" for name in lifecycle.APPEAL_INSTRUCTIONS},
        estimated_completion_on=merged.get("estimated_completion_on"))
    edit_day = {"still_interested": merged.get("our_answer_due_on"),
                "estimated_completion": merged.get("follow_up_on") or merged.get("completion_on")}.get(proposal.kind)
    edit = proposals.EditInput(on=edit_day, tracking_number=merged.get("tracking_number", ""))
    proposals.accept(proposal, actor=api_user(), now=now_utc(), today=today(), storage=storage(),
                     action_input=inp, edit=edit)
    db.session.commit()
    return proposal_json(proposal)


@bp.post("/proposals/<int:proposal_id>/dismiss")
def dismiss_proposal(proposal_id: int):
    proposal = _proposal(proposal_id)
    proposals.dismiss(proposal, actor=api_user(), now=now_utc())
    db.session.commit()
    return proposal_json(proposal)


@bp.post("/requests/<int:request_id>/agency-letter")
def upload_agency_letter(request_id: int):
    req = load(request_id, act=True)
    if request.mimetype != "multipart/form-data":
        raise schemas.UnsupportedMediaType("Send the letter as multipart/form-data, in a field named `file`.")
    raw = {k: v for k, v in request.form.items()}
    body = schemas.parse_object(raw, {"channel": Enum(UPLOAD_CHANNELS), "occurred_on": Day()})
    files = [f for f in request.files.getlist("file") if f and f.filename]
    if len(files) != 1:
        raise ValidationFailed("Send one file.", {"file": "Send the letter as one file in the field `file`."})
    filed = agency_letters.file_agency_letter(
        req, Upload(files[0].filename, files[0].stream), channel=body.get("channel") or "portal",
        occurred_on=body.get("occurred_on"), actor=api_user(), now=now_utc(), today=today(), storage=storage())
    db.session.commit()
    made = proposals.of_letter(filed.communication)
    return {"communication": communication_json(filed.communication), "readable": filed.readable,
            "note": filed.note, "proposals": [proposal_json(p) for p in made]}, 201


# --- the OpenAPI document ---------------------------------------------------------------------------------

SCHEMAS["Proposal"] = obj({
    "id": INT, "request_id": INT, "communication_id": nullable(INT),
    "kind": {"type": "string", "enum": list(proposals.KINDS)}, "label": STR, "summary": STR,
    "action": {**nullable(STR), "description": "The lifecycle action accepting it performs now; null: an edit."},
    "acceptable": {"type": "boolean", "description": "Whether accepting it is possible now, given where the "
                   "request stands (false: accept answers 409 with why_not)."},
    "why_not": {**nullable(STR), "description": "Why it cannot be accepted now, in plain words; null when it can. "
                "For example: “Record a determination” is not possible while the request is “Determination "
                "received”."},
    "fields": {"type": "object", "description": "What was read: on, received_on, tracking_number, amount, "
               "our_answer_due_on, completion_on, outcome, exemptions (codes such as b7C), pages_released, "
               "pages_withheld."},
    "sentence": STR, "status": {"type": "string", "enum": ["pending", "accepted", "dismissed"]},
    "created_at": nullable(INSTANT), "decided_at": nullable(INSTANT), "event_id": nullable(INT),
})
SCHEMAS["LetterSent"] = obj({"communication": ref("Communication"), "message_id": STR})
SCHEMAS["AgencyLetter"] = obj({"communication": ref("Communication"), "readable": {"type": "boolean"}, "note": STR,
                               "proposals": {"type": "array", "items": ref("Proposal")}})


def openapi_paths(op, json_, items, body, path_id) -> dict:
    """The paths of this module, built with the document's own helpers (passed in to keep one builder)."""
    from tracker.api.fields import query_parameters

    lid = path_id("letter_id", "letter")
    pid = path_id("proposal_id", "proposal")
    rid = path_id("request_id", "request")
    write = ("400", "401", "403", "404", "409", "413", "415", "422")
    upload = {"multipart/form-data": {"schema": {
        "type": "object", "required": ["file"], "additionalProperties": False,
        "properties": {"file": {"type": "string", "format": "binary"},
                       "channel": {"type": "string", "enum": UPLOAD_CHANNELS},
                       "occurred_on": {"type": "string", "format": "date"}}}}}
    return {
        "/letters/{letter_id}/send": {
            "parameters": [lid],
            "post": op("sendLetter", "Send a stored letter to the agency by email", "Mail",
                       json_(ref("LetterSent"), "Queued in the outbox and recorded as sent"), status="201",
                       errors=write, body=body(SEND_BODY),
                       description="From the newsroom mailbox (TRACKER_MAIL_ADDRESS), Reply-To the request's reply "
                                   "address, the PDF attached and the portal text as the body; exactly once (a "
                                   "second send answers 409). 409 too when email is not set up, or when the agency "
                                   "takes requests only through its portal and this letter is a request."),
        },
        "/requests/{request_id}/proposals": {
            "parameters": [rid],
            "get": op("listProposals", "Next steps read from the agency's letters", "Mail", json_(items("Proposal")),
                      errors=("401", "403", "404", "422"), params=query_parameters(LIST_QUERY)),
        },
        "/requests/{request_id}/agency-letter": {
            "parameters": [rid],
            "post": op("uploadAgencyLetter", "Upload the agency's letter (a PDF) to file and read it", "Mail",
                       json_(ref("AgencyLetter"), "Filed"), status="201", errors=write, body=upload),
        },
        "/proposals/{proposal_id}/accept": {
            "parameters": [pid],
            "post": op("acceptProposal", "Confirm a proposal: the normal action runs with these fields", "Mail",
                       json_(ref("Proposal")), errors=write, body=body(ACCEPT_BODY),
                       description="Fields sent replace what was read; those omitted keep it. A refused action "
                                   "changes nothing (409 when the proposal is not acceptable now, its why_not "
                                   "as the message; 422 bad fields)."),
        },
        "/proposals/{proposal_id}/dismiss": {
            "parameters": [pid],
            "post": op("dismissProposal", "Dismiss a proposal; nothing else changes", "Mail", json_(ref("Proposal")),
                       errors=("401", "403", "404", "409")),
        },
    }
