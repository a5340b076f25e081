"""Explanations: the steps a reader checks, and agreement with the fast functions."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.deadlines.budget import examples
from tracker.deadlines import (
    SUPPORTED_FIRST,
    SUPPORTED_LAST,
    appeal_decision_due,
    appeal_due,
    expedited_decision_due,
    explain,
    jurisdictions,
    response_due,
    tracking_number_due,
)

FRI = date(2026, 11, 20)
TOLLED = [(date(2026, 11, 30), date(2026, 12, 4))]
SETTINGS = settings(max_examples=examples(150), deadline=None, database=None)
codes = st.sampled_from([j.code for j in jurisdictions()])
days = st.dates(SUPPORTED_FIRST, SUPPORTED_LAST)
spans = st.lists(
    st.tuples(days, st.integers(0, 30)).map(lambda t: (t[0], min(t[0] + timedelta(t[1]), SUPPORTED_LAST))),
    max_size=3,
)


def texts(kind: str, e) -> list[str]:
    return [s.text for s in e.of_kind(kind)]


def test_response_steps_in_order() -> None:
    e = explain("response", "US", FRI, extended=True, tolled=TOLLED)
    kinds = [s.kind for s in e.steps]
    assert kinds[0] == "rule" and "5 U.S.C. 552(a)(6)(A)(i)" in e.steps[0].text
    assert kinds[1] == "receipt"
    assert kinds[-1] == "result"
    assert kinds.index("tolled") < kinds.index("extension") < len(kinds) - 1
    assert "Skipped Saturday 2026-11-21 to Sunday 2026-11-22: weekend" in texts("weekend", e)
    thanksgiving = "Skipped Thursday 2026-11-26: Thanksgiving Day (legal public holiday, 5 U.S.C. 6103(a))"
    assert thanksgiving in texts("holiday", e)
    (tolled,) = texts("tolled", e)
    assert "2026-11-30" in tolled and "2026-12-04" in tolled and "4 working days" in tolled
    (extension,) = texts("extension", e)
    assert "10 working days" in extension and "552(a)(6)(B)(i)" in extension
    assert e.result == response_due("US", FRI, extended=True, tolled=TOLLED)
    assert e.steps[-1].text == f"Response due: Tuesday {e.result.isoformat()}."


def test_observed_holiday_names_the_weekday() -> None:
    e = explain("response", "US", date(2026, 6, 26))
    expected = "Skipped Friday 2026-07-03: Independence Day (observed)"
    assert any(t.startswith(expected) for t in texts("holiday", e))


def test_receipt_on_a_weekend_says_why_it_moved() -> None:
    e = explain("response", "US-DHS", date(2026, 11, 21))
    (receipt,) = texts("receipt", e)
    assert "Saturday 2026-11-21" in receipt and "Monday 2026-11-23" in receipt and "weekend" in receipt
    assert e.result == date(2026, 12, 22)


def test_promptly_law_has_no_date() -> None:
    e = explain("response", "US-FL", FRI)
    assert e.result is None
    assert "promptly" in e.steps[0].text and "F.S. 119.07(1)(c)" in e.steps[0].text
    assert e.steps[-1].kind == "result" and "No computable date" in e.steps[-1].text


def test_extension_by_agreement_leaves_the_date_and_says_so() -> None:
    e = explain("response", "US-NJ", FRI, extended=True)
    (ext,) = texts("extension", e)
    assert "by agreement" in ext and "unchanged" in ext
    assert e.result == response_due("US-NJ", FRI) == response_due("US-NJ", FRI, extended=True)


def test_requester_window_moved_earlier_is_explained() -> None:
    e = explain("appeal", "US-DOJ", date(2026, 11, 23))
    assert e.result == date(2027, 2, 19)
    assert any("moved earlier" in t and "we warn early, never late" in t for t in texts("note", e))


def test_agency_calendar_deadline_on_a_weekend_is_kept_with_a_note() -> None:
    # Federal practice: DHS's 10 calendar days from Wed 2026-11-18 end on Saturday 11-28, kept as computed.
    e = explain("expedited", "US-DHS", date(2026, 11, 18))
    assert e.result == date(2026, 11, 28)
    assert any("kept as computed" in t for t in texts("note", e))


def test_state_calendar_deadline_on_a_weekend_rolls_forward_and_says_why() -> None:
    # California: 10 days from Wed 2026-03-04 end on Saturday 03-14; CCP 12a moves them to Monday 03-16.
    e = explain("response", "US-CA", date(2026, 3, 4))
    assert e.result == date(2026, 3, 16)
    (moved,) = [t for t in texts("note", e) if "moves to" in t]
    assert "Saturday 2026-03-14" in moved and "CCP 12a" in moved and "Monday 2026-03-16" in moved
    assert any(t.startswith("Check:") and "CCP 12a" in t for t in texts("note", e))


def test_checked_values_are_flagged() -> None:
    e = explain("expedited", "US-DHS", FRI)
    assert any(t.startswith("Check:") and "6 CFR 5.5(e)(4)" in t for t in texts("note", e))


def test_overlapping_spans_are_reported_once() -> None:
    spans = [(date(2026, 12, 2), date(2026, 12, 8)), (date(2026, 11, 30), date(2026, 12, 4))]
    e = explain("response", "US", FRI, tolled=spans)
    (tolled,) = texts("tolled", e)
    assert "6 working days" in tolled and "merged" in tolled


def test_unreached_span_is_noted() -> None:
    e = explain("response", "US", FRI, tolled=[(date(2026, 10, 1), date(2026, 10, 5))])
    (tolled,) = texts("tolled", e)
    assert "removes no days" in tolled


def test_to_dict_is_json() -> None:
    d = explain("response", "US", FRI).to_dict()
    assert json.loads(json.dumps(d)) == d
    assert d["result"] == "2026-12-21" and d["steps"][0]["kind"] == "rule"


def test_unknown_kind() -> None:
    with pytest.raises(ValueError, match="Unknown explanation kind"):
        explain("decision", "US", FRI)


@SETTINGS
@given(codes, days, st.booleans(), spans)
def test_explain_response_agrees_with_response_due(code: str, received: date, extended: bool, tolled) -> None:
    e = explain("response", code, received, extended=extended, tolled=tolled)
    assert e.result == response_due(code, received, extended=extended, tolled=tolled)
    assert e.steps[-1].kind == "result"


@SETTINGS
@given(codes, days, st.booleans())
def test_explain_other_kinds_agree(code: str, day: date, extended: bool) -> None:
    assert explain("appeal", code, day).result == appeal_due(code, day)
    assert explain("appeal_decision", code, day, extended=extended).result == appeal_decision_due(
        code, day, extended=extended
    )
    assert explain("expedited", code, day).result == expedited_decision_due(code, day)
    assert explain("tracking_number", code, day).result == tracking_number_due(code, day)
