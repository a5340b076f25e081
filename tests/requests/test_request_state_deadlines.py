"""State deadlines on a stored request: the options the state rules read, the new kinds, their reminders.

The clock is frozen on Monday 2026-11-30 (tests/conftest.py); each date below is counted by hand.
"""

from __future__ import annotations

import pytest

from tests.helpers import d, make_agency, make_request, perform
from tracker.agencies import services as agency_services
from tracker.core.clock import now_utc, today
from tracker.core.errors import ValidationFailed
from tracker.reminders.rules import DEFAULT_RULES, due_reminders
from tracker.requests import due_dates, services


def _row(req, kind):
    return next(r for r in due_dates.summary(req, today()) if r["kind"] == kind)


def _fired(req) -> set[str]:
    return {due.rule.key for due in due_reminders(req, DEFAULT_RULES, today())}


def test_new_york_deemed_denial_opens_the_appeal_window(db, users, frozen):
    req = make_request(users["reporter"], make_agency(jurisdiction="US-NY", name="NYPD", abbreviation="NYPD"))
    # Filed Mon 11-16: 17, 18, 19, 20, 23 -> due Mon 11-23; unanswered, it is denied that day (89(4)(a)), and the
    # 30 days to appeal run to Wed 12-23.
    perform(req, "file", users["reporter"], on=d("2026-11-16"), channel="email")
    assert req.response_due == d("2026-11-23")
    denied = _row(req, "deemed_denial")
    assert denied["due"] == d("2026-11-23") and denied["active"]
    assert denied["overdue_by"] == 4  # 24, 25, (26 Thanksgiving), 27, 30: New York works the Friday
    assert any("No response by November 23, 2026: the law deems the request denied (Pub. Off. Law 89(4)(a))" in n
               for n in denied["notices"])
    assert any("summaries" in n for n in denied["unconfirmed"])  # the deemed-denial rule rests on summaries
    window = _row(req, "appeal_no_response")
    assert window["due"] == d("2026-12-23") and window["active"]
    assert any("deemed denied" in s["text"] for s in window["steps"])
    assert {"deemed_denied", "response_overdue"} <= _fired(req)
    assert req.appeal_due is None  # the column keeps its meaning: the window after a determination


def test_deemed_denial_stops_binding_once_the_agency_answers(db, users, frozen):
    req = make_request(users["reporter"], make_agency(jurisdiction="US-PA", name="PSP", abbreviation="PSP"))
    perform(req, "file", users["reporter"], on=d("2026-11-16"), channel="portal")
    perform(req, "determine", users["reporter"], on=d("2026-11-20"), outcome="denied")
    kinds = {r["kind"]: r for r in due_dates.summary(req, today())}
    assert "appeal_no_response" not in kinds and not kinds["deemed_denial"]["active"]
    # PA 67.1101: 15 business days from Fri 11-20: 23, 24, 25, (26, 27), 30, 12-01, 2, 3, 4, 7-11, 14, 15.
    assert req.appeal_due == d("2026-12-15")
    assert "deemed_denied" not in _fired(req)


def test_massachusetts_no_response_counts_90_days_from_the_request(db, users, frozen):
    req = make_request(users["reporter"], make_agency(jurisdiction="US-MA", name="BPD", abbreviation="BPD"))
    # Sent Mon 11-02; 10 business days: 3-6, 9, 10, (11), 12, 13, 16, 17. 11-02 + 90 = Sun 2027-01-31 -> Fri 01-29.
    perform(req, "file", users["reporter"], on=d("2026-11-02"), channel="portal")
    assert req.response_due == d("2026-11-17")
    window = _row(req, "appeal_no_response")
    assert window["due"] == d("2027-01-29") and window["active"]
    assert "deemed_denial" not in {r["kind"] for r in due_dates.summary(req, today())}


def test_michigan_email_request_counts_from_the_next_business_day(db, users, frozen):
    reporter = users["reporter"]
    agency = make_agency(jurisdiction="US-MI", name="Detroit PD", abbreviation="DPD")
    by_email, by_portal = make_request(reporter, agency, title="A"), make_request(reporter, agency, title="B")
    # MCL 15.235(1): sent Fri 11-20 by email, received Mon 11-23: 24, 25, (26), 27, 30, 12-01.
    perform(by_email, "file", reporter, on=d("2026-11-20"), channel="email")
    perform(by_portal, "file", reporter, on=d("2026-11-20"), channel="portal")
    assert by_email.response_due == d("2026-12-01")
    assert by_portal.response_due == d("2026-11-30")  # 23, 24, 25, 27, 30
    steps = [s["text"] for s in by_email.deadline_provenance["response"]["steps"]]
    assert any("Sent by email" in t and "MCL 15.235(1)" in t for t in steps)


