"""What a reporter chooses for one letter: the optional paragraphs, the custom text, who signs it.

Kept on every stored Letter (``Letter.options``) as plain JSON, so a later version starts from the
choices of the one before. ``defaults()`` proposes the first choices from the request itself.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import select

from tracker.agencies.models import Agency
from tracker.auth.models import User
from tracker.core.clock import local_date
from tracker.extensions import db
from tracker.letters.describe import propose_records_description_for
from tracker.letters.filters import longdate
from tracker.letters.stage import fee_category_denied
from tracker.requests.models import RecordsRequest

# The request's own default delivery format reads badly in a sentence; this is what it means.
MODEL_DEFAULT_FORMAT = "Electronic records (PDF)"
LETTER_DEFAULT_FORMAT = "searchable PDF files"

# Adverse outcomes of a determination -> the appeal template's determination kinds.
OUTCOME_KINDS = {"granted_in_part": "partial", "denied": "full_denial", "no_records": "no_records"}
APPEAL_KINDS = {
    "partial": "Partial denial (records withheld in part)",
    "full_denial": "Denial in full",
    "no_records": "No records found",
    "fee_waiver_denied": "Fee waiver denied",
    "fee_category_denied": "News-media fee category denied",
    "expedite_denied": "Expedited processing denied",
    "glomar": "Refusal to confirm or deny that records exist",
}
# Events that say nothing to a mediator.
QUIET_EVENTS = {"create", "edit", "upload"}


@dataclass
class LetterOptions:
    channel: str = "portal"  # portal, email, mail or fax: how the letter will go (the delivery line)
    requester_name: str = ""
    requester_title: str = ""
    requester_email: str = ""
    requester_phone: str = ""
    records_description: str = ""
    date_range_start: date | None = None
    date_range_end: date | None = None
    delivery_format: str = ""
    fee_limit: Decimal | None = None
    media_description: str = ""
    fee_waiver_requested: bool = False
    fee_waiver_justification: str = ""
    expedited_requested: bool = False
    expedited_category: str = ""
    expedited_justification: str = ""
    determination_kind: str = ""  # appeal: what is appealed (APPEAL_KINDS)
    contested: list[str] = field(default_factory=list)  # appeal: exemption codes contested
    contest_search: bool = False  # appeal: argue the adequacy of the search
    arguments: dict[str, str] = field(default_factory=dict)  # appeal: code or "search" -> the reporter's note
    history: str = ""  # OGIS: one "YYYY-MM-DD: what happened" per line
    dispute_summary: str = ""
    resolution_sought: str = ""
    enclosures: str = ""  # one per line
    custom_text: str = ""  # the reporter's own paragraphs, near the end of the letter
    records_office: str = ""  # the office that holds the records, as the arguments name it
    # The fee-waiver factors (6 CFR 5.11(k)(2)-(3)), each the reporter's facts; blank: the newsroom's default.
    waiver_operations: str = ""
    waiver_informative: str = ""
    waiver_audience: str = ""
    waiver_significance: str = ""
    waiver_commercial: str = ""
    # Expedited processing: the public's need and why now (the urgency is expedited_justification).
    expedited_public_need: str = ""
    expedited_why_now: str = ""
    confirm_second_appeal: bool = False  # appeal: the reporter confirmed an appeal after one already filed

    def to_json(self) -> dict[str, Any]:
        out = {}
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            out[f.name] = str(value) if isinstance(value, date | Decimal) else value
        return out

    @classmethod
    def from_json(cls, data: dict[str, Any] | None) -> LetterOptions:
        data = data or {}
        made = cls()
        for f in dataclasses.fields(cls):
            if f.name not in data:
                continue
            value = data[f.name]
            if f.name in ("date_range_start", "date_range_end"):
                value = _day(value)
            elif f.name == "fee_limit":
                value = _money(value)
            setattr(made, f.name, value)
        return made


def _day(value: Any) -> date | None:
    try:
        return date.fromisoformat(value) if isinstance(value, str) and value else None
    except ValueError:
        return None


def _money(value: Any) -> Decimal | None:
    try:
        return Decimal(str(value)) if value not in (None, "") else None
    except InvalidOperation:
        return None


def default_channel(req: RecordsRequest, kind: str = "") -> str:
    agency = req.agency
    if kind == "appeal":  # an appeal goes where appeals go, never to the request portal
        contact = appeal_contact(req)
        return "portal" if contact["portal_url"] else "email" if contact["email"] else "mail"
    return "portal" if agency.portal_url else "email" if agency.foia_email else "mail"


APPEAL_CONTACT = ("appeal_office", "appeal_address", "appeal_email", "appeal_portal_url")


def appeal_contact(req: RecordsRequest) -> dict:
    """Where the appeal goes: the instructions recorded with the determination when its letter gives any (they
    win as a whole), else the agency directory's appeal authority with its "check" flag."""
    determination = initial_determination(req)
    if determination is not None and any((getattr(determination, n) or "").strip() for n in APPEAL_CONTACT):
        source, check = determination, False
    else:
        source, check = req.agency, req.agency.appeal_check
    return {"office": source.appeal_office.strip(), "address": source.appeal_address.strip(),
            "email": source.appeal_email.strip(), "portal_url": source.appeal_portal_url.strip(), "check": check,
            "from_letter": source is determination,
            "deadline_stated": (determination.appeal_deadline_stated or "") if determination is not None else ""}


