"""Reminders at the edges of their days, and exactly once where once is right but not where it is not.

- the day before, the due day and the day after: "due soon", "due today", "overdue" fire on exactly their days;
- the last day to appeal: the "1 working day left" step fires the day before and lapses once the day has passed;
- repeated "overdue" reminders for one deadline (steps 1, 6, 11) are each recorded AND each sent;
- while the clock is paused the agency's response is not chased, even on the day its stored date is reached;
- a sender whose claim was taken over while it was sending does not overwrite the row.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import text

from tests.helpers import d, make_agency, make_request, perform
from tests.reminders.reminders_support import Handler, SmtpRecorder, outbox_rows, overdue_request, reminder_rows, scan
from tracker import deadlines
from tracker.extensions import db
from tracker.reminders.rules import DEFAULT_RULES, due_reminders
from tracker.requests.models import RecordsRequest

NEWSROOM = ZoneInfo("America/New_York")
DUE = d("2026-11-13")  # overdue_request(): filed and acknowledged 2026-10-15, response due Friday 2026-11-13


def at(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour), NEWSROOM).astimezone(UTC)


def _due_today(req_id: int, today: date) -> list[tuple[str, int]]:
    req = db.session.get(RecordsRequest, req_id)
    return [(due.rule.key, due.step) for due in due_reminders(req, DEFAULT_RULES, today)]


@pytest.mark.parametrize("today,expected", [
    (d("2026-11-06"), []),  # four working days before: nothing yet
    (d("2026-11-09"), [("response_soon", -3)]),  # three working days before (Veterans Day skipped)
    (d("2026-11-12"), [("response_soon", -3)]),  # still the latest step reached (recorded once, by its key)
    (DUE, [("response_soon", -3), ("response_today", 0)]),  # the due day: due today, not overdue
    (d("2026-11-14"), [("response_soon", -3), ("response_today", 0)]),  # Saturday: no working day passed
    (d("2026-11-16"), [("response_overdue", 1)]),  # the next working day: overdue; "due soon" has lapsed
    (d("2026-11-20"), [("response_overdue", 1)]),
    (d("2026-11-23"), [("response_overdue", 6)]),
])
def test_due_soon_due_today_and_overdue_fire_on_their_days(app, users, frozen, today, expected):
    with app.app_context():
        req_id = overdue_request(users["reporter"]).id
        assert db.session.get(RecordsRequest, req_id).response_due == DUE
        assert _due_today(req_id, today) == expected


def test_the_appeal_window_reminder_the_day_before_and_after_the_last_day(app, users, frozen):
    with app.app_context():
        req = make_request(users["reporter"], make_agency())
        perform(req, "file", users["reporter"], on=d("2026-10-01"), channel="portal", tracking_number="T-1")
        perform(req, "determine", users["reporter"], on=d("2026-11-20"), outcome="denied")
        db.session.commit()
        last = req.appeal_due
        day_before = deadlines.add_working_days("US-DHS", last, -1)
        day_after = deadlines.add_working_days("US-DHS", last, 1)
        assert _due_today(req.id, deadlines.add_working_days("US-DHS", last, -2)) == [("appeal_window", -5)]
        assert _due_today(req.id, day_before) == [("appeal_window", -1)]
        assert _due_today(req.id, last) == [("appeal_window", -1)]  # the last day: still worth saying
        assert _due_today(req.id, day_after) == []  # the window has closed: no "1 day left"


def _walk(app, frozen, days: list[date], send: bool) -> None:
    for day in days:
        frozen.move_to(at(day))
        with app.app_context():
            scan(send=send)
            db.session.remove()


def test_each_repeated_overdue_reminder_is_sent_not_folded_into_one(app, users, frozen, mail):
    with app.app_context():
        overdue_request(users["reporter"])
    days = [DUE + timedelta(days=n) for n in range(1, 19)]  # through Tuesday 2026-12-01
    _walk(app, frozen, days, send=True)
    with app.app_context():
        overdue = [r for r in reminder_rows() if r.kind == "response_overdue"]
        assert [(r.step, r.fired_on) for r in overdue] == [
            (1, d("2026-11-16")), (6, d("2026-11-23")), (11, d("2026-12-01"))]  # Thanksgiving skipped
        assert all(r.message is not None and r.message.status == "sent" for r in overdue)
        assert len({r.message.key for r in overdue}) == 3
        sent_ids = {r.message.message_id for r in overdue}
    assert len(sent_ids) == 3 and sent_ids <= set(mail.message_ids())


def test_the_agency_is_not_chased_while_the_clock_is_paused(app, users, frozen):
    """Paused on the due day itself: the agency's twenty days are spent, so its stored date stays and passes
    while we owe the answer; it must not be chased for it."""
    frozen.move_to(at(DUE))
    with app.app_context():
        req = overdue_request(users["reporter"])
        perform(req, "request_clarification", users["reporter"], on=DUE)
        db.session.commit()
        req_id = req.id
        assert req.response_due == DUE
    _walk(app, frozen, [DUE + timedelta(days=n) for n in range(0, 8)], send=False)
    with app.app_context():
        kinds = [(r.kind, r.fired_on) for r in reminder_rows()]
        assert not [k for k in kinds if k[0].startswith("response")], kinds
        assert ("our_move", d("2026-11-17")) in kinds  # our move is still chased
        assert db.session.get(RecordsRequest, req_id).response_due == DUE  # passed, and paused
    # Once our answer is in, the clock runs and the agency is chased again.
    frozen.move_to(at(d("2026-11-23")))
    with app.app_context():
        perform(db.session.get(RecordsRequest, req_id), "answer_clarification", users["reporter"],
                on=d("2026-11-23"))
        db.session.commit()
        assert _due_today(req_id, d("2026-11-23")) == [("response_overdue", 6)]


class TakeOver(Handler):
    """Accepts the message, but meanwhile another sender has taken the row back and claimed it."""

    def __init__(self, recorder, app):
        super().__init__(recorder)
        self.app = app

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        with self.app.app_context():
            with db.engine.begin() as conn:
                conn.execute(text("UPDATE outbox_messages SET claimed_by = 'elsewhere.example:1:beef' "
                                  "WHERE status = 'sending'"))
        return await super().handle_DATA(server, session, envelope)


def test_a_sender_whose_claim_was_taken_over_does_not_overwrite_the_row(app, users, frozen):
    frozen.move_to(at(d("2026-11-18")))
    server = SmtpRecorder()
    server.handler = TakeOver(server, app)
    server.start()
    saved = {k: app.config.get(k) for k in ("TRACKER_SMTP_HOST", "TRACKER_SMTP_PORT")}
    app.config.update(TRACKER_SMTP_HOST="127.0.0.1", TRACKER_SMTP_PORT=server.port)
    try:
        with app.app_context():
            overdue_request(users["reporter"])
            report = scan(send=True)
            rows = outbox_rows()
            assert rows and len(server.messages) == len(rows)
            assert report.delivery.sent == 0  # the server took them, but the rows are no longer ours
            assert {(r.status, r.claimed_by, r.sent_at) for r in rows} == {
                ("sending", "elsewhere.example:1:beef", None)}
            assert all(r.lease_until is not None for r in rows)  # the new holder's lease stands
    finally:
        server.stop()
        for key, value in saved.items():
            app.config[key] = value


def test_a_paused_status_without_a_pause_on_record_still_chases_the_agency(app, users, frozen):
    """An import can say "awaiting clarification" with no pause recorded: the clock never stopped, so the
    overdue response is still chased."""
    with app.app_context():
        req = overdue_request(users["reporter"])
        req.status = "awaiting_clarification"
        db.session.commit()
        assert _due_today(req.id, d("2026-11-16")) == [("response_overdue", 1)]


def test_a_passed_estimate_is_chased_only_while_the_agency_still_owes_the_answer(app, users, frozen):
    with app.app_context():
        req = make_request(users["reporter"], make_agency())
        perform(req, "file", users["reporter"], on=d("2026-11-02"), channel="portal")
        perform(req, "acknowledge", users["reporter"], on=d("2026-11-02"), estimated_completion_on=d("2026-11-10"))
        db.session.commit()
        assert ("estimate_passed", 1) in _due_today(req.id, d("2026-11-12"))  # Veterans Day skipped
        assert [k for k, _ in _due_today(req.id, d("2026-11-10")) if k == "estimate_passed"] == []
        perform(req, "determine", users["reporter"], on=d("2026-11-11"), outcome="granted_in_full")
        db.session.commit()
        assert [k for k, _ in _due_today(req.id, d("2026-11-12")) if k == "estimate_passed"] == []
