"""Each state's closed weekdays for 2026 and 2027 against its legal holiday list (shared/state-rules.md).

Where the holiday statute was read (New York Gen. Constr. Law 24, Colorado C.R.S. 24-11-101, Texas Gov't Code
662.003 with 552.0031, Virginia 2.2-3300, Washington RCW 1.16.050, Michigan MCL 435.101 via AG Op. 7172) the list
follows it, not the `holidays` package: commemorative days out, in-lieu days only where the law moves a holiday,
optional days only for an agency that observes them. For the other states the list is the package's calendar as
encoded (marked check in the rules file), so a package upgrade that changes it fails here and gets reviewed.
"""

from __future__ import annotations

from datetime import date

import pytest

from tracker.deadlines import calendar_for, jurisdiction

# Weekdays only ("MM-DD"); a holiday on a weekend closes nothing unless the law moves it.
LISTS: dict[str, dict[int, str]] = {
    # Gov. Code 6700 / CalHR practice as the package has it, less Susan B. Anthony Day (commemorative).
    "US-CA": {
        2026: "01-01 01-19 02-16 03-31 05-25 06-19 07-03 09-07 11-11 11-26 11-27 12-25",
        2027: "01-01 01-18 02-15 03-31 05-31 06-18 07-05 09-06 10-29 11-11 11-25 11-26 12-24 12-31",
    },
    # GCL 24: Lincoln's Birthday and election day are public holidays; Susan B. Anthony Day is not; only a
    # Sunday holiday moves (to Monday), so Fri 2026-07-03, 2027-06-18, 2027-12-24 and 2027-12-31 are business days.
    "US-NY": {
        2026: "01-01 01-19 02-12 02-16 05-25 06-19 09-07 10-12 11-03 11-11 11-26 12-25",
        2027: "01-01 01-18 02-12 02-15 05-31 07-05 09-06 10-11 11-02 11-11 11-25",
    },
    # 662.003(a) national and (b) state holidays, none moved off a weekend; Cesar Chavez Day and Good Friday are
    # optional (c) and close only an agency that observes them.
    "US-TX": {
        2026: "01-01 01-19 02-16 03-02 04-21 05-25 06-19 08-27 09-07 11-11 11-26 11-27 12-24 12-25",
        2027: "01-01 01-18 01-19 02-15 03-02 04-21 05-31 08-27 09-06 11-11 11-25 11-26 12-24",
    },
    # Package calendar for FL (F.S. 110.117 paid holidays), less Susan B. Anthony Day.
    "US-FL": {
        2026: "01-01 01-19 05-25 06-19 07-03 09-07 11-11 11-26 11-27 12-25",
        2027: "01-01 01-18 05-31 06-18 07-05 09-06 11-11 11-25 11-26 12-24 12-31",
    },
    # Package calendar for IL: Lincoln's Birthday, Casimir Pulaski Day, general election day in even years.
    "US-IL": {
        2026: "01-01 01-19 02-12 02-16 03-02 05-25 06-19 07-03 09-07 10-12 11-03 11-11 11-26 12-25",
        2027: "01-01 01-18 02-12 02-15 03-01 05-31 06-18 07-05 09-06 10-11 11-11 11-25 12-24 12-31",
    },
    # C.R.S. 24-11-101: Frances Xavier Cabrini Day, no Cesar Chavez Day; only a Sunday holiday moves.
    "US-CO": {
        2026: "01-01 01-19 02-16 05-25 06-19 09-07 10-05 11-11 11-26 12-25",
        2027: "01-01 01-18 02-15 05-31 07-05 09-06 10-04 11-11 11-25",
    },
    # RCW 1.16.050: Native American Heritage Day (the Friday after Thanksgiving); Friday/Monday in-lieu days.
    "US-WA": {
        2026: "01-01 01-19 02-16 05-25 06-19 07-03 09-07 11-11 11-26 11-27 12-25",
        2027: "01-01 01-18 02-15 05-31 06-18 07-05 09-06 11-11 11-25 11-26 12-24 12-31",
    },
    "US-PA": {
        2026: "01-01 01-19 02-16 05-25 06-19 07-03 09-07 10-12 11-11 11-26 11-27 12-25",
        2027: "01-01 01-18 02-15 05-31 06-18 07-05 09-06 10-11 11-11 11-25 11-26 12-24 12-31",
    },
    # Patriots' Day; a Saturday holiday is not moved to Friday.
    "US-MA": {
        2026: "01-01 01-19 02-16 04-20 05-25 06-19 09-07 10-12 11-11 11-26 12-25",
        2027: "01-01 01-18 02-15 04-19 05-31 07-05 09-06 10-11 11-11 11-25",
    },
    "US-AZ": {
        2026: "01-01 01-19 02-16 05-25 06-19 07-03 09-07 10-12 11-11 11-26 12-25",
        2027: "01-01 01-18 02-15 05-31 06-18 07-05 09-06 10-11 11-11 11-25 12-24 12-31",
    },
    # The Governor's placements as the package has them (Washington's Birthday on 12-24, "State Holiday" days).
    "US-GA": {
        2026: "01-01 01-19 04-03 05-25 06-19 07-03 09-07 10-12 11-11 11-26 11-27 12-24 12-25",
        2027: "01-01 01-18 03-26 05-31 06-18 07-05 09-06 10-11 11-11 11-25 11-26 12-23 12-24 12-31",
    },
    # Lincoln's Birthday, Good Friday, general election day every year (2027 added to the package's list).
    "US-NJ": {
        2026: "01-01 01-19 02-12 02-16 04-03 05-25 06-19 07-03 09-07 10-12 11-03 11-11 11-26 12-25",
        2027: "01-01 01-18 02-12 02-15 03-26 05-31 06-18 07-05 09-06 10-11 11-02 11-11 11-25 12-24 12-31",
    },
    # MCL 435.101 legal holidays (business days per AG Op. 7172): Lincoln's Birthday and Columbus Day; not the
    # state employees' Christmas Eve, New Year's Eve, Day After Thanksgiving, Election Day; Sunday-only moves.
    "US-MI": {
        2026: "01-01 01-19 02-12 02-16 05-25 09-07 10-12 11-11 11-26 12-25",
        2027: "01-01 01-18 02-12 02-15 05-31 07-05 09-06 10-11 11-11 11-25",
    },
    # 2.2-3300: Election Day, Juneteenth, Columbus Day and Yorktown Victory Day, the Friday after Thanksgiving.
    "US-VA": {
        2026: "01-01 01-19 02-16 05-25 06-19 07-03 09-07 10-12 11-03 11-11 11-26 11-27 12-25",
        2027: "01-01 01-18 02-15 05-31 06-18 07-05 09-06 10-11 11-02 11-11 11-25 11-26 12-24 12-31",
    },
}


