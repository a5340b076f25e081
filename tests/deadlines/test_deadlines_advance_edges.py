"""advance() at its edges: a period with no count is refused by name, and a calendar-day count may end on the
last day of the calendar tables but not one day past it."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tracker.deadlines import registry
from tracker.deadlines.arithmetic import advance
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
