"""Every lifecycle action once, on one request, and the timeline it leaves, written out word for word: each
event's from and to status, its day, its note and what it recorded; the letters filed with the actions; and the
request's own dates, fees, pages, pauses, determinations and tracking numbers at the end."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from tests.helpers import d, make_agency, make_request, perform
from tracker.requests.services import CommunicationInput

STEPS = [
    ("file", dict(on=d("2026-10-01"), channel="mail", tracking_number=" ",
                  communication=CommunicationInput(body="Dear FOIA officer", subject=""))),
    ("acknowledge", dict(on=d("2026-10-06"), received_on=d("2026-10-05"), tracking_number=" 2026-ICFO-1 ",
                         communication=CommunicationInput(body="We got it", subject="Ack"))),
    ("request_clarification", dict(on=d("2026-10-07"), our_answer_due_on=d("2026-10-20"))),
    ("answer_clarification", dict(on=d("2026-10-09"))),
    ("fee_estimate", dict(on=d("2026-10-12"), amount=Decimal("25.50"))),
    ("fee_agreed", dict(on=d("2026-10-13"), amount=Decimal("25.50"))),
    ("extend", dict(on=d("2026-10-14"))),
    ("determine", dict(on=d("2026-11-02"), outcome="granted_in_part", exemptions=["b6", "b7C", "b6"],
                       pages_released=10, pages_withheld=4)),
    ("appeal", dict(on=d("2026-11-03"), tracking_number="2026-APP-9")),
    ("appeal_extend", dict(on=d("2026-11-10"))),
    ("decide_appeal", dict(on=d("2026-11-20"), outcome="reversed_in_part", exemptions=["b5"], pages_released=12)),
    ("mediate", dict(on=d("2026-11-23"), tracking_number="OGIS-7")),
    ("end_mediation", dict(on=d("2026-11-24"))),
    ("sue", dict(on=d("2026-11-25"), tracking_number="1:26-cv-1")),
    ("close", dict(on=d("2026-11-27"))),
    ("reopen", dict()),
    ("withdraw", dict(on=d("2026-11-30"))),
]

TIMELINE = [
    ("create", "draft", "draft", None, "Request drafted.", {}),
    ("file", "draft", "filed", "2026-10-01", "Filed by mail.",
     {"sent_on": "2026-10-01", "received_on": None, "channel": "mail"}),
    ("acknowledge", "filed", "acknowledged", "2026-10-06", "Acknowledged; tracking number 2026-ICFO-1.",
     {"tracking_number": "2026-ICFO-1", "received_on": "2026-10-05"}),
    ("request_clarification", "acknowledged", "awaiting_clarification", "2026-10-07",
     "Agency asked for clarification; the clock is paused.", {"amount": None, "our_answer_due_on": "2026-10-20"}),
    ("answer_clarification", "awaiting_clarification", "acknowledged", "2026-10-09",
     "Answer received by the agency; the clock resumes.", {"amount": None}),
    ("fee_estimate", "acknowledged", "awaiting_fees", "2026-10-12", "Agency sent a fee estimate; the clock is paused.",
     {"amount": "25.50", "our_answer_due_on": None}),
    ("fee_agreed", "awaiting_fees", "acknowledged", "2026-10-13", "Answer received by the agency; the clock resumes.",
     {"amount": "25.50"}),
    ("extend", "acknowledged", "acknowledged", "2026-10-14",
     "Agency invoked unusual circumstances and extended its time.", {}),
    ("determine", "acknowledged", "determined", "2026-11-02",
     "Granted in part, withheld in part citing (b)(6), (b)(7)(C).",
     {"outcome": "granted_in_part", "exemptions": ["b6", "b7C"], "pages_released": 10, "pages_withheld": 4}),
    ("appeal", "determined", "appealed", "2026-11-03", "Administrative appeal filed.",
     {"tracking_number": "2026-APP-9"}),
    ("appeal_extend", "appealed", "appealed", "2026-11-10", "Agency extended its time to decide the appeal.", {}),
    ("decide_appeal", "appealed", "appeal_decided", "2026-11-20", "Appeal decided: reversed in part.",
     {"outcome": "reversed_in_part", "exemptions": ["b5"]}),
    ("mediate", "appeal_decided", "in_mediation", "2026-11-23", "Asked OGIS to mediate.",
     {"tracking_number": "OGIS-7"}),
    ("end_mediation", "in_mediation", "appeal_decided", "2026-11-24", "Mediation ended.", {}),
    ("sue", "appeal_decided", "in_litigation", "2026-11-25", "Lawsuit filed.", {"case_number": "1:26-cv-1"}),
    ("close", "in_litigation", "closed", "2026-11-27", "Closed.", {}),
    ("reopen", "closed", "in_litigation", None, "Reopened.", {}),
    ("withdraw", "in_litigation", "withdrawn", "2026-11-30", "Withdrawn.", {}),
]


def test_every_action_leaves_its_event_on_the_timeline(db, users, frozen):
    req = make_request(users["reporter"], make_agency())
    for name, fields in STEPS:
        perform(req, name, users["reporter"], **fields)
    got = [(e.action, e.from_status, e.to_status, e.on and e.on.isoformat(), e.note, e.data) for e in req.events]
    assert got == TIMELINE
    assert {e.actor_id for e in req.events} == {users["reporter"]}
    assert [(c.direction, c.channel, c.kind, c.subject, c.body, c.occurred_on) for c in req.communications] == [
        ("out", "email", "request", "File the request", "Dear FOIA officer", d("2026-10-01")),
        ("in", "email", "acknowledgment", "Ack", "We got it", d("2026-10-06")),
    ]
    assert (req.status, req.sent_on, req.received_on, req.acknowledged_on, req.closed_on) == (
        "withdrawn", d("2026-10-01"), d("2026-10-05"), d("2026-10-06"), d("2026-11-30"))
    assert (req.fees_estimated, req.fees_paid, req.pages_released, req.pages_withheld) == (
        Decimal("25.50"), Decimal("25.50"), 12, 4)
    assert (req.extended, req.appeal_extended, req.appeal_filed_on, req.our_answer_due_on) == (
        True, True, d("2026-11-03"), None)
    assert [(t.kind, t.number, t.assigned_on) for t in req.tracking_numbers] == [
        ("request", "2026-ICFO-1", d("2026-10-06")), ("appeal", "2026-APP-9", d("2026-11-03")),
        ("ogis", "OGIS-7", d("2026-11-23")), ("case", "1:26-cv-1", d("2026-11-25"))]
    assert [(s.reason, s.paused_on, s.resumed_on) for s in req.tolled_spans] == [
        ("clarification", d("2026-10-07"), d("2026-10-09")), ("fees", d("2026-10-12"), d("2026-10-13"))]
    assert [(x.stage, x.outcome, x.exemptions, x.pages_released, x.pages_withheld) for x in req.determinations] == [
        ("initial", "granted_in_part", ["b6", "b7C"], 10, 4), ("appeal", "reversed_in_part", ["b5"], 12, None)]


def test_portal_email_and_fax_filings_are_received_the_day_they_are_sent(db, users, frozen):
    agency = make_agency()
    for channel, received in (("portal", True), ("email", True), ("fax", True), ("mail", False),
                              ("in_person", False), ("phone", False)):
        req = make_request(users["reporter"], agency, title=f"By {channel}")
        perform(req, "file", users["reporter"], on=d("2026-11-02"), channel=channel)
        assert req.received_on == (d("2026-11-02") if received else None), channel
        perform(req, "acknowledge", users["reporter"], on=d("2026-11-04"))
        assert req.received_on == (d("2026-11-02") if received else d("2026-11-04")), channel  # else: the ack day


def test_a_pause_records_our_deadline_and_the_fee_estimate(db, users, frozen):
    req = make_request(users["reporter"], make_agency())
    perform(req, "file", users["reporter"], on=d("2026-11-02"), channel="portal")
    perform(req, "fee_estimate", users["reporter"], on=d("2026-11-03"), amount=Decimal("40"),
            our_answer_due_on=d("2026-12-03"))
    assert (req.fees_estimated, req.our_answer_due_on) == (Decimal("40"), d("2026-12-03"))
    perform(req, "fee_agreed", users["reporter"], on=d("2026-11-05"))
    assert (req.fees_paid, req.our_answer_due_on) == (None, None)
    perform(req, "request_clarification", users["reporter"], on=d("2026-11-06"), amount=Decimal("99"))
    assert req.fees_estimated == Decimal("40")  # a clarification carries no fee
    perform(req, "answer_clarification", users["reporter"], on=d("2026-11-09"), amount=Decimal("99"))
    assert req.fees_paid is None
    assert isinstance(req.tolled_spans[0].paused_on, date)


def test_an_appeal_decision_keeps_its_pages_and_note_and_updates_the_requests_pages(db, users, frozen):
    req = make_request(users["reporter"], make_agency())
    perform(req, "file", users["reporter"], on=d("2026-11-02"), channel="portal")
    perform(req, "determine", users["reporter"], on=d("2026-11-10"), outcome="denied", pages_released=0,
            pages_withheld=40, note="All withheld.")
    assert (req.pages_released, req.pages_withheld) == (0, 40)
    perform(req, "appeal", users["reporter"], on=d("2026-11-12"))
    perform(req, "decide_appeal", users["reporter"], on=d("2026-11-20"), outcome="reversed_in_part",
            pages_released=25, pages_withheld=15, note="Remanded in part.")
    assert [(x.stage, x.pages_released, x.pages_withheld, x.note) for x in req.determinations] == [
        ("initial", 0, 40, "All withheld."), ("appeal", 25, 15, "Remanded in part.")]
    assert (req.pages_released, req.pages_withheld) == (25, 15)
    assert req.events[-1].note == "Remanded in part."


def test_the_standard_notes_without_a_tracking_number_or_exemptions(db, users, frozen):
    req = make_request(users["reporter"], make_agency())
    perform(req, "file", users["reporter"], on=d("2026-11-02"), channel="mail")
    perform(req, "acknowledge", users["reporter"], on=d("2026-11-04"), tracking_number="  ")
    perform(req, "determine", users["reporter"], on=d("2026-11-10"), outcome="denied")
    assert [e.note for e in req.events[-2:]] == ["Acknowledged.", "Denied in full."]
    assert req.tracking_numbers == []


def test_a_number_the_portal_gives_at_filing_is_the_requests_tracking_number(db, users, frozen):
    req = make_request(users["reporter"], make_agency())
    perform(req, "file", users["reporter"], on=d("2026-11-02"), channel="portal", tracking_number=" 2026-ICFO-42 ")
    assert [(t.kind, t.number, t.assigned_on) for t in req.tracking_numbers] == [
        ("request", "2026-ICFO-42", d("2026-11-02"))]
    assert req.primary_tracking_number == "2026-ICFO-42"


def test_fees_under_a_dollar_and_a_waived_fee_of_zero_are_recorded(db, users, frozen):
    req = make_request(users["reporter"], make_agency())
    perform(req, "file", users["reporter"], on=d("2026-11-02"), channel="portal")
    perform(req, "fee_estimate", users["reporter"], on=d("2026-11-03"), amount=Decimal("0.50"))
    perform(req, "fee_agreed", users["reporter"], on=d("2026-11-04"), amount=Decimal("0"))
    assert (req.fees_estimated, req.fees_paid, req.status) == (Decimal("0.50"), Decimal("0"), "acknowledged")


def test_each_action_on_a_private_request_is_in_its_audit_trail(db, users, frozen):
    from sqlalchemy import select

    from tracker.requests.models import AuditEntry

    req = make_request(users["reporter"], make_agency(), private=True)
    perform(req, "file", users["reporter"], on=d("2026-11-02"), channel="portal")
    perform(req, "acknowledge", users["reporter"], on=d("2026-11-03"))
    db.session.flush()
    rows = db.session.scalars(select(AuditEntry).where(AuditEntry.request_id == req.id,
                                                       AuditEntry.action == "change").order_by(AuditEntry.id))
    assert [(a.actor_id, a.detail) for a in rows] == [(users["reporter"], "File the request"),
                                                      (users["reporter"], "Record acknowledgment")]


def test_a_letter_filed_with_an_action_keeps_its_channel_subject_kind_and_author(db, users, frozen):
    req = make_request(users["reporter"], make_agency())
    perform(req, "file", users["reporter"], on=d("2026-11-02"), channel="portal",
            communication=CommunicationInput(channel="portal", subject="Submission receipt"))
    perform(req, "acknowledge", users["reporter"], on=d("2026-11-03"),
            communication=CommunicationInput(channel="", body="We received your request."))
    perform(req, "determine", users["reporter"], on=d("2026-11-10"), outcome="denied")
    perform(req, "close", users["reporter"], on=d("2026-11-12"), communication=CommunicationInput(body="Done."))
    assert [(c.direction, c.channel, c.kind, c.subject, c.body, c.created_by_id) for c in req.communications] == [
        ("out", "portal", "request", "Submission receipt", "", users["reporter"]),
        ("in", "email", "acknowledgment", "Record acknowledgment", "We received your request.", users["reporter"]),
        ("in", "email", "other", "Close", "Done.", users["reporter"]),
    ]


def test_each_decision_keeps_its_own_index_of_documents(db, users, frozen):
    from tracker.requests.documents import DocumentInput

    req = make_request(users["reporter"], make_agency())
    perform(req, "file", users["reporter"], on=d("2026-11-02"), channel="portal")
    perform(req, "determine", users["reporter"], on=d("2026-11-10"), outcome="denied", documents=[
        DocumentInput(description="Report of investigation", pages=12, withheld_in_full=12, exemptions=["b6"]),
        DocumentInput()])  # a blank row is skipped
    perform(req, "appeal", users["reporter"], on=d("2026-11-12"))
    perform(req, "decide_appeal", users["reporter"], on=d("2026-11-20"), outcome="reversed_in_part",
            documents=[DocumentInput(description="Witness statement", pages=3, withheld_in_part=1)])
    db.session.flush()
    assert [(x.stage, [(doc.description, doc.pages, doc.withheld_in_full, doc.withheld_in_part)
                       for doc in x.documents]) for x in req.determinations] == [
        ("initial", [("Report of investigation", 12, 12, 0)]), ("appeal", [("Witness statement", 3, 0, 1)])]
