"""Worked examples per state, each counted by hand from the statute (shared/state-rules.md) in its comment.

Working-day counts: a request received on a closed day counts as received the next working day, and day 1
is the first working day after that. Calendar-day counts (California) start from the actual receipt.
"""

from __future__ import annotations

from datetime import date

import pytest

from tracker.deadlines import (
    BadObservedDay,
    UnknownVariant,
    ag_ruling_due,
    appeal_decision_due,
    appeal_due,
    certification_due,
    deemed_denial_due,
    explain,
    jurisdiction,
    jurisdictions,
    response_due,
)

STATES = {"US-CA", "US-NY", "US-TX", "US-FL", "US-IL", "US-CO", "US-WA",
          "US-PA", "US-MA", "US-AZ", "US-GA", "US-NJ", "US-MI", "US-VA"}  # fmt: skip

# (code, received, due, due if extended, the hand count)
RESPONSE = [
    # CA Gov. Code 7922.535(a): 10 days from receipt; (b) +14 days. Mon 03-02: day 10 is Thu 03-12; +14 = Thu 03-26.
    ("US-CA", date(2026, 3, 2), date(2026, 3, 12), date(2026, 3, 26), "10 + 14 calendar days"),
    # Saturday receipt: counted from the actual receipt, day 10 is Tue 03-17 (not 03-19 as when moved to Monday).
    # +14 = Tue 03-31, Cesar Chavez Day: CCP 12a moves it to Wed 04-01.
    ("US-CA", date(2026, 3, 7), date(2026, 3, 17), date(2026, 4, 1), "from actual receipt; 03-31 rolls"),
    # Mon 11-16: day 10 is Thu 11-26 (Thanksgiving); Fri 11-27 (Day After Thanksgiving) and the weekend are
    # closed too, so CCP 12a moves it to Mon 11-30. The extension runs from that time limit: +14 = Mon 12-14.
    ("US-CA", date(2026, 11, 16), date(2026, 11, 30), date(2026, 12, 14), "Thanksgiving rolls to Monday"),
    # NY Pub. Off. Law 89(3)(a): 5 business days. Mon 02-09: 10, 11, (12 Lincoln's Birthday), 13, (16 Washington's
    # Birthday), 17, 18. The extension is an approximate date, not a count.
    ("US-NY", date(2026, 2, 9), date(2026, 2, 18), date(2026, 2, 18), "Lincoln's Birthday (GCL 24)"),
    # NY moves only Sunday holidays (GCL 24): Fri 07-03 is a business day. Wed 07-01: 2, 3, 6, 7, 8.
    ("US-NY", date(2026, 7, 1), date(2026, 7, 8), date(2026, 7, 8), "no Friday in-lieu day in New York"),
    # Susan B. Anthony Day (Tue 2028-02-15) is not a public holiday: Mon 02-14: 15, 16, 17, 18, (21), 22.
    ("US-NY", date(2028, 2, 14), date(2028, 2, 22), date(2028, 2, 22), "Susan B. Anthony Day counts"),
    ("US-TX", date(2026, 3, 2), None, None, "promptly (552.221(a))"),
    ("US-FL", date(2026, 3, 2), None, None, "promptly (119.07(1)(c))"),
    # IL 5 ILCS 140/3(d)-(e): 5 + 5 business days. Fri 02-27: (03-02 Casimir Pulaski Day), 3, 4, 5, 6, 9;
    # then 10, 11, 12, 13, 16.
    ("US-IL", date(2026, 2, 27), date(2026, 3, 9), date(2026, 3, 16), "skips Casimir Pulaski Day (IL)"),
    # CO C.R.S. 24-72-203(3)(b): 3 + 7 working days; Cesar Chavez Day is not a legal holiday (24-11-101).
    # Mon 03-30: 31, 04-01, 04-02; then 3, 6, 7, 8, 9, 10, 13.
    ("US-CO", date(2026, 3, 30), date(2026, 4, 2), date(2026, 4, 13), "Cesar Chavez Day is a working day"),
    # CO moves only Sunday holidays (24-11-101(2)): Fri 07-03 counts. Thu 07-02: 3, 6, 7; then 8, 9, 10, 13, 14, 15, 16.
    ("US-CO", date(2026, 7, 2), date(2026, 7, 7), date(2026, 7, 16), "no Friday in-lieu day in Colorado"),
    # WA RCW 42.56.520(1): 5 business days. Mon 11-23: 24, 25, (26 Thanksgiving, 27 Native American Heritage
    # Day, RCW 1.16.050), 30, 12-01, 12-02.
    ("US-WA", date(2026, 11, 23), date(2026, 12, 2), date(2026, 12, 2), "Native American Heritage Day (WA)"),
    # PA 65 P.S. 67.901-902: 5 business days, then 30 days. Fri 11-20: 23, 24, 25, (26, 27), 30, 12-01;
    # 12-01 + 30 = Thu 12-31.
    ("US-PA", date(2026, 11, 20), date(2026, 12, 1), date(2026, 12, 31), "+30 calendar days"),
    # MA G.L. c. 66 §10(b): 10 business days. Mon 04-13: 14, 15, 16, 17, (20 Patriots' Day), 21, 22, 23, 24, 27,
    # 28; +20 (Supervisor): 29, 30, 05-01, 4-8, 11-15, 18-22, (25 Memorial Day), 26, 27.
    ("US-MA", date(2026, 4, 13), date(2026, 4, 28), date(2026, 5, 27), "skips Patriots' Day (MA)"),
    ("US-AZ", date(2026, 3, 2), None, None, "promptly (39-121.01(D)(1))"),
    # GA O.C.G.A. 50-18-71(b)(1)(A): 3 business days. Wed 11-25: (26 Thanksgiving, 27 State Holiday), 30, 12-01, 12-02.
    ("US-GA", date(2026, 11, 25), date(2026, 12, 2), date(2026, 12, 2), "skips Thanksgiving and Nov 27 (GA)"),
    # NJ N.J.S.A. 47:1A-5(i): 7 business days. Mon 03-30: 31, 04-01, 04-02, (03 Good Friday), 6, 7, 8, 9.
    ("US-NJ", date(2026, 3, 30), date(2026, 4, 9), date(2026, 4, 9), "skips Good Friday (NJ)"),
    # MI MCL 15.235(2): 5 + 10 business days; business days exclude only MCL 435.101 legal holidays (AG Op. 7172),
    # so Christmas Eve and New Year's Eve count. Mon 12-21: 22, 23, 24, (25), 28, 29; then 30, 31, (01-01),
    # 4, 5, 6, 7, 8, 11, 12, 13.
    ("US-MI", date(2026, 12, 21), date(2026, 12, 29), date(2027, 1, 13), "Christmas Eve is a business day (MI)"),
    # VA 2.2-3704(B): 5 + 7 working days. Fri 10-30: 11-02, (03 Election Day), 4, 5, 6, 9; then 10, (11 Veterans
    # Day), 12, 13, 16, 17, 18, 19.
    ("US-VA", date(2026, 10, 30), date(2026, 11, 9), date(2026, 11, 19), "Election Day (VA)"),
]


