"""Each deadline function passes its options on (extension, tolling, variant, channel, the agency's own days)
and names the date it refuses. A dropped option gives a plausible date a few days off, so the dates below are
counted by hand on the calendar of spring 2027:

    March 2027: Mon 22, Tue 23, Wed 24 (the agency's closed day below), Thu 25, Fri 26 (Good Friday),
    Mon 29 ... Wed 31 (Cesar Chavez Day); April: Thu 1, Fri 2, Mon 5 ... Fri 9, Mon 12 ... Mon 19.
No federal, Illinois or Michigan holiday falls in these weeks; Good Friday is a New Jersey holiday and an
optional Texas one.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from tests.deadlines.rules_copy import edit_rows
from tracker.deadlines import (
    DateOutOfRange,
    ag_ruling_due,
    appeal_decision_due,
    appeal_due,
    certification_due,
    configure,
    deemed_denial_due,
    expedited_decision_due,
    tracking_number_due,
)

MON = date(2027, 3, 22)
CLOSED_WED = date(2027, 3, 24)  # a day the agency closes, where its law lets it
TOO_EARLY = date(1999, 12, 31)  # the day before the supported range


CALENDAR = "holiday_calendar = { "
AGENCY_DAYS = 'holiday_calendar = { agency_days = "an order of the agency head", '
CA_APPEAL_DECISION = '\nappeal_decision = { count = 10, unit = "calendar", text = "10 days" }\n'
EMAIL_RECEIPT = '\nreceipt = { channels = ["email"], count = 1 }\nholiday_calendar = { '


@pytest.fixture
def edited(tmp_path: Path, restore_config: None) -> None:
    """Illinois and the federal rows let an agency close its own days; Texas and Illinois count an emailed
    request as received one working day after it was sent (as Michigan's law does); California has a
    10-calendar-day appeal decision."""
    configure(rules_path=edit_rows(tmp_path, {
        "US": (CALENDAR, AGENCY_DAYS),
        "US-IL": (CALENDAR, EMAIL_RECEIPT + 'agency_days = "an order of the agency head", '),
        "US-MI": (CALENDAR, AGENCY_DAYS),
        "US-TX": ("\n" + CALENDAR, EMAIL_RECEIPT),
        "US-CA": ("\n" + CALENDAR, CA_APPEAL_DECISION + CALENDAR),
    }))  # fmt: skip


def test_a_deemed_denial_falls_on_the_response_due_date_with_every_option() -> None:
    # Illinois: 5 working days (23 ... 29), 5 more when extended (30, 31, 1, 2, 5).
    assert deemed_denial_due("US-IL", MON) == date(2027, 3, 29)
    assert deemed_denial_due("US-IL", MON, extended=True) == date(2027, 4, 5)
    # Paused on the 23rd, resumed on the 24th: the 24th does not count, so day 5 is the 30th.
    assert deemed_denial_due("US-IL", MON, tolled=[(date(2027, 3, 23), CLOSED_WED)]) == date(2027, 3, 30)
    # New Jersey: 7 business days skip Good Friday (day 7 is April 1); a commercial request has 14 (April 12).
    assert deemed_denial_due("US-NJ", MON) == date(2027, 4, 1)
    assert deemed_denial_due("US-NJ", MON, variant="commercial") == date(2027, 4, 12)


def test_a_deemed_denial_counts_from_the_legal_receipt_on_the_agency_calendar(edited: None) -> None:
    # Emailed Monday, received Tuesday: days 24 ... 30.
    assert deemed_denial_due("US-IL", MON, channel="email") == date(2027, 3, 30)
    # The agency closed on Wednesday the 24th: days 23, 25, 26, 29, 30.
    assert deemed_denial_due("US-IL", MON, observes=[CLOSED_WED]) == date(2027, 3, 30)


def test_texas_certification_and_ruling_request_skip_the_optional_holidays_the_agency_observes() -> None:
    # 10 business days: 23 ... 26, 29 ... 2 April, 5 April.
    assert certification_due("US-TX", MON) == ag_ruling_due("US-TX", MON) == date(2027, 4, 5)
    assert certification_due("US-TX", MON, observes=["Good Friday"]) == date(2027, 4, 6)
    assert ag_ruling_due("US-TX", MON, observes=["Good Friday"]) == date(2027, 4, 6)
    assert certification_due("US-TX", MON, observes=["Good Friday", "Cesar Chavez Day"]) == date(2027, 4, 7)


def test_texas_periods_count_from_the_legal_receipt_where_the_rules_set_one(edited: None) -> None:
    # Emailed Monday, received Tuesday: 10 business days end on Tuesday 6 April.
    assert certification_due("US-TX", MON, channel="email") == date(2027, 4, 6)
    assert ag_ruling_due("US-TX", MON, channel="email") == date(2027, 4, 6)
    assert certification_due("US-TX", MON, channel="mail") == date(2027, 4, 5)


def test_federal_single_periods_use_the_agency_calendar(edited: None) -> None:
    # Tracking number: 10 working days, 23 ... 5 April; one more when the agency closed on the 24th.
    assert tracking_number_due("US", MON) == date(2027, 4, 5)
    assert tracking_number_due("US", MON, observes=[CLOSED_WED]) == date(2027, 4, 6)
    # Expedited decision: 10 calendar days. Received on the closed Wednesday, it counts from Thursday the
    # 25th: day 10 is Sunday 4 April (an agency's calendar-day deadline stays where it falls).
    assert expedited_decision_due("US", CLOSED_WED) == date(2027, 4, 3)
    assert expedited_decision_due("US", CLOSED_WED, observes=[CLOSED_WED]) == date(2027, 4, 4)


def test_an_appeal_decision_uses_the_extension_and_the_agency_calendar(edited: None) -> None:
    # Michigan: 10 business days (23 ... 5 April), 10 more when extended (6 ... 19 April).
    assert appeal_decision_due("US-MI", MON) == date(2027, 4, 5)
    assert appeal_decision_due("US-MI", MON, extended=True) == date(2027, 4, 19)
    assert appeal_decision_due("US-MI", MON, observes=[CLOSED_WED]) == date(2027, 4, 6)
    # A calendar-day appeal decision follows the state's counting rules: California counts from the actual
    # receipt (Thursday 2027-03-04), and day 10, Sunday the 14th, moves to Monday the 15th (CCP 12a).
    assert appeal_decision_due("US-CA", date(2027, 3, 4)) == date(2027, 3, 15)


@pytest.mark.parametrize(
    "call,what",
    [
        (lambda d: deemed_denial_due("US-MA", d), "received date"),  # no deemed denial: still checked
        (lambda d: deemed_denial_due("US-IL", d), "received date"),
        (lambda d: appeal_decision_due("US-MI", d), "appeal received date"),
        (lambda d: tracking_number_due("US", d), "received date"),
        (lambda d: certification_due("US-TX", d), "received date"),
    ],
)
def test_a_date_out_of_range_is_refused_by_its_name(call, what: str) -> None:
    with pytest.raises(DateOutOfRange, match=f"^{what} 1999-12-31 is outside the supported range"):
        call(TOO_EARLY)


def test_a_requesters_appeal_window_moves_earlier_past_the_agencys_closed_day(edited: None) -> None:
    # 90 calendar days from Monday 2027-01-04 end on Sunday 4 April: the window closes Friday 2 April, or
    # Thursday 1 April when the agency is closed on the Friday (we warn early, never late).
    assert appeal_due("US", date(2027, 1, 4)) == date(2027, 4, 2)
    assert appeal_due("US", date(2027, 1, 4), observes=[date(2027, 4, 2)]) == date(2027, 4, 1)
