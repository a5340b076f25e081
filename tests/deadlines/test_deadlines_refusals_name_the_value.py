"""A refused input is named in the error, with the allowed values: the request form shows these messages next to
the field (received date, agency closed days, observed holidays), so "None 1999-12-31 is outside..." or a list
of allowed holidays that says nothing would leave the user guessing."""

from __future__ import annotations

from datetime import date

import pytest

from tracker.deadlines import (
    BadObservedDay,
    DateOutOfRange,
    UnknownVariant,
    add_working_days,
    appeal_due,
    configure,
    response_due,
    working_days_between,
)

MON = date(2027, 3, 22)
SUPPORTED = "is outside the supported range 2000-01-01 to 2040-12-31"
IN_TABLES = "is outside the supported range 1999-01-01 to 2043-12-31"


@pytest.mark.parametrize(
    "call,message",
    [
        (lambda: appeal_due("US", date(1999, 12, 31)), f"determination date 1999-12-31 {SUPPORTED}"),
        (lambda: add_working_days("US", date(1998, 12, 31), 1), f"start date 1998-12-31 {IN_TABLES}"),
        (lambda: working_days_between("US", date(1998, 12, 31), MON), f"start date 1998-12-31 {IN_TABLES}"),
        (lambda: working_days_between("US", MON, date(2044, 1, 1)), f"end date 2044-01-01 {IN_TABLES}"),
        (lambda: response_due("US-TX", MON, observes=[date(1999, 12, 31)]),
         f"agency closed day 1999-12-31 {SUPPORTED}"),
    ],
)  # fmt: skip
def test_a_date_out_of_range_is_named(call, message: str) -> None:
    with pytest.raises(DateOutOfRange) as info:
        call()
    assert str(info.value) == message


def test_a_closure_date_out_of_range_is_named(restore_config: None) -> None:
    with pytest.raises(DateOutOfRange) as info:
        configure(extra_closures=[date(1999, 12, 31)])
    assert str(info.value) == f"closure date 1999-12-31 {SUPPORTED}"


def test_an_unknown_optional_holiday_lists_the_ones_the_law_allows() -> None:
    with pytest.raises(BadObservedDay) as info:
        response_due("US-TX", MON, observes=["Easter"])
    assert str(info.value) == (
        "'Easter' is not an optional holiday in Texas Public Information Act "
        "(optional holidays: Cesar Chavez Day, Good Friday)."
    )
    with pytest.raises(BadObservedDay) as info:
        response_due("US", MON, observes=["Easter"])
    assert str(info.value) == "'Easter' is not an optional holiday in Federal FOIA (optional holidays: none)."


def test_an_observed_day_is_a_name_or_a_date() -> None:
    with pytest.raises(TypeError, match="^an observed day is a holiday's name or a date, got 3$"):
        response_due("US-TX", MON, observes=[3])


def test_a_blank_holiday_name_is_skipped_not_the_end_of_the_list() -> None:
    # Texas, 10 business days from Monday 2027-03-22: 5 April, or 6 April for an agency observing Good Friday.
    assert add_working_days("US-TX", MON, 10, observes=["  ", "Good Friday"]) == date(2027, 4, 6)


@pytest.mark.parametrize("n", [1.5, True, "3"])
def test_a_count_of_working_days_is_a_whole_number(n) -> None:
    with pytest.raises(TypeError) as info:
        add_working_days("US", MON, n)
    assert str(info.value) == f"n must be a whole number of working days, got {n!r}"


def test_working_day_arithmetic_uses_the_agencys_optional_holidays() -> None:
    # Tue 23 ... Fri 26 (Good Friday), Mon 29 ... Fri 2 April, Mon 5 April: 10 business days, or 9 without Good Friday.
    assert add_working_days("US-TX", MON, 10) == date(2027, 4, 5)
    assert add_working_days("US-TX", MON, 10, observes=["Good Friday"]) == date(2027, 4, 6)
    assert working_days_between("US-TX", MON, date(2027, 4, 5)) == 10
    assert working_days_between("US-TX", MON, date(2027, 4, 5), observes=["Good Friday"]) == 9


def test_an_unknown_variant_lists_the_rows_variants() -> None:
    with pytest.raises(UnknownVariant) as info:
        response_due("US-NJ", MON, variant="bulk")
    assert str(info.value) == "New Jersey OPRA has no request variant 'bulk' (variants: commercial)."
    with pytest.raises(UnknownVariant) as info:
        response_due("US", MON, variant="bulk")
    assert str(info.value) == "Federal FOIA has no request variant 'bulk' (variants: none)."
