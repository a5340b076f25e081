"""The explanation's lines for tolled spans and closed receipt days, word for word: a reporter checks a
deadline against these lines, so each span must be told once, with its own days counted in the period's unit,
"merged" only where two spans really overlapped, and a span that removes nothing said to remove nothing.

Counted by hand. California counts 10 calendar days from the actual receipt (Monday 2027-03-01), and a due
date on a closed day moves to the next open day (CCP 12a).
"""

from __future__ import annotations

from datetime import date

from tracker.deadlines import explain, response_due

CA_SPANS = [
    (date(2027, 3, 3), date(2027, 3, 5)),  # removes Thu 4 and Fri 5
    (date(2027, 3, 6), date(2027, 3, 7)),  # removes Sun 7 only: Sat 6 counts, the spans do not touch
    (date(2027, 3, 7), date(2027, 3, 7)),  # paused and resumed the same day, inside the span above
    (date(2027, 2, 26), date(2027, 3, 1)),  # resumed on the day of receipt: before counting starts
]


def lines(e) -> list[tuple[str, str, str | None]]:
    return [(s["kind"], s["text"], s["on"]) for s in e.to_dict()["steps"]]


def test_each_tolled_span_is_told_once_in_calendar_days() -> None:
    # Counted: 2, 3, 6, 8, 9 ... 14 (day 10 is Sunday the 14th), so due Monday the 15th.
    e = explain("response", "US-CA", date(2027, 3, 1), tolled=CA_SPANS)
    assert e.result == response_due("US-CA", date(2027, 3, 1), tolled=CA_SPANS) == date(2027, 3, 15)
    tolled = [line for line in lines(e) if line[0] == "tolled"]
    assert tolled == [
        ("tolled", "Tolled: the clock was paused on Wednesday 2027-03-03 and resumed on Friday 2027-03-05; "
                   "2 calendar days from Thursday 2027-03-04 through Friday 2027-03-05 do not count.", "2027-03-03"),
        ("tolled", "Tolled: the clock was paused on Saturday 2027-03-06 and resumed on Sunday 2027-03-07; "
                   "1 calendar day from Sunday 2027-03-07 through Sunday 2027-03-07 do not count.", "2027-03-06"),
        ("tolled", "Tolled span paused on Friday 2027-02-26 and resumed on Monday 2027-03-01 ends before "
                   "counting starts; it removes no days.", "2027-02-26"),
        ("tolled", "Tolled span paused and resumed on Sunday 2027-03-07; it removes no days.", "2027-03-07"),
    ]  # fmt: skip
    assert ("count", "Counted 10 calendar days: day 1 is Tuesday 2027-03-02, day 10 is Sunday 2027-03-14.",
            "2027-03-14") in lines(e)  # fmt: skip
    # The due day is a Sunday, moved to Monday: the one skipped day is named alone, not "from ... to".
    assert ("weekend", "Skipped Sunday 2027-03-14: weekend", "2027-03-14") in lines(e)


def test_overlapping_spans_are_one_span_in_working_days() -> None:
    # Federal, 20 working days from Monday 2027-03-01. The spans merge to Thu 4 through Mon 8: 3 working days
    # (the weekend inside is not counted twice). Counted: 2, 3, 9 ... 12, 15 ... 19, 22 ... 26, 29 ... 1 April.
    spans = [(date(2027, 3, 3), date(2027, 3, 5)), (date(2027, 3, 4), date(2027, 3, 8))]
    e = explain("response", "US", date(2027, 3, 1), tolled=spans)
    assert e.result == date(2027, 4, 1)
    assert [line for line in lines(e) if line[0] == "tolled"] == [
        ("tolled", "Tolled: the clock was paused on Wednesday 2027-03-03 and resumed on Monday 2027-03-08; "
                   "3 working days from Thursday 2027-03-04 through Monday 2027-03-08 do not count "
                   "(overlapping spans merged, so no day is removed twice).", "2027-03-03"),
    ]  # fmt: skip
    assert "Skipped Saturday 2027-03-06 to Sunday 2027-03-07: weekend" not in str(e)  # inside the span


