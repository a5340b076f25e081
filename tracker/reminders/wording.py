"""The words of a reminder: a headline a reporter can scan, and what to do next. Plain and exact."""

from __future__ import annotations

from datetime import date

from tracker import deadlines
from tracker.core.mail import one_line
from tracker.core.template_helpers import longdate
from tracker.reminders.rules import Due
from tracker.requests.due_dates import LABELS, is_federal
from tracker.requests.models import RecordsRequest

WATCHED_LABELS = {
    **LABELS,
    "paused": "Clock paused (waiting for our answer) since",
    "our_answer": "Agency's deadline for our answer",
    "estimate": "Agency's estimated completion date",
}
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def days(n: int) -> str:
    return f"{n} working day{'' if n == 1 else 's'}"


def _on_the_day(what: str, on: date, today: date) -> str:
    return f"{what} today" if on == today else f"{what} {WEEKDAYS[on.weekday()]}, {longdate(on)}"


def headline(req: RecordsRequest, due: Due, today: date) -> str:
    """E.g. "Overdue 3 working days", "Appeal window closes in 5 working days"."""
    n, on, key = due.offset, due.deadline_on, due.rule.key
    if key == "response_overdue":
        return f"Overdue {days(n)}"
    if key in ("response_soon", "response_today"):
        return _on_the_day("Response due", on, today) if n == 0 else f"Response due in {days(-n)}"
    if key == "tracking_number_missing":
        since = deadlines.working_days_between(req.agency.jurisdiction, req.received_on, today) \
            if req.received_on else None
        return f"No tracking number {days(since)} after receipt" if since else "No tracking number yet"
    if key == "expedited_overdue":
        return f"Expedited-processing decision overdue {days(n)}"
    if key == "our_move":
        return f"Waiting on us for {days(n)} (clock paused)"
    if key == "our_answer_due":
        return _on_the_day("Our answer due", on, today) if n == 0 else f"Our answer due in {days(-n)}"
    if key == "appeal_window":
        return _on_the_day("Last day to appeal is", on, today) if n == 0 else f"Appeal window closes in {days(-n)}"
    if key == "appeal_decision_overdue":
        return f"Appeal decision overdue {days(n)}"
    if key == "deemed_denied":
        return "No response: deemed denied"
    if key == "appeal_window_no_response":
        return _on_the_day("Last day to appeal is", on, today) if n == 0 else f"Appeal window closes in {days(-n)}"
    if key == "certification_overdue":
        return f"No certified date {days(n)} after the 10 business days"
    if key == "ag_ruling_overdue":
        return "Deadline to ask the Attorney General has passed"
    if key == "estimate_passed":
        return f"Agency's estimated completion date passed {days(n)} ago"
    return due.rule.label


def tracking_label(req: RecordsRequest, key: str) -> str:
    if key.startswith("appeal_decision"):
        appeal = next((t.number for t in req.tracking_numbers if t.kind == "appeal"), "")
        if appeal:
            return appeal
    return req.primary_tracking_number


def subject(req: RecordsRequest, due: Due, today: date) -> str:
    number = tracking_label(req, due.rule.key)
    tail = f" ({number})" if number else ""
    return one_line(f"[FOIA] {headline(req, due, today)}: {req.title}{tail}")[:480]


