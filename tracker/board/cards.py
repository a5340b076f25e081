"""One board card: what an editor needs at a glance about a request, as a plain dict.

The deadlines come from requests/due_dates.summary(), the same logic as the request page, so the
board and the page never disagree about which deadline binds and how late it is.
"""

from __future__ import annotations

from datetime import date

from tracker import deadlines
from tracker.requests import due_dates
from tracker.requests.models import RecordsRequest
from tracker.requests.status import STATUSES

AGENCY_KINDS = ("response", "appeal_decision", "expedited")  # deadlines the agency owes
NEXT_KINDS = ("response", "expedited", "appeal", "appeal_decision")  # shown as "next deadline"
ADVERSE_APPEAL = ("affirmed", "reversed_in_part")  # administrative remedies exhausted


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def working_days_open(req: RecordsRequest, today: date) -> int | None:
    """Working days since the agency received it (or since it was sent), to today or to its closing."""
    start = req.received_on or req.sent_on
    if start is None:
        return None
    end = req.closed_on if (req.closed_on and not STATUSES.get(req.status, STATUSES["draft"]).open) else today
    try:
        return max(deadlines.working_days_between(req.agency.jurisdiction, start, max(end, start)), 0)
    except (deadlines.DeadlineError, TypeError):
        return None


def _deadline_rows(req: RecordsRequest, today: date) -> list[dict]:
    try:
        return [r for r in due_dates.summary(req, today) if r["active"] and r["due"] is not None]
    except (deadlines.DeadlineError, TypeError):
        return []


def _due_text(row: dict) -> str:
    if row["overdue_by"]:
        return f"overdue by {_plural(row['overdue_by'], 'working day')}"
    if row["days_left"] == 0:
        return "due today"
    if row["days_left"] is not None:
        return f"due in {_plural(row['days_left'], 'working day')}"
    return ""


def _our_date(req: RecordsRequest, kind: str, label: str, due: date, today: date) -> dict:
    """A date the newsroom set or was given (not a statutory deadline of the agency)."""
    left = None
    if due >= today:
        try:
            left = deadlines.working_days_between(req.agency.jurisdiction, today, due)
        except (deadlines.DeadlineError, TypeError):
            left = None
    return {"kind": kind, "label": label, "due": due, "overdue_by": 0, "days_left": left, "late_ours": due < today}


def card(req: RecordsRequest, column: str, today: date, *, wall: bool = False, matters: list[str] = (),
         appeal_outcome: str | None = None) -> dict:
    """The card of one request. `matters`: the titles of its matters; `appeal_outcome`: of its latest appeal
    decision. `wall`: for a shared screen, so the newsroom's own lapses are left out."""
    rows = _deadline_rows(req, today)
    federal = due_dates.is_federal(req.agency.jurisdiction)
    badges: list[dict] = []

    paused = req.status in ("awaiting_clarification", "awaiting_fees")
    # While the clock is paused the stored due date has not moved yet: the agency is not late.
    agency_late = 0 if paused else max((r["overdue_by"] for r in rows if r["kind"] in AGENCY_KINDS), default=0)
    if agency_late:
        badges.append({"kind": "late", "text": f"overdue by {_plural(agency_late, 'working day')}"})

    upcoming = [r for r in rows if r["kind"] in NEXT_KINDS and not r["overdue_by"] and not paused]
    if paused and req.our_answer_due_on is not None:
        upcoming.append(_our_date(req, "our_answer", "Our answer due", req.our_answer_due_on, today))
    if req.status in ("filed", "acknowledged") and req.response_due is None and req.follow_up_on is not None:
        upcoming.append(_our_date(req, "follow_up", "Follow up (no statutory deadline)", req.follow_up_on, today))
    overdue_rows = [] if paused else [r for r in rows if r["overdue_by"] and r["kind"] in AGENCY_KINDS]
    chosen = min(overdue_rows or upcoming, key=lambda r: r["due"], default=None)
    next_deadline = None
    if chosen is not None:
        next_deadline = {"label": chosen["label"], "due": chosen["due"], "text": _due_text(chosen),
                         "ours": chosen["kind"] in ("appeal", "our_answer", "follow_up")}
        if not chosen["overdue_by"] and chosen["days_left"] is not None:
            kind = "soon" if chosen["days_left"] <= 5 else "due"
            badges.append({"kind": kind, "text": next_deadline["text"]})

    if paused:
        badges.append({"kind": "paused", "text": "clock paused"})
    if federal and (agency_late or (req.status == "appeal_decided" and appeal_outcome in ADVERSE_APPEAL)):
        badges.append({"kind": "exhausted", "text": "exhausted: may sue"})

    if not wall:
        ours = [r for r in upcoming if r.get("late_ours")]
        ours += [r for r in rows if r["kind"] == "appeal" and r["overdue_by"]]
        for r in ours:
            badges.append({"kind": "ours", "text": f"{r['label'].lower()}: {r['due'].isoformat()} has passed"})

    return {
        "id": req.id, "title": req.title, "private": req.private, "status": req.status,
        "status_label": STATUSES[req.status].label if req.status in STATUSES else req.status,
        "column": column, "agency": req.agency.abbreviation or req.agency.name, "agency_name": req.agency.name,
        "jurisdiction": req.agency.jurisdiction, "owner": req.owner.name,
        "matters": list(matters), "tracking_number": req.primary_tracking_number,
        "working_days_open": working_days_open(req, today), "next_deadline": next_deadline, "badges": badges,
        "closed_on": req.closed_on,
    }
