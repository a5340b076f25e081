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
from tracker.deadlines.arithmetic import Span, legal_receipt, merge_spans, periods_to_count
from tracker.deadlines.calendars import WorkCalendar, check_supported, fmt
from tracker.deadlines.rules import Jurisdiction, Period
from tracker.deadlines.walk import Step, Walker

KINDS: tuple[str, ...] = (
    "response", "appeal", "appeal_decision", "expedited", "tracking_number",
    "deemed_denial", "certification", "ag_ruling",
)  # fmt: skip


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
    jurisdiction: str,
    received: date,
    *,
    extended: bool = False,
    tolled: Sequence[Span] = (),
    variant: str | None = None,
    channel: str | None = None,
    observes: Sequence[str | date] = (),
) -> Explanation:
    j = registry.jurisdiction(jurisdiction)
    check_supported(received, "received date")
    b = _Builder(j, "response", observes)
    response, extension = j.with_variant(variant)
    b.variant(variant)
    b.rule(response, "the agency's response", "after receipt")
    return b.agency_deadline(received, response, extension, extended, tolled, "Response due", channel)


def _deemed_denial(
    jurisdiction: str,
    received: date,
    *,
    extended: bool = False,
    tolled: Sequence[Span] = (),
    variant: str | None = None,
    channel: str | None = None,
    observes: Sequence[str | date] = (),
) -> Explanation:
    j = registry.jurisdiction(jurisdiction)
    check_supported(received, "received date")
    b = _Builder(j, "deemed_denial", observes)
    rule = j.no_response
    if rule is None or not rule.deemed_denied:
        b.add("rule", f"{j.name}: the law does not deem an unanswered request denied.")
        if rule is not None and rule.text:
            b.add("note", f"{rule.text}{_cite(rule.citation)}.")
        return b.done(None)
    b.add("rule", f"{j.name}: {rule.text}{_cite(rule.citation)}; the request is deemed denied if the agency has not "
                  "answered by the end of its response due date, and the appeal window counts from that date.")
    if rule.check:
        b.add("note", f"Check: {rule.note or 'the rule could not be confirmed from a primary text'}.")
    response, extension = j.with_variant(variant)
    b.variant(variant)
    b.rule(response, "the agency's response", "after receipt")
    return b.agency_deadline(received, response, extension, extended, tolled, "Deemed denied if unanswered by",
                             channel)


def _appeal_decision(
    jurisdiction: str, appeal_received: date, *, extended: bool = False, observes: Sequence[str | date] = ()
) -> Explanation:
    j = registry.jurisdiction(jurisdiction)
    check_supported(appeal_received, "appeal received date")
    b = _Builder(j, "appeal_decision", observes)
    period = j.appeal_decision
    counted = "after the denial" if period is not None and period.start == "determination" else (
        "after receipt of the appeal")
    b.rule(period, "the agency's decision on an appeal", counted)
    return b.agency_deadline(
        appeal_received, j.appeal_decision, j.appeal_decision_extension, extended, (), "Appeal decision due"
    )


def _single(kind: str, what: str, label: str) -> Callable[..., Explanation]:
    def handler(
        jurisdiction: str, received: date, *, channel: str | None = None, observes: Sequence[str | date] = ()
    ) -> Explanation:
        j = registry.jurisdiction(jurisdiction)
        check_supported(received, "received date")
        b = _Builder(j, kind, observes)
        period = getattr(j, kind)
        b.rule(period, what, "after receipt")
        return b.agency_deadline(received, period, None, False, (), label, channel)

    return handler


def _expedited(jurisdiction: str, received: date, *, observes: Sequence[str | date] = ()) -> Explanation:
    return _single("expedited", "a decision on expedited processing", "Decision on expedited processing due")(
        jurisdiction, received, observes=observes
    )


def _tracking_number(jurisdiction: str, received: date, *, observes: Sequence[str | date] = ()) -> Explanation:
    return _single("tracking_number", "a tracking number", "Tracking number due (if the request is still open)")(
        jurisdiction, received, observes=observes
    )


_BASIS = {
    "determination": "Adverse determination dated {day}",
    "deemed_denial": "No response by the due date {day}: the request is deemed denied on that date",
    "no_response": "No timely response: the window counts from the request, dated {day}",
}