def matter_dicts(req: RecordsRequest) -> list[dict[str, Any]]:
    return [{"title": m.title, "opr_case_number": m.opr_case_number, "place": m.place, "summary": m.summary,
             "date_range_start": m.began_on, "date_range_end": m.ended_on} for m in req.matters]


def _records_agency(req: RecordsRequest) -> Agency | None:
    """The office whose records are sought, from the directory: the one office listed as part of the agency
    the request goes to (ICE FOIA Office -> ICE Office of Professional Responsibility); None otherwise."""
    parts = db.session.scalars(select(Agency).where(Agency.parent_id == req.agency_id)).all()
    return parts[0] if len(parts) == 1 else None


def _the(name: str) -> str:
    return name if name.lower().startswith("the ") else f"the {name}"


def records_office(req: RecordsRequest) -> str:
    office = _records_agency(req)
    return _the(office.name) if office is not None else ""


def describe_for(req: RecordsRequest) -> str:
    """The proposed records description, naming the office and agency the request goes to (never another)."""
    office = _records_agency(req)
    if office is not None:
        name = _the(office.name) + (f" ({office.abbreviation.split()[-1]})" if office.abbreviation else "")
        short = office.abbreviation.split()[-1] if office.abbreviation else ""
    else:
        name, short = _the(req.agency.name), ""
    return propose_records_description_for(matter_dicts(req), office=name, short=short)


def appeal_kind(req: RecordsRequest) -> str:
    """What an appeal of this request contests by default: the adverse determination, else a recorded denial."""
    determination = initial_determination(req)
    if determination is not None and determination.outcome in OUTCOME_KINDS:
        return OUTCOME_KINDS[determination.outcome]
    if req.fee_waiver_decision in ("denied", "partly"):
        return "fee_waiver_denied"
    if fee_category_denied(req):
        return "fee_category_denied"
    if req.expedited_decision == "denied":
        return "expedite_denied"
    return ""


def initial_determination(req: RecordsRequest):
    found = [d for d in req.determinations if d.stage == "initial"]
    return found[-1] if found else None


def history_lines(req: RecordsRequest) -> str:
    """The request's story from its events, one dated line each, oldest first."""
    lines = []
    for event in req.events:
        if event.action in QUIET_EVENTS or not event.note:
            continue
        day = event.on or local_date(event.at)
        lines.append(f"{day.isoformat()}: {event.note}")
    return "\n".join(lines)


def _enclosures(req: RecordsRequest, kind: str) -> str:
    if kind != "appeal":
        return ""
    lines = []
    if req.sent_on:
        lines.append(f"My request of {longdate(req.sent_on)}")
    determination = initial_determination(req)
    if determination is not None:
        lines.append(f"The agency's determination letter of {longdate(determination.decided_on)}")
    return "\n".join(lines)


def defaults(req: RecordsRequest, kind: str, actor: User | None, previous: LetterOptions | None = None
             ) -> LetterOptions:
    """First choices for a new letter: the request's own terms, the signer's last title and phone."""
    determination = initial_determination(req)
    cited = list(determination.exemptions or []) if determination is not None else []
    if req.fee_waiver_decision in ("denied", "partly"):
        cited.append("fee_waiver")
    if fee_category_denied(req):
        cited.append("fee_category")
    if req.expedited_decision == "denied":
        cited.append("expedite")
    signer = actor or req.owner
    description = req.records_description.strip() or describe_for(req)
    fmt = req.delivery_format.strip()
    options = LetterOptions(
        channel=default_channel(req, kind),
        requester_name=signer.name, requester_email=signer.email,
        requester_title=previous.requester_title if previous else "",
        requester_phone=previous.requester_phone if previous else "",
        media_description=previous.media_description if previous else "",
        records_description=description,
        date_range_start=req.records_from, date_range_end=req.records_to,
        delivery_format=LETTER_DEFAULT_FORMAT if fmt == MODEL_DEFAULT_FORMAT else fmt,
        fee_limit=req.fee_limit,
        fee_waiver_requested=req.fee_waiver_requested, fee_waiver_justification=req.fee_waiver_justification,
        expedited_requested=req.expedited_requested or kind == "expedite_request",
        expedited_category=req.expedited_category, expedited_justification=req.expedited_justification,
        determination_kind=appeal_kind(req),
        contested=cited,
        contest_search=determination is not None and determination.outcome == "no_records",
        history=history_lines(req) if kind == "ogis_mediation" else "",
        enclosures=_enclosures(req, kind),
        records_office=records_office(req),
    )
    return options