@pytest.mark.parametrize("code,received,due,due_extended,why", RESPONSE)
def test_state_response(
    code: str, received: date, due: date | None, due_extended: date | None, why: str
) -> None:
    assert response_due(code, received) == due, why
    assert response_due(code, received, extended=True) == due_extended, why
    # The walk-through agrees with the fast functions.
    assert explain("response", code, received, extended=True).result == due_extended


def test_every_state_has_a_worked_example_and_cites_its_source() -> None:
    assert {code for code, *_ in RESPONSE} == STATES
    for j in jurisdictions():
        if j.code in STATES:
            assert j.citation and j.response.citation, j.code
            assert j.response.url.startswith("http") or j.code == "US-FL", j.code  # FL: text not searched
            for name, period in j.periods().items():
                if period is not None and period.computable:
                    assert period.citation and period.url.startswith("http"), (j.code, name)


@pytest.mark.parametrize(
    "code,determination,due,why",
    [
        # NY 89(4)(a): 30 days. Mon 03-02 + 30 = Wed 04-01.
        ("US-NY", date(2026, 3, 2), date(2026, 4, 1), "30 days to the agency head"),
        ("US-NY", date(2026, 3, 6), date(2026, 4, 3), "Sunday April 5 moves back to Friday April 3"),
        # IL 9.5(a): 60 days. Mon 03-09 + 60 = Fri 05-08.
        ("US-IL", date(2026, 3, 9), date(2026, 5, 8), "60 days to the Public Access Counselor"),
        # PA 67.1101(a)(1): 15 business days. Tue 12-01: 2, 3, 4, 7-11, 14-18, 21, 22.
        ("US-PA", date(2026, 12, 1), date(2026, 12, 22), "15 business days to the Office of Open Records"),
        # MA 950 CMR 32.08(1)(c): 90 days. Mon 03-02 + 90 = Sun 05-31; we warn on Fri 05-29.
        ("US-MA", date(2026, 3, 2), date(2026, 5, 29), "90 days, Sunday May 31 moves to Friday"),
        # NJ 47:1A-6 (2024): 45 days for court or GRC. Mon 03-02 + 45 = Thu 04-16.
        ("US-NJ", date(2026, 3, 2), date(2026, 4, 16), "45 days, court or GRC"),
        # MI 15.240(1)(b): court within 180 days. Mon 03-02 + 180 = Sat 08-29; we warn on Fri 08-28.
        ("US-MI", date(2026, 3, 2), date(2026, 8, 28), "180 days to sue; Saturday Aug 29 moves to Friday"),
        ("US-CA", date(2026, 3, 2), None, "no administrative appeal"),
        ("US-TX", date(2026, 3, 2), None, "Attorney General ruling, no requester window"),
        ("US-FL", date(2026, 3, 2), None, "civil action"),
        ("US-CO", date(2026, 3, 2), None, "court"),
        ("US-WA", date(2026, 3, 2), None, "agency review, no statutory window"),
        ("US-AZ", date(2026, 3, 2), None, "special action"),
        ("US-GA", date(2026, 3, 2), None, "court"),
        ("US-VA", date(2026, 3, 2), None, "court"),
    ],
)
def test_state_appeal_window(code: str, determination: date, due: date | None, why: str) -> None:
    assert appeal_due(code, determination) == due, why


