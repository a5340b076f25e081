"""The state-law rows of a request's deadlines, at their edges: when the window to appeal an unanswered request
starts to bind (the day after the due date, not on it), what the deemed-denial row says, which doubts each row
carries, how extensions, pauses and kinds of request reach the deemed denial, and what a request whose agency
moved to another state is told about the settings its new law does not know.

The clock is frozen on Monday 2026-11-30 (tests/conftest.py); each date below is counted by hand.
"""

from __future__ import annotations

from tests.helpers import d, make_agency, make_request, perform
from tracker.requests import due_dates

NY_RULE_DOUBT = ("from summaries and agency rules that copy the statute; the appeal window counts from the missed "
                 "due date")


def _rows(req, today):
    return {r["kind"]: r for r in due_dates.summary(req, d(today))}


def _new_york(users, **data):
    req = make_request(users["reporter"], make_agency(jurisdiction="US-NY", name="NYPD", abbreviation="NYPD"), **data)
    # Filed Mon 11-16 by email, received that day: 17, 18, 19, 20, 23 -> due Mon 11-23 (FOIL, 5 business days).
    perform(req, "file", users["reporter"], on=d("2026-11-16"), channel="email")
    return req


def test_the_window_after_a_deemed_denial_binds_from_the_day_after_the_due_date(db, users, frozen):
    req = _new_york(users)
    assert req.response_due == d("2026-11-23")
    before, on_the_day, after = _rows(req, "2026-11-20"), _rows(req, "2026-11-23"), _rows(req, "2026-11-24")
    # The window is always shown (its date is known from the start), but binds only once the agency has missed
    # its date: the agency has all of its due day.
    assert [rows["appeal_no_response"]["active"] for rows in (before, on_the_day, after)] == [False, False, True]
    assert [rows["appeal_no_response"]["due"] for rows in (before, on_the_day, after)] == [d("2026-12-23")] * 3
    assert [(rows["deemed_denial"]["overdue_by"], rows["deemed_denial"]["days_left"])
            for rows in (before, on_the_day, after)] == [(0, 1), (0, 0), (1, None)]
    assert before["deemed_denial"]["notices"] == on_the_day["deemed_denial"]["notices"] == []
    assert after["deemed_denial"]["notices"] == [
        "No response by November 23, 2026: the law deems the request denied (Pub. Off. Law 89(4)(a)), and the "
        "window to appeal runs from that date."]
    assert after["deemed_denial"]["label"] == "Deemed denied if no response by"
    assert after["appeal_no_response"]["label"] == "Last day to appeal if there is no response"


def test_the_no_response_rule_s_doubt_is_shown_on_its_own_rows_only(db, users, frozen):
    rows = _rows(_new_york(users), "2026-11-30")
    assert NY_RULE_DOUBT in rows["deemed_denial"]["unconfirmed"]
    assert NY_RULE_DOUBT in rows["appeal_no_response"]["unconfirmed"]
    assert NY_RULE_DOUBT not in rows["response"]["unconfirmed"]
    assert NY_RULE_DOUBT not in rows["tracking_number"]["unconfirmed"]


def test_a_determination_ends_the_no_response_window_even_a_full_grant(db, users, frozen):
    req = _new_york(users)
    perform(req, "determine", users["reporter"], on=d("2026-11-20"), outcome="granted_in_full")
    assert "appeal_no_response" not in req.deadline_provenance
    assert "appeal_no_response" not in _rows(req, "2026-11-30")
    assert req.appeal_due is None


def test_a_pause_moves_the_deemed_denial_with_the_response(db, users, frozen):
    req = _new_york(users)
    perform(req, "request_clarification", users["reporter"], on=d("2026-11-18"))  # still paused today
    rows = _rows(req, "2026-11-30")
    assert req.response_due > d("2026-11-23")
    assert rows["deemed_denial"]["due"] == req.response_due
    assert not rows["appeal_no_response"]["active"]  # the due date has not passed: nothing is missed yet


