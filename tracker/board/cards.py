"""One board card: what an editor needs at a glance about a request, as a plain dict.

A card is built from one plain row (queries.CARD_COLUMNS), not an ORM object: the board shows a
hundred or more. Which deadlines bind and how late they are come from requests/due_dates
(active_kinds, lateness), as on the request page, so the board and the page never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

from tracker import deadlines
from tracker.requests import due_dates
from tracker.requests.status import STATUSES

AGENCY_KINDS = ("response", "appeal_decision", "expedited")  # deadlines the agency owes
NEXT_KINDS = ("response", "expedited", "appeal", "appeal_decision")  # shown as "next deadline"
ADVERSE_APPEAL = ("affirmed", "reversed_in_part")  # administrative remedies exhausted


class Badge(NamedTuple):
    kind: str  # late, soon, due, paused, exhausted, ours
    text: str


class NextDeadline(NamedTuple):
    label: str
    due: date
    text: str  # "due in 3 working days", "overdue by 2 working days"
    ours: bool  # the newsroom's to meet, not the agency's


@dataclass(slots=True)
class Card:
    """What a card shows. Attributes, not a dict: a template reads a hundred cards' fields faster."""

    id: int
    title: str
    private: bool
    status: str
    status_label: str
    column: str
    agency: str
    agency_name: str
    jurisdiction: str
    owner: str
    matters: list[str]
    tracking_number: str | None
    working_days_open: int | None
    next_deadline: NextDeadline | None
    badges: list[Badge]
    closed_on: date | None


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def working_days_open(row, today: date) -> int | None:
    """Working days since the agency received it (or since it was sent), to today or to its closing."""
    start = row.received_on or row.sent_on
    if start is None:
        return None
    end = row.closed_on if (row.closed_on and not STATUSES.get(row.status, STATUSES["draft"]).open) else today
    try:
        return max(deadlines.working_days_between(row.jurisdiction, start, max(end, start)), 0)
    except (deadlines.DeadlineError, TypeError):
        return None


def _deadline_rows(row, today: date) -> list[dict]:
    """The stored deadlines that still bind, each with how late it is (as due_dates.summary says)."""
    active = due_dates.active_kinds(row.status, has_tracking_number=bool(row.tracking_number),
                                    expedited_requested=row.expedited_requested)
    rows = []
    for kind, column in due_dates.STORED.items():
        due = getattr(row, column)
        if kind not in active or due is None:
            continue
        try:
            overdue_by, days_left = due_dates.lateness(row.jurisdiction, due, today)
        except (deadlines.DeadlineError, TypeError):
            continue
        rows.append({"kind": kind, "label": due_dates.LABELS[kind], "due": due, "overdue_by": overdue_by,
                     "days_left": days_left})
    return rows


def _due_text(row: dict) -> str:
    if row["overdue_by"]:
        return f"overdue by {_plural(row['overdue_by'], 'working day')}"
    if row["days_left"] == 0:
        return "due today"
    if row["days_left"] is not None:
        return f"due in {_plural(row['days_left'], 'working day')}"
    return ""


def _our_date(row, kind: str, label: str, due: date, today: date) -> dict:
    """A date the newsroom set or was given (not a statutory deadline of the agency)."""
    left = None
    if due >= today:
        try:
            left = deadlines.working_days_between(row.jurisdiction, today, due)
        except (deadlines.DeadlineError, TypeError):
            left = None
    return {"kind": kind, "label": label, "due": due, "overdue_by": 0, "days_left": left, "late_ours": due < today}


def card(row, column: str, today: date, *, wall: bool = False, matters: list[str] = (),
         appeal_outcome: str | None = None) -> Card:
    """The card of one request (a row of queries.CARD_COLUMNS). `matters`: the titles of its matters;
    `appeal_outcome`: of its latest appeal decision. `wall`: for a shared screen, so the newsroom's own
    lapses are left out."""
    rows = _deadline_rows(row, today)
    federal = due_dates.is_federal(row.jurisdiction)
    badges: list[Badge] = []

    paused = row.status in ("awaiting_clarification", "awaiting_fees")
    # While the clock is paused the stored due date has not moved yet: the agency is not late.
    agency_late = 0 if paused else max((r["overdue_by"] for r in rows if r["kind"] in AGENCY_KINDS), default=0)
    if agency_late:
        badges.append(Badge("late", f"overdue by {_plural(agency_late, 'working day')}"))

    upcoming = [r for r in rows if r["kind"] in NEXT_KINDS and not r["overdue_by"] and not paused]
    if paused and row.our_answer_due_on is not None:
        upcoming.append(_our_date(row, "our_answer", "Our answer due", row.our_answer_due_on, today))
    if row.status in ("filed", "acknowledged") and row.response_due is None and row.follow_up_on is not None:
        upcoming.append(_our_date(row, "follow_up", "Follow up (no statutory deadline)", row.follow_up_on, today))
    overdue_rows = [] if paused else [r for r in rows if r["overdue_by"] and r["kind"] in AGENCY_KINDS]
    chosen = min(overdue_rows or upcoming, key=lambda r: r["due"], default=None)
    next_deadline = None
    if chosen is not None:
        next_deadline = NextDeadline(chosen["label"], chosen["due"], _due_text(chosen),
                                     ours=chosen["kind"] in ("appeal", "our_answer", "follow_up"))
        if not chosen["overdue_by"] and chosen["days_left"] is not None:
            kind = "soon" if chosen["days_left"] <= 5 else "due"
            badges.append(Badge(kind, next_deadline.text))

    if paused:
        badges.append(Badge("paused", "clock paused"))
    if federal and (agency_late or (row.status == "appeal_decided" and appeal_outcome in ADVERSE_APPEAL)):
        badges.append(Badge("exhausted", "exhausted: may sue"))

    if not wall:
        ours = [r for r in upcoming if r.get("late_ours")]
        ours += [r for r in rows if r["kind"] == "appeal" and r["overdue_by"]]
        for r in ours:
            badges.append(Badge("ours", f"{r['label'].lower()}: {r['due'].isoformat()} has passed"))

    return Card(
        id=row.id, title=row.title, private=row.private, status=row.status,
        status_label=STATUSES[row.status].label if row.status in STATUSES else row.status,
        column=column, agency=row.agency_abbreviation or row.agency_name, agency_name=row.agency_name,
        jurisdiction=row.jurisdiction, owner=row.owner_name, matters=list(matters), tracking_number=row.tracking_number,
        working_days_open=working_days_open(row, today), next_deadline=next_deadline, badges=badges,
        closed_on=row.closed_on,
    )
