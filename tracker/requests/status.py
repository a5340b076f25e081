"""The lifecycle of a records request: its statuses and the named actions that move between them.

Pure data and small functions: services apply the effects, views offer only allowed actions.
"""

from __future__ import annotations

from dataclasses import dataclass

from tracker.core.errors import ActionNotAllowed


@dataclass(frozen=True)
class Status:
    code: str
    label: str
    whose_move: str  # "us", "agency" or "nobody": drives the board's columns
    open: bool = True


STATUSES: dict[str, Status] = {
    s.code: s
    for s in (
        Status("draft", "Draft", "us"),
        Status("filed", "Filed, awaiting acknowledgment", "agency"),
        Status("acknowledged", "Acknowledged, in processing", "agency"),
        Status("awaiting_clarification", "Agency asked for clarification (clock paused)", "us"),
        Status("awaiting_fees", "Fee estimate to answer (clock paused)", "us"),
        Status("determined", "Determination received", "us"),
        Status("appealed", "Appeal pending", "agency"),
        Status("appeal_decided", "Appeal decided", "us"),
        Status("in_mediation", "In OGIS mediation", "agency"),
        Status("in_litigation", "In litigation", "agency"),
        Status("withdrawn", "Withdrawn", "nobody", open=False),
        Status("closed", "Closed", "nobody", open=False),
    )
}

# Outcomes of a determination on the request, and of a decision on appeal.
OUTCOMES = {
    "granted_in_full": "Granted in full",
    "granted_in_part": "Granted in part, withheld in part",
    "denied": "Denied in full",
    "no_records": "No records found",
    "referred": "Referred to another agency",
}
ADVERSE_OUTCOMES = {"granted_in_part", "denied", "no_records"}
APPEAL_OUTCOMES = {
    "affirmed": "Denial affirmed",
    "reversed_in_part": "Reversed in part",
    "reversed": "Reversed in full",
    "remanded": "Remanded for a new search or review",
}

FEE_CATEGORIES = {
    "news_media": "Representative of the news media",
    "educational": "Educational or noncommercial scientific institution",
    "other": "All other requesters",
    "commercial": "Commercial use",
}
CHANNELS = {
    "portal": "Agency web portal",
    "email": "Email",
    "mail": "Mail",
    "fax": "Fax",
    "phone": "Phone",
    "in_person": "In person",
}
EXPEDITED_CATEGORIES = {
    "": "None",
    "i": "(i) Imminent threat to life or physical safety",
    "ii": "(ii) Urgency to inform the public, by a person primarily engaged in disseminating information",
    "iii": "(iii) Loss of substantial due-process rights",
    "iv": "(iv) Widespread and exceptional media interest raising questions about government integrity",
}

OPEN_AT_AGENCY = ("filed", "acknowledged", "awaiting_clarification", "awaiting_fees")
ANSWERABLE = OPEN_AT_AGENCY  # where an agency can still determine the request

# The agency's decisions on the request's terms (each by its own letter; none changes the status).
EXPEDITED_DECISIONS = {"granted": "Expedited processing granted", "denied": "Expedited processing denied"}
FEE_WAIVER_DECISIONS = {"granted": "Fee waiver granted", "partly": "Fee waiver granted in part",
                        "denied": "Fee waiver denied"}
DECISION_OUTCOMES = {  # action -> its outcomes; the fee category's outcome is the category the agency gave
    "decide_expedited": EXPEDITED_DECISIONS, "decide_fee_waiver": FEE_WAIVER_DECISIONS,
    "decide_fee_category": FEE_CATEGORIES,
}
DECIDABLE = OPEN_AT_AGENCY + ("determined", "appealed", "appeal_decided", "in_mediation")


@dataclass(frozen=True)
class Action:
    name: str
    label: str  # what the button says
    allowed_from: tuple[str, ...]
    to: str | None  # None: the service decides (e.g. reopen, end mediation)
    help: str = ""
    editor_only: bool = False


