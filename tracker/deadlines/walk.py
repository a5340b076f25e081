"""The day-by-day walk behind an explanation: one step per skipped weekend run, holiday and tolled span.

Slow on purpose: it does not use the counting tables, so it checks them (see explain.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from tracker.deadlines.arithmetic import Span
from tracker.deadlines.calendars import SATURDAY, WorkCalendar, fmt
from tracker.deadlines.rules import Period


@dataclass(frozen=True, slots=True)
class Step:
    """One line of an explanation. `kind` is one of: rule, receipt, weekend, holiday, tolled,
    extension, count, note, result."""

    kind: str
    text: str
    on: date | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "text": self.text, "on": self.on.isoformat() if self.on else None}


class Walker:
    """Walks day by day through a period, writing a step for each skipped run of days."""

    def __init__(
        self,
        cal: WorkCalendar,
        excluded: list[tuple[int, int]],
        steps: list[Step],
        given: Sequence[Span] = (),
    ) -> None:
        self.cal = cal
        self.excluded = excluded
        self.steps = steps
        self.given = list(given)
        self.reported: set[int] = set()
        self.started: int | None = None  # ordinal where counting began, for spans never reached

    def leg(self, start: date, period: Period) -> date:
        """Count `period` from the day after `start`; return the day it is complete."""
        need = period.count or 0
        working = period.unit == "working"
        cur = start.toordinal()
        if self.started is None:
            self.started = cur
        counted, first = 0, None
        weekend: list[date] = []
        while counted < need:
            cur += 1
            span = self._span_at(cur)
            if span is not None:
                self._flush(weekend)
                cur = self._report_span(span, cur, working)
                continue
            day = date.fromordinal(cur)
            if working and day.weekday() >= SATURDAY:
                weekend.append(day)
                continue
            self._flush(weekend)
            closure = self.cal.closure(day) if working else None
            if closure is not None:
                self.steps.append(Step("holiday", f"Skipped {fmt(day)}: {closure.describe()}", day))
                continue
            counted += 1
            first = first or day
        end = date.fromordinal(cur)
        self._flush(weekend)
        if first is not None:
            self.steps.append(
                Step(
                    "count",
                    f"Counted {period.describe()}: day 1 is {fmt(first)}, day {need} is {fmt(end)}.",
                    end,
                )
            )
        return end

    def skip_closed(self, start: date, stop: date) -> None:
        """Steps for the non-working days from `start` up to (not including) `stop`."""
        weekend: list[date] = []
        for o in range(start.toordinal(), stop.toordinal()):
            day = date.fromordinal(o)
            if day.weekday() >= SATURDAY:
                weekend.append(day)
                continue
            self._flush(weekend)
            closure = self.cal.closure(day)
            if closure is not None:
                self.steps.append(Step("holiday", f"Skipped {fmt(day)}: {closure.describe()}", day))
        self._flush(weekend)

    def unreached(self, due: date) -> None:
        """A note for each tolled span that removed nothing because it lies outside the count."""
        for i, (a, b) in enumerate(self.excluded):
            if i in self.reported:
                continue
            where = (
                "ends before counting starts"
                if self.started is not None and b - 1 <= self.started
                else ("begins after the due date")
            )
            paused, resumed = date.fromordinal(a - 1), date.fromordinal(b - 1)
            self.steps.append(
                Step(
                    "tolled",
                    f"Tolled span paused on {fmt(paused)} and resumed on {fmt(resumed)} {where}; "
                    "it removes no days.",
                    paused,
                )
            )
        for paused, resumed in self.given:
            if paused == resumed:
                self.steps.append(
                    Step(
                        "tolled",
                        f"Tolled span paused and resumed on {fmt(paused)}; it removes no days.",
                        paused,
                    )
                )

    def _span_at(self, ordinal: int) -> int | None:
        for i, (a, b) in enumerate(self.excluded):
            if a <= ordinal < b:
                return i
        return None

    def _report_span(self, i: int, cur: int, working: bool) -> int:
        """Write the tolled step for span i, entered at `cur`; return the span's last ordinal."""
        a, b = self.excluded[i]
        days = [date.fromordinal(o) for o in range(cur, b)]
        removed = sum(1 for d in days if self.cal.is_working(d)) if working else len(days)
        unit = "working" if working else "calendar"
        noun = "day" if removed == 1 else "days"
        paused, resumed = date.fromordinal(a - 1), date.fromordinal(b - 1)
        merged = sum(1 for p, r in self.given if p < r and a <= p.toordinal() + 1 and r.toordinal() + 1 <= b)
        extra = " (overlapping spans merged, so no day is removed twice)" if merged > 1 else ""
        self.steps.append(
            Step(
                "tolled",
                f"Tolled: the clock was paused on {fmt(paused)} and resumed on {fmt(resumed)}; "
                f"{removed} {unit} {noun} from {fmt(days[0])} through {fmt(resumed)} do not count{extra}.",
                paused,
            )
        )
        self.reported.add(i)
        return b - 1

    def _flush(self, weekend: list[date]) -> None:
        if not weekend:
            return
        first, last = weekend[0], weekend[-1]
        span = fmt(first) if first == last else f"{fmt(first)} to {fmt(last)}"
        self.steps.append(Step("weekend", f"Skipped {span}: weekend", first))
        weekend.clear()
