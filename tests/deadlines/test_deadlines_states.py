"""One worked example per state row of foia-reference.md section 4, counted by hand."""

from __future__ import annotations

from datetime import date

import pytest

from tracker.deadlines import appeal_decision_due, appeal_due, jurisdiction, response_due

# (code, received, due, due if extended, why)
RESPONSE = [
    ("US-CA", date(2026, 3, 2), date(2026, 3, 12), date(2026, 3, 26), "10 + 14 calendar days"),
    ("US-CA", date(2026, 3, 4), date(2026, 3, 14), date(2026, 3, 28), "ends Saturday: kept"),
    ("US-CA", date(2026, 3, 28), date(2026, 4, 9), date(2026, 4, 23), "Saturday -> Monday"),
    ("US-NY", date(2026, 2, 9), date(2026, 2, 18), date(2026, 2, 18), "Lincoln's Birthday (NY)"),
    ("US-TX", date(2026, 3, 2), None, None, "promptly"),
    ("US-FL", date(2026, 3, 2), None, None, "promptly"),
    ("US-IL", date(2026, 2, 27), date(2026, 3, 9), date(2026, 3, 16), "skips Casimir Pulaski Day (IL)"),
    ("US-CO", date(2026, 3, 30), date(2026, 4, 3), date(2026, 4, 14), "skips Cesar Chavez Day (CO); +7"),
    ("US-WA", date(2026, 11, 23), date(2026, 12, 2), date(2026, 12, 2), "skips Thanksgiving + Nov 27 (WA)"),
    ("US-PA", date(2026, 11, 20), date(2026, 12, 1), date(2026, 12, 31), "+30 calendar days"),
    ("US-MA", date(2026, 4, 13), date(2026, 4, 28), date(2026, 5, 27), "skips Patriots' Day (MA)"),
    ("US-AZ", date(2026, 3, 2), None, None, "promptly"),
    ("US-GA", date(2026, 11, 25), date(2026, 12, 2), date(2026, 12, 2), "skips Thanksgiving and Nov 27 (GA)"),
    ("US-NJ", date(2026, 3, 30), date(2026, 4, 9), date(2026, 4, 9), "skips Good Friday (NJ)"),
    ("US-MI", date(2026, 12, 21), date(2026, 12, 30), date(2027, 1, 15), "skips Dec 24, 25, 31, Jan 1 (MI)"),
    ("US-VA", date(2026, 10, 30), date(2026, 11, 9), date(2026, 11, 19), "Election Day (VA)"),
]


@pytest.mark.parametrize("code,received,due,due_extended,why", RESPONSE)
def test_state_response(
    code: str, received: date, due: date | None, due_extended: date | None, why: str
) -> None:
    assert response_due(code, received) == due, why
    assert response_due(code, received, extended=True) == due_extended, why


def test_every_state_of_the_reference_has_an_example() -> None:
    states = {code for code, *_ in RESPONSE}
    assert states == {
        "US-CA", "US-NY", "US-TX", "US-FL", "US-IL", "US-CO", "US-WA",
        "US-PA", "US-MA", "US-AZ", "US-GA", "US-NJ", "US-MI", "US-VA",
    }  # fmt: skip


@pytest.mark.parametrize(
    "code,determination,due,why",
    [
        ("US-NY", date(2026, 3, 2), date(2026, 4, 1), "30 days to the agency head"),
        ("US-NY", date(2026, 3, 6), date(2026, 4, 3), "Sunday April 5 moves back to Friday April 3"),
        ("US-IL", date(2026, 3, 9), date(2026, 5, 8), "60 days to the Public Access Counselor"),
        ("US-PA", date(2026, 12, 1), date(2026, 12, 22), "15 business days to the Office of Open Records"),
        ("US-MA", date(2026, 3, 2), date(2026, 5, 29), "90 days (check), Sunday May 31 moves to Friday"),
        ("US-NJ", date(2026, 3, 2), date(2026, 4, 16), "45 days, the shorter of the two windows"),
        ("US-MI", date(2026, 3, 2), date(2026, 8, 28), "180 days; Saturday Aug 29 moves to Friday"),
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


def test_new_york_appeal_decision_is_10_business_days() -> None:
    # Mon Feb 9: 10, 11, (12 Lincoln's Birthday), 13, (16), 17, 18, 19, 20, 23, 24, 25
    assert appeal_decision_due("US-NY", date(2026, 2, 9)) == date(2026, 2, 25)
    assert appeal_decision_due("US-PA", date(2026, 2, 9)) is None


def test_pennsylvania_mixes_units() -> None:
    pa = jurisdiction("US-PA")
    assert (pa.response.count, pa.response.unit) == (5, "working")
    assert pa.extension is not None and (pa.extension.count, pa.extension.unit) == (30, "calendar")


@pytest.mark.parametrize("code", ["US-NY", "US-WA", "US-GA", "US-NJ", "US-TX"])
def test_extension_by_agreement_or_estimate_is_not_computable(code: str) -> None:
    ext = jurisdiction(code).extension
    assert ext is not None and ext.count is None and ext.text
