"""The federal working-day calendar against OPM's published holiday tables, 2024-2028."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.deadlines.budget import examples
from tracker.deadlines import add_working_days, calendar_for, jurisdiction, response_due, working_days_between

# OPM "Federal Holidays" tables (opm.gov), with in-lieu days: a Saturday holiday is observed the Friday
# before (5 U.S.C. 6103(b)(1)), a Sunday holiday the Monday after (Executive Order 11582).
OPM: dict[int, dict[date, str]] = {
    2024: {
        date(2024, 1, 1): "New Year's Day",
        date(2024, 1, 15): "Martin Luther King Jr. Day",
        date(2024, 2, 19): "Washington's Birthday",
        date(2024, 5, 27): "Memorial Day",
        date(2024, 6, 19): "Juneteenth National Independence Day",
        date(2024, 7, 4): "Independence Day",
        date(2024, 9, 2): "Labor Day",
        date(2024, 10, 14): "Columbus Day",
        date(2024, 11, 11): "Veterans Day",
        date(2024, 11, 28): "Thanksgiving Day",
        date(2024, 12, 25): "Christmas Day",
    },
    2025: {
        date(2025, 1, 1): "New Year's Day",
        date(2025, 1, 20): "Martin Luther King Jr. Day",
        date(2025, 2, 17): "Washington's Birthday",
        date(2025, 5, 26): "Memorial Day",
        date(2025, 6, 19): "Juneteenth National Independence Day",
        date(2025, 7, 4): "Independence Day",
        date(2025, 9, 1): "Labor Day",
        date(2025, 10, 13): "Columbus Day",
        date(2025, 11, 11): "Veterans Day",
        date(2025, 11, 27): "Thanksgiving Day",
        date(2025, 12, 25): "Christmas Day",
    },
    2026: {
        date(2026, 1, 1): "New Year's Day",
        date(2026, 1, 19): "Martin Luther King Jr. Day",
        date(2026, 2, 16): "Washington's Birthday",
        date(2026, 5, 25): "Memorial Day",
        date(2026, 6, 19): "Juneteenth National Independence Day",
        date(2026, 7, 3): "Independence Day (observed)",  # Friday, in lieu of Saturday July 4
        date(2026, 9, 7): "Labor Day",
        date(2026, 10, 12): "Columbus Day",
        date(2026, 11, 11): "Veterans Day",
        date(2026, 11, 26): "Thanksgiving Day",
        date(2026, 12, 25): "Christmas Day",
    },
    2027: {
        date(2027, 1, 1): "New Year's Day",
        date(2027, 1, 18): "Martin Luther King Jr. Day",
        date(2027, 2, 15): "Washington's Birthday",
        date(2027, 5, 31): "Memorial Day",
        date(2027, 6, 18): "Juneteenth National Independence Day (observed)",  # Friday, for Saturday
        date(2027, 7, 5): "Independence Day (observed)",  # Monday, for Sunday
        date(2027, 9, 6): "Labor Day",
        date(2027, 10, 11): "Columbus Day",
        date(2027, 11, 11): "Veterans Day",
        date(2027, 11, 25): "Thanksgiving Day",
        date(2027, 12, 24): "Christmas Day (observed)",  # Friday, for Saturday
        date(2027, 12, 31): "New Year's Day (observed)",  # Friday, for Saturday Jan 1, 2028
    },
    2028: {
        date(2028, 1, 17): "Martin Luther King Jr. Day",
        date(2028, 2, 21): "Washington's Birthday",
        date(2028, 5, 29): "Memorial Day",
        date(2028, 6, 19): "Juneteenth National Independence Day",
        date(2028, 7, 4): "Independence Day",
        date(2028, 9, 4): "Labor Day",
        date(2028, 10, 9): "Columbus Day",
        date(2028, 11, 10): "Veterans Day (observed)",  # Friday, for Saturday Nov 11
        date(2028, 11, 23): "Thanksgiving Day",
        date(2028, 12, 25): "Christmas Day",
    },
}
ALL_OPM = {d: name for year in OPM.values() for d, name in year.items()}
FEDERAL = ("US", "US-DHS", "US-DOJ")


def _naive_working(d: date) -> bool:
    return d.weekday() < 5 and d not in ALL_OPM


def _naive_add(start: date, n: int) -> date:
    """Day-by-day reference: the n-th working day after start."""
    d = start
    while n:
        d += timedelta(days=1)
        if _naive_working(d):
            n -= 1
    return d


@pytest.mark.parametrize("day,name", sorted(ALL_OPM.items()))
@pytest.mark.parametrize("code", FEDERAL)
def test_opm_holiday_is_closed_and_skipped(code: str, day: date, name: str) -> None:
    cal = calendar_for(jurisdiction(code))
    assert day.weekday() < 5
    assert not cal.is_working(day)
    closure = cal.closure(day)
    assert closure is not None and closure.name == name
    # The working-day effect: the holiday adds nothing to a count and is stepped over.
    assert working_days_between(code, day - timedelta(days=1), day) == 0
    before = cal.last_on_or_before(day - timedelta(days=1))
    assert add_working_days(code, before, 1) == _naive_add(before, 1)
    assert add_working_days(code, before, 1) > day


@pytest.mark.parametrize("year", sorted(OPM))
def test_no_other_weekday_is_a_federal_holiday(year: int) -> None:
    cal = calendar_for(jurisdiction("US"))
    closed = {d for d in cal.closed if d.year == year}
    assert closed == set(OPM[year])


@pytest.mark.parametrize(
    "observed,actual,rule",
    [
        (date(2026, 7, 3), date(2026, 7, 4), "5 U.S.C. 6103(b)(1)"),
        (date(2027, 6, 18), date(2027, 6, 19), "5 U.S.C. 6103(b)(1)"),
        (date(2027, 7, 5), date(2027, 7, 4), "Executive Order 11582"),
        (date(2027, 12, 24), date(2027, 12, 25), "5 U.S.C. 6103(b)(1)"),
        (date(2027, 12, 31), date(2028, 1, 1), "5 U.S.C. 6103(b)(1)"),
        (date(2028, 11, 10), date(2028, 11, 11), "5 U.S.C. 6103(b)(1)"),
    ],
)
def test_in_lieu_days_name_the_weekend_date(observed: date, actual: date, rule: str) -> None:
    closure = calendar_for(jurisdiction("US")).closure(observed)
    assert closure is not None
    assert closure.name.endswith("(observed)")
    assert actual.isoformat() in closure.authority and rule in closure.authority


EO_CLOSURES = [date(2024, 12, 24), date(2025, 1, 9), date(2025, 12, 24), date(2025, 12, 26)]


@pytest.mark.parametrize("day", EO_CLOSURES)
def test_executive_order_closures_are_working_days_by_default(day: date) -> None:
    assert calendar_for(jurisdiction("US")).is_working(day)


def test_weekend_entries_of_the_package_do_not_matter() -> None:
    # July 4, 2026 is a Saturday: the package lists it, the observed Friday is what closes offices.
    assert working_days_between("US", date(2026, 7, 2), date(2026, 7, 6)) == 1  # only Monday July 6


@settings(max_examples=examples(300), deadline=None, database=None)
@given(st.dates(date(2024, 1, 1), date(2028, 9, 30)), st.integers(1, 40))
def test_add_working_days_matches_day_by_day_reference(start: date, n: int) -> None:
    for code in FEDERAL:
        assert add_working_days(code, start, n) == _naive_add(start, n)


@settings(max_examples=examples(300), deadline=None, database=None)
@given(st.dates(date(2024, 1, 1), date(2028, 10, 31)))
def test_federal_response_matches_reference(received: date) -> None:
    effective = received if _naive_working(received) else _naive_add(received, 1)
    expected = _naive_add(effective, 20)
    for code in FEDERAL:
        assert response_due(code, received) == expected
        assert response_due(code, received, extended=True) == _naive_add(effective, 30)


@settings(max_examples=examples(300), deadline=None, database=None)
@given(st.dates(date(2024, 1, 1), date(2028, 12, 31)), st.dates(date(2024, 1, 1), date(2028, 12, 31)))
def test_working_days_between_matches_reference(a: date, b: date) -> None:
    lo, hi = min(a, b), max(a, b)
    count = sum(1 for i in range(1, (hi - lo).days + 1) if _naive_working(lo + timedelta(days=i)))
    assert working_days_between("US", lo, hi) == count
    assert working_days_between("US", hi, lo) == -count


def test_add_working_days_backwards_and_zero() -> None:
    assert add_working_days("US", date(2026, 12, 21), -20) == date(2026, 11, 20)
    assert add_working_days("US", date(2026, 11, 21), 0) == date(2026, 11, 21)
    assert add_working_days("US", date(2026, 11, 30), -1) == date(2026, 11, 27)  # over the weekend
    assert add_working_days("US", date(2026, 11, 27), -1) == date(2026, 11, 25)  # over Thanksgiving


def test_state_calendar_uses_state_holidays() -> None:
    ca = calendar_for(jurisdiction("US-CA"))
    assert not ca.is_working(date(2026, 3, 31))  # Cesar Chavez Day
    assert calendar_for(jurisdiction("US")).is_working(date(2026, 3, 31))
    ma = calendar_for(jurisdiction("US-MA"))
    assert not ma.is_working(date(2026, 4, 20))  # Patriots' Day
    assert "Massachusetts" in (ma.closure(date(2026, 4, 20)) or pytest.fail()).authority


def test_federal_rows_share_one_calendar() -> None:
    assert calendar_for(jurisdiction("US")) is calendar_for(jurisdiction("US-DHS"))
