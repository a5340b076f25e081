"""Every year of the counting tables has its holidays, from New Year's Day 1999 (the tables' first day) to
Christmas 2043, including the holidays the rules file adds; and a calendar is built from the categories and
optional days its row names."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from tests.deadlines.rules_copy import edit_rows
from tracker.deadlines import DateOutOfRange, add_working_days, calendar_for, configure, explain, jurisdiction

FIRST_DAY = date(1999, 1, 1)  # a Friday, New Year's Day


def test_the_first_and_last_years_of_the_tables_have_their_holidays() -> None:
    federal = calendar_for(jurisdiction("US"))
    assert federal.why_closed(FIRST_DAY) == "New Year's Day"
    assert federal.why_closed(date(2043, 12, 25)) == "Christmas Day"  # a Friday
    assert federal.first_on_or_after(FIRST_DAY) == date(1999, 1, 4)
    with pytest.raises(DateOutOfRange):
        add_working_days("US", FIRST_DAY, -1)  # no working day before the tables' first one
    # New Jersey's Election Day is added by the rules file: the Tuesday after the first Monday, 3 Nov 2043.
    election = calendar_for(jurisdiction("US-NJ")).closure(date(2043, 11, 3))
    assert election is not None and (election.name, election.authority) == ("Election Day", "New Jersey holiday")


def test_only_the_holidays_an_agency_observes_are_optional() -> None:
    texas = calendar_for(jurisdiction("US-TX"), ["Good Friday"])
    thanksgiving, good_friday = texas.closure(date(2027, 11, 25)), texas.closure(date(2027, 3, 26))
    assert thanksgiving is not None and thanksgiving.authority == "Texas holiday, Gov't Code 662.003"
    assert good_friday is not None and good_friday.authority.startswith("optional holiday observed by this agency")
    note = explain("certification", "US-TX", date(2027, 3, 22), observes=["Good Friday"]).steps[0]
    assert (note.kind, note.text) == ("note", "This agency also observes: Good Friday.")


def test_a_calendar_takes_the_categories_its_row_names(tmp_path: Path, restore_config: None) -> None:
    assert calendar_for(jurisdiction("US")).is_working(date(2025, 12, 24))
    edit = ('categories = ["public"]', 'categories = ["public", "government"]')
    configure(rules_path=edit_rows(tmp_path, {"US": edit}))
    # The package's "government" list has Christmas Eve 2025 (an executive order closed federal offices).
    assert calendar_for(jurisdiction("US")).why_closed(date(2025, 12, 24)) == "Christmas Eve"
