"""The state machine of a records request, every action from every status, against a table written out here.

The tables below are the specification, typed by hand from the lifecycle the newsroom agreed on; they are not
read from status.py, so a careless edit of status.py (an action allowed from one status too many or too few, a
target status changed, a refusal that stops saying why) fails here.
"""

from __future__ import annotations

import pytest

from tests.helpers import d, make_agency, make_request, perform
from tracker.core.errors import ActionNotAllowed
from tracker.requests import status

# What each status is called on the page, as a journalist reads it.
STATUS_LABELS = {
    "draft": "Draft",
    "filed": "Filed, awaiting acknowledgment",
    "acknowledged": "Acknowledged, in processing",
    "awaiting_clarification": "Agency asked for clarification (clock paused)",
    "awaiting_fees": "Fee estimate to answer (clock paused)",
    "determined": "Determination received",
    "appealed": "Appeal pending",
    "appeal_decided": "Appeal decided",
    "in_mediation": "In OGIS mediation",
    "in_litigation": "In litigation",
    "withdrawn": "Withdrawn",
    "closed": "Closed",
}

# action: (its button, the status it moves to; None: the service decides from the request's history)
ACTIONS = {
    "file": ("File the request", "filed"),
    "acknowledge": ("Record acknowledgment", "acknowledged"),
    "request_clarification": ("Agency asked for clarification", "awaiting_clarification"),
    "answer_clarification": ("We answered the clarification", "acknowledged"),
    "fee_estimate": ("Fee estimate received", "awaiting_fees"),
    "fee_agreed": ("Fee agreed or paid", "acknowledged"),
    "extend": ("Extension notice (unusual circumstances)", None),
    "determine": ("Record a determination", "determined"),
    "appeal": ("File an appeal", "appealed"),
    "appeal_extend": ("Appeal extension notice", None),
    "decide_appeal": ("Record the appeal decision", "appeal_decided"),
    "mediate": ("Ask OGIS to mediate", "in_mediation"),
    "end_mediation": ("Mediation ended", None),
    "sue": ("Lawsuit filed", "in_litigation"),
    "close": ("Close", "closed"),
    "withdraw": ("Withdraw", "withdrawn"),
    "reopen": ("Reopen", None),
    # the agency's decisions on the side (they change no status)
    "decide_expedited": ("Decision on expedited processing", None),
    "decide_fee_waiver": ("Decision on the fee waiver", None),
    "decide_fee_category": ("Decision on the fee category", None),
    # an agency sent the records (all or part) to another agency: the service decides (all: determined)
    "refer": ("Record a referral", None),
}

# status: the actions allowed from it, in the order the page offers them (the likely next one first).
# The agency's decisions on expedited processing, the fee waiver and the fee category, recorded whenever its
# letter comes while the request is open (not once a lawsuit or the newsroom ended it).
DECISIONS = ["decide_expedited", "decide_fee_waiver", "decide_fee_category"]
ALLOWED = {
    "draft": ["file", "withdraw"],
    "filed": ["acknowledge", "request_clarification", "fee_estimate", "extend", "determine", "mediate", "sue",
              "withdraw", *DECISIONS, "refer"],
    "acknowledged": ["determine", "acknowledge", "request_clarification", "fee_estimate", "extend", "mediate",
                     "sue", "withdraw", *DECISIONS, "refer"],
    "awaiting_clarification": ["answer_clarification", "determine", "mediate", "sue", "withdraw", *DECISIONS,
                               "refer"],
    "awaiting_fees": ["fee_agreed", "determine", "mediate", "sue", "withdraw", *DECISIONS, "refer"],
    "determined": ["appeal", "mediate", "sue", "close", "withdraw", *DECISIONS, "refer"],
    "appealed": ["decide_appeal", "appeal_extend", "mediate", "sue", "withdraw", *DECISIONS],
    "appeal_decided": ["close", "mediate", "sue", "withdraw", *DECISIONS],
    "in_mediation": ["end_mediation", "sue", "close", "withdraw", *DECISIONS],
    "in_litigation": ["close", "withdraw"],
    "withdrawn": ["reopen"],
    "closed": ["reopen"],
}
OPEN = {"draft", "filed", "acknowledged", "awaiting_clarification", "awaiting_fees", "determined", "appealed",
        "appeal_decided", "in_mediation", "in_litigation"}
