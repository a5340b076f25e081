"""Federal FOIA deadlines (5 U.S.C. 552), DHS and DOJ: worked examples counted by hand."""

from __future__ import annotations

from datetime import date

import pytest

from tracker.deadlines import (
    appeal_decision_due,
    appeal_due,
    expedited_decision_due,
    response_due,
    tracking_number_due,
    working_days_between,
)

FEDERAL = ("US", "US-DHS", "US-DOJ")
FRI = date(2026, 11, 20)  # the Friday before Thanksgiving week


@pytest.mark.parametrize("code", FEDERAL)
def test_friday_before_thanksgiving_is_due_monday_december_21(code: str) -> None:
    # Nov 23, 24, 25, (26 Thanksgiving), 27 | Nov 30-Dec 4 | Dec 7-11 | Dec 14-18 | Dec 21 = day 20
    assert response_due(code, FRI) == date(2026, 12, 21)


@pytest.mark.parametrize("received", [date(2026, 11, 21), date(2026, 11, 22), date(2026, 11, 23)])
def test_weekend_receipt_counts_from_monday(received: date) -> None:
    # Saturday and Sunday receipts count as received Monday 11-23; day 1 is Tuesday.
    assert response_due("US", received) == date(2026, 12, 22)


def test_receipt_on_a_holiday_counts_from_the_next_working_day() -> None:
    assert response_due("US", date(2026, 11, 26)) == response_due("US", date(2026, 11, 27))
    assert response_due("US", date(2027, 7, 5)) == response_due("US", date(2027, 7, 6))


def test_extension_adds_ten_working_days() -> None:
    # From Dec 21: 22, 23, 24, (25 Christmas), 28, 29, 30, 31, (Jan 1), Jan 4, 5, 6
    assert response_due("US", FRI, extended=True) == date(2027, 1, 6)
    assert working_days_between("US", date(2026, 12, 21), date(2027, 1, 6)) == 10


class TestTolling:
    def test_one_span_removes_the_working_days_after_the_pause_through_the_resumption(self) -> None:
        # Paused Mon Nov 30, resumed Fri Dec 4: Dec 1-4 (4 working days) do not count.
        assert response_due("US", FRI, tolled=[(date(2026, 11, 30), date(2026, 12, 4))]) == date(2026, 12, 28)

    def test_overlapping_unsorted_spans_are_not_double_counted(self) -> None:
        spans = [(date(2026, 12, 2), date(2026, 12, 8)), (date(2026, 11, 30), date(2026, 12, 4))]
        # Union: Dec 1-4, 7, 8 = 6 working days; Dec 21 + 6 = 22, 23, 24, 28, 29, 30
        assert response_due("US", FRI, tolled=spans) == date(2026, 12, 30)
        assert response_due("US", FRI, tolled=list(reversed(spans))) == date(2026, 12, 30)
        assert response_due("US", FRI, tolled=spans + spans) == date(2026, 12, 30)

    def test_span_before_receipt_or_after_due_date_changes_nothing(self) -> None:
        assert response_due("US", FRI, tolled=[(date(2026, 10, 1), date(2026, 11, 19))]) == date(2026, 12, 21)
        assert response_due("US", FRI, tolled=[(date(2026, 12, 21), date(2027, 1, 30))]) == date(2026, 12, 21)

    def test_span_straddling_receipt_counts_only_days_after_receipt(self) -> None:
        # Paused Nov 18, resumed Nov 24: only Nov 23 and 24 fall in the count.
        spans = [(date(2026, 11, 18), date(2026, 11, 24))]
        assert response_due("US", FRI, tolled=spans) == date(2026, 12, 23)

    def test_empty_span_changes_nothing(self) -> None:
        assert response_due("US", FRI, tolled=[(date(2026, 12, 1), date(2026, 12, 1))]) == date(2026, 12, 21)

    def test_tolling_and_extension_together(self) -> None:
        spans = [(date(2026, 11, 30), date(2026, 12, 4))]
        # Dec 28 (tolled due) + 10 working days: 29, 30, 31, Jan 4, 5, 6, 7, 8, 11, 12
        assert response_due("US", FRI, extended=True, tolled=spans) == date(2027, 1, 12)

    def test_span_in_the_extension_window_counts_too(self) -> None:
        # Paused Dec 22, resumed Dec 23 removes Dec 23 from the extension: Jan 6 -> Jan 7.
        spans = [(date(2026, 12, 22), date(2026, 12, 23))]
        assert response_due("US", FRI, extended=True, tolled=spans) == date(2027, 1, 7)


class TestAppealWindow:
    def test_dhs_is_90_working_days(self) -> None:
        assert appeal_due("US-DHS", FRI) == date(2027, 4, 2)
        assert working_days_between("US-DHS", FRI, date(2027, 4, 2)) == 90

    def test_doj_is_90_calendar_days(self) -> None:
        assert appeal_due("US-DOJ", FRI) == date(2027, 2, 18)
        assert appeal_due("US", FRI) == date(2027, 2, 18)

    def test_window_ending_on_a_weekend_moves_earlier(self) -> None:
        # Mon Nov 23 + 90 days = Sunday Feb 21, 2027 -> Friday Feb 19 (warn early, never late)
        assert appeal_due("US-DOJ", date(2026, 11, 23)) == date(2027, 2, 19)

    def test_window_ending_on_a_holiday_moves_earlier(self) -> None:
        # Nov 17 + 90 days = Monday Feb 15, 2027, Washington's Birthday -> Friday Feb 12
        assert appeal_due("US-DOJ", date(2026, 11, 17)) == date(2027, 2, 12)

    def test_determination_on_a_weekend_does_not_push_the_window_later(self) -> None:
        # Counted from the Saturday itself: day 1 is Monday, not Tuesday.
        assert appeal_due("US-DHS", date(2026, 11, 21)) == appeal_due("US-DHS", FRI)


def test_appeal_decision_is_20_working_days_plus_10() -> None:
    assert appeal_decision_due("US", FRI) == date(2026, 12, 21)
    assert appeal_decision_due("US-DHS", FRI, extended=True) == date(2027, 1, 6)


def test_expedited_decision_is_10_calendar_days_kept_as_computed() -> None:
    assert expedited_decision_due("US", FRI) == date(2026, 11, 30)
    # Received Saturday: counts from Monday Nov 23 -> Thursday Dec 3
    assert expedited_decision_due("US-DHS", date(2026, 11, 21)) == date(2026, 12, 3)
    # Received Wed Dec 2: + 10 = Saturday Dec 12, an agency deadline, not moved
    assert expedited_decision_due("US-DOJ", date(2026, 12, 2)) == date(2026, 12, 12)


def test_tracking_number_after_10_working_days() -> None:
    # 23, 24, 25, (26), 27, 30, Dec 1, 2, 3, 4, 7
    assert tracking_number_due("US", FRI) == date(2026, 12, 7)
    assert tracking_number_due("US-CA", FRI) is None


def test_overdue_by_working_days() -> None:
    assert working_days_between("US", date(2026, 12, 21), date(2026, 12, 28)) == 4
    assert working_days_between("US", date(2026, 12, 28), date(2026, 12, 21)) == -4
    assert working_days_between("US", FRI, FRI) == 0
