"""Working-day calendars: which days are closed, and the precomputed tables that make counting cheap.

A `WorkCalendar` is built once per holiday calendar (lazily, see registry.py) over a fixed span of
years. Two tables make any working-day count a pair of list lookups:

- `cum[i]`: how many working days fall strictly before the day `TABLE_FIRST + i`;
- `days[k]`: the k-th working day (0-based) of the span.

So the index of the first working day on or after day i is `cum[i]`, and the n-th working day after
a working day of index k is `days[k + n]`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import holidays

from tracker.deadlines.errors import DateOutOfRange
from tracker.deadlines.rules import HolidayCalendar

# Dates a caller may pass in. The tables reach further so that a period starting on the last
# supported day (plus tolling and extension) still ends inside them.
SUPPORTED_FIRST = date(2000, 1, 1)
SUPPORTED_LAST = date(2040, 12, 31)
TABLE_FIRST = date(1999, 1, 1)
TABLE_LAST = date(2043, 12, 31)
BASE = TABLE_FIRST.toordinal()
SPAN = TABLE_LAST.toordinal() - BASE + 1

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
SATURDAY = 5

# Names the `holidays` package gives several holidays on one date, joined with this.
_NAME_SEPARATOR = "; "


def fmt(d: date) -> str:
    """'Thursday 2026-11-26': the weekday makes a date checkable at a glance."""
    return f"{WEEKDAYS[d.weekday()]} {d.isoformat()}"


def check_supported(
    d: object, what: str, *, first: date = SUPPORTED_FIRST, last: date = SUPPORTED_LAST
) -> date:
    """A plain date inside the supported range, or a clear error."""
    if type(d) is not date:  # a datetime is a date subclass, but days must be plain dates
        raise TypeError(f"{what} must be a datetime.date, got {type(d).__name__}: {d!r}")
    if not first <= d <= last:
        raise DateOutOfRange(
            f"{what} {d.isoformat()} is outside the supported range {first.isoformat()} to {last.isoformat()}"
        )
    return d


def check_in_tables(d: object, what: str) -> date:
    """Calendar queries accept any day of the tables: a due date computed near the end of the
    supported range may itself fall after it, and must still work in working_days_between()."""
    return check_supported(d, what, first=TABLE_FIRST, last=TABLE_LAST)


@dataclass(frozen=True, slots=True)
class Closure:
    """Why a weekday is not a working day."""

    name: str  # "Thanksgiving Day", "Independence Day (observed)"
    authority: str  # "legal public holiday, 5 U.S.C. 6103(a)"

    def describe(self) -> str:
        return f"{self.name} ({self.authority})" if self.authority else self.name


class WorkCalendar:
    """Working days of one jurisdiction's calendar, with O(1) counting tables."""

    __slots__ = ("spec", "closed", "cum", "days", "observes")

    def __init__(
        self,
        spec: HolidayCalendar,
        extra_closures: frozenset[date] = frozenset(),
        observes: frozenset[str | date] = frozenset(),
    ) -> None:
        self.spec = spec
        self.observes = observes
        self.closed: dict[date, Closure] = _closed_weekdays(spec, extra_closures, observes)
        self.cum: list[int] = [0] * (SPAN + 1)
        self.days: list[date] = []
        day = TABLE_FIRST
        one = timedelta(days=1)
        for i in range(SPAN):
            if day.weekday() < SATURDAY and day not in self.closed:
                self.days.append(day)
            self.cum[i + 1] = len(self.days)
            day += one

    # ------------------------------------------------------------------ lookups

    def offset(self, d: date) -> int:
        """Position of `d` in the tables; a clear error outside them."""
        o = d.toordinal() - BASE
        if not 0 <= o < SPAN:
            raise DateOutOfRange(
                f"{d.isoformat()} is outside the calendar tables "
                f"({TABLE_FIRST.isoformat()} to {TABLE_LAST.isoformat()})"
            )
        return o

    def day_at(self, index: int) -> date:
        """The working day with this index; an error past the end of the tables."""
        if not 0 <= index < len(self.days):
            raise DateOutOfRange(f"the result falls outside the calendar tables (after {TABLE_LAST})")
        return self.days[index]

    def is_working(self, d: date) -> bool:
        return d.weekday() < SATURDAY and d not in self.closed

    def closure(self, d: date) -> Closure | None:
        """The holiday or closure on a weekday, or None (weekends are not closures)."""
        return self.closed.get(d)

    def why_closed(self, d: date) -> str:
        """'weekend', or the holiday's name, for a non-working day."""
        if d.weekday() >= SATURDAY:
            return "weekend"
        c = self.closed.get(d)
        return c.name if c is not None else "working day"

    # ------------------------------------------------------------------ arithmetic

    def first_on_or_after(self, d: date) -> date:
        """The effective receipt: `d` itself if it is a working day, else the next working day."""
        return self.day_at(self.cum[self.offset(d)])

    def last_on_or_before(self, d: date) -> date:
        """Where a requester's window ending on a non-working day moves: earlier, never later."""
        return self.day_at(self.cum[self.offset(d) + 1] - 1)

    def add(self, start: date, n: int) -> date:
        """The n-th working day after `start` (before it, if n < 0); `start` itself if n == 0."""
        if n == 0:
            return start
        o = self.offset(start)
        if n > 0:
            return self.day_at(self.cum[o + 1] + n - 1)
        return self.day_at(self.cum[o] + n)

    def between(self, start: date, end: date) -> int:
        """Working days after `start` through `end`; negative when `end` is before `start`."""
        return self.cum[self.offset(end) + 1] - self.cum[self.offset(start) + 1]