def advice(req: RecordsRequest, due: Due) -> list[str]:
    """What to do next, as short paragraphs."""
    federal = is_federal(req.agency.jurisdiction)
    on = longdate(due.deadline_on)
    key = due.rule.key
    if key == "response_soon":
        return [f"The agency's determination is due on {on}. Check the portal and your inbox for it. If nothing "
                "arrives, the tracker will remind you the next working day, with the follow-up letter."]
    if key == "response_today":
        return [f"The agency's determination is due today, {on}. If nothing arrives, send the follow-up letter "
                "from the next working day."]
    if key == "response_overdue":
        out = ["Send the follow-up letter (status inquiry): it cites the tracking number, the date received and "
               "the due date, and asks for an estimated date of completion"
               + (", 5 U.S.C. 552(a)(7)(B)." if federal else ".")]
        if federal:
            out += ["You are deemed to have exhausted administrative remedies and may sue (constructive "
                    "exhaustion, 5 U.S.C. 552(a)(6)(C)(i)).",
                    "The agency may no longer charge search fees (for news media: duplication fees), "
                    "5 U.S.C. 552(a)(4)(A)(viii), except in narrow cases."]
        return out
    if key == "tracking_number_missing":
        cite = " A request that takes longer than 10 working days must get one, 5 U.S.C. 552(a)(7)(A)." \
            if federal else ""
        return [f"No tracking number is recorded.{cite} Ask the agency for it and for an estimated date of "
                "completion, then record it with “Record acknowledgment”."]
    if key == "expedited_overdue":
        cite = " (5 U.S.C. 552(a)(6)(E)(ii)(I))" if federal else ""
        return [f"The agency had to decide on expedited processing by {on}{cite}. Ask for the decision; a denial, "
                "or no timely decision, can be appealed."]
    if key == "our_move":
        span = req.open_tolled_span
        what = "fees" if span is not None and span.reason == "fees" else "clarification"
        action = "Fee agreed or paid" if what == "fees" else "We answered the clarification"
        return [f"The agency paused the clock on {on} to ask us about {what}. The clock restarts only when the "
                f"agency receives our answer. Answer, then record it with “{action}”."]
    if key == "our_answer_due":
        return [f"The agency set {on} as the date for our answer or fee payment. If we miss it, the agency may "
                "close the request."]
    if key == "appeal_window":
        return [f"The last day to file an administrative appeal is {on}. Draft the appeal, mark it “Freedom of "
                "Information Act Appeal”, and record it with “File an appeal” when it has gone out."]
    if key == "appeal_decision_overdue":
        cite = " (5 U.S.C. 552(a)(6)(A)(ii))" if federal else ""
        more = " You may ask OGIS to mediate, or sue." if federal else ""
        return [f"The agency had to decide the appeal by {on}{cite}. Ask for the decision.{more}"]
    if key in ("deemed_denied", "appeal_window_no_response", "certification_overdue", "ag_ruling_overdue"):
        return _state_advice(req, key, on)
    if key == "estimate_passed":
        cite = " (5 U.S.C. 552(a)(7)(B))" if federal else ""
        return [f"The agency estimated it would complete the request by {on}{cite}, and it has not answered. "
                "Send a status inquiry asking for the records and a new estimated date, and record the new date "
                "on the request when it comes."]
    return []


def _state_advice(req: RecordsRequest, key: str, on: str) -> list[str]:
    rules = deadlines.jurisdiction(req.agency.jurisdiction)
    body = f" to {rules.appeal_body}" if rules.appeal_body else ""
    if key == "deemed_denied":
        cite = f" ({rules.no_response.citation})" if rules.no_response and rules.no_response.citation else ""
        return [f"The agency did not respond by {on}. Under {rules.law}{cite} that is a denial, and the window to "
                f"appeal{body} runs from that date; the request page shows its last day."]
    if key == "appeal_window_no_response":
        return [f"The agency has not answered. The last day to appeal{body} is {on}. Draft the appeal, and record "
                "it with “File an appeal” when it has gone out."]
    if key == "certification_overdue":
        return [f"The records were not produced within 10 business days (by {on}). The officer must certify in "
                "writing a date and hour when they will be available (Gov't Code 552.221(d)). Ask for it."]
    return [f"An agency that wants to withhold must ask the Attorney General for a ruling and tell you by {on} "
            "(Gov't Code 552.301(b), (d)). If it did not, the information is presumed public (552.302): ask for "
            "it, or complain to the Attorney General (552.328)."]
