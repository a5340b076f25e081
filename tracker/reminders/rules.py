"""Reminder rules as data, and which reminders a request's stored deadlines make due on a given day.

A rule watches one date of the request (a stored deadline, the day the clock was paused, or the date
the agency set for our answer) and fires at `steps`: working days relative to that date (-3: three
working days before; 0: on the day; 1: the next working day after it), then, with `repeat_every`,
again every N working days while the rule still holds. The defaults below are what the issue asks;
a newsroom changes them on the rules page (stored in ReminderRule rows, see `effective_rules`).

Only the latest step reached fires: a scan that finds a request overdue by 12 working days sends one
"overdue 12 working days" reminder (step 11), not the three it would have sent on time.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date

from tracker import deadlines
from tracker.requests import due_dates, estimates
from tracker.requests.models import RecordsRequest

PAUSED_STATUSES = ("awaiting_clarification", "awaiting_fees")
MAX_STEP = 120  # working days either side of a deadline a step may reach
MAX_STEPS = 6


@dataclass(frozen=True)
class Rule:
    key: str
    label: str  # what the rules page and the preferences page call it
    watches: str  # response, tracking_number, expedited, appeal, appeal_decision, paused, our_answer, estimate, and
    # the state kinds deemed_denial, appeal_no_response, certification, ag_ruling (due_dates.EXTRA)
    steps: tuple[int, ...]
    repeat_every: int | None = None
    enabled: bool = True
    help: str = ""
    lapses: bool = True  # a step on or before the date no longer fires once the date has passed

    def sequence_until(self, n: int) -> int | None:
        """The latest step at or before `n` working days from the date watched, or None if none is."""
        reached = [s for s in self.steps if s <= n]
        if not reached:
            return None
        latest = max(reached)
        last = max(self.steps)
        if self.repeat_every and n > last:
            latest = last + (n - last) // self.repeat_every * self.repeat_every
        return latest

    def next_after(self, n: int) -> int | None:
        """The first step after `n` working days from the date watched, or None if the rule is done."""
        later = [s for s in self.steps if s > n]
        if later:
            return min(later)
        last = max(self.steps)
        if self.repeat_every:
            return last + ((n - last) // self.repeat_every + 1) * self.repeat_every
        return None


DEFAULT_RULES: tuple[Rule, ...] = (
    Rule("response_soon", "Agency's response due soon", "response", (-3,),
         help="Working days before the agency's response is due."),
    Rule("response_today", "Agency's response due today", "response", (0,)),
    Rule("response_overdue", "Agency's response overdue", "response", (1,), repeat_every=5,
         help="The next working day after the deadline, then every few working days while it stays overdue; "
              "each reminder links to the follow-up letter."),
    Rule("tracking_number_missing", "No acknowledgment or tracking number", "tracking_number", (0,), lapses=False,
         help="The day a tracking number is owed (10 working days after receipt for federal requests) "
              "if none is recorded."),
    Rule("expedited_overdue", "Decision on expedited processing overdue", "expedited", (1,)),
    Rule("our_move", "Clock paused: the agency waits for our answer", "paused", (2,),
         help="Working days after the agency paused the clock to ask us for clarification or fees."),
    Rule("our_answer_due", "Agency's deadline for our answer or fee payment", "our_answer", (-2, 0),
         help="Before the date the agency set for our answer, when one is recorded."),
    Rule("appeal_window", "Appeal window closing", "appeal", (-15, -5, -1),
         help="Working days before the last day to file an administrative appeal."),
    Rule("appeal_decision_overdue", "Appeal decision overdue", "appeal_decision", (1,)),
    Rule("estimate_passed", "Agency's estimated completion date passed", "estimate", (1,), repeat_every=10,
         help="The next working day after the date the agency estimated, then every few working days while it "
              "has not answered."),
    # State laws (tracker/deadlines/jurisdictions.toml):
    Rule("deemed_denied", "No response: the request is deemed denied (state law)", "deemed_denial", (1,),
         help="The next working day after a missed response deadline where the law makes that a denial "
              "(New York, Illinois, Pennsylvania, New Jersey): the window to appeal has started."),
    Rule("appeal_window_no_response", "Appeal window after no response closing", "appeal_no_response",
         (-15, -5, -1), help="Working days before the last day to appeal when the agency has not answered "
                             "(a deemed denial, or Massachusetts's 90 days from the request)."),
    Rule("certification_overdue", "Texas: no date certified after 10 business days", "certification", (1,),
         help="Gov't Code 552.221(d): records not produced within 10 business days need a certified date and hour."),
    Rule("ag_ruling_overdue", "Texas: deadline to ask the Attorney General has passed", "ag_ruling", (1,),
         help="Gov't Code 552.301(b), 552.302: without a timely request for a ruling, the information is "
              "presumed public."),
)
RULE_KEYS = tuple(r.key for r in DEFAULT_RULES)
# Mail that is not a deadline reminder but that a person can mute the same way (sent at once, even in digest mode).
OTHER_KINDS = {"agency_letter": "An agency's letter arrived, with the next step the tracker read in it"}
DEFAULTS = {r.key: r for r in DEFAULT_RULES}


def effective_rules(overrides: Iterable) -> list[Rule]:
    """The defaults with a newsroom's stored changes (ReminderRule rows) applied."""
    by_key = {o.key: o for o in overrides}
    out = []
    for rule in DEFAULT_RULES:
        o = by_key.get(rule.key)
        if o is not None:
            steps = tuple(sorted({int(s) for s in (o.steps or [])})) or rule.steps
            rule = replace(rule, enabled=bool(o.enabled), steps=steps, repeat_every=o.repeat_every or None)
        out.append(rule)
    return out