ACTIONS: dict[str, Action] = {
    a.name: a
    for a in (
        Action("file", "File the request", ("draft",), "filed",
               "Record the day you sent or submitted it and, if known, the day the agency received it."),
        Action("acknowledge", "Record acknowledgment", ("filed", "acknowledged"), "acknowledged",
               "The agency acknowledged the request; record the date and tracking number."),
        Action("request_clarification", "Agency asked for clarification", ("filed", "acknowledged"),
               "awaiting_clarification", "Pauses the clock, 5 U.S.C. 552(a)(6)(A)(ii)(I)."),
        Action("answer_clarification", "We answered the clarification", ("awaiting_clarification",),
               "acknowledged", "The clock resumes on the day the agency receives our answer."),
        Action("fee_estimate", "Fee estimate received", ("filed", "acknowledged"), "awaiting_fees",
               "Pauses the clock while fees are clarified, 5 U.S.C. 552(a)(6)(A)(ii)(II)."),
        Action("fee_agreed", "Fee agreed or paid", ("awaiting_fees",), "acknowledged",
               "The clock resumes on the day the agency receives our answer."),
        Action("extend", "Extension notice (unusual circumstances)", ("filed", "acknowledged"), None,
               "Adds up to 10 working days, 5 U.S.C. 552(a)(6)(B)(i)."),
        Action("determine", "Record a determination", ANSWERABLE, "determined",
               "Full or partial grant, denial, no records, or referral, with exemptions and pages."),
        Action("appeal", "File an appeal", ("determined",), "appealed",
               "An administrative appeal of the determination."),
        Action("appeal_extend", "Appeal extension notice", ("appealed",), None,
               "Adds up to 10 working days to the appeal decision."),
        Action("decide_appeal", "Record the appeal decision", ("appealed",), "appeal_decided"),
        Action("mediate", "Ask OGIS to mediate", ("determined", "appealed", "appeal_decided") + OPEN_AT_AGENCY,
               "in_mediation", "Mediation by OGIS, 5 U.S.C. 552(h)(3)."),
        Action("end_mediation", "Mediation ended", ("in_mediation",), None,
               "Returns the request to where it stood before mediation."),
        Action("sue", "Lawsuit filed",
               OPEN_AT_AGENCY + ("determined", "appealed", "appeal_decided", "in_mediation"), "in_litigation"),
        Action("close", "Close", ("determined", "appeal_decided", "in_litigation", "in_mediation"), "closed",
               "Nothing more to do: records in hand, or the newsroom is done with it."),
        Action("withdraw", "Withdraw", tuple(c for c, s in STATUSES.items() if s.open), "withdrawn"),
        Action("reopen", "Reopen", ("withdrawn", "closed"), None,
               "Returns the request to where it stood before it was closed or withdrawn."),
        Action("decide_expedited", "Decision on expedited processing", DECIDABLE, None,
               "The agency granted or denied expedited processing; stops the 10-day decision deadline, "
               "5 U.S.C. 552(a)(6)(E)(ii)."),
        Action("decide_fee_waiver", "Decision on the fee waiver", DECIDABLE, None,
               "The agency granted, partly granted or denied the fee waiver, 5 U.S.C. 552(a)(4)(A)(iii)."),
        Action("decide_fee_category", "Decision on the fee category", DECIDABLE, None,
               "The fee category the agency placed the request in, 5 U.S.C. 552(a)(4)(A)(ii)."),
        Action("refer", "Record a referral", OPEN_AT_AGENCY + ("determined",), None,
               "The agency sent all or part of the records to another agency to answer; the tracker follows "
               "that agency's answer as a linked request with its own clock."),
    )
}

# A referral: all the records (the agency's own clock stops) or part of them (it keeps running).
REFERRAL_SCOPES = {"part": "Part of the records", "all": "All the records (referred in full)"}


# The action most likely to come next from each status: the request page shows it first.
LIKELY_NEXT = {
    "draft": "file", "filed": "acknowledge", "acknowledged": "determine",
    "awaiting_clarification": "answer_clarification", "awaiting_fees": "fee_agreed", "determined": "appeal",
    "appealed": "decide_appeal", "appeal_decided": "close", "in_mediation": "end_mediation",
    "in_litigation": "close", "withdrawn": "reopen", "closed": "reopen",
}


def label(status: str) -> str:
    return STATUSES[status].label if status in STATUSES else status


def allowed_actions(status: str) -> list[Action]:
    """The actions possible now, the likely next one first."""
    allowed = [a for a in ACTIONS.values() if status in a.allowed_from]
    return sorted(allowed, key=lambda a: a.name != LIKELY_NEXT.get(status))


def check_allowed(action_name: str, status: str) -> Action:
    """Return the action, or refuse with a message that says why."""
    action = ACTIONS.get(action_name)
    if action is None:
        raise ActionNotAllowed(f"There is no action called {action_name!r}.")
    if status not in action.allowed_from:
        allowed = ", ".join(a.label.lower() for a in allowed_actions(status)) or "none"
        raise ActionNotAllowed(
            f"“{action.label}” is not possible while the request is “{label(status)}”. "
            f"Possible now: {allowed}."
        )
    return action