_OBSERVED = " (observed)"


def _base(name: str) -> str:
    return name[: -len(_OBSERVED)] if name.endswith(_OBSERVED) else name


def _moves(spec: HolidayCalendar, day: date) -> bool:
    """Whether the state's law moves a weekend holiday to this weekday (Friday for Saturday, Monday for Sunday)."""
    if spec.in_lieu == "none":
        return False
    return not (spec.in_lieu == "sunday" and day.weekday() == 4)


def _closed_weekdays(
    spec: HolidayCalendar, extra_closures: frozenset[date], observes: frozenset[str | date] = frozenset()
) -> dict[date, Closure]:
    """Every weekday of the table span that is a holiday or closure, with its name and authority.

    `holidays` also lists a holiday on its weekend date next to the observed weekday; weekends never
    count, so only weekday entries matter, and the explanation names the observed weekday. State law
    corrects the package: commemorative days excluded, in-lieu days only where the law moves a holiday,
    optional days only where the agency observes them, added days where the package lacks them.
    """
    cal = holidays.country_holidays(
        spec.country,
        subdiv=spec.subdiv,
        years=range(TABLE_FIRST.year, TABLE_LAST.year + 1),
        categories=spec.categories,
    )
    observed_names = {o for o in observes if isinstance(o, str)}
    excluded = set(spec.exclude) | (set(spec.optional) - observed_names)
    rename = dict(spec.rename)
    closed: dict[date, Closure] = {}
    for day, joined in cal.items():
        if day.weekday() >= SATURDAY or not TABLE_FIRST <= day <= TABLE_LAST:
            continue
        names = [
            _renamed(rename, n)
            for n in joined.split(_NAME_SEPARATOR)
            if _base(n) not in excluded and (not n.endswith(_OBSERVED) or _moves(spec, day))
        ]
        if names:
            name = _NAME_SEPARATOR.join(names)
            optional = spec.optional and any(_base(n) in observed_names for n in joined.split(_NAME_SEPARATOR))
            closed[day] = Closure(name, _optional_authority(spec) if optional else _authority(spec, day, name))
    for added in spec.added:
        for year in range(TABLE_FIRST.year, TABLE_LAST.year + 1):
            day, name = added.on(year), added.name
            if day.weekday() >= SATURDAY:  # Saturday to the Friday before, Sunday to the Monday after
                moved = day + timedelta(days=-1 if day.weekday() == SATURDAY else 1)
                if added.day is None or not _moves(spec, moved):
                    continue
                day, name = moved, name + _OBSERVED
            if TABLE_FIRST <= day <= TABLE_LAST:
                if day in closed and _base(name) in map(_base, closed[day].name.split(_NAME_SEPARATOR)):
                    continue  # the package already has it that year
                joined = f"{closed[day].name}{_NAME_SEPARATOR}{name}" if day in closed else name
                closed[day] = Closure(joined, _authority(spec, day, joined))
    for day in sorted(o for o in observes if isinstance(o, date)):
        if day.weekday() < SATURDAY and day not in closed:
            closed[day] = Closure("Closed day designated by the agency", spec.agency_days or "agency setting")
    for day in spec.closures:
        if day.weekday() < SATURDAY and day not in closed:
            closed[day] = Closure("Closure", "listed in the rules file; not a legal holiday")
    if spec.federal:
        closed.update(_executive_closures(spec, extra_closures, closed))
    return closed


def _renamed(rename: dict[str, str], name: str) -> str:
    base = _base(name)
    return rename[base] + name[len(base):] if base in rename else name


def _optional_authority(spec: HolidayCalendar) -> str:
    rule = f", {spec.optional_rule}" if spec.optional_rule else ""
    return f"optional holiday observed by this agency{rule}"


def _authority(spec: HolidayCalendar, day: date, name: str) -> str:
    """The source of a holiday; for an in-lieu day, also the weekend date it stands for."""
    if not name.endswith("(observed)"):
        return spec.authority
    if day.weekday() == 4:  # Friday stands in for the Saturday after it
        actual, rule = day + timedelta(days=1), spec.saturday_rule
    elif day.weekday() == 0:  # Monday stands in for the Sunday before it
        actual, rule = day - timedelta(days=1), spec.sunday_rule
    else:
        return spec.authority
    parts = [p for p in (f"in lieu of {fmt(actual)}", rule or spec.authority) if p]
    return ", ".join(parts)


def _executive_closures(
    spec: HolidayCalendar, extra: frozenset[date], closed: dict[date, Closure]
) -> dict[date, Closure]:
    """Ad-hoc closures set by the newsroom, named after the package's 'government' list where it has one."""
    if not extra:
        return {}
    named = holidays.country_holidays(
        spec.country, years=sorted({d.year for d in extra}), categories=("government",)
    )
    out: dict[date, Closure] = {}
    for day in extra:
        if day.weekday() >= SATURDAY or day in closed:
            continue
        name = named.get(day) or "Executive-order closure"
        out[day] = Closure(
            name, "executive-order closure added by newsroom setting; not a legal public holiday"
        )
    return out
