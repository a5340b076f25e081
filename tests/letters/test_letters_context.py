"""The jurisdiction dict built from the deadline engine's table of laws."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from tracker.letters.context import jurisdiction_context, law_name, state_name
from tracker.letters.render import render_text
from tracker.letters.samples import sample_context


def _law(code: str, law: str, count: int | None, unit: str | None, text: str, citation: str) -> SimpleNamespace:
    period = SimpleNamespace(count=count, unit=unit, text=text, citation=citation)
    return SimpleNamespace(code=code, name=f"{code} law", law=law, citation=citation + " etc.", response=period)


def test_state_names_and_law_names() -> None:
    assert state_name("US-CO") == "Colorado" and state_name("US-DHS") == "" and state_name("") == ""
    assert law_name("Public Information Act (PIA)", "Texas") == "Texas Public Information Act (PIA)"
    assert law_name("Colorado Open Records Act (CORA)", "Colorado") == "Colorado Open Records Act (CORA)"
    assert law_name("", "Ohio") == "Ohio public records law"


def test_periods_keep_the_laws_word() -> None:
    co = jurisdiction_context(_law("US-CO", "Colorado Open Records Act", 3, "working", "within 3 working days", "C"))
    ny = jurisdiction_context(_law("US-NY", "Freedom of Information Law (FOIL)", 5, "working", "5 business days", "N"))
    ca = jurisdiction_context(_law("US-CA", "California Public Records Act", 10, "calendar", "10 days", "G"))
    tx = jurisdiction_context(_law("US-TX", "Public Information Act (PIA)", None, None, "promptly", "Gov't"))
    assert co["response_period_text"] == "3 working days"
    assert ny["response_period_text"] == "5 business days" and ny["law"].startswith("New York Freedom")
    assert ca["response_period_text"] == "10 calendar days"
    assert tx["response_period_text"] is None and tx["citation"] == "Gov't" and tx["name"] == "Texas"


def test_every_state_in_the_deadline_engine_renders() -> None:
    deadlines = pytest.importorskip("tracker.deadlines")
    states = [j for j in deadlines.jurisdictions() if state_name(j.code)]
    assert states
    for jurisdiction in states:
        context = sample_context("state_request")
        context["jurisdiction"] = jurisdiction_context(jurisdiction)
        text = render_text("state_request", context)
        assert f"Under the {context['jurisdiction']['law']}, I request" in text
        assert state_name(jurisdiction.code) in context["jurisdiction"]["law"]
        assert ("requires a response within" in text) != ("made available promptly" in text)
