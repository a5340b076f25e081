"""What the API sends back: each resource's JSON, with its JSON Schema written beside the function that builds
it, so a change to one is seen next to the other (and schemathesis checks every response against them)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from flask import url_for
from sqlalchemy import bindparam, inspect, select
from sqlalchemy.orm import joinedload
from sqlalchemy.orm.attributes import set_committed_value

from tracker.agencies.models import Agency
from tracker.core.template_helpers import id_href
from tracker.extensions import db
from tracker.mail.addresses import reply_address
from tracker.matters.models import Matter
from tracker.requests import access, due_dates, referrals
from tracker.requests.lifecycle import APPEAL_INSTRUCTIONS
from tracker.requests.models import (
    Attachment,
    Communication,
    Determination,
    Event,
    RecordsRequest,
    request_matters,
)
from tracker.requests.status import STATUSES, allowed_actions
from tracker.stories import queries as story_queries


def _day(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _instant(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def _money(value: Decimal | None) -> str | None:
    return f"{value:.2f}" if value is not None else None


# --- schema shorthands ----------------------------------------------------------------------------

def obj(properties: dict, *, required: list[str] | None = None) -> dict:
    return {"type": "object", "properties": properties,
            "required": list(properties) if required is None else required}


def nullable(schema: dict) -> dict:
    return {"anyOf": [schema, {"type": "null"}]}


STR = {"type": "string"}
INT = {"type": "integer"}
BOOL = {"type": "boolean"}
DAY = {"type": "string", "format": "date"}
INSTANT = {"type": "string", "format": "date-time"}
MONEY = {"type": "string", "pattern": r"^\d+\.\d{2}$", "description": "US dollars, as a decimal string."}
URL = {"type": "string", "description": "A path on this site."}


def ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


# --- small pieces -------------------------------------------------------------------------------------

def user_ref(user) -> dict | None:
    return {"id": user.id, "name": user.name} if user is not None else None


def agency_ref(agency: Agency) -> dict:
    return {"id": agency.id, "name": agency.name, "abbreviation": agency.abbreviation,
            "jurisdiction": agency.jurisdiction}


def matter_ref(matter: Matter) -> dict:
    return {"id": matter.id, "title": matter.title}


SCHEMAS: dict[str, dict] = {
    "UserRef": obj({"id": INT, "name": STR}),
    "AgencyRef": obj({"id": INT, "name": STR, "abbreviation": STR, "jurisdiction": STR}),
    "MatterRef": obj({"id": INT, "title": STR}),
    "Error": obj({"error": obj({
        "code": {"type": "string", "description": "A stable machine-readable code, e.g. validation_failed."},
        "message": {"type": "string", "description": "What went wrong, in plain words."},
        "fields": {"type": "object", "additionalProperties": STR,
                   "description": "A message per field (a dotted path for nested fields)."},
    })}),
}


# --- requests -------------------------------------------------------------------------------------------

def request_summary(req: RecordsRequest, requests_href: str = "", *, matters: list[dict] | None = None) -> dict:
    """`requests_href`: the request page's address less its id (requests_href()), for a list of many; `matters`:
    the request's matters as MatterRef when known (else read from req.matters)."""
    return {
        "id": req.id,
        "title": req.title,
        "status": req.status,
        "status_label": STATUSES[req.status].label if req.status in STATUSES else req.status,
        "private": req.private,
        "agency": agency_ref(req.agency),
        "owner": user_ref(req.owner),
        "tracking_number": req.primary_tracking_number or None,
        "matters": [matter_ref(m) for m in req.matters] if matters is None else matters,
        "sent_on": _day(req.sent_on),
        "received_on": _day(req.received_on),
        "response_due": _day(req.response_due),
        "outcome": req.outcome or None,
        "closed_on": _day(req.closed_on),
        "created_at": _instant(req.created_at),
        "updated_at": _instant(req.updated_at),
        "url": f"{requests_href}{req.id}" if requests_href else url_for("requests.show", request_id=req.id),
    }


def requests_href() -> str:
    """The request page's address less its id, for a list of many (core.template_helpers.id_href)."""
    return id_href("requests.show", "request_id")


SCHEMAS["RequestSummary"] = obj({
    "id": INT, "title": STR, "status": {"type": "string", "enum": list(STATUSES)}, "status_label": STR,
    "private": BOOL, "agency": ref("AgencyRef"), "owner": ref("UserRef"), "tracking_number": nullable(STR),
    "matters": {"type": "array", "items": ref("MatterRef")}, "sent_on": nullable(DAY), "received_on": nullable(DAY),
    "response_due": nullable(DAY), "outcome": nullable(STR), "closed_on": nullable(DAY), "created_at": INSTANT,
    "updated_at": INSTANT, "url": URL,
})