def parse_steps(text: str) -> tuple[list[int], str | None]:
    """'-15, -5, -1' -> ([-15, -5, -1], None), or ([], message) when it is not a list of whole numbers."""
    parts = [p.strip().replace("\u2212", "-") for p in (text or "").replace(";", ",").split(",") if p.strip()]
    if not parts:
        return [], "Give at least one number of working days, e.g. -3 or 1."
    try:
        steps = sorted({int(p) for p in parts})
    except ValueError:
        return [], "Use whole numbers of working days separated by commas, e.g. -15, -5, -1."
    if len(steps) > MAX_STEPS:
        return [], f"At most {MAX_STEPS} reminders per rule."
    if any(abs(s) > MAX_STEP for s in steps):
        return [], f"Keep each number between -{MAX_STEP} and {MAX_STEP} working days."
    return steps, None


# --- what a request's stored dates say today -------------------------------------------------------------

@dataclass(frozen=True)
class Watched:
    """A date a rule watches on one request, and whether it still binds (its kind, Rule.watches, is its key in
    watched_dates)."""

    on: date
    active: bool


def watched_dates(req: RecordsRequest, today: date) -> dict[str, Watched]:
    """The request's dates that rules watch: its stored deadlines (with due_dates.summary's verdict on which
    still bind), the day the clock was paused, and the date the agency set for our answer."""
    out: dict[str, Watched] = {}
    span = req.open_tolled_span
    paused = span is not None and req.status in PAUSED_STATUSES
    for row in due_dates.summary(req, today):
        if row["due"] is not None:
            # While the clock is paused the response date moves a day later every working day: the ball is in
            # our court, so the agency's response is not chased until the clock runs again.
            active = bool(row["active"]) and not (paused and row["kind"] == "response")
            out[row["kind"]] = Watched(row["due"], active)
    if span is not None:
        out["paused"] = Watched(span.paused_on, paused)
    # A date typed by a person may lie beyond the calendars (a "2062" for "2026"): no rule can count working
    # days to it, and one such request must not stop the scan, the digests and the feeds for everyone.
    if req.our_answer_due_on is not None and deadlines.SUPPORTED_FIRST <= req.our_answer_due_on \
            <= deadlines.SUPPORTED_LAST:
        out["our_answer"] = Watched(req.our_answer_due_on, paused)
    estimate = req.estimated_completion_on
    if estimate is not None and deadlines.SUPPORTED_FIRST <= estimate <= deadlines.SUPPORTED_LAST:
        out["estimate"] = Watched(estimate, req.status in estimates.RUNNING)
    return out


@dataclass(frozen=True)
class Due:
    """A reminder that is due: the rule, the date it is about, its step, and how far today is from that date."""

    rule: Rule
    deadline_on: date
    step: int
    offset: int  # working days from deadline_on to today (negative: before it)


def _offset(code: str, on: date, today: date) -> int:
    return deadlines.working_days_between(code, on, today)


def due_reminders(req: RecordsRequest, rules: Iterable[Rule], today: date,
                  watched: dict[str, Watched] | None = None) -> list[Due]:
    """The reminders due for this request today: for each enabled rule, its latest step reached, if the rule
    still holds (a step before or on the date only until that date passes)."""
    code = req.agency.jurisdiction
    watched = watched if watched is not None else watched_dates(req, today)
    out = []
    for rule in rules:
        w = watched.get(rule.watches)
        if not rule.enabled or w is None or not w.active:
            continue
        n = _offset(code, w.on, today)
        step = rule.sequence_until(n)
        if step is None or (step <= 0 and n > 0 and rule.lapses):
            continue  # nothing reached yet, or a "before the date" reminder once the date has passed
        out.append(Due(rule, w.on, step, n))
    return out


def next_check(req: RecordsRequest, rules: Iterable[Rule], today: date,
               watched: dict[str, Watched] | None = None) -> date | None:
    """The next day after today on which one of the rules could fire for this request, or None."""
    code = req.agency.jurisdiction
    watched = watched if watched is not None else watched_dates(req, today)
    days = []
    for rule in rules:
        w = watched.get(rule.watches)
        if not rule.enabled or w is None or not w.active:
            continue
        n = _offset(code, w.on, today)
        step = rule.next_after(n)
        if step is None:
            continue
        day = first_day_at(code, w.on, step)
        days.append(day if day > today else deadlines.add_working_days(code, today, 1))
    return min(days) if days else None


def first_day_at(code: str, on: date, step: int) -> date:
    """The first day on which `working_days_between(on, day) >= step`: for a date that falls on a weekend or
    holiday, "on the day" is the working day before it, and "3 before" counts back from there."""
    if step <= 0 and not deadlines.calendar_for(deadlines.jurisdiction(code)).is_working(on):
        return deadlines.add_working_days(code, on, step - 1)
    return deadlines.add_working_days(code, on, step)
