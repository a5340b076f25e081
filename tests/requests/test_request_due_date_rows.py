"""The request page's deadline rows: which deadlines bind in which status, federal or state, how late, which
notices and which unconfirmed-rule warnings they carry; and working days counted for a determination."""

from __future__ import annotations

import pytest

from tests.helpers import d, make_agency, make_request, perform
from tracker.requests import due_dates

# status: the deadlines that bind (with no tracking number yet and expedited processing asked for); the state
# kinds (deemed denial, Texas's certification and Attorney General ruling) have a date only where the law has them
WAITING = {"response", "tracking_number", "expedited", "deemed_denial", "certification", "ag_ruling"}
BINDING = {
    "draft": set(),
    "filed": WAITING,
    "acknowledged": WAITING,
    "awaiting_clarification": WAITING,
    "awaiting_fees": WAITING,
    "determined": {"appeal"},
    "appealed": {"appeal_decision"},
    "appeal_decided": set(),
    "in_mediation": set(),
    "in_litigation": set(),
    "withdrawn": set(),
    "closed": set(),
}


@pytest.mark.parametrize("status", list(BINDING))
def test_which_deadlines_bind_in_each_status(status):
    assert due_dates.active_kinds(status, has_tracking_number=False, expedited_requested=True) == BINDING[status]
    assert due_dates.active_kinds(status, has_tracking_number=True, expedited_requested=False) == \
        BINDING[status] - {"tracking_number", "expedited"}


@pytest.mark.parametrize("code,federal", [("US", True), ("US-DHS", True), ("US-DOJ", True), ("US-ABC", True),
                                          ("US-CA", False), ("US-NY", False), ("USA", False), ("CA", False)])
def test_federal_or_state(code, federal):
    assert due_dates.is_federal(code) is federal


@pytest.mark.parametrize("due,today,expected", [
    ("2026-12-02", "2026-12-01", (0, 1)), ("2026-12-02", "2026-12-02", (0, 0)),
    ("2026-12-02", "2026-12-03", (1, None)), ("2026-12-04", "2026-12-05", (0, None)),  # Saturday after a Friday
    ("2026-12-04", "2026-12-07", (1, None)), ("2026-11-25", "2026-11-30", (2, None)),  # Thanksgiving skipped
])
def test_lateness_in_working_days(due, today, expected):
    assert due_dates.lateness("US-DHS", d(due), d(today)) == expected


def test_the_rows_of_a_paused_federal_request(db, users, frozen):
    req = make_request(users["reporter"], make_agency(), expedited_requested=True, expedited_category="ii")
    perform(req, "file", users["reporter"], on=d("2026-11-02"), channel="portal")
    perform(req, "request_clarification", users["reporter"], on=d("2026-11-04"))
    rows = {r["kind"]: {k: v for k, v in r.items() if k != "steps"} for r in due_dates.summary(req, d("2026-11-30"))}
    assert rows == {
        "response": {"kind": "response", "label": "Agency's response due", "due": d("2026-12-24"), "active": True,
                     "unit": "working",
                     "overdue_by": 0, "days_left": 18, "unconfirmed": [], "notices": [
                         "The clock is paused while the agency waits for our answer; this date moves one working "
                         "day later for every working day it stays paused."]},
        "tracking_number": {"kind": "tracking_number", "label": "Tracking number owed by", "due": d("2026-11-17"),
                            "active": True, "unit": "working", "overdue_by": 8, "days_left": None, "notices": [],
                            "unconfirmed": []},
        "expedited": {"kind": "expedited", "label": "Decision on expedited processing due", "due": d("2026-11-12"),
                      "active": True, "unit": "calendar", "overdue_by": 18, "days_left": None, "notices": [],
                      "unconfirmed": [
                          "DHS reads the 10 days as calendar days (6 CFR 5.5(e)(4)): check the current text"]},
    }
    assert all(r["steps"] for r in due_dates.summary(req, d("2026-11-30")))


def test_a_state_request_past_its_date_gets_no_federal_notices(db, users, frozen):
    ca = make_request(users["reporter"], make_agency(name="CA DOJ", abbreviation="CADOJ", jurisdiction="US-CA"))
    perform(ca, "file", users["reporter"], on=d("2026-11-02"), channel="portal")
    perform(ca, "extend", users["reporter"], on=d("2026-11-05"))
    # California's due day falls on a closed day and moves to the next open one (CCP 12a): due 11-30.
    response = next(r for r in due_dates.summary(ca, d("2026-12-01")) if r["kind"] == "response")
    assert (response["overdue_by"], response["days_left"], response["notices"]) == (1, None, [])
    unconfirmed = " | ".join(response["unconfirmed"])  # the rules data marks what it has not confirmed
    assert "CCP 12a" in unconfirmed and "holidays package calendar for CA" in unconfirmed


