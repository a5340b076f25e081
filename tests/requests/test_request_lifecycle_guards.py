"""The lifecycle's date guards and the clock's pause: a resume before its pause, a second pause, a resume with
nothing paused (both reachable through imported requests, which can arrive with a pause still open), and the
appeal window when a request carries two initial determinations (also only through imports)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.helpers import d, make_agency, make_request, perform
from tracker import deadlines
from tracker.core.errors import ValidationFailed
from tracker.requests import due_dates
from tracker.requests.documents import DocumentInput
from tracker.requests.models import Determination, TolledSpan


def _acknowledged(db, users):
    req = make_request(users["reporter"], make_agency())
    perform(req, "file", users["reporter"], on=d("2026-11-02"), channel="portal")
    perform(req, "acknowledge", users["reporter"], on=d("2026-11-03"))
    db.session.flush()
    return req


@pytest.mark.parametrize("pause,resume", [("request_clarification", "answer_clarification"),
                                          ("fee_estimate", "fee_agreed")])
def test_a_resume_dated_before_its_pause_is_refused(db, users, frozen, pause, resume):
    req = _acknowledged(db, users)
    perform(req, pause, users["reporter"], on=d("2026-11-16"))
    due_while_paused = req.response_due
    with pytest.raises(ValidationFailed) as refused:
        perform(req, resume, users["reporter"], on=d("2026-11-13"))
    assert refused.value.message == "The date is before the day the clock was paused."
    assert refused.value.fields == {"on": "This date is before the day the clock was paused (2026-11-16)."}
    assert req.open_tolled_span is not None and req.tolled_spans[0].resumed_on is None
    assert (req.status, req.response_due) == ({"request_clarification": "awaiting_clarification",
                                               "fee_estimate": "awaiting_fees"}[pause], due_while_paused)
    # The day of the pause itself is not before it: a same-day answer resumes the clock.
    perform(req, resume, users["reporter"], on=d("2026-11-16"))
    assert req.status == "acknowledged" and req.tolled_spans[0].resumed_on == d("2026-11-16")


def test_a_pause_before_the_agency_received_the_request_is_refused(db, users, frozen):
    req = _acknowledged(db, users)
    with pytest.raises(ValidationFailed) as refused:
        perform(req, "request_clarification", users["reporter"], on=d("2026-11-01"))
    assert refused.value.fields == {"on": "This date is before the day the agency received the request (2026-11-02)."}
    assert req.tolled_spans == [] and req.status == "acknowledged"
    perform(req, "request_clarification", users["reporter"], on=d("2026-11-02"))  # the day of receipt is fine
    assert req.status == "awaiting_clarification"


@pytest.mark.parametrize("action", ["request_clarification", "fee_estimate"])
def test_the_clock_cannot_be_paused_twice(db, users, frozen, action):
    """An imported request can be acknowledged while its clock is still paused (an open span in the CSV)."""
    req = _acknowledged(db, users)
    db.session.add(TolledSpan(request=req, reason="fees", paused_on=d("2026-11-10")))
    db.session.flush()
    with pytest.raises(ValidationFailed) as refused:
        perform(req, action, users["reporter"], on=d("2026-11-16"), amount=None)
    assert refused.value.message == "The clock is already paused."
    assert refused.value.fields == {"on": "The clock is already paused."}
    assert [(s.paused_on, s.resumed_on) for s in req.tolled_spans] == [(d("2026-11-10"), None)]
    assert req.status == "acknowledged"


def test_an_answer_with_nothing_paused_is_refused(db, users, frozen):
    """An imported request can say "awaiting clarification" without an open pause."""
    req = _acknowledged(db, users)
    req.status = "awaiting_clarification"
    db.session.flush()
    with pytest.raises(ValidationFailed) as refused:
        perform(req, "answer_clarification", users["reporter"], on=d("2026-11-16"))
    assert (refused.value.message, refused.value.fields) == ("The clock is not paused.",
                                                            {"on": "The clock is not paused."})
    assert req.status == "awaiting_clarification"


def test_with_two_initial_determinations_the_appeal_window_runs_from_the_latest(db, users, frozen):
    req = _acknowledged(db, users)
    perform(req, "determine", users["reporter"], on=d("2026-11-10"), outcome="granted_in_full")
    assert req.appeal_due is None  # nothing to appeal after a full grant
    # An import adds a later determination that denies the rest.
    db.session.add(Determination(request=req, stage="initial", outcome="denied", decided_on=d("2026-11-24"),
                                 exemptions=["b6"]))
    db.session.flush()
    db.session.refresh(req)
    due_dates.recompute(req, d("2026-11-30"))
    assert req.appeal_due == deadlines.appeal_due("US-DHS", d("2026-11-24"))
    assert req.appeal_due != deadlines.appeal_due("US-DHS", d("2026-11-10"))
    assert req.deadline_provenance["appeal"]["result"] == req.appeal_due.isoformat()


def test_an_acknowledgment_before_the_request_was_sent_is_refused(db, users, frozen):
    req = make_request(users["reporter"], make_agency())
    perform(req, "file", users["reporter"], on=d("2026-11-02"), channel="mail")
    with pytest.raises(ValidationFailed) as refused:
        perform(req, "acknowledge", users["reporter"], on=d("2026-11-01"))
    assert refused.value.fields == {"on": "This date is before the day the request was sent (2026-11-02)."}
    assert (req.status, req.acknowledged_on) == ("filed", None)
    perform(req, "acknowledge", users["reporter"], on=d("2026-11-02"))  # the same day is fine
    assert req.acknowledged_on == d("2026-11-02")


@pytest.mark.parametrize("answer,fields", [("determine", {"outcome": "denied"}),
                                           ("refer", {"scope": "all", "agency_id": "other"})])
def test_an_answer_dated_before_the_pause_it_ends_is_refused(db, users, frozen, answer, fields):
    """A determination (or a referral in full) while the clock waits on us ends the pause; dated before the
    pause began, it is refused on its date, not left for the deadline engine to fail on."""
    req = _acknowledged(db, users)
    if fields.get("agency_id") == "other":
        fields = {**fields, "agency_id": make_agency(name="DHS Office of Inspector General").id}
    perform(req, "request_clarification", users["reporter"], on=d("2026-11-16"))
    with pytest.raises(ValidationFailed) as refused:
        perform(req, answer, users["reporter"], on=d("2026-11-13"), **fields)
    assert refused.value.fields == {"on": "This date is before the day the clock was paused (2026-11-16)."}
    assert req.status == "awaiting_clarification" and req.open_tolled_span is not None
    perform(req, answer, users["reporter"], on=d("2026-11-17"), **fields)
    assert req.tolled_spans[0].resumed_on == d("2026-11-17") and req.status == "determined"


# Every refusal of a lifecycle action, written out: the request's stage, the action and what was entered, then
# the message and the field messages a person sees. A refusal changes nothing: same status, no new event.
STAGES = {
    "draft": [],
    "filed by mail": [("file", dict(on=d("2026-11-02"), channel="mail"))],
    "acknowledged": [("file", dict(on=d("2026-11-02"), channel="portal")), ("acknowledge", dict(on=d("2026-11-03")))],
    "extended": [("file", dict(on=d("2026-11-02"), channel="portal")), ("extend", dict(on=d("2026-11-04")))],
    "determined": [("file", dict(on=d("2026-11-02"), channel="portal")),
                   ("determine", dict(on=d("2026-11-10"), outcome="denied"))],
    "appealed": [("file", dict(on=d("2026-11-02"), channel="portal")),
                 ("determine", dict(on=d("2026-11-10"), outcome="denied")), ("appeal", dict(on=d("2026-11-12")))],
    "appeal extended": [("file", dict(on=d("2026-11-02"), channel="portal")),
                        ("determine", dict(on=d("2026-11-10"), outcome="denied")),
                        ("appeal", dict(on=d("2026-11-12"))), ("appeal_extend", dict(on=d("2026-11-13")))],
}
BEFORE_SENT = "This date is before the day the request was sent (2026-11-02)."
REFUSALS = [
    ("draft", "file", dict(channel="portal"), "Give the date this happened.", {"on": "Give the date this happened."}),
    ("draft", "file", dict(on=d("2026-11-02")), "Say how the request was sent.",
     {"channel": "Say how the request was sent."}),
    ("draft", "file", dict(on=d("2026-11-02"), channel="carrier pigeon"), "Unknown channel.",
     {"channel": "Choose how the request was sent."}),
    ("draft", "file", dict(on=d("2026-11-02"), channel="mail", received_on=d("2026-11-01")),
     "The date is before the day it was sent.",
     {"received_on": "This date is before the day it was sent (2026-11-02)."}),
    ("draft", "file", dict(on=d("2026-11-02"), channel="mail", received_on=d("2026-12-01")),
     "This date is in the future.", {"received_on": "This date is in the future."}),
    ("draft", "file", dict(on=d("2026-11-02"), channel="mail", note="a\x00b"), "The note has errors.",
     {"note": "The text contains a NUL character."}),
    ("filed by mail", "acknowledge", dict(on=d("2026-11-01")), "The date is before the day the request was sent.",
     {"on": BEFORE_SENT}),
    ("filed by mail", "acknowledge", dict(on=d("2026-11-05"), estimated_completion_on=d("2026-11-04")),
     "The estimated date is before the day the agency gave it.",
     {"estimated_completion_on": "The estimated date is before the day the agency gave it."}),
    ("acknowledged", "request_clarification", dict(on=d("2026-11-05"), our_answer_due_on=d("2041-01-01")),
     "This date is after 2040; check the year.", {"our_answer_due_on": "This date is after 2040; check the year."}),
    ("acknowledged", "fee_estimate", dict(on=d("2026-11-05"), amount=Decimal("-0.01")), "Negative amount.",
     {"amount": "An amount cannot be negative."}),
    ("extended", "extend", dict(on=d("2026-11-05")), "Already extended.",
     {"on": "An extension notice is already recorded."}),
    ("acknowledged", "determine", dict(on=d("2026-11-10")), "Choose the outcome.",
     {"outcome": "Choose the outcome of the determination."}),
    ("acknowledged", "determine", dict(on=d("2026-11-01"), outcome="denied"),
     "The date is before the day the request was sent.", {"on": BEFORE_SENT}),
    ("acknowledged", "determine", dict(on=d("2026-11-10"), outcome="denied", exemptions=["b6", "b10", "x"]),
     "Unknown exemption.", {"exemptions": "Unknown exemption: b10, x."}),
    ("acknowledged", "determine", dict(on=d("2026-11-10"), outcome="denied", pages_released=-1),
     "Negative page count.", {"pages_released": "A page count cannot be negative."}),
    ("acknowledged", "determine", dict(on=d("2026-11-10"), outcome="denied", pages_withheld=-1),
     "Negative page count.", {"pages_withheld": "A page count cannot be negative."}),
    ("acknowledged", "determine", dict(on=d("2026-11-10"), outcome="denied", appeal_email="x" * 321 + "@ice.gov"),
     "The appeal instructions have errors.", {"appeal_email": "Too long: at most 320 characters."}),
    ("determined", "appeal", dict(on=d("2026-11-09")), "The date is before the determination.",
     {"on": "This date is before the determination (2026-11-10)."}),
    ("appeal extended", "appeal_extend", dict(on=d("2026-11-14")), "Already extended.",
     {"on": "An appeal extension is already recorded."}),
    ("appealed", "decide_appeal", dict(on=d("2026-11-20"), outcome="denied"), "Choose the outcome.",
     {"outcome": "Choose the outcome of the appeal."}),
    ("appealed", "decide_appeal", dict(on=d("2026-11-11"), outcome="affirmed"),
     "The date is before the day the appeal was filed.",
     {"on": "This date is before the day the appeal was filed (2026-11-12)."}),
    ("appealed", "decide_appeal", dict(on=d("2026-11-20"), outcome="affirmed", exemptions=["b99"]),
     "Unknown exemption.", {"exemptions": "Unknown exemption: b99."}),
    ("appealed", "mediate", dict(on=d("2026-11-20"), documents=[DocumentInput(description="Memo", pages=2)]),
     "Only a determination lists documents.",
     {"documents": "Documents are listed with a determination or an appeal decision."}),
    ("acknowledged", "decide_expedited", dict(on=d("2026-11-10"), outcome="affirmed"), "Choose the decision.",
     {"outcome": "Choose the agency's decision on expedited processing."}),
    ("acknowledged", "decide_fee_category", dict(on=d("2026-11-01"), outcome="other"),
     "The date is before the day the request was sent.", {"on": BEFORE_SENT}),
]


def _state(req):
    return (req.status, len(req.events), req.estimated_completion_on, req.extended, req.appeal_extended,
            req.expedited_decision, req.fee_category_decision, req.fees_estimated, len(req.determinations),
            len(req.tolled_spans))


@pytest.mark.parametrize("stage,action,fields,message,errors", REFUSALS,
                         ids=[f"{r[0]}-{r[1]}-{i}" for i, r in enumerate(REFUSALS)])
def test_each_refusal_says_why_on_its_field_and_changes_nothing(db, users, frozen, stage, action, fields, message,
                                                                 errors):
    req = make_request(users["reporter"], make_agency())
    for name, given in STAGES[stage]:
        perform(req, name, users["reporter"], **given)
    db.session.flush()
    before = _state(req)
    with pytest.raises(ValidationFailed) as refused:
        perform(req, action, users["reporter"], **fields)
    assert (refused.value.message, refused.value.fields) == (message, errors)
    assert _state(req) == before


def test_mediation_ends_in_the_status_the_request_had_before_it(db, users, frozen):
    """A decision recorded during mediation (from "in mediation" to itself) is not what mediation returns to."""
    req = make_request(users["reporter"], make_agency(), fee_waiver_requested=True)
    for name, given in STAGES["determined"]:
        perform(req, name, users["reporter"], **given)
    perform(req, "mediate", users["reporter"], on=d("2026-11-12"))
    perform(req, "decide_fee_waiver", users["reporter"], on=d("2026-11-13"), outcome="denied")
    assert req.status == "in_mediation"
    perform(req, "end_mediation", users["reporter"], on=d("2026-11-16"))
    assert req.status == "determined"


@pytest.mark.parametrize("received,back_to", [(True, "acknowledged"), (False, "filed")])
def test_an_imported_mediation_ends_with_the_agency_by_receipt(db, users, frozen, received, back_to):
    """An imported request can arrive "in mediation" with no mediation event: it goes back to the agency,
    acknowledged if the agency has the request, filed if its receipt is not recorded."""
    req = make_request(users["reporter"], make_agency())
    perform(req, "file", users["reporter"], on=d("2026-11-02"), channel="portal" if received else "mail")
    req.status = "in_mediation"
    db.session.flush()
    perform(req, "end_mediation", users["reporter"], on=d("2026-11-16"))
    assert req.status == back_to


def test_a_withdrawn_request_reopens_where_it_stood(db, users, frozen):
    req = make_request(users["reporter"], make_agency())
    perform(req, "file", users["reporter"], on=d("2026-11-02"), channel="mail")
    perform(req, "withdraw", users["reporter"], on=d("2026-11-03"))
    perform(req, "reopen", users["reporter"])
    assert (req.status, req.closed_on) == ("filed", None)


def test_an_imported_closed_request_reopens_acknowledged(db, users, frozen):
    """An imported request can arrive closed with no closing event: it reopens with the agency."""
    req = make_request(users["reporter"], make_agency())
    perform(req, "file", users["reporter"], on=d("2026-11-02"), channel="mail")
    req.status, req.closed_on = "closed", d("2026-11-20")
    db.session.flush()
    perform(req, "reopen", users["reporter"])
    assert (req.status, req.closed_on) == ("acknowledged", None)


def test_an_estimate_given_with_an_acknowledgment_is_recorded(db, users, frozen):
    req = make_request(users["reporter"], make_agency())
    perform(req, "file", users["reporter"], on=d("2026-11-02"), channel="mail")
    perform(req, "acknowledge", users["reporter"], on=d("2026-11-05"), estimated_completion_on=d("2026-11-05"))
    assert (req.status, req.estimated_completion_on, req.estimated_completion_given_on) == (
        "acknowledged", d("2026-11-05"), d("2026-11-05"))
    assert [e.actor_id for e in req.events if e.action == "estimate"] == [users["reporter"]]