# A request's matters as their id and title, in the relationship's order (by title, which is unique): what the
# answer shows of them, without loading each matter whole through the ORM (the session is still flushed first).
_MATTERS_OF = (select(Matter.id, Matter.title).join(request_matters, request_matters.c.matter_id == Matter.id)
               .where(request_matters.c.request_id == bindparam("request_id")).order_by(Matter.title))


def matter_refs(req: RecordsRequest) -> list[dict]:
    """The request's matters as MatterRef; as the session holds them when it has loaded them (or knows none)."""
    if "matters" not in inspect(req).unloaded:
        return [matter_ref(m) for m in req.matters]
    return [{"id": matter_id, "title": title} for matter_id, title in db.session.execute(
        _MATTERS_OF, {"request_id": req.id})]


# A request's determinations with their documents (each in its relationship's order) in one statement, instead of
# one for the determinations and one more for each determination's documents.
_DETERMINATIONS_OF = (select(Determination).where(Determination.request_id == bindparam("request_id"))
                      .options(joinedload(Determination.documents)).order_by(Determination.id))


def determinations_of(req: RecordsRequest) -> list[Determination]:
    """req.determinations, loaded with their documents when the session has not loaded them yet."""
    if "determinations" in inspect(req).unloaded:
        rows = list(db.session.scalars(_DETERMINATIONS_OF, {"request_id": req.id}).unique())
        set_committed_value(req, "determinations", rows)
    return req.determinations


def request_detail(req: RecordsRequest, user, today: date) -> dict:
    can_act = access.can_act(user, req)
    return {
        **request_summary(req, matters=matter_refs(req)),
        "records_description": req.records_description,
        "records_from": _day(req.records_from),
        "records_to": _day(req.records_to),
        "delivery_format": req.delivery_format,
        "fee_category": req.fee_category,
        "fee_limit": _money(req.fee_limit),
        "fee_waiver_requested": req.fee_waiver_requested,
        "fee_waiver_justification": req.fee_waiver_justification,
        "expedited_requested": req.expedited_requested,
        "expedited_category": req.expedited_category,
        "expedited_justification": req.expedited_justification,
        "deadline_variant": req.deadline_variant,
        "subject": req.subject,
        "decisions": decisions_json(req),
        "acknowledged_on": _day(req.acknowledged_on),
        "extended": req.extended,
        "determined_on": _day(req.determined_on),
        "appeal_filed_on": _day(req.appeal_filed_on),
        "appeal_extended": req.appeal_extended,
        "follow_up_on": _day(req.follow_up_on),
        "our_answer_due_on": _day(req.our_answer_due_on),
        "estimated_completion_on": _day(req.estimated_completion_on),
        "estimated_completion_given_on": _day(req.estimated_completion_given_on),
        "pages_released": req.pages_released,
        "pages_withheld": req.pages_withheld,
        "fees_estimated": _money(req.fees_estimated),
        "fees_paid": _money(req.fees_paid),
        "watchers": [user_ref(u) for u in req.watchers],
        "tracking_numbers": [{"kind": t.kind, "number": t.number, "assigned_on": _day(t.assigned_on)}
                             for t in req.tracking_numbers],
        "tolled_spans": [{"reason": s.reason, "paused_on": _day(s.paused_on), "resumed_on": _day(s.resumed_on)}
                         for s in req.tolled_spans],
        "determinations": [{"stage": d.stage, "outcome": d.outcome, "decided_on": _day(d.decided_on),
                            "exemptions": list(d.exemptions or []), "pages_released": d.pages_released,
                            "pages_withheld": d.pages_withheld, "note": d.note,
                            "documents": [vaughn_row(doc) for doc in d.documents],
                            "appeal_instructions": {name: getattr(d, name) for name in APPEAL_INSTRUCTIONS}}
                           for d in determinations_of(req)],
        "deadlines": [deadline_row(row) for row in due_dates.summary(req, today)],
        "allowed_actions": [a.name for a in allowed_actions(req.status)] if can_act else [],
        "can_act": can_act,
        "reply_address": reply_address(req.reply_token) or None,
        "stories": [story_json(s, user) for s in story_queries.stories_of_request(user, req)],
        "referred_from_id": req.referred_from_id if req.referred_from is not None and access.can_view(
            user, req.referred_from) else None,  # a private parent the user may not see is not told
        "referrals": referrals_json(req, user, today),
        "batch_id": req.batch_id,
    }