def test_new_jersey_appeal_says_45_days_for_both_routes() -> None:
    nj = jurisdiction("US-NJ")
    assert nj.appeal is not None and "60" not in nj.appeal.text and not nj.appeal.check
    assert "45 days" in nj.appeal_body and "Government Records Council" in nj.appeal_body
    assert any("5:105-2.1" in n and "60" in n for n in nj.notes)


def test_michigan_180_days_are_the_court_deadline() -> None:
    mi = jurisdiction("US-MI")
    assert mi.appeal is not None and "no statutory limit" in mi.appeal.text and "court" in mi.appeal.text


# ------------------------------------------------------------------ appeal decisions (NY, MI, MA, WA)


@pytest.mark.parametrize(
    "code,received,extended,due,why",
    [
        # NY 89(4)(a): 10 business days. Mon 02-09: 10, 11, (12), 13, (16), 17, 18, 19, 20, 23, 24, 25.
        ("US-NY", date(2026, 2, 9), False, date(2026, 2, 25), "10 business days"),
        # MI 15.240(2): 10 business days. Mon 10-05: 6, 7, 8, 9, (12 Columbus Day, MCL 435.101), 13, 14, 15, 16, 19, 20.
        ("US-MI", date(2026, 10, 5), False, date(2026, 10, 20), "10 business days; Columbus Day skipped"),
        # +10 once: 21, 22, 23, 26, 27, 28, 29, 30, 11-02, 11-03 (Election Day is not a Michigan legal holiday).
        ("US-MI", date(2026, 10, 5), True, date(2026, 11, 3), "+10 business days once"),
        # MA 950 CMR 32.08(2)(a): 10 business days. Mon 05-18: 19, 20, 21, 22, (25 Memorial Day), 26-29, 06-01, 06-02.
        ("US-MA", date(2026, 5, 18), False, date(2026, 6, 2), "the Supervisor's 10 business days"),
        # WA 42.56.520(3): deemed complete at the end of the 2nd business day after the denial. Denied Wed 11-25:
        # (26 Thanksgiving, 27 Native American Heritage Day), 30, 12-01.
        ("US-WA", date(2026, 11, 25), False, date(2026, 12, 1), "2 business days after the denial"),
        ("US-PA", date(2026, 2, 9), False, None, "no statutory period"),
    ],
)
def test_appeal_decision(code: str, received: date, extended: bool, due: date | None, why: str) -> None:
    assert appeal_decision_due(code, received, extended=extended) == due, why
    assert explain("appeal_decision", code, received, extended=extended).result == due


