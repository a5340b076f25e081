"""The agency's estimated completion date (5 U.S.C. 552(a)(7)(B)): recorded from an acknowledgment or any later
letter with its history, reminded when it passes (to owner and followers), counted on the scorecards."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from tests.helpers import csrf_token, d, make_agency, make_request, perform
from tests.reminders.reminders_support import reminder_rows, scan
from tracker.auth.models import User
from tracker.board.scorecards import scorecards
from tracker.core.clock import today
from tracker.extensions import db
from tracker.requests import estimates
from tracker.requests.models import RecordsRequest

NEWSROOM = ZoneInfo("America/New_York")


def at(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour), NEWSROOM).astimezone(UTC)


def _filed(app, users, frozen, day="2026-11-02"):
    frozen.move_to(at(d(day)))
    with app.app_context():
        req = make_request(users["reporter"], make_agency())
        perform(req, "file", users["reporter"], on=d(day), channel="portal")
        db.session.commit()
        return req.id


def test_estimate_from_the_acknowledgment_and_a_later_letter_keeps_its_history(app, auth, users, client, frozen):
    request_id = _filed(app, users, frozen)
    frozen.move_to(at(d("2026-11-05")))
    auth.login("reporter")
    url = f"/requests/{request_id}/actions/acknowledge"
    page = client.get(url).get_data(as_text=True)
    assert 'name="estimated_completion_on"' in page
    client.post(url, data={"csrf_token": csrf_token(client, url), "on": "2026-11-04",
                           "tracking_number": "2026-ICFO-1", "estimated_completion_on": "2026-12-15"})
    show = client.get(f"/requests/{request_id}").get_data(as_text=True)
    assert "Agency's estimated completion" in show and "December 15, 2026" in show
    assert "The agency estimates it will complete the request by December 15, 2026." in show

    # A status reply moves it: the new date shows, the old one stays in the history and the timeline.
    page_url = f"/requests/{request_id}"
    answer = client.post(f"{page_url}/estimate", data={"csrf_token": csrf_token(client, page_url),
                                                       "estimated_completion_on": "2027-02-26", "on": "2026-11-05"})
    assert answer.status_code == 302
    show = client.get(page_url).get_data(as_text=True)
    assert "February 26, 2027" in show and "(it had said December 15, 2026)" in show
    assert "December 15, 2026, given November 4, 2026" in show  # the earlier estimate
    with app.app_context():
        req = db.session.get(RecordsRequest, request_id)
        assert [h["estimated_on"] for h in estimates.history(req)] == [d("2026-12-15"), d("2027-02-26")]

    # A date before the letter that gave it is refused on its field, and nothing changes.
    answer = client.post(f"{page_url}/estimate", data={"csrf_token": csrf_token(client, page_url),
                                                       "estimated_completion_on": "2026-10-01", "on": "2026-11-05"})
    assert answer.status_code == 422
    assert "The estimated date is before the day the agency gave it." in answer.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(RecordsRequest, request_id).estimated_completion_on == d("2027-02-26")


def test_a_reminder_when_the_estimate_passes_goes_to_owner_and_followers(app, users, frozen):
    request_id = _filed(app, users, frozen)
    with app.app_context():
        req = db.session.get(RecordsRequest, request_id)
        req.watchers = [db.session.get(User, users["other_reporter"])]
        perform(req, "acknowledge", users["reporter"], on=d("2026-11-02"), estimated_completion_on=d("2026-11-10"))
        db.session.commit()
    for day in ("2026-11-10", "2026-11-12"):  # the date itself; then the next working day after it
        frozen.move_to(at(d(day)))
        with app.app_context():
            scan(send=False)
            db.session.remove()
    with app.app_context():
        fired = {(r.kind, r.fired_on, r.user.email) for r in reminder_rows() if r.kind == "estimate_passed"}
    assert fired == {("estimate_passed", d("2026-11-12"), "reporter@test.example"),
                     ("estimate_passed", d("2026-11-12"), "other_reporter@test.example")}


def test_scorecards_count_estimated_dates_missed(app, users, frozen):
    request_id = _filed(app, users, frozen)
    with app.app_context():
        req = db.session.get(RecordsRequest, request_id)
        perform(req, "acknowledge", users["reporter"], on=d("2026-11-02"), estimated_completion_on=d("2026-11-20"))
        other = make_request(users["reporter"], req.agency, title="Answered in time")
        perform(other, "file", users["reporter"], on=d("2026-11-02"), channel="portal")
        perform(other, "acknowledge", users["reporter"], on=d("2026-11-02"), estimated_completion_on=d("2026-12-31"))
        perform(other, "determine", users["reporter"], on=d("2026-11-02"), outcome="granted_in_full")
        db.session.commit()
    frozen.move_to(at(d("2026-11-30")))
    with app.app_context():
        editor = db.session.get(User, users["editor"])
        card = scorecards(editor, today())[0]
        assert (card["estimates_missed"], card["estimated"]) == (1, 2)
        assert estimates.passed(db.session.get(RecordsRequest, request_id), today())


def test_the_api_records_the_estimate_with_an_action_and_shows_it(app, client, users, bearer, frozen):
    request_id = _filed(app, users, frozen)
    frozen.move_to(at(d("2026-11-05")))
    url = f"/api/v1/requests/{request_id}"
    answer = client.post(f"{url}/actions/acknowledge", headers=bearer("reporter"),
                         json={"on": "2026-11-04", "estimated_completion_on": "2027-01-15"})
    assert answer.status_code == 200, answer.json
    got = client.get(url, headers=bearer("reporter")).json
    assert got["estimated_completion_on"] == "2027-01-15" and got["estimated_completion_given_on"] == "2026-11-04"
    events = client.get(f"{url}/events", headers=bearer("reporter")).json
    assert any(e["action"] == "estimate" for e in (events["items"] if isinstance(events, dict) else events))
    bad = client.post(f"{url}/actions/extend", headers=bearer("reporter"),
                      json={"on": "2026-11-05", "estimated_completion_on": "2026-01-01"})
    assert bad.status_code == 422 and "estimated_completion_on" in bad.json["error"]["fields"]