def referrals_json(req: RecordsRequest, user, today: date) -> list[dict]:
    """The requests referred from this one (and from those, nested), that the user may see, with their clocks."""
    rows = referrals.tree(req, user, today)
    items: dict[int, dict] = {}
    stack: list[tuple[int, dict]] = []  # (depth, item) of the rows above, to find each row's parent
    top: list[dict] = []
    for row in rows:
        r, c = row["request"], row["clock"]
        item = {"id": r.id, "agency": agency_ref(r.agency), "status": r.status,
                "status_label": STATUSES[r.status].label if r.status in STATUSES else r.status,
                "tracking_number": r.primary_tracking_number or None, "scope": row["scope"] or None,
                "referred_on": _day(row["referred_on"]), "received_on": _day(row["received_on"]),
                "clock": {"label": c["label"], "due": _day(c["due"]), "stopped": c["stopped"],
                          "overdue_by": c["overdue_by"], "steps": c["steps"]},
                "url": url_for("requests.show", request_id=r.id), "referrals": []}
        items[r.id] = item
        while stack and stack[-1][0] >= row["depth"]:
            stack.pop()
        (stack[-1][1]["referrals"] if stack else top).append(item)
        stack.append((row["depth"], item))
    here = items.get(req.id)
    return here["referrals"] if here is not None else []


def vaughn_row(doc) -> dict:
    return {"description": doc.description, "pages": doc.pages, "withheld_in_full": doc.withheld_in_full,
            "withheld_in_part": doc.withheld_in_part, "exemptions": list(doc.exemptions or []), "note": doc.note,
            "disposition": doc.disposition}


def decisions_json(req: RecordsRequest) -> dict:
    """The agency's decisions on expedited processing, the fee waiver and the fee category (None: none yet)."""
    out = {}
    for name in ("expedited", "fee_waiver", "fee_category"):
        decision = getattr(req, f"{name}_decision")
        out[name] = {"decision": decision, "decided_on": _day(getattr(req, f"{name}_decided_on"))} if decision \
            else None
    return out


def deadline_row(row: dict) -> dict:
    return {"kind": row["kind"], "label": row["label"], "due": _day(row["due"]), "active": row["active"],
            "unit": row.get("unit", "working"),
            "days_left": row["days_left"], "overdue_by": row["overdue_by"], "notices": row["notices"],
            "steps": row["steps"]}


