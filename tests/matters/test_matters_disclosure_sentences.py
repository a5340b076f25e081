"""The disclosure rule's one-sentence reasons and its day counts, word for word, from facts written out here:
what a reader of the ledger sees for each state, with one and with several requests, with and without pages,
challenges, pending requests and an editor's override."""

from __future__ import annotations

from datetime import date

import pytest

from tracker import deadlines
from tracker.ledger import disclosure as dz

TODAY = date(2026, 11, 30)  # a Monday


def facts(**counts_and_more) -> dz.MatterFacts:
    names = {"drafts": dz.DRAFT, "asked": dz.ASKED, "full": dz.FULL, "part": dz.PART, "refused": dz.REFUSED,
             "unanswered": dz.UNANSWERED}
    counts = {names[k]: counts_and_more.pop(k) for k in list(counts_and_more) if k in names}
    return dz.MatterFacts(counts=counts, **counts_and_more)


@pytest.mark.parametrize("f,state,why", [
    (facts(), dz.NOT_REQUESTED, "No request for its records yet."),
    (facts(drafts=1), dz.NOT_REQUESTED, "1 request drafted, not yet sent."),
    (facts(drafts=2), dz.NOT_REQUESTED, "2 requests drafted, not yet sent."),
    (facts(unanswered=1, drafts=3), dz.NOT_REQUESTED,
     "1 request closed or withdrawn without an answer; nothing pending."),
    (facts(unanswered=2), dz.NOT_REQUESTED, "2 requests closed or withdrawn without an answer; nothing pending."),
    (facts(asked=1), dz.PENDING, "1 request awaiting an answer."),
    (facts(asked=2, pending_since={"US-DHS": date(2026, 11, 27)}), dz.PENDING,
     "2 requests awaiting an answer; the oldest for 1 working day."),
    (facts(asked=1, pending_since={"US-DHS": TODAY}), dz.PENDING,
     "1 request awaiting an answer; the oldest for 0 working days."),
    (facts(asked=1, pending_since={"US-DHS": date(2026, 12, 1)}), dz.PENDING,
     "1 request awaiting an answer."),  # a date after today (typed ahead) counts for nothing
    (facts(refused=1), dz.WITHHELD, "Denied, or no records found, in answer to 1 request."),
    (facts(refused=2, asked=1, challenged=1), dz.WITHHELD,
     "Denied, or no records found, in answer to 2 requests. 1 request still pending. "
     "Challenged: 1 under appeal, in mediation or in court."),
    (facts(part=1), dz.PARTLY_DISCLOSED, "Released in part in answer to 1 request."),
    (facts(part=2, refused=1, pages_released=10, pages_withheld=5), dz.PARTLY_DISCLOSED,
     "Released in part in answer to 2 requests (10 pages released, 5 withheld)."),
    (facts(part=1, pages_withheld=3), dz.PARTLY_DISCLOSED,
     "Released in part in answer to 1 request (0 pages released, 3 withheld)."),
    (facts(part=1, pages_released=4), dz.PARTLY_DISCLOSED,
     "Released in part in answer to 1 request (4 pages released, 0 withheld)."),
    (facts(part=1, asked=2, challenged=2), dz.PARTLY_DISCLOSED,
     "Released in part in answer to 1 request. 2 requests still pending. "
     "Challenged: 2 under appeal, in mediation or in court."),
    (facts(full=1), dz.DISCLOSED, "Released in full in answer to 1 request."),
    (facts(full=2, asked=1, challenged=1), dz.DISCLOSED, "Released in full in answer to 2 requests."),
    (facts(has_official_report=True), dz.DISCLOSED, "An official public report discloses the outcome."),
    (facts(has_official_report=True, full=1), dz.DISCLOSED,
     "An official public report discloses the outcome. Released in full in answer to 1 request."),
    (facts(asked=3, challenged=1), dz.PENDING, "3 requests awaiting an answer."),
])
def test_each_state_and_its_reason(f, state, why):
    got = dz.derive(f, TODAY)
    assert (got.state, got.derived_state, got.why) == (state, state, why)
    assert got.label == dz.STATES[state] and got.derived_label == dz.STATES[state]


