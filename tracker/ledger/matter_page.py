"""Read-side of one matter's page: its visible requests and appeals with outcomes, one timeline across
them and its sources, and what remains undisclosed and why."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from tracker import deadlines
from tracker.auth.models import User
from tracker.core.clock import local_date
from tracker.extensions import db
from tracker.ledger import disclosure as dz
from tracker.matters.models import Matter, MatterStateOverride
from tracker.requests.access import visible_to
from tracker.requests.exemptions import EXEMPTIONS
from tracker.requests.models import Determination, DeterminationDocument, Event, RecordsRequest, request_matters
from tracker.requests.status import APPEAL_OUTCOMES, OUTCOMES, STATUSES

HIDDEN_EVENTS = ("edit", "upload")  # housekeeping, not part of the story


def shorts(codes) -> str:
    return ", ".join(EXEMPTIONS[c].short if c in EXEMPTIONS else c for c in codes)


def matter_requests(viewer: User, matter: Matter) -> list[RecordsRequest]:
    return list(db.session.scalars(
        select(RecordsRequest)
        .join(request_matters, request_matters.c.request_id == RecordsRequest.id)
        .where(request_matters.c.matter_id == matter.id, visible_to(viewer))
        .order_by(RecordsRequest.sent_on.asc().nulls_last(), RecordsRequest.id)
        .options(selectinload(RecordsRequest.agency), selectinload(RecordsRequest.owner),
                 selectinload(RecordsRequest.tracking_numbers),
                 selectinload(RecordsRequest.determinations).selectinload(Determination.documents),
                 selectinload(RecordsRequest.events).selectinload(Event.actor))
    ))


def in_force(req: RecordsRequest) -> tuple[Determination | None, Determination | None]:
    """The latest initial determination, and the appeal decision made after it (if any)."""
    initial = next((d for d in reversed(req.determinations) if d.stage == "initial"), None)
    appeal = next((d for d in reversed(req.determinations) if d.stage == "appeal"), None)
    if appeal is not None and not dz.appeal_in_force(appeal.decided_on, req.determined_on):
        appeal = None
    return initial, appeal


def request_class(req: RecordsRequest) -> str:
    _initial, appeal = in_force(req)
    return dz.classify_request(req.status, req.outcome, appeal.outcome if appeal else None)


def _working_days(req: RecordsRequest, start: date | None, end: date) -> int | None:
    if start is None:
        return None
    try:
        return max(deadlines.working_days_between(req.agency.jurisdiction, start, max(start, end)), 0)
    except (deadlines.DeadlineError, TypeError):
        return None


def _withheld_documents(det: Determination | None) -> list[DeterminationDocument]:
    return [d for d in (det.documents if det else []) if d.withheld_in_full or d.withheld_in_part
            or d.disposition != "released in full"]


def remaining(requests: list[RecordsRequest], today: date) -> list[dict]:
    """For each request that has not brought everything out: what is still held back, and on what grounds."""
    out = []
    for req in requests:
        cls = request_class(req)
        initial, appeal = in_force(req)
        det = appeal if appeal is not None and appeal.outcome != "remanded" else initial
        agency = req.agency.abbreviation or req.agency.name
        item = {"request": req, "class": cls, "agency": agency, "documents": [], "exemptions": ""}
        if cls == dz.ASKED:
            days = _working_days(req, req.received_on or req.sent_on, today)
            item["text"] = f"Pending at {agency}" + (f" for {days} working days" if days is not None else "")
            if req.response_due and req.status in ("filed", "acknowledged"):
                late = req.response_due < today
                item["text"] += (f"; the answer was due {req.response_due.isoformat()}" if late else
                                 f"; answer due {req.response_due.isoformat()}")
            if appeal is not None and appeal.outcome == "remanded":
                item["text"] += "; remanded on appeal for a new search or review"
            if req.outcome == "referred" and req.status == "determined" and req.determined_on is not None:
                item["text"] = (f"Referred in full by {agency} on {req.determined_on.isoformat()}: the answer comes "
                                "from the agency that received the records")
        elif cls in (dz.REFUSED, dz.PART):
            codes = (appeal.exemptions if appeal is not None and appeal.exemptions else
                     (initial.exemptions if initial else [])) or []
            docs = _withheld_documents(det)
            codes = list(dict.fromkeys(list(codes) + [c for d in docs for c in d.exemptions]))
            outcome = OUTCOMES.get(req.outcome, req.outcome)
            when = det.decided_on.isoformat() if det else ""
            if cls == dz.REFUSED:
                item["text"] = f"{outcome} by {agency} on {when}"
            else:
                pages = (f": {req.pages_released or 0} pages released, {req.pages_withheld or 0} withheld"
                         if req.pages_released is not None or req.pages_withheld is not None else "")
                item["text"] = f"Released in part by {agency} on {when}{pages}"
            if appeal is not None:
                item["text"] += f"; on appeal: {APPEAL_OUTCOMES.get(appeal.outcome, appeal.outcome).lower()}"
            elif req.status == "determined" and req.appeal_due:
                item["text"] += (f"; appeal possible until {req.appeal_due.isoformat()}" if req.appeal_due >= today
                                 else f"; the appeal window closed on {req.appeal_due.isoformat()}")
            item["exemptions"] = shorts(codes)
            item["exemption_codes"] = codes
            item["documents"] = docs
        elif cls == dz.UNANSWERED:
            item["text"] = f"{STATUSES[req.status].label} without an answer from {agency}"
        else:
            continue
        out.append(item)
    return out


def timeline(matter: Matter, requests: list[RecordsRequest]) -> list[dict]:
    """Every request's events and the matter's sources, newest first, in one list."""
    entries = []
    for req in requests:
        for event in req.events:
            if event.action in HIDDEN_EVENTS:
                continue
            entries.append({"on": event.on or local_date(event.at), "at": event.at, "kind": "event", "request": req,
                            "text": event.note, "actor": event.actor.name if event.actor else "",
                            "action": event.action})
    for source in matter.sources:
        if source.published_on:
            entries.append({"on": source.published_on, "at": None, "kind": "source", "request": None,
                            "text": source.title, "actor": source.publisher, "source": source,
                            "action": "official_report" if source.official_report else "source"})
    if matter.began_on:
        entries.append({"on": matter.began_on, "at": None, "kind": "matter", "request": None,
                        "text": "Began (as far as known)", "actor": "", "action": "began"})
    entries.sort(key=lambda e: (e["on"], e["at"].timestamp() if e["at"] else 0), reverse=True)
    return entries


def override_of(matter: Matter) -> MatterStateOverride | None:
    return db.session.scalar(select(MatterStateOverride).where(MatterStateOverride.matter_id == matter.id))