STEP = obj({"kind": STR, "text": STR, "on": nullable(DAY)})
SCHEMAS["Step"] = STEP
SCHEMAS["StoredDeadline"] = obj({
    "kind": STR, "label": STR, "due": nullable(DAY), "active": BOOL,
    "unit": {"type": "string", "enum": ["working", "calendar"],
             "description": "How days_left and overdue_by are counted, as the law counts this period."},
    "days_left": nullable({"type": "integer", "description": "Days left (in `unit`), while it binds."}),
    "overdue_by": {"type": "integer", "description": "Days late, in `unit` (0 when not late)."},
    "notices": {"type": "array", "items": STR}, "steps": {"type": "array", "items": ref("Step")},
})
SCHEMAS["Request"] = {"allOf": [ref("RequestSummary"), obj({
    "records_description": STR, "records_from": nullable(DAY), "records_to": nullable(DAY), "delivery_format": STR,
    "fee_category": STR, "fee_limit": nullable(MONEY), "fee_waiver_requested": BOOL, "fee_waiver_justification": STR,
    "expedited_requested": BOOL, "expedited_category": STR, "expedited_justification": STR,
    "deadline_variant": STR, "acknowledged_on": nullable(DAY), "extended": BOOL, "determined_on": nullable(DAY),
    "appeal_filed_on": nullable(DAY), "appeal_extended": BOOL, "follow_up_on": nullable(DAY),
    "our_answer_due_on": nullable(DAY), "estimated_completion_on": nullable(DAY),
    "estimated_completion_given_on": nullable(DAY), "pages_released": nullable(INT), "pages_withheld": nullable(INT),
    "fees_estimated": nullable(MONEY), "fees_paid": nullable(MONEY),
    "watchers": {"type": "array", "items": ref("UserRef")},
    "tracking_numbers": {"type": "array", "items": obj({"kind": STR, "number": STR, "assigned_on": nullable(DAY)})},
    "tolled_spans": {"type": "array", "items": obj({"reason": STR, "paused_on": DAY, "resumed_on": nullable(DAY)})},
    "determinations": {"type": "array", "items": obj({
        "stage": STR, "outcome": STR, "decided_on": DAY, "exemptions": {"type": "array", "items": STR},
        "pages_released": nullable(INT), "pages_withheld": nullable(INT), "note": STR,
        "documents": {"type": "array", "description": "The determination's Vaughn index, one entry per document.",
                      "items": obj({"description": STR, "pages": nullable(INT), "withheld_in_full": INT,
                                    "withheld_in_part": INT, "exemptions": {"type": "array", "items": STR},
                                    "note": STR, "disposition": STR})},
        "appeal_instructions": obj({name: STR for name in APPEAL_INSTRUCTIONS})})},
    "subject": STR,
    "decisions": obj({name: nullable(obj({"decision": STR, "decided_on": DAY}))
                      for name in ("expedited", "fee_waiver", "fee_category")}),
    "deadlines": {"type": "array", "items": ref("StoredDeadline")},
    "allowed_actions": {"type": "array", "items": STR,
                        "description": "Actions you may take now (POST /requests/{id}/actions/{action})."},
    "can_act": BOOL,
    "reply_address": {**nullable(STR), "description": "The request's reply address (the newsroom mailbox with a "
                      "+tag); mail sent to it is filed on this request. Null when no mailbox is set up."},
    "stories": {"type": "array", "items": ref("Story"), "description": "Stories published from its records."},
    "referred_from_id": {**nullable(INT), "description": "The request this one was referred from (action refer)."},
    "referrals": {"type": "array", "items": ref("Referral"),
                  "description": "The requests referred from this one that you may see, each with its own clock."},
    "batch_id": {**nullable(INT), "description": "The batch it was drafted in with the same request to other "
                 "agencies (GET /batches/{id}); null when drafted on its own."},
})]}
SCHEMAS["Referral"] = obj({
    "id": INT, "agency": ref("AgencyRef"), "status": STR, "status_label": STR, "tracking_number": nullable(STR),
    "scope": {**nullable({"type": "string", "enum": ["all", "part"]}), "description": "What was referred."},
    "referred_on": nullable(DAY), "received_on": {**nullable(DAY), "description": "Its clock runs from this day."},
    "clock": obj({"label": STR, "due": nullable(DAY), "stopped": STR, "overdue_by": INT,
                  "steps": {"type": "array", "items": ref("Step")}}),
    "url": URL, "referrals": {"type": "array", "items": ref("Referral")},
})
SCHEMAS["RequestPage"] = obj({
    "items": {"type": "array", "items": ref("RequestSummary")}, "page": INT, "per_page": INT, "total": INT,
    "pages": INT,
})


def event_json(event: Event) -> dict:
    return {"id": event.id, "action": event.action, "at": _instant(event.at), "on": _day(event.on),
            "actor": user_ref(event.actor), "from_status": event.from_status, "to_status": event.to_status,
            "note": event.note, "data": event.data or {}}


SCHEMAS["Event"] = obj({
    "id": INT, "action": STR, "at": INSTANT, "on": nullable(DAY), "actor": nullable(ref("UserRef")),
    "from_status": STR, "to_status": STR, "note": STR, "data": {"type": "object"},
})


def attachment_json(attachment: Attachment) -> dict:
    return {"id": attachment.id, "name": attachment.original_name, "size": attachment.size,
            "content_type": attachment.content_type, "sha256": attachment.sha256,
            "communication_id": attachment.communication_id, "uploaded_at": _instant(attachment.uploaded_at),
            "uploaded_by": user_ref(attachment.uploaded_by),
            "download_url": url_for("api.download_attachment", attachment_id=attachment.id)}


SCHEMAS["Attachment"] = obj({
    "id": INT, "name": STR, "size": INT, "content_type": STR, "sha256": STR, "communication_id": nullable(INT),
    "uploaded_at": INSTANT, "uploaded_by": nullable(ref("UserRef")), "download_url": URL,
})


def communication_json(comm: Communication) -> dict:
    return {"id": comm.id, "direction": comm.direction, "channel": comm.channel,
            "occurred_on": _day(comm.occurred_on), "subject": comm.subject, "body": comm.body, "kind": comm.kind,
            "event_id": comm.event_id, "created_by": user_ref(comm.created_by),
            "created_at": _instant(comm.created_at), "attachments": [attachment_json(a) for a in comm.attachments]}


