"""The plain-dictionary context of a letter, built from a RecordsRequest and the reporter's choices.

Nothing from the database reaches a template: this module copies what a letter needs into dicts,
lists, strings, numbers and dates (the shape is documented in ``tracker.letters.samples``). Dates that
depend on the law (overdue working days, the last day to appeal and its rule) come from the deadline
engine and the deadlines stored on the request.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Any

from tracker import deadlines
from tracker.letters.context import jurisdiction_context
from tracker.letters.options import LetterOptions, initial_determination, matter_dicts
from tracker.requests import due_dates
from tracker.requests.models import RecordsRequest

CENTS = Decimal("0.01")
_HISTORY_LINE = re.compile(r"^\s*(\d{4}-\d{2}-\d{2})\s*[:\-–]?\s*(.*)$")


def _rule(code: str) -> Any:
    try:
        return deadlines.jurisdiction(code)
    except ValueError:  # an agency with a jurisdiction code the rules do not know
        return None


def foia_regulations(rule: Any) -> str:
    """'the DHS FOIA regulations, 6 CFR Part 5' from a rule whose law and citation name the regulations."""
    if rule is None:
        return ""
    laws = [p.strip() for p in (rule.law or "").split(";")]
    cites = [p.strip() for p in (rule.citation or "").split(";")]
    if len(laws) < 2 or len(cites) < 2 or not laws[1] or not cites[1]:
        return ""
    return f"the {laws[1]}, {cites[1]}"


def _agency(req: RecordsRequest, rule: Any, channel: str) -> dict[str, Any]:
    a = req.agency
    agency = {
        "name": a.name, "abbreviation": a.abbreviation, "foia_office": "", "foia_email": a.foia_email,
        "portal_url": a.portal_url, "mailing_address": a.mailing_address,
        "foia_regulations": foia_regulations(rule), "appeal_office": a.appeal_office,
        "appeal_address": a.appeal_address, "appeal_email": "", "foia_public_liaison": a.public_liaison,
    }
    # The delivery line follows the channel: the portal, an email address, or none for paper.
    if channel != "portal":
        agency["portal_url"] = ""
    if channel not in ("portal", "email"):
        agency["foia_email"] = ""
    return agency


def _overdue(req: RecordsRequest, today: date) -> int:
    for row in due_dates.summary(req, today):
        if row["kind"] == "response":
            return int(row["overdue_by"] or 0)
    return 0


def _determination(req: RecordsRequest, options: LetterOptions) -> dict[str, Any] | None:
    determination = initial_determination(req)
    if determination is None:
        return None
    return {"kind": options.determination_kind or None, "on": determination.decided_on,
            "exemptions": list(determination.exemptions or []), "pages_released": determination.pages_released,
            "pages_withheld": determination.pages_withheld}


def _request(req: RecordsRequest, kind: str, options: LetterOptions, rule: Any, today: date) -> dict[str, Any]:
    appeal_period = getattr(rule, "appeal", None)
    return {
        "title": req.title,
        "records_description": options.records_description,
        "date_range_start": options.date_range_start,
        "date_range_end": options.date_range_end,
        "delivery_format": options.delivery_format,
        "fee_category": req.fee_category,
        "fee_limit": str(Decimal(options.fee_limit).quantize(CENTS)) if options.fee_limit is not None else None,
        "fee_waiver_requested": options.fee_waiver_requested,
        "fee_waiver_justification": options.fee_waiver_justification,
        "expedited_requested": options.expedited_requested or kind == "expedite_request",
        "expedited_category": options.expedited_category,
        "expedited_justification": options.expedited_justification,
        "tracking_numbers": [{"kind": t.kind, "number": t.number} for t in req.tracking_numbers],
        "sent_on": req.sent_on,
        "received_on": req.received_on,
        "response_due": req.response_due,
        "overdue_working_days": _overdue(req, today),
        "determination": _determination(req, options),
        "appeal_due": req.appeal_due,
        "appeal_rule": getattr(appeal_period, "citation", "") or "",
        "dispute_summary": options.dispute_summary,
        "resolution_sought": options.resolution_sought,
    }


def parse_history(text: str) -> list[dict[str, Any]]:
    """'2026-09-14: Request submitted.' lines -> [{"on": date, "text": ...}]; undated lines keep no date."""
    out = []
    for line in (text or "").splitlines():
        if not line.strip():
            continue
        match = _HISTORY_LINE.match(line)
        day = None
        if match:
            try:
                day = date.fromisoformat(match[1])
            except ValueError:
                day = None
        out.append({"on": day, "text": match[2].strip() if match and day else line.strip()})
    return out


def _contested(options: LetterOptions) -> list[dict[str, str]]:
    items = [{"code": code, "note": options.arguments.get(code, "")} for code in options.contested]
    if options.contest_search:
        items.append({"code": "search", "note": options.arguments.get("search", "")})
    return items


def build_context(req: RecordsRequest, kind: str, options: LetterOptions, *, today: date,
                  letterhead: dict[str, Any] | None = None) -> dict[str, Any]:
    """The letter's context; every value plain data."""
    letterhead = dict(letterhead or {})
    rule = _rule(req.agency.jurisdiction)
    requester = {
        "name": options.requester_name, "title": options.requester_title,
        "organization": letterhead.get("name") or "", "email": options.requester_email,
        "phone": options.requester_phone, "address": letterhead.get("address") or "",
        "media_description": options.media_description,
    }
    return {
        "today": today,
        "letterhead": letterhead,
        "requester": requester,
        "signature": {},
        "agency": _agency(req, rule, options.channel),
        "request": _request(req, kind, options, rule, today),
        "matters": matter_dicts(req),
        "jurisdiction": jurisdiction_context(rule) if rule is not None else {"code": req.agency.jurisdiction},
        "history": parse_history(options.history),
        "contested": _contested(options),
        "enclosures": [line.strip() for line in options.enclosures.splitlines() if line.strip()],
        "custom_text": options.custom_text,
    }