def test_washington_review_counts_from_the_denial() -> None:
    e = explain("appeal_decision", "US-WA", date(2026, 11, 25))
    assert "after the denial" in e.steps[0].text and "RCW 42.56.520(3)" in e.steps[0].text


# ------------------------------------------------------------------ deemed denials (NY, IL, PA, NJ) and MA


@pytest.mark.parametrize(
    "code,received,denied,appeal_by",
    [
        # NY: no answer by Wed 02-18 (see above) is a denial; +30 days = Fri 03-20.
        ("US-NY", date(2026, 2, 9), date(2026, 2, 18), date(2026, 3, 20)),
        # IL: deemed denied Mon 03-09; the 60 days run from the missed due date: Fri 05-08.
        ("US-IL", date(2026, 2, 27), date(2026, 3, 9), date(2026, 5, 8)),
        # PA: deemed denied Tue 12-01; 15 business days: Tue 12-22.
        ("US-PA", date(2026, 11, 20), date(2026, 12, 1), date(2026, 12, 22)),
        # NJ: deemed denied Thu 04-09; 45 days = Sun 05-24; we warn on Fri 05-22.
        ("US-NJ", date(2026, 3, 30), date(2026, 4, 9), date(2026, 5, 22)),
    ],
)
def test_deemed_denial_starts_the_appeal_window(code: str, received: date, denied: date, appeal_by: date) -> None:
    assert deemed_denial_due(code, received) == denied
    assert appeal_due(code, denied, basis="deemed_denial") == appeal_by
    e = explain("appeal", code, denied, basis="deemed_denial")
    assert e.result == appeal_by
    assert any("deemed denied" in s.text for s in e.steps)
    d = explain("deemed_denial", code, received)
    assert d.result == denied and "deemed denied" in d.steps[0].text


@pytest.mark.parametrize("code", sorted(STATES - {"US-NY", "US-IL", "US-PA", "US-NJ"}))
def test_no_deemed_denial_date_elsewhere(code: str) -> None:
    assert deemed_denial_due(code, date(2026, 3, 2)) is None


def test_massachusetts_without_a_response_counts_90_days_from_the_request() -> None:
    # 950 CMR 32.08(1)(d): requested Mon 04-13 + 90 = Sun 07-12; we warn on Fri 07-10.
    assert appeal_due("US-MA", date(2026, 4, 13), basis="no_response") == date(2026, 7, 10)
    e = explain("appeal", "US-MA", date(2026, 4, 13), basis="no_response")
    assert any("counts from the request" in s.text for s in e.steps)
    assert any("950 CMR 32.08(1)(d)" in s.text for s in e.steps)


def test_michigan_deemed_denial_is_conditional_and_noted() -> None:
    e = explain("deemed_denial", "US-MI", date(2026, 3, 2))
    assert e.result is None and any("willful" in s.text for s in e.steps)


# ------------------------------------------------------------------ Michigan's receipt rule


def test_michigan_email_request_is_received_one_business_day_later() -> None:
    # MCL 15.235(1): sent by email Fri 03-06, received Mon 03-09; 5 business days: 10, 11, 12, 13, 16.
    assert response_due("US-MI", date(2026, 3, 6), channel="email") == date(2026, 3, 16)
    assert response_due("US-MI", date(2026, 3, 6), channel="fax") == date(2026, 3, 16)
    # Through the portal or by mail the received date stands: 9, 10, 11, 12, 13.
    assert response_due("US-MI", date(2026, 3, 6), channel="portal") == date(2026, 3, 13)
    assert response_due("US-MI", date(2026, 3, 6)) == date(2026, 3, 13)
    # Other states have no such rule.
    assert response_due("US-IL", date(2026, 3, 6), channel="email") == response_due("US-IL", date(2026, 3, 6))
    e = explain("response", "US-MI", date(2026, 3, 6), channel="email")
    (sent,) = [s.text for s in e.steps if s.kind == "receipt" and "Sent by email" in s.text]
    assert "Friday 2026-03-06" in sent and "Monday 2026-03-09" in sent and "MCL 15.235(1)" in sent
    assert e.result == date(2026, 3, 16)


