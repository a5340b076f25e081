"""Properties that must hold for every jurisdiction and every supported date."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.deadlines.budget import examples
from tracker.deadlines import (
    SUPPORTED_FIRST,
    SUPPORTED_LAST,
    appeal_due,
    calendar_for,
    jurisdiction,
    jurisdictions,
    response_due,
    working_days_between,
)

SETTINGS = settings(max_examples=examples(200), deadline=None, database=None)
CODES = [j.code for j in jurisdictions()]
codes = st.sampled_from(CODES)
days = st.dates(SUPPORTED_FIRST, SUPPORTED_LAST)
spans = st.lists(
    st.tuples(days, st.integers(0, 40)).map(lambda t: (t[0], min(t[0] + timedelta(t[1]), SUPPORTED_LAST))),
    max_size=4,
)


def _all_working(code: str, extended: bool) -> bool:
    j = jurisdiction(code)
    units = [j.response.unit]
    if extended and j.extension is not None and j.extension.count is not None:
        units.append(j.extension.unit)
    return all(u == "working" for u in units)


@SETTINGS
@given(codes, days, st.booleans(), spans)
def test_working_day_periods_end_on_a_working_day(code: str, received: date, extended: bool, tolled) -> None:
    due = response_due(code, received, extended=extended, tolled=tolled)
    if due is not None and _all_working(code, extended):
        assert calendar_for(jurisdiction(code)).is_working(due)


@SETTINGS
@given(codes, days)
def test_requester_window_always_ends_on_a_working_day(code: str, determination: date) -> None:
    due = appeal_due(code, determination)
    if due is not None:
        assert calendar_for(jurisdiction(code)).is_working(due)
        assert due > determination


@SETTINGS
@given(codes, days, days, st.booleans())
def test_later_receipt_never_gives_an_earlier_due_date(code: str, a: date, b: date, extended: bool) -> None:
    first, second = sorted((a, b))
    due1, due2 = response_due(code, first, extended=extended), response_due(code, second, extended=extended)
    if due1 is not None:
        assert due2 is not None and due1 <= due2
    a1, a2 = appeal_due(code, first), appeal_due(code, second)
    if a1 is not None:
        assert a2 is not None and a1 <= a2


@SETTINGS
@given(st.sampled_from(["US", "US-DHS", "US-DOJ"]), days)
def test_extension_adds_exactly_ten_working_days(code: str, received: date) -> None:
    due, extended = response_due(code, received), response_due(code, received, extended=True)
    assert due is not None and extended is not None
    assert working_days_between(code, due, extended) == 10


@SETTINGS
@given(codes, days)
def test_extension_adds_exactly_its_count(code: str, received: date) -> None:
    j = jurisdiction(code)
    due, extended = response_due(code, received), response_due(code, received, extended=True)
    ext = j.extension
    if due is None or ext is None or ext.count is None:
        assert extended == due  # nothing computable to add
    elif ext.unit == "working":
        assert working_days_between(code, due, extended) == ext.count
    elif j.due_on_closed == "next_open_day":  # California: the extended date moves to the next open day
        assert extended == calendar_for(j).first_on_or_after(due + timedelta(days=ext.count))
    else:
        assert extended == due + timedelta(days=ext.count)


@SETTINGS
@given(codes, days, st.booleans(), spans)
def test_tolling_never_shortens(code: str, received: date, extended: bool, tolled) -> None:
    plain = response_due(code, received, extended=extended)
    paused = response_due(code, received, extended=extended, tolled=tolled)
    assert (plain is None) == (paused is None)
    if plain is not None:
        assert paused is not None and paused >= plain


@SETTINGS
@given(st.sampled_from(["US", "US-NY", "US-IL"]), days, spans)
def test_tolled_count_still_has_the_full_number_of_counted_days(code: str, received: date, tolled) -> None:
    due = response_due(code, received, tolled=tolled)
    cal = calendar_for(jurisdiction(code))
    effective = cal.first_on_or_after(received)
    assert due is not None
    counted, day = 0, effective
    while day < due:
        day += timedelta(days=1)
        paused = any(p < day <= r for p, r in tolled)
        if cal.is_working(day) and not paused:
            counted += 1
    assert counted == jurisdiction(code).response.count
    assert not any(p < due <= r for p, r in tolled)


@SETTINGS
@given(codes, days, spans)
def test_span_order_and_duplicates_do_not_matter(code: str, received: date, tolled) -> None:
    expected = response_due(code, received, tolled=tolled)
    assert response_due(code, received, tolled=list(reversed(tolled)) + tolled) == expected