WHOSE_MOVE = {"draft": "us", "filed": "agency", "acknowledged": "agency", "awaiting_clarification": "us",
              "awaiting_fees": "us", "determined": "us", "appealed": "agency", "appeal_decided": "us",
              "in_mediation": "agency", "in_litigation": "agency", "withdrawn": "nobody", "closed": "nobody"}

EVERY_PAIR = [(s, a) for s in STATUS_LABELS for a in ACTIONS]


def refusal(action: str, from_status: str) -> str:
    possible = ", ".join(ACTIONS[a][0].lower() for a in ALLOWED[from_status])
    return (f"“{ACTIONS[action][0]}” is not possible while the request is “{STATUS_LABELS[from_status]}”. "
            f"Possible now: {possible}.")


def test_the_tables_cover_every_status_and_action_there_is():
    assert set(status.STATUSES) == set(STATUS_LABELS) == set(ALLOWED)
    assert set(status.ACTIONS) == set(ACTIONS)


@pytest.mark.parametrize("from_status,action", EVERY_PAIR)
def test_every_action_from_every_status(from_status, action):
    if action in ALLOWED[from_status]:
        allowed = status.check_allowed(action, from_status)
        assert (allowed.name, allowed.label, allowed.to) == (action, *ACTIONS[action])
    else:
        with pytest.raises(ActionNotAllowed) as refused:
            status.check_allowed(action, from_status)
        assert str(refused.value) == refusal(action, from_status)


@pytest.mark.parametrize("from_status", list(STATUS_LABELS))
def test_the_page_offers_exactly_the_allowed_actions_likely_next_first(from_status):
    assert [a.name for a in status.allowed_actions(from_status)] == ALLOWED[from_status]
    st = status.STATUSES[from_status]
    assert (status.label(from_status), st.open, st.whose_move) == (
        STATUS_LABELS[from_status], from_status in OPEN, WHOSE_MOVE[from_status])


def test_an_unknown_action_or_status_is_refused_by_name():
    with pytest.raises(ActionNotAllowed, match="There is no action called 'explode'."):
        status.check_allowed("explode", "filed")
    assert status.label("no_such_status") == "no_such_status"
    assert status.allowed_actions("no_such_status") == []
    with pytest.raises(ActionNotAllowed) as refused:
        status.check_allowed("file", "no_such_status")
    assert str(refused.value) == "“File the request” is not possible while the request is “no_such_status”. " \
        "Possible now: none."


# --- through the service, on a real request: a refused change changes nothing -----------------------------

def _request_in(db, users, path: list[tuple[str, dict]]):
    req = make_request(users["reporter"], make_agency())
    for action, fields in path:
        perform(req, action, users["reporter"], **fields)
    db.session.commit()
    return req


FILED = ("file", {"on": d("2026-11-02"), "channel": "portal"})
DENIED = ("determine", {"on": d("2026-11-20"), "outcome": "denied"})


@pytest.mark.parametrize("path,action,fields", [
    ([FILED, DENIED, ("close", {"on": d("2026-11-23")})], "withdraw", {"on": d("2026-11-24")}),
    ([FILED, ("withdraw", {"on": d("2026-11-03")})], "withdraw", {"on": d("2026-11-24")}),
    ([FILED, DENIED], "decide_appeal", {"on": d("2026-11-24"), "outcome": "reversed"}),
    ([FILED, DENIED, ("close", {"on": d("2026-11-23")})], "decide_appeal", {"on": d("2026-11-24"),
                                                                            "outcome": "reversed"}),
], ids=["withdraw-closed", "withdraw-withdrawn", "decide-never-appealed", "decide-closed-never-appealed"])
def test_a_forbidden_change_is_refused_and_changes_nothing(db, users, frozen, path, action, fields):
    req = _request_in(db, users, path)
    before = (req.status, req.closed_on, len(req.events), len(req.determinations), req.appeal_due)
    with pytest.raises(ActionNotAllowed) as refused:
        perform(req, action, users["reporter"], **fields)
    assert str(refused.value) == refusal(action, req.status)
    assert (req.status, req.closed_on, len(req.events), len(req.determinations), req.appeal_due) == before
