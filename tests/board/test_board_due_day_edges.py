"""The due day and the day after, at every place that judges lateness: the board's columns and counts, the
on-time share, the constructive-exhaustion notice on the request page, and the last day to appeal.

A deadline that falls today is not yet missed; the agency has all of that day. The request below was received
Monday 2026-11-02, so its response is due Wednesday 2026-12-02 (Veterans Day and Thanksgiving skipped).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tests.helpers import d, make_agency, make_request, perform
from tracker import deadlines
from tracker.auth.models import User
from tracker.board import queries
from tracker.requests import due_dates

DUE = d("2026-12-02")


@pytest.fixture
def filed(db, users, frozen):
    req = make_request(users["reporter"], make_agency())
    perform(req, "file", users["reporter"], on=d("2026-11-02"), channel="portal", tracking_number="2026-ICFO-1")
    db.session.commit()
    assert req.response_due == DUE and DUE.weekday() == 2
    return req


def _columns(users, db, today):
    editor = db.session.get(User, users["editor"])
    shown = queries.board(editor, queries.BoardFilters(), today)
    return {c["code"]: c["count"] for c in shown["columns"]}, shown["summary"]


def test_a_deadline_that_falls_today_is_not_overdue_on_the_board(db, users, filed):
    counts, summary = _columns(users, db, DUE)
    assert (counts["agency"], counts["overdue"], summary["overdue"]) == (1, 0, 0)
    counts, summary = _columns(users, db, DUE - timedelta(days=1))
    assert (counts["agency"], counts["overdue"]) == (1, 0)


def test_the_day_after_the_deadline_it_is_overdue_on_the_board(db, users, filed):
    counts, summary = _columns(users, db, DUE + timedelta(days=1))
    assert (counts["agency"], counts["overdue"], summary["overdue"]) == (0, 1, 1)


def test_an_appeal_decision_due_today_is_not_overdue_on_the_board(db, users, filed):
    perform(filed, "determine", users["reporter"], on=d("2026-11-20"), outcome="denied")
    perform(filed, "appeal", users["reporter"], on=d("2026-11-23"))
    db.session.commit()
    due = filed.appeal_decision_due
    counts, _ = _columns(users, db, due)
    assert (counts["appeals"], counts["overdue"]) == (1, 0)
    counts, _ = _columns(users, db, due + timedelta(days=1))
    assert (counts["appeals"], counts["overdue"]) == (0, 1)


@pytest.mark.parametrize("decided,on_time", [(DUE - timedelta(days=1), True), (DUE, True),
                                             (DUE + timedelta(days=1), False)],
                         ids=["day-before", "on-the-due-day", "day-after"])
def test_a_determination_on_the_due_day_counts_as_on_time(db, users, filed, frozen, decided, on_time):
    frozen.move_to(datetime(2026, 12, 10, 15, 0, tzinfo=UTC))
    perform(filed, "determine", users["reporter"], on=decided, outcome="granted_in_full")
    db.session.commit()
    assert filed.determinations[0].on_time is on_time
    _, summary = _columns(users, db, DUE + timedelta(days=3))
    assert (summary["judged"], summary["on_time"], summary["on_time_share"]) == (1, int(on_time), float(on_time))


def _response_row(req, today):
    return next(r for r in due_dates.summary(req, today) if r["kind"] == "response")


def test_constructive_exhaustion_starts_the_day_after_the_deadline(db, users, filed):
    on_the_day = _response_row(filed, DUE)
    assert (on_the_day["overdue_by"], on_the_day["days_left"], on_the_day["notices"]) == (0, 0, [])
    before = _response_row(filed, DUE - timedelta(days=1))
    assert (before["overdue_by"], before["days_left"], before["notices"]) == (0, 1, [])
    after = _response_row(filed, DUE + timedelta(days=1))
    assert (after["overdue_by"], after["days_left"]) == (1, None)
    assert after["notices"] == [
        "The agency has missed its deadline. You are deemed to have exhausted administrative remedies and may sue "
        "(constructive exhaustion, 5 U.S.C. 552(a)(6)(C)(i)).",
        "The agency may no longer charge search fees (for news media: duplication fees), 5 U.S.C. "
        "552(a)(4)(A)(viii), except in narrow cases (a timely unusual-circumstances notice, more than 5,000 pages "
        "with notice, or a court finding).",
    ]


def test_the_last_day_to_appeal_is_still_open_and_the_next_is_not(db, users, filed):
    perform(filed, "determine", users["reporter"], on=d("2026-11-20"), outcome="denied")
    last = deadlines.appeal_due("US-DHS", d("2026-11-20"))
    assert filed.appeal_due == last

    def row(today):
        return next(r for r in due_dates.summary(filed, today) if r["kind"] == "appeal")

    assert (row(last)["active"], row(last)["overdue_by"], row(last)["days_left"]) == (True, 0, 0)
    after = deadlines.add_working_days("US-DHS", last, 1)
    assert (row(after)["overdue_by"], row(after)["days_left"]) == (1, None)
    assert row(after)["notices"] == []  # no exhaustion talk about our own deadline
