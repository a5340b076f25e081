"""The counting tables' first and last days, and the precomputed response table's shortcut: it may only answer
a plain request (no tolling, variant, channel or agency days, a plain date), never one it would get wrong.

The tables run from Friday 1999-01-01 (New Year's Day) to 2043-12-31; the first working day is Monday 1999-01-04.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path

import pytest

from tests.deadlines.rules_copy import edit_rows
from tracker.deadlines import (
    DateOutOfRange,
    add_working_days,
    calendar_for,
    configure,
    jurisdiction,
    response_due,
    working_days_between,
)

MON = date(2027, 3, 22)
OUTSIDE = "the result falls outside the calendar tables (after 2043-12-31)"


def test_the_first_day_of_the_tables_can_be_counted_from_and_back_to() -> None:
    assert working_days_between("US", date(1999, 1, 1), date(1999, 1, 8)) == 5  # Mon 4 ... Fri 8
    assert add_working_days("US", date(1999, 1, 5), -1) == date(1999, 1, 4)
    with pytest.raises(DateOutOfRange, match=re.escape(OUTSIDE)):
        add_working_days("US", date(1999, 1, 5), -2)


def test_counting_past_the_last_day_of_the_tables_is_a_clear_error() -> None:
    with pytest.raises(DateOutOfRange, match=re.escape(OUTSIDE)):
        add_working_days("US", date(2043, 12, 31), 1)
    with pytest.raises(DateOutOfRange) as info:
        calendar_for(jurisdiction("US")).offset(date(2044, 1, 1))
    assert str(info.value) == "2044-01-01 is outside the calendar tables (1999-01-01 to 2043-12-31)"


def test_the_response_table_does_not_answer_a_request_sent_by_email() -> None:
    # Michigan: 5 business days (23 ... 29); emailed, it is received on Tuesday the 23rd (24 ... 30).
    assert response_due("US-MI", MON) == date(2027, 3, 29)  # builds the table
    assert response_due("US-MI", MON, channel="email") == date(2027, 3, 30)


def test_the_response_table_does_not_answer_for_an_agency_with_its_own_closed_days(
    tmp_path: Path, restore_config: None
) -> None:
    calendar = "holiday_calendar = { "
    configure(rules_path=edit_rows(tmp_path, {"US": (calendar, calendar + 'agency_days = "an order", ')}))
    # Federal: 20 working days from Monday 2027-03-22 end on Monday 19 April; one more with Wednesday 24 closed.
    assert response_due("US", MON) == date(2027, 4, 19)  # builds the table
    assert response_due("US", MON, observes=[date(2027, 3, 24)]) == date(2027, 4, 20)


def test_the_response_table_does_not_answer_for_a_datetime() -> None:
    assert response_due("US", MON) == date(2027, 4, 19)  # builds the table
    with pytest.raises(TypeError, match="received date must be a datetime.date, got datetime"):
        response_due("US", datetime(2027, 3, 22, 10))
