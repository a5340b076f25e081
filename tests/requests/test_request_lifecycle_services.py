"""The lifecycle through the services: each action, its event, and the deadlines recomputed after it."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tests.helpers import d, make_agency, make_request, perform
from tracker.core.errors import ActionNotAllowed, Conflict, ValidationFailed
from tracker.requests.status import ACTIONS, STATUSES


def at(day: str) -> datetime:
    return datetime.fromisoformat(f"{day}T15:00:00").replace(tzinfo=UTC)


def test_every_action_refers_to_known_statuses():
    for action in ACTIONS.values():
        assert set(action.allowed_from) <= set(STATUSES), action.name
        assert action.to is None or action.to in STATUSES


def test_a_request_through_its_whole_life(db, users, frozen):
    frozen.move_to(at("2026-11-30"))
    reporter = users["reporter"]
    req = make_request(reporter, make_agency(), expedited_requested=True, expedited_category="ii")

    perform(req, "file", reporter, on=d("2026-11-20"), channel="portal")
    assert req.status == "filed"
    assert req.received_on == d("2026-11-20")  # portal: received the day it was sent
    assert req.response_due == d("2026-12-21")  # Thanksgiving skipped
    assert req.tracking_number_due == d("2026-12-07")
    assert req.expedited_decision_due is not None
    assert "Thanksgiving" in " ".join(s["text"] for s in req.deadline_provenance["response"]["steps"])

    perform(req, "acknowledge", reporter, on=d("2026-11-23"), tracking_number="2026-ICFO-01234")
    assert req.primary_tracking_number == "2026-ICFO-01234"

    perform(req, "request_clarification", reporter, on=d("2026-11-25"))
    assert req.status == "awaiting_clarification"
    # Paused through today (Mon 11-30): Fri 11-27 and Mon 11-30 do not count.
    assert req.response_due == d("2026-12-23")
    with pytest.raises(ActionNotAllowed):
        perform(req, "request_clarification", reporter, on=d("2026-11-30"))

    perform(req, "answer_clarification", reporter, on=d("2026-11-30"))
    assert req.status == "acknowledged"
    assert req.tolled_spans[0].resumed_on == d("2026-11-30")
    assert req.response_due == d("2026-12-23")

    perform(req, "extend", reporter, on=d("2026-11-30"))
    assert req.response_due == d("2027-01-08")  # ten more working days, Christmas and New Year's Day skipped
    with pytest.raises(ValidationFailed):
        perform(req, "extend", reporter, on=d("2026-11-30"))

    frozen.move_to(at("2027-01-05"))
    perform(req, "determine", reporter, on=d("2027-01-05"), outcome="denied", exemptions=["b6", "b7C", "b7A"])
    assert req.status == "determined" and req.outcome == "denied"
    assert req.appeal_due is not None and req.appeal_due > d("2027-04-01")
    assert "appeal" in req.deadline_provenance

    frozen.move_to(at("2027-01-11"))
    perform(req, "appeal", reporter, on=d("2027-01-11"), tracking_number="2027-ICAP-00001")
    assert req.appeal_decision_due == d("2027-02-09")  # MLK Day 2027-01-18 skipped

    frozen.move_to(at("2027-02-01"))
    perform(req, "decide_appeal", reporter, on=d("2027-02-01"), outcome="affirmed")
    assert req.status == "appeal_decided"
    perform(req, "mediate", reporter, on=d("2027-02-01"))
    perform(req, "end_mediation", reporter, on=d("2027-02-01"))
    assert req.status == "appeal_decided"
    perform(req, "sue", reporter, on=d("2027-02-01"), tracking_number="1:27-cv-00042")
    perform(req, "close", reporter, on=d("2027-02-01"))
    assert req.status == "closed" and req.closed_on == d("2027-02-01")
    perform(req, "reopen", reporter)
    assert req.status == "in_litigation"

    actions = [e.action for e in req.events]
    assert actions == ["create", "file", "acknowledge", "request_clarification", "answer_clarification", "extend",
                       "determine", "appeal", "decide_appeal", "mediate", "end_mediation", "sue", "close", "reopen"]
    assert {t.kind for t in req.tracking_numbers} == {"request", "appeal", "case"}


def test_refusals_say_why(db, users, frozen):
    reporter = users["reporter"]
    req = make_request(reporter, make_agency())
    with pytest.raises(ActionNotAllowed, match="not possible while the request is “Draft”"):
        perform(req, "determine", reporter, on=d("2026-11-20"), outcome="denied")
    with pytest.raises(ValidationFailed) as future:
        perform(req, "file", reporter, on=d("2027-06-01"), channel="portal")
    assert future.value.fields == {"on": "This date is in the future."}
    with pytest.raises(ValidationFailed):
        perform(req, "file", reporter, on=d("1999-01-01"), channel="portal")
    with pytest.raises(ValidationFailed):
        perform(req, "file", reporter, on=d("2026-11-20"), channel="portal", received_on=d("2026-11-19"))
    assert req.status == "draft"


def test_duplicate_tracking_number_is_a_conflict(db, users, frozen):
    reporter = users["reporter"]
    agency = make_agency()
    first = make_request(reporter, agency, title="One")
    second = make_request(reporter, agency, title="Two")
    perform(first, "file", reporter, on=d("2026-11-20"), channel="portal", tracking_number="2026-ICFO-00001")
    db.session.commit()
    with pytest.raises(Conflict):
        perform(second, "file", reporter, on=d("2026-11-20"), channel="portal", tracking_number="2026-ICFO-00001")


def test_mailed_request_waits_for_receipt_then_counts(db, users, frozen):
    reporter = users["reporter"]
    req = make_request(reporter, make_agency(jurisdiction="US-NY", name="NYPD", abbreviation="NYPD"))
    perform(req, "file", reporter, on=d("2026-11-16"), channel="mail")
    assert req.received_on is None and req.response_due is None
    perform(req, "acknowledge", reporter, on=d("2026-11-19"), received_on=d("2026-11-18"))
    assert req.received_on == d("2026-11-18")
    assert req.response_due == d("2026-11-25")  # FOIL: five business days


def test_promptly_law_has_no_due_date(db, users, frozen):
    reporter = users["reporter"]
    req = make_request(reporter, make_agency(jurisdiction="US-FL", name="Miami-Dade", abbreviation="MD"))
    perform(req, "file", reporter, on=d("2026-11-20"), channel="email")
    assert req.response_due is None
    assert req.deadline_provenance["response"]["result"] is None
