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
from tracker.letters import stage as stages
from tracker.letters.context import jurisdiction_context
from tracker.letters.filters import cite
from tracker.letters.options import LetterOptions, appeal_contact, initial_determination, matter_dicts
from tracker.letters.regulations import for_citation
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


def regulations(rule: Any) -> dict[str, Any]:
    """The department's FOIA regulations as the letters cite them ("6 C.F.R. 5.11(k)"); {} for the statute."""
    row = for_citation(getattr(rule, "citation", "") if rule is not None else "")
    out: dict[str, Any] = {}
    for key, value in row.items():
        if isinstance(value, list):
            out[key] = [cite(v) for v in value] if key != "check" else list(value)
        elif "CFR" in str(value):
            out[key] = cite(value)
        else:
            out[key] = value
    return out


def _office(a: Any) -> dict[str, Any] | None:
    if a is None:
        return None
    return {"name": a.name, "abbreviation": a.abbreviation, "mailing_address": a.mailing_address,
            "email": a.foia_email, "portal_url": a.portal_url}


def _agency(req: RecordsRequest, rule: Any, channel: str, kind: str) -> dict[str, Any]:
    a = req.agency
    contact = appeal_contact(req)
    agency = {
        "name": a.name, "abbreviation": a.abbreviation, "foia_office": "", "foia_email": a.foia_email,
        "portal_url": a.portal_url, "mailing_address": a.mailing_address,
        "foia_regulations": foia_regulations(rule), "appeal_office": contact["office"],
        "appeal_address": contact["address"], "appeal_email": contact["email"],
        "appeal_portal_url": contact["portal_url"], "appeal_check": contact["check"],
        "appeal_from_letter": contact["from_letter"], "foia_public_liaison": a.public_liaison,
        "regulations": regulations(rule), "expedited_iv_office": _office(a.expedited_iv_office),
    }
    # The delivery line follows the channel: the portal, an email address, or none for paper. An appeal's
    # goes to the appeal authority's portal or email, never to the request portal.
    if kind == "appeal":
        agency["portal_url"] = agency["foia_email"] = ""
        if channel != "portal":
            agency["appeal_portal_url"] = ""
        if channel != "email":
            agency["appeal_email"] = ""
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


DECISION_DATES = {"fee_waiver_denied": "fee_waiver_decided_on", "fee_category_denied": "fee_category_decided_on",
                  "expedite_denied": "expedited_decided_on"}


def _determination(req: RecordsRequest, options: LetterOptions) -> dict[str, Any] | None:
    determination = initial_determination(req)
    kind = options.determination_kind or None
    if kind in DECISION_DATES and (determination is None or determination.outcome not in stages.ADVERSE_OUTCOMES):
        # An appeal of a decision on fees or expedited processing: that decision's letter is the one appealed.
        on = getattr(req, DECISION_DATES[kind])
        return {"kind": kind, "on": on, "exemptions": [], "pages_released": None, "pages_withheld": None}
    if determination is None:
        return None
    return {"kind": kind, "on": determination.decided_on,
            "exemptions": list(determination.exemptions or []), "pages_released": determination.pages_released,
            "pages_withheld": determination.pages_withheld}


def _title_in_sentence(matter: Any) -> str:
    """A matter's title after "Records concerning": a capitalised common first word is lower-cased ("Bribery
    investigation of ..." -> "bribery investigation of ..."), a name is kept ("Denver ...", "ICE ...")."""
    title = matter.title.strip()
    first = title.split(" ", 1)[0]
    if re.fullmatch(r"[A-Z][a-z]+", first) and not re.search(rf"[a-z,;] {first}\b", matter.summary or ""):
        return first.lower() + title[len(first):]
    return title


def neutral_subject(req: RecordsRequest) -> str:
    """A subject that tells the agency what is sought and nothing of the newsroom's working title."""
    if req.matters:
        return "Records concerning " + "; ".join(_title_in_sentence(m) for m in req.matters)
    first = (req.records_description or "").strip().splitlines()
    line = first[0].strip().rstrip(".:") if first else ""
    if line and len(line) <= 160:
        return line
    return "Records request"


def _decisions(req: RecordsRequest) -> dict[str, Any]:
    return {name: ({"decision": getattr(req, f"{name}_decision"), "on": getattr(req, f"{name}_decided_on")}
                   if getattr(req, f"{name}_decision") else None)
            for name in ("expedited", "fee_waiver", "fee_category")}


def _request(req: RecordsRequest, kind: str, options: LetterOptions, rule: Any, today: date,
             newsroom: dict[str, Any]) -> dict[str, Any]:
    appeal_period = getattr(rule, "appeal", None)
    fee_limit = options.fee_limit if options.fee_limit is not None else newsroom.get("fee_limit")
    contact = appeal_contact(req)
    return {
        "title": req.subject.strip() or neutral_subject(req),  # what the agency sees: never the working title
        "subject": req.subject.strip() or neutral_subject(req),
        "stage": stages.stage(req, today),
        "appeal": stages.appeal_facts(req, today),
        "disputes": stages.disputes(req, today),
        "decisions": _decisions(req),
        "second_appeal": kind == "appeal" and req.appeal_filed_on is not None,
        "appeal_deadline_stated": contact["deadline_stated"],
        "records_office": options.records_office.strip(),
        "waiver": {"operations": options.waiver_operations, "informative": options.waiver_informative,
                   "audience": options.waiver_audience, "significance": options.waiver_significance,
                   "commercial": options.waiver_commercial},
        "expedited_public_need": options.expedited_public_need,
        "expedited_why_now": options.expedited_why_now,
        "records_description": options.records_description,
        "date_range_start": options.date_range_start,
        "date_range_end": options.date_range_end,
        "delivery_format": options.delivery_format,
        "fee_category": req.fee_category,
        "fee_limit": str(Decimal(fee_limit).quantize(CENTS)) if fee_limit not in (None, "") else None,
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
        "media_description": options.media_description or letterhead.get("about") or "",
    }
    newsroom = {"name": letterhead.get("name") or "", "about": letterhead.get("about") or "",
                "fee_limit": letterhead.get("fee_limit") or None}
    return {
        "today": today,
        "letterhead": letterhead,
        "requester": requester,
        "signature": {},
        "agency": _agency(req, rule, options.channel, kind),
        "request": _request(req, kind, options, rule, today, newsroom),
        "newsroom": newsroom,
        "matters": matter_dicts(req),
        "jurisdiction": jurisdiction_context(rule.for_variant(req.deadline_variant)) if rule is not None
        else {"code": req.agency.jurisdiction},
        "history": parse_history(options.history),
        "contested": _contested(options),
        "enclosures": [line.strip() for line in options.enclosures.splitlines() if line.strip()],
        "custom_text": options.custom_text,
    }
