"""Due-date arithmetic: the public functions that turn an event date into a statutory deadline.

Counting rules (see shared/foia-reference.md, sections 1, 2 and 4):

- a request (or appeal) received on a non-working day counts as received the next working day;
- day 1 of a period is the day after the (effective) receipt: the first working day after it for a
  working-day period, the next calendar day for a calendar-day period;
- a tolled span (paused_on, resumed_on) removes the days after paused_on through resumed_on;
  overlapping or unsorted spans are merged first, so no day is removed twice;
- an extension is counted on from the unextended due date, in its own unit (Pennsylvania mixes units);
- an agency's calendar-day deadline that ends on a non-working day is kept as computed; a requester's
  own window that ends on one moves EARLIER to the previous working day (we warn early, never late).

State rows may say otherwise, as data (`counting` in jurisdictions.toml): a calendar-day count that starts
from the actual receipt (day 1 is the next calendar day, even after a weekend receipt), and an agency's
calendar-day due date on a closed day that moves to the next open day (California, CCP 12a). A `receipt`
rule sets when a request sent by some channels counts as received (Michigan, MCL 15.235(1)); a variant
swaps the response or extension period for a kind of request (New Jersey, Virginia). The federal rows set
none of these, so their arithmetic is exactly the practice above.

`explain.py` recomputes every result by walking the days, and the tests check the two agree.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

from tracker.deadlines import registry
from tracker.deadlines.calendars import (
    BASE,
    SPAN,
    SUPPORTED_FIRST,
    SUPPORTED_LAST,
    WorkCalendar,
    check_in_tables,
    check_supported,
)
from tracker.deadlines.errors import DateOutOfRange, InvalidSpan
from tracker.deadlines.rules import Jurisdiction, Period

Span = tuple[date, date]
_FIRST = SUPPORTED_FIRST.toordinal()
_COUNT = SUPPORTED_LAST.toordinal() - _FIRST + 1
_TABLES = registry.RESPONSE_TABLES


def response_due(
    jurisdiction: str,
    received: date,
    *,
    extended: bool = False,
    tolled: Sequence[Span] = (),
    variant: str | None = None,
    channel: str | None = None,
    observes: Sequence[str | date] = (),
) -> date | None:
    """The agency's first-response deadline; None where the law only says "promptly".

    `variant` picks a kind of request with its own periods (e.g. "commercial" in New Jersey); `channel` is
    how the request was sent, for laws that set when it counts as received (Michigan: email and fax);
    `observes` is the agency's own optional holidays and closed days, where the law allows them (Texas).
    Hot path: with none of these and no tolling the answer is one lookup in a table built once per jurisdiction.
    """
    if not tolled and type(received) is date and variant is None and channel is None and not observes:
        table = _TABLES[1 if extended else 0].get(jurisdiction)
        if table is not None:
            o = received.toordinal() - _FIRST
            if 0 <= o < _COUNT:
                return table[o]
    return _response_slow(jurisdiction, received, bool(extended), tolled, variant, channel, observes)


def deemed_denial_due(
    jurisdiction: str,
    received: date,
    *,
    extended: bool = False,
    tolled: Sequence[Span] = (),
    variant: str | None = None,
    channel: str | None = None,
    observes: Sequence[str | date] = (),
) -> date | None:
    """The missed due date on which the law deems the request denied (NY, IL, PA, NJ); None where it does not.

    It is the response due date: a request with no answer by the end of that day is denied, and the
    requester's appeal window counts from it.
    """
    j = registry.jurisdiction(jurisdiction)
    if j.no_response is None or not j.no_response.deemed_denied:
        check_supported(received, "received date")
        return None
    return response_due(jurisdiction, received, extended=extended, tolled=tolled, variant=variant,
                        channel=channel, observes=observes)


def appeal_due(
    jurisdiction: str, determination: date, *, basis: str = "determination", observes: Sequence[str | date] = ()
) -> date | None:
    """The requester's last day to file an administrative appeal; None where there is no such appeal.

    `determination` is the date the window counts from: the adverse determination, the missed due date of a
    deemed denial (basis="deemed_denial"), or the request itself where the law says so (basis="no_response").
    """
    j = registry.jurisdiction(jurisdiction)
    check_supported(determination, "determination date")
    period = j.appeal
    if period is None or period.count is None:
        return None
    cal = registry.calendar_for(j, observes)
    end = advance(cal, determination, period)  # no shift of the start: that could only warn later
    return cal.last_on_or_before(end) if period.unit == "calendar" else end


def appeal_decision_due(
    jurisdiction: str, appeal_received: date, *, extended: bool = False, observes: Sequence[str | date] = ()
) -> date | None:
    """The agency's deadline to decide an administrative appeal; None where the law sets none.

    Where the period counts from the denial (Washington, RCW 42.56.520(3)), pass the denial's date.
    """
    j = registry.jurisdiction(jurisdiction)
    check_supported(appeal_received, "appeal received date")
    legs = periods_to_count(j.appeal_decision, j.appeal_decision_extension, extended)
    if legs is None:
        return None
    cal = registry.calendar_for(j, observes)
    return agency_due(j, cal, appeal_received, legs, [])


def expedited_decision_due(jurisdiction: str, received: date, *, observes: Sequence[str | date] = ()) -> date | None:
    """The agency's deadline to decide a request for expedited processing; None where there is no rule."""
    return _single_period(jurisdiction, received, "expedited", None, observes)


