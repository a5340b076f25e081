"""What each lifecycle action asks for on its page, and the lifecycle input read back from that form.

One table for the action pages and for accepting a proposal read from an agency letter (mail/proposal_views),
so both ask the same questions and record the same answers (the appeal instructions of a determination, the
agency's estimated completion date).
"""

from __future__ import annotations

from tracker.requests import lifecycle
from tracker.requests.forms import ActionForm
from tracker.requests.services import CommunicationInput

# The fields each action asks for, in the order shown.
ACTION_FIELDS = {
    "file": ["on", "channel", "received_on", "tracking_number"],
    "acknowledge": ["on", "tracking_number", "received_on", "estimated_completion_on"],
    "request_clarification": ["on", "our_answer_due_on", "estimated_completion_on"],
    "answer_clarification": ["on"],
    "fee_estimate": ["on", "amount", "our_answer_due_on", "estimated_completion_on"],
    "fee_agreed": ["on", "amount"],
    "extend": ["on", "estimated_completion_on"],
    "determine": ["on", "outcome", "exemptions", "pages_released", "pages_withheld"],
    "appeal": ["on", "tracking_number"],
    "appeal_extend": ["on", "estimated_completion_on"],
    "decide_appeal": ["on", "outcome", "exemptions", "pages_released", "pages_withheld"],
    "mediate": ["on", "tracking_number"],
    "end_mediation": ["on"],
    "sue": ["on", "tracking_number"],
    "close": ["on"],
    "withdraw": ["on"],
    "reopen": [],
    "decide_expedited": ["on", "outcome"],
    "decide_fee_waiver": ["on", "outcome"],
    "decide_fee_category": ["on", "outcome"],
    "refer": ["on", "scope", "agency_id", "received_on", "tracking_number"],
}
ACTION_FIELDS["determine"] = ACTION_FIELDS["determine"] + list(lifecycle.APPEAL_INSTRUCTIONS)
FIELD_LABELS = {"amount": {"fee_agreed": "Amount paid (USD)", "fee_estimate": "Estimated fee (USD)"},
                "outcome": {"decide_expedited": "Decision", "decide_fee_waiver": "Decision",
                            "decide_fee_category": "Fee category the agency gave"},
                "tracking_number": {"sue": "Case number", "appeal": "Appeal tracking number",
                                    "mediate": "OGIS case number", "refer": "Tracking number at the receiving agency"},
                "on": {"refer": "Date of the referral"},
                "received_on": {"refer": "Date the receiving agency received the records"}}
FIELD_HINTS = {"received_on": {"refer": "Its clock runs from this day. Leave empty if the same day as the referral."},
               "tracking_number": {"refer": "The number the receiving agency gave the referral, if it gave one."}}


def action_input(form: ActionForm, *, communication: CommunicationInput | None = None,
                 documents: list[lifecycle.DocumentInput] | None = None) -> lifecycle.ActionInput:
    """Every answer the action form carries; a field the page did not show is empty and changes nothing."""
    return lifecycle.ActionInput(
        on=form.on.data, received_on=form.received_on.data, channel=form.channel.data or "",
        tracking_number=form.tracking_number.data or "", outcome=form.outcome.data or "",
        exemptions=form.exemptions.data or [], pages_released=form.pages_released.data,
        pages_withheld=form.pages_withheld.data, amount=form.amount.data,
        our_answer_due_on=form.our_answer_due_on.data, note=form.note.data or "", communication=communication,
        documents=documents or [],
        **{name: getattr(form, name).data or "" for name in lifecycle.APPEAL_INSTRUCTIONS},
        estimated_completion_on=form.estimated_completion_on.data,
        agency_id=form.agency_id.data or None, scope=form.scope.data or "",
    )
