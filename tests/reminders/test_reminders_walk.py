"""A frozen clock walks requests through their lives; the expected reminders appear on the expected days,
once each, and none after the request closes."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from tests.helpers import d, make_agency, make_request, perform
from tests.reminders.reminders_support import reminder_rows, scan
from tracker import deadlines
from tracker.auth.models import User
from tracker.extensions import db
from tracker.reminders.models import ReminderPlan
from tracker.requests.models import RecordsRequest

NEWSROOM = ZoneInfo("America/New_York")


def at(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour), NEWSROOM).astimezone(UTC)


def walk(app, frozen, start: date, end: date, actions: dict) -> list[tuple]:
    """Scan once each day from start to end (10:00 newsroom time), after that day's actions; returns the
    reminders as (kind, fired_on, step, recipient email), in the order they fired."""
    day = start
    while day <= end:
        frozen.move_to(at(day))
        with app.app_context():
            if day in actions:
                actions[day]()
                db.session.commit()
            scan(send=False)
            db.session.remove()
        day += timedelta(days=1)
    with app.app_context():
        return [(r.kind, r.fired_on, r.step, r.user.email) for r in reminder_rows()]


def test_a_request_through_its_life(app, frozen, users):
    frozen.move_to(at(d("2026-11-20")))
    with app.app_context():
        req = make_request(users["reporter"], make_agency(), title="OPR report")
        req.watchers = [db.session.get(User, users["editor"])]
        db.session.commit()
        req_id = req.id

    def act(name, **fields):
        def run():
            perform(db.session.get(RecordsRequest, req_id), name, users["reporter"], **fields)
        return run

    appeal_due = deadlines.appeal_due("US-DHS", d("2027-01-05"))
    closing = deadlines.add_working_days("US-DHS", appeal_due, -4)
    fired = walk(app, frozen, d("2026-11-20"), appeal_due + timedelta(days=20), {
        d("2026-11-20"): act("file", on=d("2026-11-20"), channel="portal"),  # response due Monday 2026-12-21
        d("2026-11-23"): act("acknowledge", on=d("2026-11-23"), tracking_number="2026-ICFO-04242"),
        d("2027-01-05"): act("determine", on=d("2027-01-05"), outcome="granted_in_part", exemptions=["b6"]),
        closing: act("close", on=closing),
    })
    expected = [
        ("response_soon", d("2026-12-16"), -3),  # three working days before Monday 2026-12-21
        ("response_today", d("2026-12-21"), 0),
        ("response_overdue", d("2026-12-22"), 1),  # the next working day
        ("response_overdue", d("2026-12-30"), 6),  # five working days later (Christmas skipped)
        ("appeal_window", deadlines.add_working_days("US-DHS", appeal_due, -15), -15),
        ("appeal_window", deadlines.add_working_days("US-DHS", appeal_due, -5), -5),
    ]  # nothing after the close: no "1 working day left", no more overdue
    for who in ("reporter@test.example", "editor@test.example"):
        assert [(k, on, step) for k, on, step, email in fired if email == who] == expected
    assert len(fired) == 2 * len(expected)


def test_a_moved_deadline_moves_its_reminders(app, frozen, users):
    frozen.move_to(at(d("2026-11-20")))
    with app.app_context():
        req = make_request(users["reporter"], make_agency())
        perform(req, "file", users["reporter"], on=d("2026-11-20"), channel="portal", tracking_number="2026-ICFO-1")
        db.session.commit()
        req_id = req.id

    def extend():
        perform(db.session.get(RecordsRequest, req_id), "extend", users["reporter"], on=d("2026-12-14"))

    fired = walk(app, frozen, d("2026-11-20"), d("2027-01-08"), {d("2026-12-14"): extend})
    new_due = deadlines.response_due("US-DHS", d("2026-11-20"), extended=True)
    assert new_due == d("2027-01-06")  # ten more working days
    assert [(k, on) for k, on, _, _ in fired] == [
        ("response_soon", deadlines.add_working_days("US-DHS", new_due, -3)),
        ("response_today", new_due),
        ("response_overdue", deadlines.add_working_days("US-DHS", new_due, 1)),
    ]


def test_paused_clock_our_move_and_our_answer(app, frozen, users):
    frozen.move_to(at(d("2026-11-20")))
    with app.app_context():
        req = make_request(users["reporter"], make_agency())
        perform(req, "file", users["reporter"], on=d("2026-11-20"), channel="portal", tracking_number="2026-ICFO-7")
        db.session.commit()
        req_id = req.id

    def pause():
        perform(db.session.get(RecordsRequest, req_id), "request_clarification", users["reporter"],
                on=d("2026-12-01"), our_answer_due_on=d("2026-12-11"))

    stored = {}

    def look(day):
        def run():
            r = db.session.get(RecordsRequest, req_id)
            stored[day] = (r.response_due, r.updated_at)
        return run

    fired = walk(app, frozen, d("2026-11-20"), d("2026-12-16"), {
        d("2026-12-01"): pause, d("2026-12-08"): look("tue"), d("2026-12-09"): look("wed")})
    assert [(k, on, step) for k, on, step, _ in fired] == [
        ("our_move", d("2026-12-03"), 2),  # two working days after the pause, while still paused
        ("our_answer_due", d("2026-12-09"), -2),
        ("our_answer_due", d("2026-12-11"), 0),
    ]  # no "response due" reminders while the ball is in our court
    # The scan recomputed the paused clock each day: its response date moved, its "last updated" did not.
    assert stored["wed"][0] == deadlines.add_working_days("US-DHS", stored["tue"][0], 1)
    assert stored["wed"][1] == stored["tue"][1]


def test_tracking_number_expedited_and_appeal_decision(app, frozen, users):
    frozen.move_to(at(d("2026-11-20")))
    with app.app_context():
        agency = make_agency()
        slow = make_request(users["reporter"], agency, title="No number yet", expedited_requested=True,
                            expedited_category="ii", expedited_justification="Urgent.")
        perform(slow, "file", users["reporter"], on=d("2026-11-20"), channel="portal")
        appealed = make_request(users["reporter"], agency, title="Appealed")
        perform(appealed, "file", users["reporter"], on=d("2026-11-20"), channel="portal", tracking_number="N-1")
        perform(appealed, "determine", users["reporter"], on=d("2026-11-20"), outcome="denied")
        perform(appealed, "appeal", users["reporter"], on=d("2026-11-20"), tracking_number="2026-ICAP-00001")
        db.session.commit()
    fired = walk(app, frozen, d("2026-11-20"), d("2026-12-31"), {})
    appeal_decision_due = deadlines.appeal_decision_due("US-DHS", d("2026-11-20"))
    assert sorted((k, on) for k, on, _, _ in fired if k != "response_soon" and not k.startswith("response")) == [
        ("appeal_decision_overdue", deadlines.add_working_days("US-DHS", appeal_decision_due, 1)),
        ("expedited_overdue", d("2026-12-01")),  # decision due Monday 2026-11-30 (ten calendar days)
        ("tracking_number_missing", d("2026-12-07")),  # ten working days after receipt
    ]


def test_the_scan_looks_only_at_requests_with_something_due(app, frozen, users):
    with app.app_context():
        agency = make_agency()
        for i in range(6):  # filed today: nothing due for weeks
            req = make_request(users["reporter"], agency, title=f"Fresh {i}")
            perform(req, "file", users["reporter"], on=d("2026-11-30"), channel="portal", tracking_number=f"F-{i}")
        late = make_request(users["reporter"], agency, title="Late")
        perform(late, "file", users["reporter"], on=d("2026-10-15"), channel="portal", tracking_number="L-1")
        db.session.commit()
        first = scan(send=False)  # every plan was woken by the changes: all are looked at once
        assert first.requests == 7 and first.reminders == 1
        second = scan(send=False)
        assert second.requests == 0 and second.reminders == 0
        # An edit wakes that request only.
        req = db.session.scalar(select(RecordsRequest).where(RecordsRequest.title == "Fresh 3"))
        req.watchers = [db.session.get(User, users["editor"])]
        db.session.commit()
        third = scan(send=False)
        assert third.requests == 1
        plans = {p.request_id: p.check_on for p in db.session.scalars(select(ReminderPlan))}
        due = deadlines.response_due("US-DHS", d("2026-10-15"))
        assert plans[late.id] == deadlines.add_working_days("US-DHS", due, 11)  # the next "overdue" step