def test_a_span_after_the_due_date_removes_nothing() -> None:
    # The span on the 4th is counted first; the one in June is still reported after it, and the same-day
    # span on the 10th (alone, touching no other) once.
    spans = [(date(2027, 3, 3), date(2027, 3, 4)), (date(2027, 6, 1), date(2027, 6, 2)),
             (date(2027, 3, 10), date(2027, 3, 10))]  # fmt: skip
    e = explain("response", "US", date(2027, 3, 1), tolled=spans)
    assert e.result == date(2027, 3, 30)  # 2, 3, 5, 8 ... 12, 15 ... 19, 22 ... 26, 29, 30
    assert [line for line in lines(e) if line[0] == "tolled"][1:] == [
        ("tolled", "Tolled span paused on Tuesday 2027-06-01 and resumed on Wednesday 2027-06-02 begins after "
                   "the due date; it removes no days.", "2027-06-01"),
        ("tolled", "Tolled span paused and resumed on Wednesday 2027-03-10; it removes no days.", "2027-03-10"),
    ]  # fmt: skip


def test_touching_spans_are_one_span() -> None:
    # Resumed on Friday the 5th and paused again that day: one span from Thursday 4 through Monday 8.
    spans = [(date(2027, 3, 3), date(2027, 3, 5)), (date(2027, 3, 5), date(2027, 3, 8))]
    e = explain("response", "US", date(2027, 3, 1), tolled=spans)
    assert e.result == date(2027, 4, 1)
    assert [line for line in lines(e) if line[0] == "tolled"] == [
        ("tolled", "Tolled: the clock was paused on Wednesday 2027-03-03 and resumed on Monday 2027-03-08; "
                   "3 working days from Thursday 2027-03-04 through Monday 2027-03-08 do not count "
                   "(overlapping spans merged, so no day is removed twice).", "2027-03-03"),
    ]  # fmt: skip


def test_a_receipt_on_a_holiday_weekend_skips_to_the_first_working_day() -> None:
    # Saturday 2027-07-03; Sunday the 4th is Independence Day, observed Monday the 5th: received Tuesday the 6th,
    # day 1 is Wednesday the 7th, day 20 is Tuesday 3 August.
    e = explain("response", "US", date(2027, 7, 3))
    assert e.result == date(2027, 8, 3)
    assert lines(e)[2:4] == [
        ("weekend", "Skipped Saturday 2027-07-03 to Sunday 2027-07-04: weekend", "2027-07-03"),
        ("holiday", "Skipped Monday 2027-07-05: Independence Day (observed) (in lieu of Sunday 2027-07-04, "
                    "Executive Order 11582)", "2027-07-05"),
    ]  # fmt: skip
    assert lines(e)[1][2] == "2027-07-06"  # the receipt line is dated the effective receipt


def test_a_weekend_just_before_a_tolled_span_is_told_before_it() -> None:
    # Paused Sunday the 7th, resumed Tuesday the 9th: Mon 8 and Tue 9 do not count, and the weekend of the
    # 6th and 7th comes first. Counted: 2 ... 5, 10 ... 12, 15 ... 19, 22 ... 26, 29 ... 31: due Wednesday 31.
    e = explain("response", "US", date(2027, 3, 1), tolled=[(date(2027, 3, 7), date(2027, 3, 9))])
    assert e.result == date(2027, 3, 31)
    assert lines(e)[2:4] == [
        ("weekend", "Skipped Saturday 2027-03-06 to Sunday 2027-03-07: weekend", "2027-03-06"),
        ("tolled", "Tolled: the clock was paused on Sunday 2027-03-07 and resumed on Tuesday 2027-03-09; "
                   "2 working days from Monday 2027-03-08 through Tuesday 2027-03-09 do not count.", "2027-03-07"),
    ]  # fmt: skip
    assert lines(e)[4] == ("weekend", "Skipped Saturday 2027-03-13 to Sunday 2027-03-14: weekend", "2027-03-13")


def test_a_holiday_inside_the_count_is_dated() -> None:
    # Friday 2026-11-20: Thanksgiving (Thursday the 26th) is skipped inside the 20 working days.
    e = explain("response", "US", date(2026, 11, 20))
    assert ("holiday", "Skipped Thursday 2026-11-26: Thanksgiving Day (legal public holiday, 5 U.S.C. 6103(a))",
            "2026-11-26") in lines(e)  # fmt: skip