def _days(year: int, listed: str) -> set[date]:
    return {date(year, int(md[:2]), int(md[3:])) for md in listed.split()}


@pytest.mark.parametrize("code", sorted(LISTS))
@pytest.mark.parametrize("year", [2026, 2027])
def test_state_closed_weekdays_are_its_legal_holidays(code: str, year: int) -> None:
    expected = _days(year, LISTS[code][year])
    assert all(d.weekday() < 5 for d in expected)
    closed = {d for d in calendar_for(jurisdiction(code)).closed if d.year == year}
    assert sorted(closed - expected) == [] and sorted(expected - closed) == []


@pytest.mark.parametrize(
    "code,day,name",
    [
        ("US-NY", date(2028, 2, 15), "Susan B. Anthony Day"),
        ("US-CA", date(2027, 2, 15), "Susan B. Anthony Day"),
        ("US-FL", date(2027, 2, 15), "Susan B. Anthony Day"),
        ("US-CO", date(2026, 3, 31), "Cesar Chavez Day"),
        ("US-TX", date(2026, 3, 31), "Cesar Chavez Day"),
        ("US-TX", date(2026, 4, 3), "Good Friday"),
        ("US-MI", date(2026, 12, 24), "Christmas Eve"),
    ],
)
def test_commemorative_and_optional_days_are_not_closures(code: str, day: date, name: str) -> None:
    closure = calendar_for(jurisdiction(code)).closure(day)
    assert closure is None or name not in closure.name


def test_statutes_name_their_holidays() -> None:
    va = calendar_for(jurisdiction("US-VA")).closure(date(2026, 10, 12))
    assert va is not None and va.name == "Columbus Day and Yorktown Victory Day" and "2.2-3300" in va.authority
    tx = calendar_for(jurisdiction("US-TX")).closure(date(2027, 1, 19))
    assert tx is not None and tx.name == "Confederate Heroes Day"
    ny = calendar_for(jurisdiction("US-NY")).closure(date(2027, 7, 5))
    assert ny is not None and "Gen. Constr. Law 24" in ny.authority and "2027-07-04" in ny.authority
    mi = calendar_for(jurisdiction("US-MI")).closure(date(2026, 10, 12))
    assert mi is not None and mi.name == "Columbus Day" and "MCL 435.101" in mi.authority


def test_an_agency_observing_texas_optional_days_gets_its_own_calendar() -> None:
    tx = jurisdiction("US-TX")
    plain = calendar_for(tx)
    own = calendar_for(tx, ["Good Friday", "Cesar Chavez Day", date(2026, 9, 21)])
    assert plain.is_working(date(2026, 4, 3)) and not own.is_working(date(2026, 4, 3))
    assert not own.is_working(date(2026, 3, 31)) and not own.is_working(date(2026, 9, 21))
    assert calendar_for(tx, ["Good Friday"]) is calendar_for(tx, ("Good Friday",))  # cached per setting
    assert calendar_for(tx, []) is plain
