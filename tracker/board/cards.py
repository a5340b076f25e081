"""One board card: what an editor needs at a glance about a request, as a plain dict.

A card is built from one plain row (queries._cards_statement), not an ORM object: the board shows a
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


class WorkingDays:
    """The working-day counts of one page's cards, each counted once: the cards of a board share their
    jurisdictions and many of their days. None where a count is refused (a day outside the calendar's tables,
    an unknown jurisdiction): the card then leaves that figure out."""

    __slots__ = ("_memo",)

    def __init__(self) -> None:
        self._memo: dict[tuple, object] = {}

    def _once(self, key: tuple, compute):
        try:
            return self._memo[key]
        except KeyError:
            pass
        try:
            found = compute(*key[1:])
        except (deadlines.DeadlineError, TypeError):
            found = None
        self._memo[key] = found
        return found

    def __call__(self, code: str, start: date, end: date) -> int | None:
        """deadlines.working_days_between"""
        return self._once(("between", code, start, end), deadlines.working_days_between)

    def lateness(self, code: str, due: date, today: date) -> tuple[int, int | None] | None:
        """due_dates.lateness (in working days): (days overdue, None) once the day has passed, else (0, days left)."""
        return self._once(("lateness", code, due, today), due_dates.lateness)


def working_days_open(row, today: date, count: WorkingDays | None = None) -> int | None:
    """Working days since the agency received it (or since it was sent), to today or to its closing."""
    start = row.received_on or row.sent_on
    if start is None:
        return None
    status, closed_on = row.status, row.closed_on
    end = closed_on if (closed_on and not STATUSES.get(status, STATUSES["draft"]).open) else today
    try:
        days = (count or WorkingDays())(row.jurisdiction, start, max(end, start))
    except TypeError:  # a start or end that is not a day
        return None
    return None if days is None else max(days, 0)


def _deadline_rows(row, code: str, today: date, count: WorkingDays) -> list[dict]:
    """The stored deadlines that still bind, each with how late it is (as due_dates.summary says)."""
    active = due_dates.active_kinds(row.status, has_tracking_number=bool(row.tracking_number),
                                    expedited_requested=row.expedited_requested)
    rows = []
    for kind, column in due_dates.STORED.items():
        if kind not in active:
            continue
        due = getattr(row, column)
        if due is None:
            continue
        late = count.lateness(code, due, today)
        if late is None:
            continue
        rows.append({"kind": kind, "label": due_dates.LABELS[kind], "due": due, "overdue_by": late[0],
                     "days_left": late[1]})
    return rows


def _due_text(row: dict) -> str:
    if row["overdue_by"]:
        return f"overdue by {_plural(row['overdue_by'], 'working day')}"
    if row["days_left"] == 0:
        return "due today"
    if row["days_left"] is not None:
        return f"due in {_plural(row['days_left'], 'working day')}"
    return ""


def _our_date(code: str, kind: str, label: str, due: date, today: date, count: WorkingDays) -> dict:
    """A date the newsroom set or was given (not a statutory deadline of the agency)."""
    left = count(code, today, due) if due >= today else None
    return {"kind": kind, "label": label, "due": due, "overdue_by": 0, "days_left": left, "late_ours": due < today}


def card(row, column: str, today: date, *, wall: bool = False, matters: list[str] = (),
         appeal_outcome: str | None = None, count: WorkingDays | None = None) -> Card:
    """The card of one request (a row of queries._cards_statement). `matters`: the titles of its matters;
    `appeal_outcome`: of its latest appeal decision. `wall`: for a shared screen, so the newsroom's own
    lapses are left out. `count`: the page's WorkingDays, shared by its cards. Each field of the row is read
    once: a row's attribute costs more than a local's, and a board builds a hundred cards or more."""
    count = count or WorkingDays()
    status, code = row.status, row.jurisdiction
    rows = _deadline_rows(row, code, today, count)
    badges: list[Badge] = []

    paused = status in ("awaiting_clarification", "awaiting_fees")
    # While the clock is paused the stored due date has not moved yet: the agency is not late.
    agency_late = 0 if paused else max((r["overdue_by"] for r in rows if r["kind"] in AGENCY_KINDS), default=0)
    if agency_late:
        badges.append(Badge("late", f"overdue by {_plural(agency_late, 'working day')}"))

    upcoming = [] if paused else [r for r in rows if r["kind"] in NEXT_KINDS and not r["overdue_by"]]
    if paused:
        our_answer_due_on = row.our_answer_due_on
        if our_answer_due_on is not None:
            upcoming.append(_our_date(code, "our_answer", "Our answer due", our_answer_due_on, today, count))
    elif status in ("filed", "acknowledged") and row.response_due is None:
        follow_up_on = row.follow_up_on
        if follow_up_on is not None:
            upcoming.append(_our_date(code, "follow_up", "Follow up (no statutory deadline)", follow_up_on, today,
                                      count))
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
    if (agency_late or (status == "appeal_decided" and appeal_outcome in ADVERSE_APPEAL)) \
            and due_dates.is_federal(code):
        badges.append(Badge("exhausted", "exhausted: may sue"))

    if not wall:
        ours = [r for r in upcoming if r.get("late_ours")]
        ours += [r for r in rows if r["kind"] == "appeal" and r["overdue_by"]]
        for r in ours:
            badges.append(Badge("ours", f"{r['label'].lower()}: {r['due'].isoformat()} has passed"))

    agency_name = row.agency_name
    known = STATUSES.get(status)
    return Card(
        id=row.id, title=row.title, private=row.private, status=status,
        status_label=known.label if known is not None else status,
        column=column, agency=row.agency_abbreviation or agency_name, agency_name=agency_name,
        jurisdiction=code, owner=row.owner_name, matters=list(matters), tracking_number=row.tracking_number,
        working_days_open=working_days_open(row, today, count), next_deadline=next_deadline, badges=badges,
        closed_on=row.closed_on,
    )
