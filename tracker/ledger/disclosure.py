"""The disclosure state of an OPR matter, derived from its requests, their determinations and its sources.

Never typed by hand: an editor may override it, but only with a written reason, and the derived state
stays visible beside the override. Pure functions over plain values, so the web page, the CSV and JSON
exports and the API all say the same. `ledger.py` computes the same request classes in SQL; a test
checks that the two agree for every combination of status and outcomes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from tracker import deadlines
from tracker.matters.states import DISCLOSED, NOT_REQUESTED, PARTLY_DISCLOSED, PENDING, STATES, WITHHELD
from tracker.requests.status import STATUSES

UNDISCLOSED = (PENDING, WITHHELD, PARTLY_DISCLOSED)  # requested, and not (wholly) out

# What one request has brought so far.
DRAFT = "draft"  # not sent: does not count as requested
ASKED = "pending"  # sent, no final answer yet (or remanded on appeal, or referred to another agency)
FULL = "full"  # released in full (granted in full, or reversed in full on appeal)
PART = "part"  # released in part
REFUSED = "withheld"  # denied in full, or no records found
UNANSWERED = "unanswered"  # closed or withdrawn without an answer
REQUEST_CLASSES = (DRAFT, ASKED, FULL, PART, REFUSED, UNANSWERED)

# The outcome an appeal decision leaves in force; None: back with the agency, no answer yet.
APPEAL_EFFECT = {"reversed": "granted_in_full", "reversed_in_part": "granted_in_part", "remanded": None}
OUTCOME_CLASS = {"granted_in_full": FULL, "granted_in_part": PART, "denied": REFUSED, "no_records": REFUSED}


# A referral chain (a request and those referred from it, requests/referrals.py) counts once, as the best any of
# its requests has brought: a child agency's release counts for the records its parent referred.
CHAIN_ORDER = (FULL, PART, REFUSED, ASKED, UNANSWERED, DRAFT)


def chain_class(classes) -> str:
    """The class a referral chain counts as, from the classes of its requests."""
    return min(classes, key=CHAIN_ORDER.index)


def effective_outcome(initial_outcome: str | None, appeal_outcome: str | None) -> str | None:
    """The determination in force: the appeal decision's effect, or the initial one (also when affirmed)."""
    if appeal_outcome in APPEAL_EFFECT:
        return APPEAL_EFFECT[appeal_outcome]
    return initial_outcome or None


def appeal_in_force(appeal_decided_on: date | None, initial_decided_on: date | None) -> bool:
    """An appeal decision counts if there is one and it was made on or after the latest determination."""
    if appeal_decided_on is None:
        return False
    return initial_decided_on is None or appeal_decided_on >= initial_decided_on


def classify_request(status: str, initial_outcome: str | None, appeal_outcome: str | None) -> str:
    """What one request has brought: one of REQUEST_CLASSES. `appeal_outcome`: of the appeal decision in
    force (None if there is none)."""
    if status == "draft":
        return DRAFT
    outcome = effective_outcome(initial_outcome, appeal_outcome)
    if outcome in OUTCOME_CLASS:
        return OUTCOME_CLASS[outcome]
    # No answer in force (none yet, referred elsewhere, or remanded): pending while the request is open.
    is_open = STATUSES[status].open if status in STATUSES else True
    return ASKED if is_open else UNANSWERED


@dataclass
class MatterFacts:
    """What the matter's visible requests and its sources add up to (built by ledger.py in SQL)."""

    counts: dict[str, int] = field(default_factory=dict)  # request class -> number of requests
    first_requested_on: date | None = None  # earliest day a request was sent
    pending_since: dict[str, date] = field(default_factory=dict)  # jurisdiction -> oldest pending request's date
    first_full_on: date | None = None  # earliest release in full
    official_report_on: date | None = None  # earliest official public report among the sources
    has_official_report: bool = False
    pages_released: int = 0
    pages_withheld: int = 0
    challenged: int = 0  # requests under appeal, in mediation or in litigation
    exemptions: list[str] = field(default_factory=list)  # codes in force, most cited first


