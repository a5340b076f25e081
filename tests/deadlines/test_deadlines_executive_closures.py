"""Executive-order closures (configure(extra_closures=...)) close federal weekdays only, never rename a legal
holiday, and say in the explanation that they are not legal public holidays. Names come from the `holidays`
package's "government" list where it has one (Christmas Eve 2025), otherwise "Executive-order closure"."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from tests.deadlines.rules_copy import edit_rows
from tracker.deadlines import calendar_for, configure, jurisdiction

SATURDAY = date(2025, 12, 27)
THANKSGIVING = date(2025, 11, 27)
CHRISTMAS_EVE = date(2025, 12, 24)  # a Wednesday, in the package's government list
UNNAMED_MONDAY = date(2025, 12, 29)
AUTHORITY = "executive-order closure added by newsroom setting; not a legal public holiday"


def test_closures_name_their_source_and_leave_holidays_and_weekends_alone(restore_config: None) -> None:
    configure(extra_closures=[SATURDAY, THANKSGIVING, CHRISTMAS_EVE, UNNAMED_MONDAY])
    federal = calendar_for(jurisdiction("US"))
    christmas_eve, monday = federal.closure(CHRISTMAS_EVE), federal.closure(UNNAMED_MONDAY)
    assert christmas_eve is not None and (christmas_eve.name, christmas_eve.authority) == ("Christmas Eve", AUTHORITY)
    assert monday is not None and (monday.name, monday.authority) == ("Executive-order closure", AUTHORITY)
    thanksgiving = federal.closure(THANKSGIVING)
    assert thanksgiving is not None and thanksgiving.name == "Thanksgiving Day"
    assert thanksgiving.authority == "legal public holiday, 5 U.S.C. 6103(a)"  # still the statute's holiday
    assert federal.closure(SATURDAY) is None and federal.why_closed(SATURDAY) == "weekend"


def test_a_weekend_or_holiday_among_the_closures_does_not_stop_the_others(restore_config: None) -> None:
    # The closures are a set, in no fixed order: with one weekday to skip beside each closure, a skip that
    # ended the loop would drop the closure in about half of these pairs.
    weekdays = [date(2025, 12, d) for d in (1, 2, 3, 4, 5, 8, 9, 10, 11, 12)]
    for i, closure in enumerate(weekdays):
        skipped = SATURDAY if i % 2 else THANKSGIVING
        configure(extra_closures=[skipped, closure])
        assert not calendar_for(jurisdiction("US")).is_working(closure), (skipped, closure)


def test_an_agency_with_its_own_closed_days_also_closes_on_executive_orders(
    tmp_path: Path, restore_config: None
) -> None:
    calendar = "holiday_calendar = { "
    rules = edit_rows(tmp_path, {"US": (calendar, calendar + 'agency_days = "an order of the agency head", ')})
    configure(rules_path=rules, extra_closures=[CHRISTMAS_EVE])
    own_day = date(2025, 12, 22)
    agency = calendar_for(jurisdiction("US"), [own_day])
    assert not agency.is_working(own_day) and agency.why_closed(CHRISTMAS_EVE) == "Christmas Eve"
    assert calendar_for(jurisdiction("US")).why_closed(CHRISTMAS_EVE) == "Christmas Eve"