def tracking_number_due(jurisdiction: str, received: date, *, observes: Sequence[str | date] = ()) -> date | None:
    """The day by which a still-open request must have a tracking number (federal: 552(a)(7)(A))."""
    return _single_period(jurisdiction, received, "tracking_number", None, observes)


def certification_due(
    jurisdiction: str, received: date, *, channel: str | None = None, observes: Sequence[str | date] = ()
) -> date | None:
    """Texas: the day by which records not yet produced need a certified date and hour (Gov't Code 552.221(d))."""
    return _single_period(jurisdiction, received, "certification", channel, observes)


def ag_ruling_due(
    jurisdiction: str, received: date, *, channel: str | None = None, observes: Sequence[str | date] = ()
) -> date | None:
    """Texas: the last day to ask the Attorney General for a ruling to withhold (Gov't Code 552.301(b))."""
    return _single_period(jurisdiction, received, "ag_ruling", channel, observes)


def working_days_between(
    jurisdiction: str, start: date, end: date, *, observes: Sequence[str | date] = ()
) -> int:
    """Working days after `start` through `end` (negative if `end` < `start`): "overdue by N working days"."""
    cal = registry.calendar_for(registry.jurisdiction(jurisdiction), observes)
    return cal.between(check_in_tables(start, "start date"), check_in_tables(end, "end date"))


def add_working_days(jurisdiction: str, start: date, n: int, *, observes: Sequence[str | date] = ()) -> date:
    """The n-th working day after `start` (before it if n < 0; `start` itself if n == 0)."""
    cal = registry.calendar_for(registry.jurisdiction(jurisdiction), observes)
    if not isinstance(n, int) or isinstance(n, bool):
        raise TypeError(f"n must be a whole number of working days, got {n!r}")
    return cal.add(check_in_tables(start, "start date"), n)


# ---------------------------------------------------------------------- shared building blocks


def legal_receipt(j: Jurisdiction, cal: WorkCalendar, received: date, channel: str | None) -> date:
    """The day the law counts a request as received: Michigan's email and fax requests, 1 business day later."""
    rule = j.receipt
    if rule is not None and channel in rule.channels:
        return cal.add(received, rule.count)
    return received


def count_start(j: Jurisdiction, cal: WorkCalendar, received: date, first: Period) -> date:
    """The day after which counting begins: the actual receipt for a state's calendar-day count that starts
    from it, otherwise the effective receipt (the next working day when received on a closed day)."""
    if first.unit == "calendar" and j.calendar_start == "receipt":
        return received
    return cal.first_on_or_after(received)


def roll_forward(j: Jurisdiction, cal: WorkCalendar, due: date, last: Period) -> date:
    """An agency's calendar-day due date on a closed day moves to the next open day where the state's law says so."""
    if last.unit == "calendar" and j.due_on_closed == "next_open_day":
        return cal.first_on_or_after(due)
    return due


def agency_due(
    j: Jurisdiction, cal: WorkCalendar, received: date, legs: Sequence[Period], excluded: Sequence[tuple[int, int]]
) -> date:
    """An agency's deadline: counting start, then the legs one after another, each calendar-day leg rolled
    forward where the state's law says so (an extension extends the time limit as it stands)."""
    day = count_start(j, cal, received, legs[0])
    for leg in legs:
        day = roll_forward(j, cal, advance(cal, day, leg, excluded), leg)
    return day


def periods_to_count(base: Period | None, extension: Period | None, extended: bool) -> list[Period] | None:
    """The periods to count one after another, or None when the law sets no computable date.

    An extension with no count ("by agreement", "reasonable estimate") adds nothing.
    """
    if base is None or base.count is None:
        return None
    if extended and extension is not None and extension.count is not None:
        return [base, extension]
    return [base]