def test_day_counts_while_undisclosed():
    f = facts(asked=1, refused=1, first_requested_on=date(2026, 11, 2),
              pending_since={"US-DHS": date(2026, 11, 2), "US-CA": date(2026, 11, 20)})
    got = dz.derive(f, TODAY)
    assert got.first_requested_on == date(2026, 11, 2)
    assert got.undisclosed_days == 28
    assert got.pending_working_days == max(deadlines.working_days_between("US-DHS", date(2026, 11, 2), TODAY),
                                           deadlines.working_days_between("US-CA", date(2026, 11, 20), TODAY))
    assert got.pending_working_days == deadlines.working_days_between("US-DHS", date(2026, 11, 2), TODAY) == 18
    assert got.disclosed_on is None and got.override is None
    # Nothing pending: no pending count, though the facts still carry an old date.
    assert dz.derive(facts(refused=1, pending_since={"US-DHS": date(2026, 11, 2)}), TODAY).pending_working_days is None
    # Requested "tomorrow" (a date typed ahead): zero days, never negative.
    assert dz.derive(facts(asked=1, first_requested_on=date(2026, 12, 1)), TODAY).undisclosed_days == 0
    assert dz.derive(facts(asked=1, first_requested_on=TODAY), TODAY).undisclosed_days == 0
    assert dz.derive(facts(drafts=1, first_requested_on=None), TODAY).undisclosed_days is None


def test_disclosed_on_is_the_first_release_and_only_while_disclosed():
    f = facts(full=1, has_official_report=True, first_requested_on=date(2026, 1, 5),
              first_full_on=date(2026, 6, 1), official_report_on=date(2026, 3, 1))
    got = dz.derive(f, TODAY)
    assert (got.disclosed_on, got.undisclosed_days) == (date(2026, 3, 1), None)
    assert dz.derive(facts(full=1, first_full_on=date(2026, 6, 1)), TODAY).disclosed_on == date(2026, 6, 1)
    overridden = dz.derive(f, TODAY, dz.Override(dz.WITHHELD, "The report was retracted."))
    assert (overridden.state, overridden.derived_state) == (dz.WITHHELD, dz.DISCLOSED)
    assert overridden.disclosed_on is None
    assert overridden.undisclosed_days == (TODAY - date(2026, 1, 5)).days
    assert overridden.override.reason == "The report was retracted."
    assert overridden.why == "An official public report discloses the outcome. Released in full in answer to " \
        "1 request."  # the reason stays the derived one


def test_an_override_to_an_unknown_state_is_ignored():
    got = dz.derive(facts(asked=1), TODAY, dz.Override("nonsense", "typo"))
    assert (got.state, got.override) == (dz.PENDING, None)


@pytest.mark.parametrize("status,expected", [("filed", dz.ASKED), ("closed", dz.UNANSWERED),
                                             ("imported_unknown", dz.ASKED)])
def test_a_request_without_an_answer_counts_as_pending_while_open(status, expected):
    assert dz.classify_request(status, None, None) == expected
    assert dz.classify_request(status, "referred", None) == expected
    assert dz.classify_request(status, "denied", "remanded") == expected


@pytest.mark.parametrize("appeal_on,initial_on,in_force", [
    (date(2026, 11, 20), date(2026, 11, 20), True),  # decided the same day as the determination
    (date(2026, 11, 19), date(2026, 11, 20), False),  # a newer determination supersedes it
    (date(2026, 11, 21), date(2026, 11, 20), True),
    (date(2026, 11, 21), None, True),
    (None, date(2026, 11, 20), False),
    (None, None, False),
])
def test_an_appeal_decision_counts_from_the_day_of_the_latest_determination(appeal_on, initial_on, in_force):
    assert dz.appeal_in_force(appeal_on, initial_on) is in_force


def test_the_outcome_in_force():
    assert dz.effective_outcome("denied", "reversed") == "granted_in_full"
    assert dz.effective_outcome("denied", "reversed_in_part") == "granted_in_part"
    assert dz.effective_outcome("denied", "remanded") is None
    assert dz.effective_outcome("denied", "affirmed") == "denied"
    assert dz.effective_outcome("", None) is None
    assert dz.effective_outcome(None, None) is None
