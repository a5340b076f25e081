"""Closed days that come from the rules file or the agency rather than the `holidays` package: added legal
holidays (moved off a weekend only where the state's law moves holidays, and only fixed-date ones), an
agency's designated days and listed closures. None of them closes a weekend or renames a holiday.

Spring 2027: Sat 6 and Sun 7 March; Wed 24 and Sat 27 March; Thanksgiving Thu 25 November; Christmas on
Saturday 25 December (observed Friday the 24th).
"""

from __future__ import annotations

from datetime import date

import pytest

from tracker.deadlines import Closure
from tracker.deadlines.calendars import WorkCalendar
from tracker.deadlines.rules import AddedHoliday, HolidayCalendar

ADDED = (
    AddedHoliday("Founders Day", 3, day=6),  # a Saturday
    AddedHoliday("Flag Day", 3, day=7),  # a Sunday
    AddedHoliday("First Saturday", 4, weekday=5, nth=1),  # a weekday rule that lands on a Saturday: never moved
    AddedHoliday("Harvest Day", 11, day=25),  # on Thanksgiving
    AddedHoliday("Christmas Day", 12, day=25),  # the package has it already
)
SAT_RULE = "N.J.S.A. 36:1-1.1"


def nj(**fields) -> WorkCalendar:
    return WorkCalendar(HolidayCalendar(subdiv="NJ", authority="NJ holiday", saturday_rule=SAT_RULE, **fields))


@pytest.mark.parametrize("in_lieu", ["both", "sunday", "none"])
def test_added_holidays_move_off_weekends_as_the_states_law_says(in_lieu: str) -> None:
    cal = nj(added=ADDED, in_lieu=in_lieu)
    founders = Closure("Founders Day (observed)", f"in lieu of Saturday 2027-03-06, {SAT_RULE}")
    flag = Closure("Flag Day (observed)", "in lieu of Sunday 2027-03-07, NJ holiday")
    assert cal.closure(date(2027, 3, 5)) == (founders if in_lieu == "both" else None)
    assert cal.closure(date(2027, 3, 8)) == (flag if in_lieu != "none" else None)
    assert cal.closure(date(2027, 4, 2)) is None and cal.closure(date(2027, 4, 5)) is None
    assert cal.closure(date(2027, 11, 25)) == Closure("Thanksgiving Day; Harvest Day", "NJ holiday")


def test_an_added_holiday_the_package_already_has_is_not_named_twice() -> None:
    christmas = nj(added=ADDED).closure(date(2027, 12, 24))
    assert christmas == Closure("Christmas Day (observed)", f"in lieu of Saturday 2027-12-25, {SAT_RULE}")


def test_an_agencys_closed_days_close_weekdays_only() -> None:
    days = frozenset({date(2027, 3, 24), date(2027, 3, 27), date(2027, 11, 25)})
    for law, authority in (("", "agency setting"), ("Gov't Code 552.0031", "Gov't Code 552.0031")):
        cal = WorkCalendar(HolidayCalendar(subdiv="TX", agency_days=law), frozenset(), days)
        assert cal.closure(date(2027, 3, 24)) == Closure("Closed day designated by the agency", authority)
        assert cal.closure(date(2027, 3, 27)) is None  # a Saturday is no working day anyway
        assert cal.closure(date(2027, 11, 25)) == Closure("Thanksgiving Day", "")  # the holiday keeps its name


def test_closures_listed_in_the_rules_file_close_weekdays_only() -> None:
    cal = nj(closures=(date(2027, 3, 24), date(2027, 3, 27), date(2027, 11, 25)))
    assert cal.closure(date(2027, 3, 24)) == Closure("Closure", "listed in the rules file; not a legal holiday")
    assert cal.closure(date(2027, 3, 27)) is None
    assert cal.closure(date(2027, 11, 25)) == Closure("Thanksgiving Day", "NJ holiday")


def test_added_holidays_on_the_first_and_last_days_of_the_tables() -> None:
    # Friday 1999-01-01 (New Year's Day in the package) and Thursday 2043-12-31.
    cal = nj(added=(AddedHoliday("Founders Day", 1, day=1), AddedHoliday("Year End", 12, day=31)))
    assert cal.closure(date(1999, 1, 1)) == Closure("New Year's Day; Founders Day", "NJ holiday")
    assert cal.closure(date(2043, 12, 31)) == Closure("Year End", "NJ holiday")
