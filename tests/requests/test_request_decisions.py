"""The agency's decisions on expedited processing, the fee waiver and the fee category, on the record: each with its
date and letter, on the timeline, in the API, stopping its own deadline and reminders, feeding the letters; and the
appeal instructions a determination letter gives (issue 14)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from tests.helpers import csrf_token, make_agency, make_request, perform
from tracker.core.clock import today
from tracker.core.errors import ValidationFailed
from tracker.extensions import db
from tracker.letters.options import defaults
from tracker.letters.stage import disputes
from tracker.reminders.rules import DEFAULT_RULES, due_reminders, watched_dates
from tracker.requests import due_dates
from tracker.requests.models import Communication, Event, RecordsRequest
from tracker.requests.services import CommunicationInput


def _expedited(users):
    agency = make_agency()
    req = make_request(users["reporter"], agency, title="Working title", expedited_requested=True,
                       expedited_category="ii", fee_waiver_requested=True)
    perform(req, "file", users["reporter"], on=date(2026, 11, 2), channel="portal")
    return req


def test_a_decision_on_expedited_processing_stops_its_deadline_and_its_reminder(app, db, users, frozen):
    req = _expedited(users)
    assert req.expedited_decision_due == date(2026, 11, 12)  # 10 calendar days (6 CFR 5.5(e)(4))
    rules = [r for r in DEFAULT_RULES if r.watches == "expedited"]
    assert [d.rule.key for d in due_reminders(req, rules, today())] == ["expedited_overdue"]
    row = next(r for r in due_dates.summary(req, today()) if r["kind"] == "expedited")
    assert row["unit"] == "calendar" and row["overdue_by"] == 18  # November 12 -> 30, counted as the law counts

    perform(req, "decide_expedited", users["reporter"], on=date(2026, 11, 13), outcome="denied",
            communication=CommunicationInput(channel="email", subject="Expedited processing",
                                             body="Your request for expedited processing is denied."))
    assert req.status == "filed"  # a decision on the terms does not move the request
    assert (req.expedited_decision, req.expedited_decided_on) == ("denied", date(2026, 11, 13))
    assert req.expedited_decision_due is None and "expedited" not in watched_dates(req, today())
    assert due_reminders(req, rules, today()) == []
    event = db.session.scalar(select(Event).where(Event.action == "decide_expedited"))
    assert event.note == "Expedited processing denied." and event.on == date(2026, 11, 13)
    assert event.data == {"decision": "denied"}
    letter = db.session.scalar(select(Communication).where(Communication.event_id == event.id))
    assert letter.direction == "in" and letter.kind == "expedited_decision"
    assert [d["code"] for d in disputes(req, today())] == ["expedite_denied"]


def test_fee_decisions_feed_the_appeal_and_the_ogis_letter(app, db, users, frozen):
    req = _expedited(users)
    perform(req, "decide_fee_waiver", users["reporter"], on=date(2026, 11, 10), outcome="partly")
    perform(req, "decide_fee_category", users["reporter"], on=date(2026, 11, 10), outcome="other")
    assert (req.fee_waiver_decision, req.fee_category_decision) == ("partly", "other")
    assert [d["code"] for d in disputes(req, today())] == ["fee_waiver_denied", "fee_category_denied"]
    options = defaults(req, "appeal", req.owner)
    assert options.determination_kind == "fee_waiver_denied"
    assert options.contested == ["fee_waiver", "fee_category"]
    notes = [e.note for e in req.events if e.action.startswith("decide_")]
    assert notes == ["Fee waiver granted in part.",
                     "Agency placed the request in the fee category: all other requesters."]


def test_a_decision_needs_a_known_outcome(app, db, users, frozen):
    req = _expedited(users)
    with pytest.raises(ValidationFailed) as refused:
        perform(req, "decide_fee_waiver", users["reporter"], on=date(2026, 11, 10), outcome="granted_in_full")
    assert (refused.value.message, refused.value.fields) == (
        "Choose the decision.", {"outcome": "Choose the agency's decision on the fee waiver."})
    assert req.fee_waiver_decision == ""
    with pytest.raises(ValidationFailed):
        perform(req, "decide_fee_category", users["reporter"], on=date(2026, 10, 1), outcome="news_media")


def test_recording_a_decision_and_the_appeal_instructions_on_the_web(app, client, auth, frozen, users):
    with app.app_context():
        req = _expedited(users)
        db.session.commit()
        request_id = req.id
    auth.login("reporter")
    page = client.get(f"/requests/{request_id}/actions/decide_expedited").get_data(as_text=True)
    assert "Expedited processing granted" in page and "Expedited processing denied" in page
    token = csrf_token(client, f"/requests/{request_id}/actions/decide_expedited")
    response = client.post(f"/requests/{request_id}/actions/decide_expedited", data={
        "csrf_token": token, "on": "2026-11-11", "outcome": "granted", "subject": "Expedited processing granted"})
    assert response.status_code == 302, response.get_data(as_text=True)
    shown = client.get(f"/requests/{request_id}").get_data(as_text=True)
    assert "Decision on expedited processing" in shown and "Granted, November 11, 2026" in shown
    assert "calendar day" not in shown.split("Decision on expedited processing due")[-1][:300]  # no longer running

    page = client.get(f"/requests/{request_id}/actions/determine").get_data(as_text=True)
    assert "Appeal to (office named in the letter)" in page
    token = csrf_token(client, f"/requests/{request_id}/actions/determine")
    response = client.post(f"/requests/{request_id}/actions/determine", data={
        "csrf_token": token, "on": "2026-11-20", "outcome": "denied",
        "appeal_office": "Office of the Principal Legal Advisor", "appeal_address": "500 12th Street SW",
        "appeal_deadline_stated": "within 90 working days"})
    assert response.status_code == 302, response.get_data(as_text=True)
    shown = client.get(f"/requests/{request_id}").get_data(as_text=True)
    assert "Appeal, as the letter says: Office of the Principal Legal Advisor; 500 12th Street SW" in shown
    with app.app_context():
        req = db.session.get(RecordsRequest, request_id)
        assert req.determinations[0].appeal_office == "Office of the Principal Legal Advisor"


def test_the_request_page_counts_the_expedited_decision_in_calendar_days(app, client, auth, users, frozen):
    with app.app_context():
        agency = make_agency()
        req = make_request(users["reporter"], agency, expedited_requested=True, expedited_category="ii")
        perform(req, "file", users["reporter"], on=date(2026, 11, 27), channel="portal")  # Friday after Thanksgiving
        db.session.commit()
        request_id = req.id
        assert req.expedited_decision_due == date(2026, 12, 7)
    auth.login("reporter")
    page = client.get(f"/requests/{request_id}").get_data(as_text=True)
    expedited = page.split('data-kind="expedited"')[1][:600]
    assert "7 calendar days left" in expedited  # November 30 -> December 7: 7 calendar days, 5 working days
    response = page.split('data-kind="response"')[1][:600]
    assert "working days left" in response
