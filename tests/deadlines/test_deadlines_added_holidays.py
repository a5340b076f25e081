"""Legal holidays the `holidays` package lacks are computed from the rules file: a fixed date, or the nth (or
last) weekday of a month plus an offset. Checked by hand against the 2026-2028 calendars."""

from __future__ import annotations

from datetime import date

import pytest

from tracker.deadlines.rules import AddedHoliday, Period

MONDAY, TUESDAY, THURSDAY, FRIDAY = 0, 1, 3, 4


@pytest.mark.parametrize(
    "holiday,year,expected",
    [
        (AddedHoliday("Fixed", 7, day=4), 2027, date(2027, 7, 4)),
        # Election Day: the Tuesday after the first Monday in November (Nov 1, 2026 is a Sunday).
        (AddedHoliday("Election Day", 11, weekday=MONDAY, nth=1, offset=1), 2026, date(2026, 11, 3)),
        (AddedHoliday("Election Day", 11, weekday=MONDAY, nth=1, offset=1), 2027, date(2027, 11, 2)),
        (AddedHoliday("Third Monday of January", 1, weekday=MONDAY, nth=3), 2027, date(2027, 1, 18)),
        (AddedHoliday("Fourth Thursday of November", 11, weekday=THURSDAY, nth=4), 2027, date(2027, 11, 25)),
        # The last weekday of a month: May 31, 2027 is a Monday; in December the month after is January.
        (AddedHoliday("Last Monday of May", 5, weekday=MONDAY, nth=-1), 2027, date(2027, 5, 31)),
        (AddedHoliday("Last Tuesday of May", 5, weekday=TUESDAY, nth=-1), 2027, date(2027, 5, 25)),
        (AddedHoliday("Last Monday of December", 12, weekday=MONDAY, nth=-1), 2027, date(2027, 12, 27)),
        (AddedHoliday("Last Friday of December", 12, weekday=FRIDAY, nth=-1), 2027, date(2027, 12, 31)),
        (AddedHoliday("Last Friday of February", 2, weekday=FRIDAY, nth=-1, offset=3), 2028, date(2028, 2, 28)),
    ],
)
def test_added_holiday_dates(holiday: AddedHoliday, year: int, expected: date) -> None:
    assert holiday.on(year) == expected


def test_an_added_holiday_is_written_back_as_the_file_writes_it() -> None:
    assert AddedHoliday("Fixed", 7, day=4).to_dict() == {"name": "Fixed", "month": 7, "day": 4}
    assert AddedHoliday("Fourth Thursday", 11, weekday=THURSDAY, nth=4).to_dict() == {
        "name": "Fourth Thursday", "month": 11, "weekday": "Thursday", "nth": 4, "offset": 0}
    assert AddedHoliday("Election Day", 11, weekday=MONDAY, nth=1, offset=1).to_dict() == {
        "name": "Election Day", "month": 11, "weekday": "Monday", "nth": 1, "offset": 1}


def test_a_periods_words() -> None:
    assert Period(1, "working").describe() == "1 working day"
    assert Period(2, "calendar").describe() == "2 calendar days"
    assert Period(None, None, text="promptly").describe() == "promptly"
    assert Period(None, None).describe() == "no fixed period"