SCHEMAS["Communication"] = obj({
    "id": INT, "direction": {"type": "string", "enum": ["in", "out"]}, "channel": STR, "occurred_on": DAY,
    "subject": STR, "body": STR, "kind": STR, "event_id": nullable(INT), "created_by": nullable(ref("UserRef")),
    "created_at": INSTANT, "attachments": {"type": "array", "items": ref("Attachment")},
})


# --- agencies, matters, deadlines ---------------------------------------------------------------------

AGENCY_FIELDS = ("name", "abbreviation", "parent_id", "jurisdiction", "foia_email", "portal_url",
                 "mailing_address", "phone", "public_liaison", "appeal_office", "appeal_address", "notes",
                 "appeal_email", "appeal_portal_url", "observed_days")


def agency_json(agency: Agency) -> dict:
    return {"id": agency.id, **{name: getattr(agency, name) for name in AGENCY_FIELDS}, "label": agency.label,
            "appeal_check": agency.appeal_check, "expedited_iv_office_id": agency.expedited_iv_office_id}


SCHEMAS["Agency"] = obj({"id": INT, **{name: STR for name in AGENCY_FIELDS}, "parent_id": nullable(INT),
                         "label": STR, "appeal_check": BOOL, "expedited_iv_office_id": nullable(INT)})

MATTER_FIELDS = ("title", "summary", "opr_case_number", "place", "public_outcome", "notes")


def matter_json(matter: Matter, disclosure: dict | None = None) -> dict:
    return {"id": matter.id, "disclosure": disclosure, **{name: getattr(matter, name) for name in MATTER_FIELDS},
            "category": matter.category.value, "began_on": _day(matter.began_on), "ended_on": _day(matter.ended_on),
            "created_at": _instant(matter.created_at),
            "sources": [{"id": s.id, "title": s.title, "publisher": s.publisher, "url": s.url,
                         "published_on": _day(s.published_on), "quote": s.quote,
                         "official_report": s.official_report} for s in matter.sources]}


SCHEMAS["Matter"] = obj({
    "id": INT, "disclosure": nullable({**ref("LedgerRow"), "description": "The disclosure state, as in the ledger."}),
    **{name: STR for name in MATTER_FIELDS}, "category": STR, "began_on": nullable(DAY),
    "ended_on": nullable(DAY), "created_at": INSTANT,
    "sources": {"type": "array", "items": obj({
        "id": INT, "title": STR, "publisher": STR, "url": STR, "published_on": nullable(DAY), "quote": STR,
        "official_report": BOOL})},
})

SCHEMAS["Explanation"] = obj({
    "kind": STR, "jurisdiction": STR,
    "result": nullable({**DAY, "description": "The due date; null when the law sets no computable date."}),
    "steps": {"type": "array", "items": ref("Step")},
})
SCHEMAS["Jurisdiction"] = obj({"code": STR, "name": STR,
                               "variants": {"type": "array", "items": obj({"key": STR, "label": STR})}})


# --- published stories ---------------------------------------------------------------------------------

def story_json(story, viewer) -> dict:
    """A published story; its requests and documents only where the viewer may see them."""
    return {"id": story.id, "headline": story.headline, "url": story.url, "published_on": _day(story.published_on),
            "note": story.note, "created_by": user_ref(story.created_by), "created_at": _instant(story.created_at),
            "updated_at": _instant(story.updated_at), "matters": [matter_ref(m) for m in story.matters],
            "requests": [{"id": r.id, "title": r.title} for r in story_queries.visible_requests(viewer, story)],
            "documents": [{"id": a.id, "name": a.original_name, "request_id": a.request_id,
                           "download_url": url_for("api.download_attachment", attachment_id=a.id)}
                          for a in story_queries.visible_documents(viewer, story)]}


SCHEMAS["Story"] = obj({
    "id": INT, "headline": STR, "url": STR, "published_on": DAY, "note": STR, "created_by": nullable(ref("UserRef")),
    "created_at": INSTANT, "updated_at": INSTANT, "matters": {"type": "array", "items": ref("MatterRef")},
    "requests": {"type": "array", "items": obj({"id": INT, "title": STR})},
    "documents": {"type": "array", "items": obj({"id": INT, "name": STR, "request_id": INT, "download_url": URL})},
})
