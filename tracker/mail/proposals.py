"""Proposals of the next step: made from an agency's letter, decided by a person.

`propose` reads a letter's text (reading.py) and adds one Proposal per kind of step it finds; nothing about
the request changes. `accept` runs the normal lifecycle action (lifecycle.perform) with the fields the person
confirmed, or, for the few steps that are not lifecycle actions, the normal edit service; then marks the
proposal accepted. `dismiss` marks it dismissed. They add and flush; the outermost caller commits.

The signal `mail.signals.letter_received` is connected to `on_letter_received` by `install_proposal_listener`
(called once in create_app): an email filed on a request, or an agency letter a reporter uploads, is read
then. A letter from an unverified sender (trusted=False) proposes nothing.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from sqlalchemy import exists, insert, select

from tracker.auth.models import User
from tracker.core.clock import local, now_utc
from tracker.core.errors import ActionNotAllowed, Conflict, TrackerError, ValidationFailed
from tracker.core.storage import Storage
from tracker.core.validation import planned_day_error
from tracker.extensions import db
from tracker.mail import batch, reading
from tracker.mail.proposal_models import Proposal
from tracker.mail.signals import letter_received
from tracker.requests import lifecycle, services, shown
from tracker.requests.models import Communication, Event, RecordsRequest
from tracker.requests.status import ACTIONS, APPEAL_OUTCOMES, OUTCOMES, label

log = logging.getLogger(__name__)

KINDS = reading.KINDS
DAY_FIELDS = ("on", "received_on", "our_answer_due_on", "completion_on")
# Steps that are not lifecycle actions: what accepting them changes, through the normal services.
EDITS = {
    "still_interested": "our_answer_due_on",  # the date the agency wants our answer by
    "estimated_completion": "follow_up_on",  # follow up on the day the agency says it will be done
}


def action_for(proposal: Proposal, req: RecordsRequest) -> str | None:
    """The lifecycle action that accepting this proposal performs, given where the request stands now."""
    kind = proposal.kind
    if kind == "extension":
        return "appeal_extend" if req.status == "appealed" else "extend"
    if kind == "appeal_acknowledgment":
        return "appeal" if req.status == "determined" else None
    return {"acknowledgment": "acknowledge", "clarification": "request_clarification",
            "fee_estimate": "fee_estimate", "determination": "determine",
            "appeal_decision": "decide_appeal"}.get(kind)


def _jsonable(fields: dict) -> dict:
    out = {}
    for key, value in fields.items():
        if isinstance(value, date):
            value = value.isoformat()
        elif isinstance(value, Decimal):
            value = str(value)
        out[key] = value
    return out


def values(proposal: Proposal) -> dict:
    """The proposal's fields as Python values: dates as `date`, the amount as `Decimal`."""
    out = dict(proposal.fields or {})
    for key in DAY_FIELDS:
        if isinstance(out.get(key), str):
            try:
                out[key] = date.fromisoformat(out[key])
            except ValueError:
                out.pop(key)
    if isinstance(out.get("amount"), str):
        try:
            out["amount"] = Decimal(out["amount"])
        except InvalidOperation:
            out.pop("amount")
    return out


def describe(proposal: Proposal) -> str:
    """One line: what the letter proposes, e.g. "Determination: granted in part, 14 pages released"."""
    v = values(proposal)
    label = KINDS.get(proposal.kind, proposal.kind)
    bits = []
    if v.get("tracking_number"):
        bits.append(f"number {v['tracking_number']}")
    if v.get("received_on"):
        bits.append(f"received {v['received_on'].isoformat()}")
    if v.get("outcome"):
        bits.append({**OUTCOMES, **APPEAL_OUTCOMES}.get(v["outcome"], v["outcome"]).lower())
    if v.get("amount") is not None:
        bits.append(f"${v['amount']:,.2f}")
    if v.get("pages_released") is not None:
        bits.append(f"{v['pages_released']} pages released")
    if v.get("pages_withheld"):
        bits.append(f"{v['pages_withheld']} withheld in full")
    if v.get("exemptions"):
        from tracker.requests.exemptions import EXEMPTIONS

        bits.append("exemptions " + ", ".join(EXEMPTIONS[c].short for c in v["exemptions"] if c in EXEMPTIONS))
    if v.get("our_answer_due_on"):
        bits.append(f"our answer due {v['our_answer_due_on'].isoformat()}")
    if v.get("completion_on"):
        bits.append(f"expected by {v['completion_on'].isoformat()}")
    return label + (": " + ", ".join(bits) if bits else "")


