"""Provenance: how a due date was reached, step by step, in sentences a journalist or lawyer can check.

The explanation does not reuse the table arithmetic: it walks the calendar one day at a time, so it
is slow but independent, and the tests check `explain(...).result == function(...)`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from tracker.deadlines import registry
from tracker.deadlines.arithmetic import Span, merge_spans, periods_to_count
from tracker.deadlines.calendars import WorkCalendar, check_supported, fmt
from tracker.deadlines.rules import Jurisdiction, Period
from tracker.deadlines.walk import Step, Walker

KINDS: tuple[str, ...] = ("response", "appeal", "appeal_decision", "expedited", "tracking_number")


@dataclass(slots=True)
class Explanation:
    """The result of one deadline computation with the steps that produced it, in order."""

    kind: str
    jurisdiction: str
    result: date | None
    steps: list[Step] = field(default_factory=list)

    def of_kind(self, kind: str) -> list[Step]:
        return [s for s in self.steps if s.kind == kind]

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "jurisdiction": self.jurisdiction,
            "result": self.result.isoformat() if self.result else None,
            "steps": [s.to_dict() for s in self.steps],
        }

    def __str__(self) -> str:
        return "\n".join(s.text for s in self.steps)


def explain(kind: str, jurisdiction: str, *args: Any, **kwargs: Any) -> Explanation:
    """Explain one deadline; `kind` picks the function, and the other arguments are that function's.

    explain("response", "US", date(2026, 11, 20), extended=True)
    """
    try:
        handler = _HANDLERS[kind]
    except (KeyError, TypeError):
        raise ValueError(f"Unknown explanation kind {kind!r}; expected one of {', '.join(KINDS)}") from None
    return handler(jurisdiction, *args, **kwargs)


# ---------------------------------------------------------------------- one handler per kind


def _response(
    jurisdiction: str, received: date, *, extended: bool = False, tolled: Sequence[Span] = ()
) -> Explanation:
    j = registry.jurisdiction(jurisdiction)
    check_supported(received, "received date")
    b = _Builder(j, "response")
    b.rule(j.response, "the agency's response", "after receipt")
    return b.agency_deadline(received, j.response, j.extension, extended, tolled, "Response due")


def _appeal_decision(jurisdiction: str, appeal_received: date, *, extended: bool = False) -> Explanation:
    j = registry.jurisdiction(jurisdiction)
    check_supported(appeal_received, "appeal received date")
    b = _Builder(j, "appeal_decision")
    b.rule(j.appeal_decision, "the agency's decision on an appeal", "after receipt of the appeal")
    return b.agency_deadline(
        appeal_received, j.appeal_decision, j.appeal_decision_extension, extended, (), "Appeal decision due"
    )


def _expedited(jurisdiction: str, received: date) -> Explanation:
    j = registry.jurisdiction(jurisdiction)
    check_supported(received, "received date")
    b = _Builder(j, "expedited")
    b.rule(j.expedited, "a decision on expedited processing", "after receipt")
    return b.agency_deadline(received, j.expedited, None, False, (), "Decision on expedited processing due")


def _tracking_number(jurisdiction: str, received: date) -> Explanation:
    j = registry.jurisdiction(jurisdiction)
    check_supported(received, "received date")
    b = _Builder(j, "tracking_number")
    b.rule(j.tracking_number, "a tracking number", "after receipt")
    return b.agency_deadline(
        received, j.tracking_number, None, False, (), "Tracking number due (if the request is still open)"
    )


def _appeal(jurisdiction: str, determination: date) -> Explanation:
    j = registry.jurisdiction(jurisdiction)
    check_supported(determination, "determination date")
    b = _Builder(j, "appeal")
    period = j.appeal
    if period is None or period.count is None:
        body = f" ({j.appeal_body})" if j.appeal_body else ""
        b.add("rule", f"{j.name}: the law sets no window for an administrative appeal{body}.")
        return b.done(None)
    b.rule(period, "the requester's administrative appeal", "after the adverse determination")
    if j.appeal_body:
        b.add("note", f"The appeal goes to {j.appeal_body}.")
    b.add(
        "receipt",
        f"Adverse determination dated {fmt(determination)}; day 1 is {_day_one(period)} after it "
        "(the start never moves later).",
        determination,
    )
    walker = Walker(b.cal, [], b.steps)
    end = walker.leg(determination, period)
    if period.unit == "calendar" and not b.cal.is_working(end):
        moved = b.cal.last_on_or_before(end)
        b.add(
            "note",
            f"The window ends on {fmt(end)}, not a working day ({b.cal.why_closed(end)}); moved earlier to "
            f"{fmt(moved)}, the previous working day (we warn early, never late).",
            moved,
        )
        end = moved
    return b.done(end, "Last day to file the appeal")


_HANDLERS: dict[str, Callable[..., Explanation]] = {
    "response": _response,
    "appeal": _appeal,
    "appeal_decision": _appeal_decision,
    "expedited": _expedited,
    "tracking_number": _tracking_number,
}


# ---------------------------------------------------------------------- building the steps


class _Builder:
    """Collects the steps of one explanation."""

    def __init__(self, j: Jurisdiction, kind: str) -> None:
        self.j = j
        self.kind = kind
        self.cal: WorkCalendar = registry.calendar_for(j)
        self.steps: list[Step] = []

    def add(self, kind: str, text: str, on: date | None = None) -> None:
        self.steps.append(Step(kind, text, on))

    def done(self, result: date | None, label: str = "") -> Explanation:
        if result is None:
            self.add(
                "result", "No computable date: the law sets no fixed period. Set a follow-up date instead."
            )
        else:
            self.add("result", f"{label}: {fmt(result)}.", result)
        return Explanation(self.kind, self.j.code, result, self.steps)

    def rule(self, period: Period | None, what: str, counted_from: str) -> None:
        j = self.j
        if period is None:
            self.add("rule", f"{j.name} ({j.citation}) sets no deadline for {what}.")
            return
        cite = f" ({period.citation})" if period.citation else ""
        if period.count is None:
            self.add("rule", f"{j.name}: {period.text}{cite}; the law sets no fixed period for {what}.")
        else:
            self.add("rule", f"{j.name}: {period.text}{cite}; counted as {period.describe()} {counted_from}.")
        self.check(period)

    def check(self, period: Period) -> None:
        if period.check:
            detail = period.note or "the value could not be confirmed from a primary text"
            self.add("note", f"Check: {detail}.")

    def receipt(self, received: date, period: Period) -> date:
        """The effective receipt, with the weekend and holidays it moved over."""
        eff = self.cal.first_on_or_after(received)
        day_one = _day_one(period)
        if eff == received:
            self.add(
                "receipt", f"Received {fmt(received)}, a working day; day 1 is {day_one} after it.", received
            )
            return eff
        self.add(
            "receipt",
            f"Received {fmt(received)}, not a working day ({self.cal.why_closed(received)}); it counts as "
            f"received on {fmt(eff)}, the next working day, and day 1 is {day_one} after that.",
            eff,
        )
        walker = Walker(self.cal, [], self.steps)
        walker.skip_closed(received, eff)
        return eff

    def agency_deadline(
        self,
        received: date,
        period: Period | None,
        extension: Period | None,
        extended: bool,
        tolled: Sequence[Span],
        label: str,
    ) -> Explanation:
        """Receipt, the period (with tolling), the extension, and the result of an agency deadline."""
        tolled = list(tolled)  # read twice below; a generator would be empty the second time
        excluded = merge_spans(tolled)
        legs = periods_to_count(period, extension, extended)
        if legs is None or period is None:
            return self.done(None)
        eff = self.receipt(received, period)
        walker = Walker(self.cal, excluded, self.steps, tolled)
        due = walker.leg(eff, period)
        if extended:
            due = self.extend(walker, due, extension)
        walker.unreached(due)
        last_unit = legs[-1].unit
        if last_unit == "calendar" and not self.cal.is_working(due):
            self.add(
                "note",
                f"{fmt(due)} is not a working day ({self.cal.why_closed(due)}); an agency deadline counted "
                "in calendar days is kept as computed, not moved.",
                due,
            )
        return self.done(due, label)

    def extend(self, walker: Walker, due: date, extension: Period | None) -> date:
        if extension is None:
            self.add(
                "extension", f"Extension requested, but {self.j.name} provides none; the date is unchanged."
            )
            return due
        if extension.count is None:
            self.add(
                "extension",
                f"Extension requested, but the law sets no computable extension "
                f"({_with_citation(extension)}); the date is unchanged.",
            )
            self.check(extension)
            return due
        self.add(
            "extension",
            f"Extended by {extension.describe()} ({_with_citation(extension)}), counted on from {fmt(due)}.",
            due,
        )
        self.check(extension)
        return walker.leg(due, extension)


def _day_one(period: Period) -> str:
    return "the first working day" if period.unit == "working" else "the day"


def _with_citation(period: Period) -> str:
    return "; ".join(p for p in (period.text, period.citation) if p)
