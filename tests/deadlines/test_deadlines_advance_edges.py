"""advance() at its edges: a period with no count is refused by name, and a calendar-day count may end on the
last day of the calendar tables but not one day past it."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tracker.deadlines import registry
from tracker.deadlines.arithmetic import advance, merge_spans
from tracker.deadlines.calendars import TABLE_LAST
from tracker.deadlines.errors import DateOutOfRange
from tracker.deadlines.rules import Period


@pytest.fixture
def cal():
    return registry.calendar_for(registry.jurisdiction("US-DHS"))


def test_a_period_with_no_count_is_refused_by_its_words(cal):
    with pytest.raises(ValueError, match="^period 'by agreement' has no count to advance by$"):
        advance(cal, TABLE_LAST - timedelta(days=400), Period(count=None, unit=None, text="by agreement"))


def test_a_calendar_count_may_end_on_the_last_day_of_the_tables(cal):
    start = TABLE_LAST - timedelta(days=2)
    assert advance(cal, start, Period(count=2, unit="calendar")) == TABLE_LAST


def test_a_calendar_count_past_the_tables_is_refused(cal):
    start = TABLE_LAST - timedelta(days=2)
    with pytest.raises(DateOutOfRange, match="^the result falls outside the calendar tables$"):
        advance(cal, start, Period(count=3, unit="calendar"))


def test_a_pause_that_begins_on_the_last_counted_day_pushes_the_end_past_it(cal):
    """Five calendar days from Mar 1 end on Mar 6; paused on Mar 5 and resumed on Mar 7, the days Mar 6 and
    Mar 7 do not count, so the fifth counted day is Mar 8."""
    start = date(2027, 3, 1)
    tolled = merge_spans([(date(2027, 3, 5), date(2027, 3, 7))])
    assert advance(cal, start, Period(count=5, unit="calendar")) == date(2027, 3, 6)
    assert advance(cal, start, Period(count=5, unit="calendar"), tolled) == date(2027, 3, 8)
