"""The JSON bodies and query strings the API accepts, as field specs (see fields.py), and their conversion
into the arguments the services take. The OpenAPI document is generated from these same specs."""

from __future__ import annotations

import json
from dataclasses import replace

from flask import request

from tracker import deadlines
from tracker.api.fields import (
    Bool,
    Count,
    Day,
    Enum,
    Field,
    Id,
    ListOf,
    Money,
    Object,
    String,
    parse_object,
    parse_query,
)
from tracker.core.errors import TrackerError
from tracker.matters.models import MatterCategory
from tracker.requests.documents import DocumentInput
from tracker.requests.exemptions import EXEMPTIONS
from tracker.requests.lifecycle import COMMUNICATION_KIND, ActionInput
from tracker.requests.queries import SORTS
from tracker.requests.services import CommunicationInput
from tracker.requests.status import (
    APPEAL_OUTCOMES,
    CHANNELS,
    DECISION_OUTCOMES,
    EXPEDITED_CATEGORIES,
    FEE_CATEGORIES,
    OUTCOMES,
    REFERRAL_SCOPES,
    STATUSES,
)

TEXT = 20_000


class BadBody(TrackerError):
    """The body is not JSON at all, or not sent as JSON."""

    status = 400
    code = "invalid_json"


class UnsupportedMediaType(TrackerError):
    status = 415
    code = "unsupported_media_type"


def json_body() -> object:
    """The parsed JSON body, or a 4xx that says what is wrong with it."""
    if not request.is_json:
        raise UnsupportedMediaType("Send the body as JSON, with the header Content-Type: application/json.")
    raw = request.get_data(cache=True)

    def refuse_constant(name):
        raise ValueError(f"{name} is not allowed in JSON")

    try:
        return json.loads(raw.decode("utf-8"), parse_constant=refuse_constant)
    except UnicodeDecodeError:
        raise BadBody("The body is not valid UTF-8.") from None
    except (ValueError, RecursionError) as exc:
        raise BadBody(f"The body is not valid JSON: {str(exc)[:200]}") from None


# --- requests ------------------------------------------------------------------------------------------

REQUEST_FIELDS: dict[str, Field] = {
    "title": String(300, "The newsroom's short name for the request.", example="OPR report, Denver death cards"),
    "agency_id": Id("The agency the request goes to (see /agencies)."),
    "subject": String(300, "What the agency is told the request is about (letters, portal text, emails); "
                           "empty: a neutral description."),
    "private": Bool("Visible only to the owner, watchers and editors."),
    "records_description": String(TEXT, "The records sought, as the letter describes them."),
    "records_from": Day("Start of the date range of the records sought.", nullable=True),
    "records_to": Day("End of that date range.", nullable=True),
    "delivery_format": String(100),
    "fee_category": Enum(FEE_CATEGORIES, "Fee category, 5 U.S.C. 552(a)(4)(A)(ii)."),
    "fee_limit": Money("Most we agree to pay without being asked first (USD).", nullable=True),
    "fee_waiver_requested": Bool(),
    "fee_waiver_justification": String(TEXT),
    "expedited_requested": Bool(),
    "expedited_category": Enum(EXPEDITED_CATEGORIES, "6 CFR 5.5(e)(1) category; empty for none."),
    "expedited_justification": String(TEXT),
    "deadline_variant": String(30, "A kind of request with its own periods under the agency's state law (a `key` of "
                                   "its jurisdiction's `variants`, GET /jurisdictions); empty: an ordinary request."),
    "follow_up_on": Day("When to follow up, for laws with no fixed deadline.", nullable=True),
    "our_answer_due_on": Day("A date the agency set for our answer or payment.", nullable=True),
    "matter_ids": ListOf(Id(), "OPR matters the request seeks records of."),
    "watcher_ids": ListOf(Id(), "Colleagues who follow the request."),
}
REQUEST_CREATE = {**REQUEST_FIELDS, "title": replace(REQUEST_FIELDS["title"], required=True),
                  "agency_id": replace(REQUEST_FIELDS["agency_id"], required=True)}
# Corrections that change deadlines: the dates are normally set by the lifecycle actions.
REQUEST_UPDATE = {
    **REQUEST_FIELDS,
    "sent_on": Day("Correct the day the request was sent.", nullable=True),
    "received_on": Day("Correct the day the agency received it (deadlines are recomputed).", nullable=True),
    "fees_estimated": Money(nullable=True),
    "fees_paid": Money(nullable=True),
}