# ------------------------------------------------------------------ variants (NJ 14 days, VA criminal files)


def test_new_jersey_commercial_requests_get_14_business_days() -> None:
    # P.L.2024 c.16: Mon 03-30: 31, 04-01, 02, (03 Good Friday), 6, 7, 8, 9, 10, 13, 14, 15, 16, 17, 20.
    assert response_due("US-NJ", date(2026, 3, 30), variant="commercial") == date(2026, 4, 20)
    assert deemed_denial_due("US-NJ", date(2026, 3, 30), variant="commercial") == date(2026, 4, 20)
    e = explain("response", "US-NJ", date(2026, 3, 30), variant="commercial")
    assert any("Commercial-purpose" in s.text for s in e.steps) and "14 working days" in e.steps[1].text


def test_virginia_criminal_investigative_files_get_60_more_work_days() -> None:
    # 2.2-3704(B)(4): due Mon 11-09 (above), then 60 work days skipping 11-11, 11-26, 11-27, 12-25, 01-01 and
    # MLK Day 01-18: 11-10 is day 1, 12-10 day 20, 01-08 day 39, 02-09 day 60.
    assert response_due("US-VA", date(2026, 10, 30), extended=True, variant="criminal_files") == date(2027, 2, 9)
    assert response_due("US-VA", date(2026, 10, 30), variant="criminal_files") == date(2026, 11, 9)


def test_unknown_variant_is_a_clear_value_error() -> None:
    with pytest.raises(UnknownVariant, match="commercial"):
        response_due("US-VA", date(2026, 3, 2), variant="commercial")
    with pytest.raises(ValueError):
        explain("response", "US", date(2026, 3, 2), variant="x")


# ------------------------------------------------------------------ Texas's two periods and optional days


def test_texas_certification_and_attorney_general_ruling_are_10_business_days() -> None:
    # 552.221(d) and 552.301(b): Mon 03-30: 31 (Cesar Chavez Day, optional: counts), 04-01, 02, 03 (Good Friday,
    # optional: counts), 6, 7, 8, 9, 10, 13.
    assert certification_due("US-TX", date(2026, 3, 30)) == date(2026, 4, 13)
    assert ag_ruling_due("US-TX", date(2026, 3, 30)) == date(2026, 4, 13)
    # Mon 12-21: 22, 23, (24 Christmas Eve, 25 Christmas Day: state holidays), 28, 29, 30, 31, (01-01), 4, 5, 6, 7.
    assert ag_ruling_due("US-TX", date(2026, 12, 21)) == date(2027, 1, 7)
    assert certification_due("US-CA", date(2026, 3, 30)) is None


def test_texas_agency_that_observes_optional_holidays() -> None:
    both = ["Cesar Chavez Day", "Good Friday"]
    # Skipping 03-31 and 04-03: 04-01, 02, 6, 7, 8, 9, 10, 13, 14, 15.
    assert ag_ruling_due("US-TX", date(2026, 3, 30), observes=both) == date(2026, 4, 15)
    # An agency-designated closed day (552.0031), e.g. Wed 04-08: 31, 04-01, 02, 03, 6, 7, 9, 10, 13, 14.
    assert ag_ruling_due("US-TX", date(2026, 3, 30), observes=[date(2026, 4, 8)]) == date(2026, 4, 14)
    e = explain("ag_ruling", "US-TX", date(2026, 3, 30), observes=both)
    holidays = [s.text for s in e.steps if s.kind == "holiday"]
    assert any("Good Friday" in t and "optional holiday observed by this agency" in t for t in holidays)
    assert e.result == date(2026, 4, 15)


def test_observed_days_the_law_does_not_allow_are_refused() -> None:
    with pytest.raises(BadObservedDay, match="not an optional holiday"):
        ag_ruling_due("US-TX", date(2026, 3, 30), observes=["Easter Monday"])
    with pytest.raises(BadObservedDay, match="designate"):
        response_due("US-NY", date(2026, 3, 30), observes=[date(2026, 4, 8)])