# --- making proposals -----------------------------------------------------------------------------------

def propose(comm: Communication, text: str, *, now: datetime) -> list[Proposal]:
    """Read the letter and add a pending proposal for each step found (none twice for one letter), and tell
    people (in the fetch's quick pass, once the batch is written: mail.batch)."""
    req = comm.request
    agency = req.agency
    names = tuple(n for n in (agency.abbreviation, agency.name,
                              agency.parent.abbreviation if agency.parent else "") if n)
    findings = reading.read(text or "", arrived_on=comm.occurred_on, agency_names=names,
                            jurisdiction=agency.jurisdiction)
    if not findings:
        return []
    quick = batch.current.get()
    known = {p.kind for p in db.session.new if isinstance(p, Proposal) and p.communication is comm}
    if quick is not None:  # the batch's proposals so far, by letter (not all of them, for every letter)
        known |= quick.proposed.get(id(comm), set())
    if comm.id is not None and quick is None:  # in the fetch's quick pass the letter was filed just now
        with db.session.no_autoflush:  # what is pending for this letter is above; one flush below writes it all
            known |= set(db.session.scalars(select(Proposal.kind).where(Proposal.communication_id == comm.id)))
    made = []
    for finding in findings:
        if finding.kind in known:
            continue
        fields = {k: v for k, v in finding.fields.items() if v not in (None, "", [])}
        made.append(Proposal(request=req, communication=comm, kind=finding.kind, fields=_jsonable(fields),
                             sentence=finding.sentence, status="pending", created_at=now))
    if not made:
        return made
    from tracker.mail.notify import tell_people

    if quick is not None:  # written by the batch, after its flush: the emails are keyed by the letter's id
        quick.add_proposals(comm, made)
        quick.notices.append(lambda: tell_people(req, comm, made, now=now))
        return made
    db.session.add_all(made)
    db.session.flush()
    tell_people(req, comm, made, now=now)
    return made


def insert_many(proposals: list[Proposal]) -> None:
    """Write proposals made in the fetch's quick pass with one INSERT (their letters are written already); they
    stay out of the session, so nothing writes them twice. A plain insert into the table: the ORM's bulk insert
    would go through its mapper for each row, for the same statement."""
    db.session.connection().execute(insert(Proposal.__table__), [
        {"request_id": p.request.id, "communication_id": p.communication.id, "kind": p.kind, "fields": p.fields,
         "sentence": p.sentence, "status": p.status, "created_at": p.created_at} for p in proposals])


def on_letter_received(communication: Communication, *, text: str = "", trusted: bool = False, **_extra) -> None:
    """The receiver of `letter_received`: propose from a trusted letter. Reading never loses the letter:
    whatever goes wrong here is rolled back to a savepoint and logged, and the filing goes on (unless the
    fetch's quick pass does that itself: mail.batch)."""
    if not trusted or communication is None:
        return
    if batch.current.get() is not None:
        propose(communication, text, now=now_utc())
        return
    try:
        with db.session.begin_nested():
            propose(communication, text, now=now_utc())
    except Exception:  # noqa: BLE001
        log.exception("could not read letter %s for proposals", getattr(communication, "id", None))


def install_proposal_listener() -> None:
    """Connect the receivers once (blinker ignores a second connect of the same function): letters filed, and
    letters whose text the documents job read later (late_letters)."""
    from tracker.mail.late_letters import install_late_letter_listener

    letter_received.connect(on_letter_received, weak=False)
    install_late_letter_listener()


# --- deciding -------------------------------------------------------------------------------------------

shown.register_fact("pending_proposals", lambda: exists().where(Proposal.request_id == RecordsRequest.id,
                                                               Proposal.status == "pending"))


def pending(req: RecordsRequest) -> list[Proposal]:
    if shown.known(req, "pending_proposals") is False:
        return []
    return list(db.session.scalars(select(Proposal).where(Proposal.request_id == req.id,
                                                          Proposal.status == "pending").order_by(Proposal.id)))


def of_letter(comm: Communication) -> list[Proposal]:
    """The proposals one letter made (an upload tells how many it found, not how many wait on the request)."""
    return list(db.session.scalars(select(Proposal).where(Proposal.communication_id == comm.id)
                                   .order_by(Proposal.id)))