def test_new_jersey_commercial_request_has_14_business_days(db, users, frozen):
    reporter = users["reporter"]
    nj = make_agency(jurisdiction="US-NJ", name="NJ State Police", abbreviation="NJSP")
    req = make_request(reporter, nj, deadline_variant="commercial")
    # Mon 11-02: (3 Election Day), 4, 5, 6, 9, 10, (11), 12, 13 = 7; then 16-20, 23, 24 = 14.
    perform(req, "file", reporter, on=d("2026-11-02"), channel="portal")
    assert req.response_due == d("2026-11-24")
    services.update_request(req, actor=req.owner, now=now_utc(),
                            today=today(), data={"deadline_variant": ""})
    assert req.response_due == d("2026-11-13")
    ny = make_agency(jurisdiction="US-NY", name="NYPD", abbreviation="NYPD")
    with pytest.raises(ValidationFailed) as info:
        make_request(reporter, ny, title="C", deadline_variant="commercial")
    assert "New Jersey" in info.value.fields["deadline_variant"]


def test_texas_periods_and_the_agencys_own_closed_days(db, users, frozen):
    reporter = users["reporter"]
    plain = make_agency(jurisdiction="US-TX", name="Texas DPS", abbreviation="DPS")
    own = agency_services.save_agency(None, {"name": "Harris County", "jurisdiction": "US-TX",
                                             "observed_days": "Good Friday\n2026-11-12  # county closure"})
    a, b = make_request(reporter, plain, title="A"), make_request(reporter, own, title="B")
    for req in (a, b):
        perform(req, "file", reporter, on=d("2026-11-02"), channel="portal")
    # 552.221(d), 552.301(b): Mon 11-02: 3-6, 9, 10, (11 Veterans Day), 12, 13, 16, 17 -> Tue 11-17.
    assert _row(a, "ag_ruling")["due"] == d("2026-11-17") == _row(a, "certification")["due"]
    assert _row(b, "ag_ruling")["due"] == d("2026-11-18")  # 11-12 closed by the county: one day later
    assert a.response_due is None  # "promptly"
    assert {"ag_ruling_overdue", "certification_overdue"} <= _fired(a)


def test_an_agency_setting_the_law_does_not_allow_is_refused_on_the_field(db, users, frozen):
    with pytest.raises(ValidationFailed) as info:
        agency_services.save_agency(None, {"name": "NYPD", "jurisdiction": "US-NY", "observed_days": "Good Friday"})
    assert "not an optional holiday" in info.value.fields["observed_days"]
    with pytest.raises(ValidationFailed) as info:
        agency_services.save_agency(None, {"name": "DPS", "jurisdiction": "US-TX", "observed_days": "2026-13-40"})
    assert "observed_days" in info.value.fields


def test_washington_review_is_counted_from_the_denial(db, users, frozen):
    reporter = users["reporter"]
    req = make_request(reporter, make_agency(jurisdiction="US-WA", name="Seattle PD", abbreviation="SPD"))
    perform(req, "file", reporter, on=d("2026-11-16"), channel="portal")
    perform(req, "determine", reporter, on=d("2026-11-25"), outcome="denied")
    perform(req, "appeal", reporter, on=d("2026-11-30"))
    # RCW 42.56.520(3): 2 business days after the denial of Wed 11-25: (26, 27 Native American Heritage Day), 30, 12-01.
    assert req.appeal_decision_due == d("2026-12-01")


def test_michigan_appeal_decision_and_its_extension(db, users, frozen):
    reporter = users["reporter"]
    req = make_request(reporter, make_agency(jurisdiction="US-MI", name="Detroit PD", abbreviation="DPD"))
    perform(req, "file", reporter, on=d("2026-11-02"), channel="portal")
    perform(req, "determine", reporter, on=d("2026-11-09"), outcome="denied")
    perform(req, "appeal", reporter, on=d("2026-11-16"))
    # MCL 15.240(2): Mon 11-16: 17-20, 23, 24, 25, (26), 27, 30, 12-01 = 10 -> Tue 12-01.
    assert req.appeal_decision_due == d("2026-12-01")
    perform(req, "appeal_extend", reporter, on=d("2026-11-30"))
    # +10: 12-02 ... 12-15.
    assert req.appeal_decision_due == d("2026-12-15")