@dataclass
class Override:
    state: str
    reason: str
    set_by: str = ""
    set_at: object = None


@dataclass
class Disclosure:
    state: str  # in force: the override's, or the derived one
    derived_state: str  # what the requests and sources say
    why: str  # one plain sentence
    first_requested_on: date | None
    undisclosed_days: int | None  # calendar days since first requested, while not (wholly) disclosed
    pending_working_days: int | None  # the oldest pending request's working days, while one is pending
    disclosed_on: date | None
    override: Override | None = None

    @property
    def label(self) -> str:
        return STATES[self.state]

    @property
    def derived_label(self) -> str:
        return STATES[self.derived_state]


def _n(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def derived_state(f: MatterFacts) -> str:
    c = f.counts
    if f.has_official_report or c.get(FULL):
        return DISCLOSED
    if c.get(PART):
        return PARTLY_DISCLOSED
    if c.get(REFUSED):
        return WITHHELD
    if c.get(ASKED):
        return PENDING
    return NOT_REQUESTED


def _pending_working_days(f: MatterFacts, today: date) -> int | None:
    days = [deadlines.working_days_between(code, since, today) for code, since in f.pending_since.items()
            if since is not None and since <= today]
    return max(days) if days else None


def _why(state: str, f: MatterFacts, pending_days: int | None) -> str:
    c = f.counts
    pending = c.get(ASKED, 0)
    still = f" {_n(pending, 'request')} still pending." if pending and state != PENDING else ""
    if f.challenged and state in (WITHHELD, PARTLY_DISCLOSED):
        still += f" Challenged: {f.challenged} under appeal, in mediation or in court."
    if state == DISCLOSED:
        parts = []
        if f.has_official_report:
            parts.append("An official public report discloses the outcome.")
        if c.get(FULL):
            parts.append(f"Released in full in answer to {_n(c[FULL], 'request')}.")
        return " ".join(parts)
    if state == PARTLY_DISCLOSED:
        pages = f" ({f.pages_released} pages released, {f.pages_withheld} withheld)" if (
            f.pages_released or f.pages_withheld) else ""
        return f"Released in part in answer to {_n(c[PART], 'request')}{pages}." + still
    if state == WITHHELD:
        return f"Denied, or no records found, in answer to {_n(c[REFUSED], 'request')}." + still
    if state == PENDING:
        oldest = f"; the oldest for {_n(pending_days, 'working day')}" if pending_days is not None else ""
        return f"{_n(pending, 'request')} awaiting an answer{oldest}."
    closed = c.get(UNANSWERED, 0)
    drafts = c.get(DRAFT, 0)
    if closed:
        return f"{_n(closed, 'request')} closed or withdrawn without an answer; nothing pending."
    if drafts:
        return f"{_n(drafts, 'request')} drafted, not yet sent."
    return "No request for its records yet."


def derive(f: MatterFacts, today: date, override: Override | None = None) -> Disclosure:
    """The matter's state, with the reason in one sentence and how long it has stayed undisclosed."""
    derived = derived_state(f)
    state = override.state if override is not None and override.state in STATES else derived
    pending_days = _pending_working_days(f, today) if f.counts.get(ASKED) else None
    disclosed_on = min((d for d in (f.first_full_on, f.official_report_on) if d is not None), default=None)
    undisclosed_days = None
    if state in UNDISCLOSED and f.first_requested_on is not None:
        undisclosed_days = max((today - f.first_requested_on).days, 0)
    return Disclosure(
        state=state, derived_state=derived, why=_why(derived, f, pending_days),
        first_requested_on=f.first_requested_on, undisclosed_days=undisclosed_days,
        pending_working_days=pending_days, disclosed_on=disclosed_on if state == DISCLOSED else None,
        override=override if override is not None and override.state in STATES else None,
    )