def _refusal(proposal: Proposal, req: RecordsRequest) -> TrackerError | None:
    """Why accepting the proposal would be refused now, before anything runs; None when it can be accepted. The
    one rule behind accept() and what the request page, the accept page and the API say about a proposal."""
    if proposal.status != "pending":
        return Conflict(f"This proposal was already {proposal.status}.")
    action = action_for(proposal, req)
    if action is not None:
        if req.status not in ACTIONS[action].allowed_from:
            return ActionNotAllowed(f"“{ACTIONS[action].label}” is not possible while the request is "
                                    f"“{label(req.status)}”.")
        # The lifecycle refuses a second extension notice (lifecycle._extend, _appeal_extend); said here before
        # the person fills in the form for nothing.
        if action == "extend" and req.extended:
            return Conflict("An extension notice is already recorded.")
        if action == "appeal_extend" and req.appeal_extended:
            return Conflict("An appeal extension is already recorded.")
    elif proposal.kind == "appeal_acknowledgment" and req.status != "appealed":
        return Conflict("Record the appeal first: the request is not waiting for an appeal decision.")
    return None


def why_not(proposal: Proposal, req: RecordsRequest) -> str:
    """Why the proposal cannot be accepted now, in plain words; "" when it can."""
    refusal = _refusal(proposal, req)
    return refusal.message if refusal is not None else ""


def _mark(proposal: Proposal, status: str, *, actor: User, now: datetime, event: Event | None = None) -> None:
    proposal.status = status
    proposal.decided_by = actor
    proposal.decided_at = now
    proposal.event = event
    db.session.flush()


@dataclass
class EditInput:
    """What a person confirms for a step that is not a lifecycle action."""

    on: date | None = None  # still_interested: our answer due; estimated_completion: follow up on
    tracking_number: str = ""  # appeal_acknowledgment: the appeal's number


def accept(proposal: Proposal, *, actor: User, now: datetime, today: date, storage: Storage,
           action_input: lifecycle.ActionInput | None = None, edit: EditInput | None = None) -> Event | None:
    """Run the step the person confirmed and mark the proposal accepted. A refused action changes nothing."""
    req = proposal.request
    if (refusal := _refusal(proposal, req)) is not None:
        raise refusal
    action = action_for(proposal, req)
    event = None
    if action is not None:
        inp = action_input or lifecycle.ActionInput()
        event = lifecycle.perform(req, action, inp, actor=actor, now=now, today=today, storage=storage)
        if proposal.communication is not None and proposal.communication.event_id is None:
            proposal.communication.event = event  # the letter shows on the timeline with what it caused
    else:
        event = _edit(proposal, req, edit or EditInput(), actor=actor, now=now, today=today)
    _mark(proposal, "accepted", actor=actor, now=now, event=event)
    return event


def _edit(proposal: Proposal, req: RecordsRequest, edit: EditInput, *, actor: User, now: datetime,
          today: date) -> Event | None:
    kind = proposal.kind
    if kind in EDITS:
        if edit.on is None:
            raise ValidationFailed("Give the date.", {"on": "Give the date."})
        if message := planned_day_error(edit.on):
            raise ValidationFailed(message, {"on": message})
        services.update_request(req, actor=actor, now=now, today=today, data={EDITS[kind]: edit.on})
        return _latest_event(req)
    if kind == "appeal_acknowledgment":  # on an appealed request (_refusal)
        number = (edit.tracking_number or "").strip()
        if not number:
            raise ValidationFailed("Give the appeal number.", {"tracking_number": "Give the appeal number."})
        services.add_tracking_number(req, number, kind="appeal", on=local(now).date())
        event = services.record_event(req, actor, now, "edit", note=f"Appeal acknowledged; appeal number {number}.",
                                      data={"tracking_number": number})
        req.updated_at = now
        db.session.flush()
        return event
    return None  # portal_notice: seen; nothing to change


def _latest_event(req: RecordsRequest) -> Event | None:
    return db.session.scalar(select(Event).where(Event.request_id == req.id).order_by(Event.id.desc()).limit(1))


def dismiss(proposal: Proposal, *, actor: User, now: datetime) -> None:
    if proposal.status != "pending":
        raise Conflict(f"This proposal was already {proposal.status}.")
    _mark(proposal, "dismissed", actor=actor, now=now)


def action_label(proposal: Proposal, req: RecordsRequest) -> str:
    action = action_for(proposal, req)
    if action is not None:
        return ACTIONS[action].label
    return {"still_interested": "Set the date our answer is due", "estimated_completion": "Set a follow-up date",
            "appeal_acknowledgment": "Record the appeal number", "portal_notice": "Mark as seen"}.get(proposal.kind, "")