def test_an_extension_moves_the_deemed_denial_with_the_response(db, users, frozen):
    req = make_request(users["reporter"], make_agency(jurisdiction="US-IL", name="CPD", abbreviation="CPD"))
    # Illinois: 5 business days from Mon 11-16 (17-20, 23), then 5 more: 24, 25, (26), 27, 30, 12-01.
    perform(req, "file", users["reporter"], on=d("2026-11-16"), channel="portal")
    assert req.deadline_provenance["deemed_denial"]["result"] == "2026-11-23"
    perform(req, "extend", users["reporter"], on=d("2026-11-18"))
    assert req.response_due == d("2026-12-01")
    assert _rows(req, "2026-11-30")["deemed_denial"]["due"] == req.response_due


def test_a_kind_of_request_moves_the_deemed_denial_and_carries_its_doubt(db, users, frozen):
    nj = make_agency(jurisdiction="US-NJ", name="NJ State Police", abbreviation="NJSP")
    req = make_request(users["reporter"], nj, deadline_variant="commercial")
    # Mon 11-02: (3 Election Day), 4, 5, 6, 9, 10, (11), 12, 13 = 7; then 16-20, 23, 24 = 14.
    perform(req, "file", users["reporter"], on=d("2026-11-02"), channel="portal")
    rows = _rows(req, "2026-11-30")
    assert req.response_due == rows["deemed_denial"]["due"] == d("2026-11-24")
    assert "P.L.2024 c.16's 14-day period is known from the GRC's summary" in rows["response"]["unconfirmed"]


def test_massachusetts_counts_the_window_from_the_day_the_request_was_sent(db, users, frozen):
    req = make_request(users["reporter"], make_agency(jurisdiction="US-MA", name="BPD", abbreviation="BPD"))
    # Mailed Mon 11-02, received Mon 11-09: the 90 days run from the sending, 11-02 + 90 = Sun 2027-01-31,
    # moved earlier to Fri 01-29.
    perform(req, "file", users["reporter"], on=d("2026-11-02"), channel="mail", received_on=d("2026-11-09"))
    assert req.deadline_provenance["appeal_no_response"]["result"] == "2027-01-29"


def test_michigan_has_no_window_for_an_unanswered_request(db, users, frozen):
    req = make_request(users["reporter"], make_agency(jurisdiction="US-MI", name="Detroit PD", abbreviation="DPD"))
    perform(req, "file", users["reporter"], on=d("2026-11-02"), channel="portal")
    assert req.response_due is not None
    assert not {"appeal_no_response", "deemed_denial"} & set(req.deadline_provenance)


def test_settings_the_agency_s_new_state_does_not_know_are_named_on_every_row(db, users, frozen):
    """An agency moved from New Jersey to New York keeps its request's kind (a New Jersey one) and a closed day
    only Texas allows; the deadlines are computed without them, and every explanation starts by saying so, in
    one sentence."""
    agency = make_agency(jurisdiction="US-NJ", name="Port office", abbreviation="PO")
    req = make_request(users["reporter"], agency, deadline_variant="commercial")
    agency.jurisdiction, agency.observed_days = "US-NY", "Good Friday"
    perform(req, "file", users["reporter"], on=d("2026-11-16"), channel="email")
    assert req.response_due == d("2026-11-23")  # New York's own 5 business days
    note = {"kind": "note", "on": None, "text":
            "Not applied: the kind of request “commercial” has no periods of its own in New York FOIL; 'Good Friday' "
            "is not an optional holiday in New York FOIL (optional holidays: none)."}
    assert set(req.deadline_provenance) == {"response", "tracking_number", "deemed_denial", "appeal_no_response"}
    for kind, explanation in req.deadline_provenance.items():
        assert explanation["steps"][0] == note, kind
        assert explanation["steps"][1]["kind"] != "note" or "Not applied" not in explanation["steps"][1]["text"]


def test_a_request_that_did_not_ask_for_expedited_processing_has_no_such_deadline(db, users, frozen):
    req = make_request(users["reporter"], make_agency())
    perform(req, "file", users["reporter"], on=d("2026-11-16"), channel="portal")
    assert req.expedited_decision_due is None and "expedited" not in req.deadline_provenance