def request_data(body: dict) -> tuple[dict, list[int] | None, list[int] | None]:
    """Split a parsed body into the service's `data`, `matter_ids` and `watcher_ids`."""
    data = {k: v for k, v in body.items() if k not in ("matter_ids", "watcher_ids")}
    return data, body.get("matter_ids"), body.get("watcher_ids")


ALL_OUTCOMES = {**OUTCOMES, **APPEAL_OUTCOMES, **{k: v for o in DECISION_OUTCOMES.values() for k, v in o.items()}}
ACTION_BODY: dict[str, Field] = {
    "on": Day("The day it happened. Required for every action except reopen.", nullable=True),
    "received_on": Day("file, acknowledge: the day the agency received the request.", nullable=True),
    "channel": Enum(["", *CHANNELS], "file: how it was sent."),
    "tracking_number": String(100, "file, acknowledge: the agency's tracking number; appeal: the appeal's; "
                                   "mediate: the OGIS case number; sue: the court case number."),
    "outcome": Enum(["", *ALL_OUTCOMES], "decide_expedited: granted, denied; decide_fee_waiver: granted, partly, "
                    "denied; decide_fee_category: the category the agency gave. determine: " + ", ".join(OUTCOMES)
                    + "; decide_appeal: "
                    + ", ".join(APPEAL_OUTCOMES) + "."),
    "exemptions": ListOf(Enum(EXEMPTIONS), "determine, decide_appeal: exemptions cited.", max_length=20),
    "pages_released": Count(nullable=True),
    "pages_withheld": Count(nullable=True),
    "amount": Money("fee_estimate: the estimate; fee_agreed: the amount paid (USD).", nullable=True),
    "our_answer_due_on": Day("request_clarification, fee_estimate: when the agency wants our answer.",
                             nullable=True),
    "note": String(TEXT, "Replaces the event's standard note."),
    "appeal_office": String(300, "determine: the office the letter says appeals go to."),
    "appeal_address": String(2000, "determine: the appeal mailing address the letter gives."),
    "appeal_email": String(320, "determine: the appeal email address the letter gives."),
    "appeal_portal_url": String(500, "determine: the appeal portal the letter names."),
    "appeal_deadline_stated": String(300, "determine: the deadline to appeal, as the letter states it."),
    "estimated_completion_on": Day("acknowledge and any later letter: the agency's estimated completion date "
                                   "(5 U.S.C. 552(a)(7)(B)), kept with the earlier ones.", nullable=True),
    "communication": Object({
        "channel": Enum(["", *CHANNELS]),
        "subject": String(500),
        "body": String(200_000),
    }, "The letter or message that came with the action, recorded on the timeline.", nullable=True),
    "documents": ListOf(Object({
        "description": String(500, "The document, as the index names it.", required=True),
        "pages": Count("Pages in the document, when the agency says.", nullable=True),
        "withheld_in_full": Count("Pages withheld entirely.", nullable=True),
        "withheld_in_part": Count("Pages released with redactions.", nullable=True),
        "exemptions": ListOf(Enum(EXEMPTIONS), "Exemptions applied to this document.", max_length=20),
        "note": String(TEXT, "The agency's justification, or ours."),
    }), "determine, decide_appeal: the Vaughn index of the release, one entry per document.", max_length=500),
    "scope": Enum(["", *REFERRAL_SCOPES], "refer: all (referred in full: the agency's own clock stops) or part "
                  "(its clock keeps running)."),
    "agency_id": Id("refer: the agency the records were referred to; a linked request at that agency is opened, "
                    "received on `received_on` (default: `on`, the referral date).", nullable=True),
}


def action_input(body: dict) -> ActionInput:
    comm = body.get("communication")
    return ActionInput(
        on=body.get("on"), received_on=body.get("received_on"), channel=body.get("channel", ""),
        tracking_number=body.get("tracking_number", ""), outcome=body.get("outcome", ""),
        exemptions=body.get("exemptions", []), pages_released=body.get("pages_released"),
        pages_withheld=body.get("pages_withheld"), amount=body.get("amount"),
        our_answer_due_on=body.get("our_answer_due_on"), note=body.get("note", ""),
        **{name: body.get(name, "") for name in ("appeal_office", "appeal_address", "appeal_email",
                                                  "appeal_portal_url", "appeal_deadline_stated")},
        estimated_completion_on=body.get("estimated_completion_on"),
        agency_id=body.get("agency_id"), scope=body.get("scope", ""),
        communication=CommunicationInput(channel=comm.get("channel") or "email", subject=comm.get("subject", ""),
                                         body=comm.get("body", "")) if comm else None,
        documents=[DocumentInput(description=d["description"], pages=d.get("pages"),
                                 withheld_in_full=d.get("withheld_in_full"), withheld_in_part=d.get("withheld_in_part"),
                                 exemptions=d.get("exemptions", []), note=d.get("note", ""))
                   for d in body.get("documents", [])],
    )


