"""What a calendar says about a closed day: the board's tooltip ("weekend", the holiday's name) and the
authority an explanation prints after a holiday's name."""

from __future__ import annotations

from datetime import date

from tracker.deadlines import Closure, calendar_for, jurisdiction
from tracker.deadlines.calendars import WorkCalendar
from tracker.deadlines.rules import HolidayCalendar

GOOD_FRIDAY = date(2027, 3, 26)


def test_why_a_day_is_closed() -> None:
    federal = calendar_for(jurisdiction("US"))
    assert federal.why_closed(date(2027, 3, 27)) == "weekend"  # a Saturday
    assert federal.why_closed(date(2026, 11, 26)) == "Thanksgiving Day"
    assert federal.why_closed(date(2027, 3, 22)) == "working day"


def test_a_closure_without_an_authority_is_just_its_name() -> None:
    assert Closure("Snow day", "").describe() == "Snow day"
    assert Closure("Thanksgiving Day", "5 U.S.C. 6103(a)").describe() == "Thanksgiving Day (5 U.S.C. 6103(a))"


def test_an_observed_optional_holiday_cites_the_rule_that_allows_it_when_there_is_one() -> None:
    def authority(optional_rule: str) -> str:
        spec = HolidayCalendar(subdiv="TX", optional=("Good Friday",), optional_rule=optional_rule)
        closure = WorkCalendar(spec, frozenset(), frozenset({"Good Friday"})).closure(GOOD_FRIDAY)
        assert closure is not None
        return closure.authority

    assert authority("") == "optional holiday observed by this agency"
    assert authority("Gov't Code 662.003(c)") == "optional holiday observed by this agency, Gov't Code 662.003(c)"
