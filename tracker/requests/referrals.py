"""Referrals: an agency sends all or part of the records to another agency to answer (6 CFR 5.4(d); 28 CFR
16.4(d)). The tracker follows the other agency's answer as a child request, linked by `referred_from_id`,
with its own clock from the day that agency received the records, under that agency's own law.

A chain is the first request and every request referred from it, at any depth (`referral_root_id` names the
first). The ledger counts a chain once, and `chain_root_sql()` is the same rule for any other read model.

The action "refer" is a lifecycle action (status.py): `handler` checks and changes the referring request as
every action handler does; `open_child` (called by lifecycle.perform once the event exists) creates the child.
Like every service they add and flush; the caller commits once, and a refusal changes nothing.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from tracker.agencies.models import Agency
from tracker.auth.models import User
from tracker.core.errors import Conflict, ValidationFailed
from tracker.core.validation import text_errors
from tracker.extensions import db
from tracker.requests import access, audit, due_dates, shown
from tracker.requests.models import Determination, Event, RecordsRequest, TrackingNumber
from tracker.requests.pauses import end_pause
from tracker.requests.services import MAX_REFERRAL_DEPTH, add_tracking_number, record_event, referral_ancestors
from tracker.requests.status import OPEN_AT_AGENCY, REFERRAL_SCOPES

# The request's terms a child keeps: it asks the other agency for the same records on the same terms.
COPIED = ("subject", "records_description", "records_from", "records_to", "delivery_format", "fee_category",
          "fee_limit", "fee_waiver_requested", "fee_waiver_justification", "expedited_requested",
          "expedited_category", "expedited_justification", "private")


def chain_root_sql():
    """The first request of a request's referral chain, in SQL (its own id when it was not referred): group by
    it to count a chain once (the ledger does; the board's scorecards can)."""
    return func.coalesce(RecordsRequest.referral_root_id, RecordsRequest.id)


def chain_root_id(req: RecordsRequest) -> int:
    return req.referral_root_id or req.id


def _name(agency: Agency) -> str:
    return agency.abbreviation or agency.name


def _field(name: str, message: str) -> ValidationFailed:
    return ValidationFailed(message, {name: message})


def check(req: RecordsRequest, inp) -> Agency:
    """Refuse a referral that cannot be (changing nothing); the receiving agency otherwise."""
    if inp.scope not in REFERRAL_SCOPES:
        raise _field("scope", "Say whether all the records or part of them were referred.")
    if inp.scope == "all" and req.status not in OPEN_AT_AGENCY:
        raise _field("scope", "The agency has already answered this request, so it cannot refer all of it; "
                              "record a referral of part of the records.")
    if not inp.agency_id:
        raise _field("agency_id", "Choose the agency the records were referred to.")
    agency = db.session.get(Agency, inp.agency_id) if isinstance(inp.agency_id, int) else None
    if agency is None:
        raise _field("agency_id", "There is no such agency in the directory; choose one from the list.")
    if agency.id == req.agency_id:
        raise _field("agency_id", f"The request is already at {_name(agency)}: a referral goes to another agency.")
    ancestors = referral_ancestors(req)
    if len(ancestors) > MAX_REFERRAL_DEPTH:
        raise _field("agency_id", "This chain of referrals is too long to follow.")
    for earlier in ancestors[1:]:
        if earlier.agency_id == agency.id:
            raise _field("agency_id", f"{_name(agency)} referred these records on to {_name(req.agency)} earlier "
                                      f"in this chain (request #{earlier.id}); a referral back would be a loop.")
    for floor, what in ((req.sent_on, "the day the request was sent"),
                        (req.received_on, "the day the agency received the request")):
        if inp.on is not None and floor is not None and inp.on < floor:
            raise _field("on", f"The referral date is before {what} ({floor}).")
    if inp.received_on is not None and inp.on is not None and inp.received_on < inp.on:
        raise _field("received_on", "The receiving agency cannot have received the records before they were "
                                    f"referred ({inp.on}).")
    number = (inp.tracking_number or "").strip()
    if number:
        if errors := text_errors(TrackingNumber, {"number": number}):
            raise _field("tracking_number", errors["number"])
        taken = db.session.scalar(select(TrackingNumber.id).where(TrackingNumber.agency_id == agency.id,
                                                                  TrackingNumber.number == number))
        if taken is not None:
            raise Conflict(f"Tracking number {number} is already recorded on another request to {_name(agency)}.",
                           {"tracking_number": f"This number is already recorded on another request to "
                                               f"{_name(agency)}."})
    return agency


def handler(req: RecordsRequest, inp, now: datetime):
    """The lifecycle handler of "refer": checks, and stops the agency's own clock for a referral in full."""
    agency = check(req, inp)
    to = None
    whole = inp.scope == "all"
    if whole:  # referred in full: the agency's answer is the referral; its own clock stops
        end_pause(req, inp.on)
        db.session.add(Determination(request=req, stage="initial", outcome="referred", decided_on=inp.on,
                                     note=inp.note or ""))
        req.determined_on = inp.on
        req.outcome = "referred"
        req.pages_released = req.pages_withheld = None
        to = "determined"
    what = "all the records" if whole else "part of the records"
    note = f"Referred {what} to {agency.name}" + ("; the agency's own clock stops." if whole else
                                                   "; the agency's own clock keeps running.")
    return to, note, {"scope": inp.scope, "agency_id": agency.id, "agency": agency.name,
                      "tracking_number": (inp.tracking_number or "").strip(),
                      "received_on": inp.received_on or inp.on}


def _title(parent: RecordsRequest, agency: Agency) -> str:
    suffix = f" (referred to {_name(agency)})"
    return parent.title[: 300 - len(suffix)] + suffix


def open_child(parent: RecordsRequest, inp, event: Event, *, actor: User, now: datetime,
               today: date) -> RecordsRequest:
    """The request at the receiving agency: owned, watched and linked like its parent, asking for the same
    records, filed on the referral date and received on the day given (the referral date by default), with
    its deadlines computed under the receiving agency's rules."""
    agency = db.session.get(Agency, inp.agency_id)
    received = inp.received_on or inp.on
    child = RecordsRequest(owner=parent.owner, owner_id=parent.owner_id, agency=agency, agency_id=agency.id,
                           status="filed", created_at=now, updated_at=now, deadline_provenance={},
                           referred_from=parent, referral_root_id=chain_root_id(parent),
                           title=_title(parent, agency), sent_on=inp.on, received_on=received)
    for name in COPIED:
        setattr(child, name, getattr(parent, name))
    variant = parent.deadline_variant
    child.deadline_variant = variant if variant and due_dates.variant_error(variant, None, agency) is None else ""
    child.matters = list(parent.matters)
    child.watchers = list(parent.watchers)
    db.session.add(child)
    what = "all the records" if inp.scope == "all" else "part of the records"
    record_event(child, actor, now, "referred_in", on=inp.on,
                 note=f"{parent.agency.name} referred {what} of request #{parent.id} here; "
                      f"{_name(agency)} received them {received}.",
                 data={"scope": inp.scope, "referred_from_id": parent.id, "received_on": received})
    db.session.flush()
    add_tracking_number(child, inp.tracking_number, kind="request", on=received)
    due_dates.recompute(child, today)
    event.data = {**(event.data or {}), "child_id": child.id}
    audit.record(child, actor=actor, action="change", detail=f"opened by a referral from request #{parent.id}",
                 now=now)
    db.session.flush()
    return child


# --- reading a chain ------------------------------------------------------------------------------------------

CLOCKS = ("response", "appeal", "appeal_decision")  # the clock of a request in a tree, in this order


def clock(req: RecordsRequest, today: date) -> dict:
    """The one clock that runs now (its label, due date, how it was computed, how late), or why none runs."""
    rows = [r for r in due_dates.summary(req, today) if r["active"] and r["kind"] in CLOCKS]
    rows.sort(key=lambda r: CLOCKS.index(r["kind"]))
    if rows:
        r = rows[0]
        return {"kind": r["kind"], "label": r["label"], "due": r["due"], "steps": r["steps"], "unit": r["unit"],
                "overdue_by": r["overdue_by"], "days_left": r["days_left"], "stopped": ""}
    if req.outcome == "referred" and req.status == "determined":
        stopped = f"Stopped: referred in full on {req.determined_on}."
    elif req.received_on is None:
        stopped = "Not started: the agency has not received it."
    else:
        stopped = "No clock running."
    return {"kind": "", "label": "", "due": None, "steps": [], "unit": "working", "overdue_by": 0,
            "days_left": None, "stopped": stopped}


def _referral_of(req: RecordsRequest) -> dict:
    """How a child came: scope, referral date and receipt (from its first event)."""
    for event in req.events:
        if event.action == "referred_in":
            data = event.data or {}
            return {"scope": data.get("scope", ""), "referred_on": event.on,
                    "received_on": date.fromisoformat(data["received_on"]) if data.get("received_on") else None}
    return {"scope": "", "referred_on": None, "received_on": None}


def chain(req: RecordsRequest) -> list[RecordsRequest]:
    """Every request of the request's chain (one query)."""
    root = chain_root_id(req)
    return list(db.session.scalars(
        select(RecordsRequest)
        .where(or_(RecordsRequest.id == root, RecordsRequest.referral_root_id == root))
        .options(selectinload(RecordsRequest.agency), selectinload(RecordsRequest.tracking_numbers),
                 selectinload(RecordsRequest.events), selectinload(RecordsRequest.tolled_spans))
        .order_by(RecordsRequest.id)))


def tree(req: RecordsRequest, viewer: User, today: date) -> list[dict]:
    """The chain as rows in tree order (a depth each), those the viewer may see, with every clock; empty when
    the request is in no chain. A request the viewer may not see is left out (its children stay, one level
    up): a private request's existence is not told."""
    if req.referred_from_id is None and req.referral_root_id is None and not _has_children(req):
        return []
    members = chain(req)
    children: dict[int | None, list[RecordsRequest]] = {}
    for member in members:
        children.setdefault(member.referred_from_id, []).append(member)
    root = chain_root_id(req)
    rows: list[dict] = []

    def walk(node: RecordsRequest, depth: int) -> None:
        shown = access.can_view(viewer, node)
        if shown:
            rows.append({"request": node, "depth": depth, "current": node.id == req.id,
                         "clock": clock(node, today), **_referral_of(node)})
        for child in children.get(node.id, []):
            walk(child, depth + 1 if shown else depth)

    start = next((m for m in members if m.id == root), None)
    if start is not None:
        walk(start, 0)
    return rows


def _has_children(req: RecordsRequest) -> bool:
    known = shown.known(req, "referrals")  # asked when the request was loaded to be shown
    if known is not None:
        return known
    return db.session.scalar(select(RecordsRequest.id).where(RecordsRequest.referred_from_id == req.id)
                             .limit(1)) is not None


def agency_choices(req: RecordsRequest) -> list[tuple[int, str]]:
    """The agencies a request's records can be referred to: every other agency in the directory."""
    agencies = db.session.scalars(select(Agency).where(Agency.id != req.agency_id).order_by(Agency.name))
    return [(0, "Choose an agency…")] + [(a.id, a.label) for a in agencies]