def _appeal(
    jurisdiction: str, determination: date, *, basis: str = "determination", observes: Sequence[str | date] = ()
) -> Explanation:
    j = registry.jurisdiction(jurisdiction)
    check_supported(determination, "determination date")
    if basis not in _BASIS:
        raise ValueError(f"Unknown appeal basis {basis!r}; expected one of {', '.join(_BASIS)}")
    b = _Builder(j, "appeal", observes)
    period = j.appeal
    if period is None or period.count is None:
        body = f" ({j.appeal_body})" if j.appeal_body else ""
        b.add("rule", f"{j.name}: the law sets no window for an administrative appeal{body}.")
        return b.done(None)
    b.rule(period, "the requester's administrative appeal", "after the adverse determination")
    if j.appeal_body:
        b.add("note", f"The appeal goes to {j.appeal_body}.")
    if basis != "determination" and j.no_response is not None:
        b.add("note", f"{j.name}: {j.no_response.text}{_cite(j.no_response.citation)}.")
    start = _BASIS[basis].format(day=fmt(determination))
    b.add(
        "receipt",
        f"{start}; day 1 is {_day_one(period)} after it (the start never moves later).",
        determination,
    )
    walker = Walker(b.cal, [], b.steps)
    end = walker.leg(determination, period)
    if period.unit == "calendar" and not b.cal.is_working(end):
        moved = b.cal.last_on_or_before(end)
        law = ""
        if j.due_on_closed == "next_open_day" and j.counting is not None:
            later = b.cal.first_on_or_after(end)
            law = (f" {j.counting.citation or 'State law'} would allow {fmt(later)}, the next open day; "
                   "the tracker does not count on it.")
        b.add(
            "note",
            f"The window ends on {fmt(end)}, not a working day ({b.cal.why_closed(end)}); moved earlier to "
            f"{fmt(moved)}, the previous working day (we warn early, never late).{law}",
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
    "deemed_denial": _deemed_denial,
    "certification": _single(
        "certification", "producing the records or certifying a date and hour", "Produce or certify a date by"
    ),
    "ag_ruling": _single(
        "ag_ruling", "asking the Attorney General for a ruling to withhold", "Attorney General ruling request due"
    ),
}


# ---------------------------------------------------------------------- building the steps


class _Builder:
    """Collects the steps of one explanation."""

    def __init__(self, j: Jurisdiction, kind: str, observes: Sequence[str | date] = ()) -> None:
        self.j = j
        self.kind = kind
        self.cal: WorkCalendar = registry.calendar_for(j, observes)
        self.steps: list[Step] = []
        if self.cal.observes:
            named = sorted(o for o in self.cal.observes if isinstance(o, str))
            dated = sorted(o for o in self.cal.observes if isinstance(o, date))
            parts = named + [fmt(d) for d in dated]
            self.steps.append(Step("note", "This agency also observes: " + ", ".join(parts) + "."))

    def variant(self, key: str | None) -> None:
        v = self.j.variant(key)
        if v is not None:
            self.add("note", f"Request of the kind: {v.label}." + (f" {v.note}" if v.note else ""))

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

    def receipt(self, received: date, period: Period, channel: str | None = None) -> date:
        """The day counting starts from, with the rule that set it and the closed days it moved over."""
        j = self.j
        rule = j.receipt
        if rule is not None and channel in rule.channels:
            legal = legal_receipt(j, self.cal, received, channel)
            self.add(
                "receipt",
                f"Sent by {channel} on {fmt(received)}: {rule.text}{_cite(rule.citation)}, so it counts as "
                f"received on {fmt(legal)}.",
                legal,
            )
            received = legal
        elif rule is not None and channel is None:
            self.add("note", f"{rule.text}{_cite(rule.citation)}: give how the request was sent "
                             f"({', '.join(rule.channels)}) if the receipt date entered is the day it was sent.")
        if period.unit == "calendar" and j.calendar_start == "receipt":
            why = f" ({period.citation})" if period.citation else ""
            closed = "" if self.cal.is_working(received) else (
                f" It is not a working day ({self.cal.why_closed(received)}), but a calendar-day count "
                "starts from it all the same.")
            self.add(
                "receipt",
                f"Received {fmt(received)}; the period runs in calendar days from the actual receipt{why}, so "
                f"day 1 is the day after it.{closed}",
                received,
            )
            return received
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
        channel: str | None = None,
    ) -> Explanation:
        """Receipt, the period (with tolling), the extension, and the result of an agency deadline."""
        tolled = list(tolled)  # read twice below; a generator would be empty the second time
        excluded = merge_spans(tolled)
        legs = periods_to_count(period, extension, extended)
        if legs is None or period is None:
            return self.done(None)
        eff = self.receipt(received, period, channel)
        walker = Walker(self.cal, excluded, self.steps, tolled)
        due = self.roll(walker.leg(eff, period), period)
        if extended:
            due = self.extend(walker, due, extension)
        walker.unreached(due)
        return self.done(due, label)

    def roll(self, due: date, leg: Period) -> date:
        """A calendar-day leg that ends on a closed day: moved to the next open day where the law says so."""
        if leg.unit != "calendar" or self.cal.is_working(due):
            return due
        counting = self.j.counting
        if self.j.due_on_closed != "next_open_day" or counting is None:
            self.add(
                "note",
                f"{fmt(due)} is not a working day ({self.cal.why_closed(due)}); an agency deadline counted "
                "in calendar days is kept as computed, not moved (the law sets no roll-forward).",
                due,
            )
            return due
        moved = self.cal.first_on_or_after(due)
        self.add(
            "note",
            f"{fmt(due)} is not a working day ({self.cal.why_closed(due)}); {counting.text}"
            f"{_cite(counting.citation)}, so the deadline moves to {fmt(moved)}, the next open day.",
            moved,
        )
        if counting.check:
            self.add("note", f"Check: {counting.note or 'the rule could not be confirmed'}.")
        Walker(self.cal, [], self.steps).skip_closed(due, moved)
        return moved

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
        return self.roll(walker.leg(due, extension), extension)


def _day_one(period: Period) -> str:
    return "the first working day" if period.unit == "working" else "the day"


def _cite(citation: str) -> str:
    return f" ({citation})" if citation else ""


def _with_citation(period: Period) -> str:
    return "; ".join(p for p in (period.text, period.citation) if p)