def merge_spans(tolled: Iterable[Span]) -> list[tuple[int, int]]:
    """Tolled spans as sorted, disjoint half-open ordinal ranges [paused+1, resumed+1)."""
    ranges: list[tuple[int, int]] = []
    for span in tolled:
        if not isinstance(span, tuple | list) or len(span) != 2:
            raise InvalidSpan(f"a tolled span must be a pair (paused_on, resumed_on), got {span!r}")
        paused, resumed = span
        check_supported(paused, "tolled span paused_on")
        check_supported(resumed, "tolled span resumed_on")
        if resumed < paused:
            raise InvalidSpan(
                f"tolled span resumes on {resumed.isoformat()}, before it was paused on {paused.isoformat()}"
            )
        ranges.append((paused.toordinal() + 1, resumed.toordinal() + 1))
    ranges.sort()
    merged: list[tuple[int, int]] = []
    for a, b in ranges:
        if merged and a <= merged[-1][1]:  # overlapping or touching: one span
            merged[-1] = (merged[-1][0], max(merged[-1][1], b))
        elif a < b:
            merged.append((a, b))
    return merged


def advance(cal: WorkCalendar, start: date, period: Period, excluded: Sequence[tuple[int, int]] = ()) -> date:
    """The day on which `period` (counted from the day after `start`) is complete, skipping tolled days."""
    if period.count is None:
        raise ValueError(f"period {period.text!r} has no count to advance by")
    o = cal.offset(start)
    if period.unit == "working":
        # Work in working-day indices: day 1 has index cum[o + 1].
        ranges = [(cal.cum[_index(a)], cal.cum[_index(b)]) for a, b in excluded]
        return cal.day_at(_skip(cal.cum[o + 1], period.count, ranges))
    end = _skip(start.toordinal() + 1, period.count, excluded)
    if end - BASE >= SPAN:
        raise DateOutOfRange("the result falls outside the calendar tables")
    return date.fromordinal(end)


def _skip(first: int, n: int, excluded: Sequence[tuple[int, int]]) -> int:
    """Position of the n-th counted unit from `first`, stepping over the sorted, disjoint `excluded`."""
    last = first + n - 1
    for a, b in excluded:
        if b <= first:
            continue
        if a > last:
            break
        last += b - max(a, first)
    return last


def _index(ordinal: int) -> int:
    """Table offset of an ordinal, clamped to the table (tolled spans are validated already)."""
    return min(max(ordinal - BASE, 0), SPAN)


def _single_period(
    jurisdiction: str, received: date, field: str, channel: str | None, observes: Sequence[str | date]
) -> date | None:
    j = registry.jurisdiction(jurisdiction)
    check_supported(received, "received date")
    period = getattr(j, field)
    if period is None or period.count is None:
        return None
    cal = registry.calendar_for(j, observes)
    return agency_due(j, cal, legal_receipt(j, cal, received, channel), [period], [])


def _response_slow(
    jurisdiction: str,
    received: date,
    extended: bool,
    tolled: Sequence[Span],
    variant: str | None = None,
    channel: str | None = None,
    observes: Sequence[str | date] = (),
) -> date | None:
    j = registry.jurisdiction(jurisdiction)
    check_supported(received, "received date")
    excluded = merge_spans(tolled)
    response, extension = j.with_variant(variant)
    cal = registry.calendar_for(j, observes)
    if not excluded and variant is None and not observes and legal_receipt(j, cal, received, channel) == received:
        # Build the table this call missed, then answer from it.
        table = _TABLES[1 if extended else 0].get(j.code)
        if table is None:
            table = _build_response_table(j.code, extended)
        return table[received.toordinal() - _FIRST]
    legs = periods_to_count(response, extension, extended)
    if legs is None:
        return None
    return agency_due(j, cal, legal_receipt(j, cal, received, channel), legs, excluded)


def _build_response_table(code: str, extended: bool) -> list[date | None]:
    """Due dates for every supported receipt day, so the hot path is one list lookup."""
    j = registry.jurisdiction(code)
    legs = periods_to_count(j.response, j.extension, extended)
    table: list[date | None]
    if legs is None:
        table = [None] * _COUNT
    else:
        cal = registry.calendar_for(j)
        cum, days = cal.cum, cal.days
        first = _FIRST - BASE
        if all(leg.unit == "working" for leg in legs):
            n = sum(leg.count or 0 for leg in legs)
            # Effective receipt has index cum[o]; the n-th working day after it has index cum[o] + n.
            table = [days[cum[o] + n] for o in range(first, first + _COUNT)]
        else:
            table = [agency_due(j, cal, date.fromordinal(o + BASE), legs, []) for o in range(first, first + _COUNT)]
    _TABLES[1 if extended else 0][code] = table
    return table
