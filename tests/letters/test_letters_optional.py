"""Missing optional fields never crash a letter: the sentence is left out."""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

import pytest

from tracker.letters.render import render_html, render_text, suggested_filename
from tracker.letters.samples import SAMPLE_KINDS, sample_context


def _blank_out(value: Any) -> Any:
    """The same shape with every leaf value blank."""
    if isinstance(value, dict):
        return {k: _blank_out(v) for k, v in value.items()}
    if isinstance(value, list):
        return []
    return None


@pytest.mark.parametrize("kind", SAMPLE_KINDS)
def test_empty_and_blanked_contexts_render(kind: str) -> None:
    for context in ({}, _blank_out(sample_context(kind)), {"request": None, "agency": "", "matters": None}):
        text = render_text(kind, context)
        assert "Sincerely," in text
        assert "None" not in text and "Undefined" not in text
        assert "  " not in text.replace("\n  ", "\n")
        assert " ." not in text and " ," not in text and "()" not in text


@pytest.mark.parametrize("kind", SAMPLE_KINDS)
def test_each_optional_field_can_go_missing(kind: str) -> None:
    full = sample_context(kind)
    for section in ("request", "requester", "agency", "jurisdiction"):
        for key in list(full.get(section) or {}):
            context = copy.deepcopy(full)
            del context[section][key]
            render_text(kind, context)


def test_iso_strings_work_as_dates() -> None:
    context = sample_context("status_inquiry")
    context["today"] = "2026-11-20"
    context["request"]["received_on"] = "2026-09-14"
    assert "ICE received the request on September 14, 2026" in render_text("status_inquiry", context)


def test_status_inquiry_not_overdue_just_asks() -> None:
    context = sample_context("status_inquiry")
    context["request"]["overdue_working_days"] = 0
    text = render_text("status_inquiry", context)
    assert "overdue" not in text and "552(a)(4)(A)(viii)" not in text
    assert "Please tell me the status of the request and the estimated date" in text


def test_status_inquiry_fee_sentence_follows_fee_category() -> None:
    context = sample_context("status_inquiry")
    context["request"]["fee_category"] = "other"
    context["request"]["overdue_working_days"] = 1
    text = render_text("status_inquiry", context)
    assert "1 working day overdue" in text
    assert "it may not assess search fees for this request (5 U.S.C. 552(a)(4)(A)(viii))" in text
    assert "duplication fees" not in text


def test_state_request_for_a_promptly_law() -> None:
    context = sample_context("state_request")
    context["jurisdiction"] = {
        "code": "US-TX",
        "name": "Texas",
        "law": "Texas Public Information Act",
        "citation": "Gov't Code 552.221",
        "response_period_text": None,
    }
    text = render_text("state_request", context)
    assert "Under the Texas Public Information Act, I request" in text
    assert (
        "The Texas Public Information Act requires public records to be made available promptly "
        "(Gov't Code 552.221). I ask for a prompt response, as the law requires." in text
    )


def test_appeal_without_contested_list_contests_cited_exemptions() -> None:
    context = sample_context("appeal")
    del context["contested"]
    text = render_text("appeal", context)
    for heading in ("Exemption 6 (", "Exemption 7(C) (", "Exemption 7(A) ("):
        assert heading in text
    assert "Adequacy of the search" not in text


def test_appeal_no_records_argues_the_search_and_b5_generic() -> None:
    context = sample_context("appeal")
    context["request"]["determination"] = {"kind": "no_records", "on": dt.date(2026, 11, 2)}
    context["contested"] = [{"code": "(b)(5)", "note": ""}, {"code": "b4", "note": "Not commercial."}]
    text = render_text("appeal", context)
    assert "determination that no responsive records were found dated November 2, 2026" in text
    assert "Adequacy of the search" in text and "found no responsive records" in text
    assert "Exemption 5 (5 U.S.C. 552(b)(5))" in text
    assert "Exemption 4 (5 U.S.C. 552(b)(4))\n\nI contest the withholdings under Exemption 4." in text
    assert "Not commercial." in text


def test_late_appeal_does_not_claim_to_be_timely() -> None:
    context = sample_context("appeal")
    context["today"] = dt.date(2027, 3, 17)
    assert "timely" not in render_text("appeal", context)


def test_signature_overrides_requester() -> None:
    context = sample_context("status_inquiry")
    context["signature"] = {"name": "Jo Editor", "title": "Managing Editor"}
    text = render_text("status_inquiry", context)
    assert "Jo Editor\nManaging Editor, The Mountain Dispatch\nmortega@example.org\n(303) 555-0142\n\ncc:" in text


def test_suggested_filename() -> None:
    assert suggested_filename("appeal", sample_context("appeal")) == "2026-11-20-appeal-2026-ICFO-01234.pdf"
    assert suggested_filename("foia_request", {}) == "foia_request.pdf"
    assert (
        suggested_filename("x", {"today": "2026-01-02", "request": {"tracking_numbers": [{"number": "a/b c"}]}}, "txt")
        == "2026-01-02-x-a-b-c.txt"
    )


def test_html_is_a_complete_document_with_inline_style() -> None:
    html = render_html("appeal", sample_context("appeal"))
    assert html.lstrip().startswith("<!DOCTYPE html>")
    assert "@page" in html and "counter(pages)" in html and ".letter-appeal .banner" in html