COMMUNICATION_KINDS = sorted({"other", *COMMUNICATION_KIND.values()})
COMMUNICATION_BODY: dict[str, Field] = {
    "direction": Enum(["in", "out"], "in: from the agency; out: from us.", required=True),
    "channel": Enum(CHANNELS, required=True),
    "occurred_on": Day("The day it was sent or received.", required=True),
    "subject": String(500),
    "body": String(200_000),
    "kind": Enum(COMMUNICATION_KINDS),
}

LIST_QUERY: dict[str, Field] = {
    "q": String(200, "Search in titles, descriptions and tracking numbers."),
    "status": Enum(STATUSES),
    "agency_id": Id(),
    "owner_id": Id(),
    "matter_id": Id(),
    "mine": Bool("Only requests you own.", default=False),
    "sort": Enum(SORTS, default="updated"),
    "page": Count(minimum=1, maximum=100_000, default=1),
    "per_page": Count(minimum=1, maximum=200, default=50),
}
EXPORT_QUERY: dict[str, Field] = {
    **{k: v for k, v in LIST_QUERY.items() if k not in ("page", "per_page")},
    "format": Enum(["csv", "json"], default="json"),
}

# --- agencies, matters ------------------------------------------------------------------------------

def jurisdiction_codes() -> list[str]:
    return [j.code for j in deadlines.jurisdictions()]


def agency_body() -> dict[str, Field]:
    return {
        "name": String(300, required=True),
        "abbreviation": String(40),
        "parent_id": Id("The agency this one is part of.", nullable=True),
        "jurisdiction": Enum(jurisdiction_codes(), "Selects the deadline rules.", required=True),
        "foia_email": String(320),
        "portal_url": String(500),
        "mailing_address": String(2000),
        "phone": String(60),
        "public_liaison": String(2000),
        "appeal_office": String(300),
        "appeal_address": String(2000),
        "appeal_email": String(320),
        "appeal_portal_url": String(500),
        "appeal_check": Bool("The appeal contact is unconfirmed: check it against the agency's letter."),
        "expedited_iv_office_id": Id("Where category (iv) expedited-processing requests go.", nullable=True),
        "observed_days": String(2000, "Days this agency closes that its state lets it choose, one per line: optional "
                                      "holidays by name (Texas: Cesar Chavez Day, Good Friday), other days as "
                                      "YYYY-MM-DD. Deadlines count them as closed days."),
        "notes": String(TEXT),
    }


MATTER_BODY: dict[str, Field] = {
    "title": String(300, required=True),
    "category": Enum([c.value for c in MatterCategory], required=True),
    "summary": String(TEXT),
    "opr_case_number": String(100),
    "place": String(200),
    "began_on": Day(nullable=True),
    "ended_on": Day(nullable=True),
    "public_outcome": String(TEXT),
    "notes": String(TEXT),
}

# --- deadlines -------------------------------------------------------------------------------------

def deadline_body() -> dict[str, Field]:
    return {
        "kind": Enum(deadlines.KINDS, "Which deadline: the agency's response, the last day to appeal, the "
                     "appeal decision, the expedited-processing decision, or the tracking number.", required=True),
        "jurisdiction": Enum(jurisdiction_codes(), required=True),
        "start": Day("The day the clock starts: the day the agency received the request (or the appeal); for "
                     "kind=appeal, the date of the adverse determination.", required=True, example="2026-11-20"),
        "extended": Bool("response, appeal_decision: the agency invoked unusual circumstances."),
        "tolled": ListOf(Object({"from": Day(required=True), "to": Day(required=True)}),
                         "response: spans when the clock was paused.", max_length=20),
    }


def parse(spec: dict[str, Field], *, partial: bool = False) -> dict:
    return parse_object(json_body(), spec, partial=partial)


def query(spec: dict[str, Field]) -> dict:
    return parse_query(request.args, spec)
