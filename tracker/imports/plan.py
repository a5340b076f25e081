"""From one spreadsheet row to the calls that recreate it: the request's fields for create_request, then the
lifecycle actions, in the order they happened, that its dates describe (filed, acknowledged, paused, extended,
determined, appealed, mediated, sued, closed). The services apply them with their usual checks."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from tracker.requests.lifecycle import ActionInput
from tracker.requests.status import STATUSES

REQUEST_FIELDS = (
    "title", "private", "records_description", "records_from", "records_to", "delivery_format", "fee_category",
    "fee_limit", "fee_waiver_requested", "fee_waiver_justification", "expedited_requested", "expedited_category",
    "expedited_justification", "follow_up_on", "our_answer_due_on", "fees_estimated", "fees_paid",
)
# Same-day order: what must come first when two things happened on one day.
ORDER = {"file": 0, "acknowledge": 1, "resume": 2, "extend": 3, "pause": 4, "determine": 5, "appeal": 6,
         "appeal_extend": 7, "decide_appeal": 8, "mediate": 9, "sue": 10, "close": 11, "withdraw": 11}
# What a status needs in the row, said in the words of the columns.
NEEDS = {
    "filed": "the day it was sent (Sent on)",
    "acknowledged": "the acknowledgment date (Acknowledged on)",
    "awaiting_clarification": "an open pause in “Clock paused”, e.g. “clarification 2026-11-02 to”",
    "awaiting_fees": "an open pause in “Clock paused”, e.g. “fees 2026-11-20 to”",
    "determined": "the determination date and outcome",
    "appealed": "the day the appeal was filed",
    "appeal_decided": "the appeal decision's date and outcome",
    "in_mediation": "the day OGIS mediation was asked for",
    "in_litigation": "the day the lawsuit was filed",
    "closed": "the closing date (Closed or withdrawn on) after a determination, mediation or lawsuit",
    "withdrawn": "the day it was withdrawn (Closed or withdrawn on)",
}


class PlanError(ValueError):
    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
        self.message = message


@dataclass
class Step:
    action: str  # a lifecycle action name
    on: date | None
    rank: int
    input: ActionInput


def request_data(values: dict[str, Any]) -> dict[str, Any]:
    return {name: values[name] for name in REQUEST_FIELDS if name in values}


def _step(steps: list[Step], action: str, on: date, rank_key: str | None = None, **fields) -> None:
    steps.append(Step(action, on, ORDER[rank_key or action], ActionInput(on=on, **fields)))


def steps_for(values: dict[str, Any], default_channel: str) -> list[Step]:
    """The actions to replay, in order; PlanError names the column that is missing or contradicts another."""
    v = values.get
    status = v("status")
    steps: list[Step] = []
    dated = [name for name in ("acknowledged_on", "extended_on", "determined_on", "appeal_filed_on", "mediation_on",
                               "lawsuit_on", "closed_on", "received_on") if v(name)]
    if v("sent_on") is None:
        if dated or v("tolled") or (status and status != "draft"):
            raise PlanError("sent_on", "The request has later dates or a status, but no date it was sent.")
        return steps
    tracking_at_filing = "" if v("acknowledged_on") else v("tracking_number", "")
    _step(steps, "file", v("sent_on"), channel=v("channel") or default_channel, received_on=v("received_on"),
          tracking_number=tracking_at_filing)
    if v("acknowledged_on"):
        _step(steps, "acknowledge", v("acknowledged_on"), tracking_number=v("tracking_number", ""))
    for reason, paused, resumed in v("tolled") or []:
        pause, resume = ("request_clarification", "answer_clarification") if reason == "clarification" \
            else ("fee_estimate", "fee_agreed")
        steps.append(Step(pause, paused, ORDER["pause"],
                          ActionInput(on=paused, our_answer_due_on=None if resumed else v("our_answer_due_on"))))
        if resumed is not None:
            # A pause and its end on one day: the end comes after its own start.
            rank = ORDER["resume"] if resumed > paused else ORDER["pause"]
            steps.append(Step(resume, resumed, rank, ActionInput(on=resumed)))
    if v("extended_on"):
        _step(steps, "extend", v("extended_on"))
    if v("determined_on") or v("outcome"):
        if not (v("determined_on") and v("outcome")):
            raise PlanError("determined_on" if v("outcome") else "outcome",
                            "A determination needs both its date and its outcome.")
        _step(steps, "determine", v("determined_on"), outcome=v("outcome"), exemptions=v("exemptions") or [],
              pages_released=v("pages_released"), pages_withheld=v("pages_withheld"))
    elif v("exemptions") or v("pages_released") is not None or v("pages_withheld") is not None:
        raise PlanError("determined_on", "Exemptions and page counts belong to a determination: give its date "
                                         "and outcome.")
    if v("appeal_filed_on"):
        _step(steps, "appeal", v("appeal_filed_on"), tracking_number=v("appeal_tracking_number", ""))
    if v("appeal_extended_on"):
        _step(steps, "appeal_extend", v("appeal_extended_on"))
    if v("appeal_decided_on") or v("appeal_outcome"):
        if not (v("appeal_decided_on") and v("appeal_outcome")):
            raise PlanError("appeal_decided_on" if v("appeal_outcome") else "appeal_outcome",
                            "An appeal decision needs both its date and its outcome.")
        _step(steps, "decide_appeal", v("appeal_decided_on"), outcome=v("appeal_outcome"))
    if v("mediation_on"):
        _step(steps, "mediate", v("mediation_on"), tracking_number=v("ogis_case_number", ""))
    if v("lawsuit_on"):
        _step(steps, "sue", v("lawsuit_on"), tracking_number=v("case_number", ""))
    if v("closed_on"):
        if status not in (None, "closed", "withdrawn"):
            raise PlanError("closed_on", f"The status says “{STATUSES[status].label}”, but the request has a "
                                         "closing date.")
        _step(steps, "withdraw" if status == "withdrawn" else "close", v("closed_on"))
    elif status in ("closed", "withdrawn"):
        raise PlanError("closed_on", f"The status says “{STATUSES[status].label}”: give {NEEDS[status]}.")
    steps.sort(key=lambda s: (s.on, s.rank))
    return steps


def status_problem(wanted: str | None, reached: str) -> str | None:
    """None when the replay reached the row's status; otherwise what the row lacks."""
    if not wanted or wanted == reached:
        return None
    need = NEEDS.get(wanted, "")
    return (f"The status says “{STATUSES[wanted].label}”, but the dates lead to “{STATUSES[reached].label}”"
            + (f": give {need}." if need else "."))