def test_rows_that_no_longer_bind_are_shown_without_lateness(db, users, frozen):
    req = make_request(users["reporter"], make_agency())
    perform(req, "file", users["reporter"], on=d("2026-10-01"), channel="portal", tracking_number="T-1")
    perform(req, "determine", users["reporter"], on=d("2026-11-20"), outcome="denied")
    rows = {r["kind"]: r for r in due_dates.summary(req, d("2026-11-30"))}
    assert (rows["response"]["active"], rows["response"]["overdue_by"], rows["response"]["days_left"],
            rows["response"]["notices"]) == (False, 0, None, [])
    assert (rows["appeal"]["active"], rows["appeal"]["overdue_by"]) == (True, 0)
    assert rows["appeal"]["label"] == "Last day to appeal"


def test_a_determination_counts_working_days_from_receipt_never_below_zero(db, users, frozen):
    req = make_request(users["reporter"], make_agency())
    perform(req, "file", users["reporter"], on=d("2026-11-02"), channel="mail", received_on=d("2026-11-09"))
    perform(req, "determine", users["reporter"], on=d("2026-11-06"), outcome="no_records")  # before receipt
    assert (req.determinations[0].working_days, req.determinations[0].on_time) == (0, True)
    req2 = make_request(users["reporter"], make_agency(name="Other office", abbreviation="OO"))
    perform(req2, "file", users["reporter"], on=d("2026-11-02"), channel="portal")
    perform(req2, "determine", users["reporter"], on=d("2026-11-09"), outcome="no_records")
    assert req2.determinations[0].working_days == 5
    req3 = make_request(users["reporter"], make_agency(name="Third office", abbreviation="TO"))
    perform(req3, "file", users["reporter"], on=d("2026-11-02"), channel="mail")  # never marked received
    perform(req3, "determine", users["reporter"], on=d("2026-11-09"), outcome="no_records")
    assert (req3.determinations[0].working_days, req3.determinations[0].on_time, req3.response_due) == (
        None, None, None)


def test_a_tracking_number_on_record_ends_that_deadline(db, users, frozen):
    req = make_request(users["reporter"], make_agency())
    perform(req, "file", users["reporter"], on=d("2026-11-02"), channel="portal", tracking_number="T-1")
    rows = {r["kind"]: r for r in due_dates.summary(req, d("2026-11-30"))}
    assert (rows["tracking_number"]["active"], rows["tracking_number"]["overdue_by"]) == (False, 0)


def test_unconfirmed_rules_are_named_on_the_rows_they_bear_on(db, users, frozen, monkeypatch):
    """A jurisdiction whose extension, appeal-decision period and holiday calendar are all marked "check"."""
    from dataclasses import replace

    from tracker import deadlines

    real = deadlines.jurisdiction("US-DHS")
    doubtful = replace(real, extension=replace(real.extension, check=True, note=""),
                       appeal_decision=replace(real.appeal_decision, check=True, note="Appeal days: check."),
                       holiday_calendar=replace(real.holiday_calendar, check=True, note=""))
    monkeypatch.setattr(deadlines, "jurisdiction", lambda code: doubtful if code == "US-DHS" else real)
    req = make_request(users["reporter"], make_agency())
    perform(req, "file", users["reporter"], on=d("2026-10-01"), channel="portal", tracking_number="T-1")
    holidays = "the holiday calendar follows state law only roughly"
    rows = {r["kind"]: r["unconfirmed"] for r in due_dates.summary(req, d("2026-11-30"))}
    assert rows["response"] == [holidays]  # not extended: the extension's doubt does not bear on it
    perform(req, "extend", users["reporter"], on=d("2026-10-05"))
    rows = {r["kind"]: r["unconfirmed"] for r in due_dates.summary(req, d("2026-11-30"))}
    assert rows["response"] == ["this period could not be confirmed from a primary text", holidays]
    assert rows["tracking_number"] == [holidays]
    perform(req, "determine", users["reporter"], on=d("2026-10-20"), outcome="denied")
    perform(req, "appeal", users["reporter"], on=d("2026-10-22"))
    rows = {r["kind"]: r["unconfirmed"] for r in due_dates.summary(req, d("2026-11-30"))}
    assert rows["appeal_decision"] == ["Appeal days: check.", holidays]
    assert rows["appeal"] == [holidays]


def test_an_appeal_extension_adds_ten_working_days_to_the_decision(db, users, frozen):
    from tracker import deadlines

    req = make_request(users["reporter"], make_agency())
    perform(req, "file", users["reporter"], on=d("2026-10-01"), channel="portal", tracking_number="T-1")
    perform(req, "determine", users["reporter"], on=d("2026-10-20"), outcome="denied")
    perform(req, "appeal", users["reporter"], on=d("2026-10-22"))
    plain = req.appeal_decision_due
    perform(req, "appeal_extend", users["reporter"], on=d("2026-11-02"))
    assert req.appeal_decision_due == deadlines.add_working_days("US-DHS", plain, 10)
