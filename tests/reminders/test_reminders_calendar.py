"""Calendar feeds: a secret URL per person (shown once, stored hashed, revocable) that the icalendar library
parses; stable UIDs; SEQUENCE bumped when a date moves; an alarm; private requests only for those who may
see them; the newsroom feed for editors."""

from __future__ import annotations

import hashlib
import re
from datetime import date, timedelta

from icalendar import Calendar
from sqlalchemy import select

from tests.helpers import csrf_token, d, make_agency, make_request, perform
from tests.reminders.reminders_support import scan
from tracker.extensions import db
from tracker.reminders.models import CalendarToken
from tracker.requests.models import RecordsRequest


def _new_feed(client, scope="mine") -> str:
    token = csrf_token(client, "/reminders")
    page = client.post("/reminders/calendar", data={"csrf_token": token, "scope": scope})
    assert page.status_code == 200, page.status_code
    url = re.search(r'data-testid="feed-url" value="([^"]+)"|value="([^"]+)" id="feed-url"',
                    page.get_data(as_text=True))
    url = url.group(1) or url.group(2)
    assert url.startswith("http://127.0.0.1:5000/calendar/") and url.endswith(".ics")
    return url.removeprefix("http://127.0.0.1:5000")


def _events(client, path) -> dict[str, object]:
    response = client.get(path)
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    cal = Calendar.from_ical(response.data)
    return {str(e["UID"]): e for e in cal.walk("VEVENT")}


def _requests(users):
    agency = make_agency()
    mine = make_request(users["reporter"], agency, title="Mine")
    perform(mine, "file", users["reporter"], on=d("2026-11-20"), channel="portal", tracking_number="2026-ICFO-1")
    secret = make_request(users["other_reporter"], agency, title="Colleague's private one", private=True)
    perform(secret, "file", users["other_reporter"], on=d("2026-11-20"), channel="portal")
    public = make_request(users["other_reporter"], agency, title="Colleague's public one")
    perform(public, "file", users["other_reporter"], on=d("2026-11-20"), channel="portal")
    db.session.commit()
    return mine.id, secret.id, public.id


def test_personal_feed_parses_and_follows_a_moved_date(app, client, auth, users, frozen):
    with app.app_context():
        mine, secret, public = _requests(users)
    auth.login("reporter")
    path = _new_feed(client)
    with app.app_context():
        token = db.session.scalar(select(CalendarToken))
        assert token.token_hash == hashlib.sha256(path[len("/calendar/"):-4].encode()).hexdigest()  # stored hashed
        assert path[len("/calendar/"):-4] not in client.get("/reminders").get_data(as_text=True)  # shown once
        scan(send=False)  # records the dates' versions
    auth.logout()

    events = _events(client, path)  # no login: the URL is the credential
    assert set(events) == {f"request-{mine}-response@localhost"}  # it has its tracking number: nothing else binds
    response = events[f"request-{mine}-response@localhost"]
    assert response["DTSTART"].dt == date(2026, 12, 21) and response["DTEND"].dt == date(2026, 12, 22)
    assert str(response["SUMMARY"]) == "Agency's response due: Mine (2026-ICFO-1)"
    assert "Skipped Thursday 2026-11-26: Thanksgiving Day" in str(response["DESCRIPTION"])
    assert int(response["SEQUENCE"]) == 0
    [alarm] = response.walk("VALARM")
    assert alarm["TRIGGER"].dt == -timedelta(hours=15) and str(alarm["ACTION"]) == "DISPLAY"

    with app.app_context():  # the agency extends: the date moves, the UID stays, SEQUENCE goes up
        perform(db.session.get(RecordsRequest, mine), "extend", users["reporter"], on=d("2026-11-30"))
        db.session.commit()
    moved = _events(client, path)[f"request-{mine}-response@localhost"]
    assert moved["DTSTART"].dt == date(2027, 1, 6) and int(moved["SEQUENCE"]) == 1
    with app.app_context():
        scan(send=False)
    assert int(_events(client, path)[f"request-{mine}-response@localhost"]["SEQUENCE"]) == 1


def test_private_requests_only_for_those_who_may_see_them(app, client, auth, users, frozen):
    with app.app_context():
        mine, secret, public = _requests(users)
    auth.login("reporter")
    mine_path = _new_feed(client)
    assert client.post("/reminders/calendar", data={"csrf_token": csrf_token(client, "/reminders"),
                                                    "scope": "newsroom"}).status_code == 403
    auth.logout()
    assert not any(f"request-{secret}-" in uid or f"request-{public}-" in uid for uid in _events(client, mine_path))

    auth.login("editor")
    newsroom = _new_feed(client, "newsroom")
    uids = set(_events(client, newsroom))
    assert {f"request-{i}-response@localhost" for i in (mine, secret, public)} <= uids
    assert "Owner: " in client.get(newsroom).get_data(as_text=True)
    with app.app_context():  # demoted: the newsroom feed stops working
        from tracker.auth.models import Role, User

        db.session.get(User, users["editor"]).role = Role.REPORTER
        db.session.commit()
    assert client.get(newsroom).status_code == 404


def test_revoked_or_replaced_feeds_stop_working(app, client, auth, users, frozen):
    with app.app_context():
        _requests(users)
    auth.login("reporter")
    first = _new_feed(client)
    second = _new_feed(client)  # replaces the first
    assert client.get(first).status_code == 404
    assert client.get(second).status_code == 200
    with app.app_context():
        live = db.session.scalar(select(CalendarToken).where(CalendarToken.revoked_at.is_(None)))
        live_id = live.id
    # Another person cannot revoke it.
    auth.logout()
    auth.login("other_reporter")
    token = csrf_token(client, "/reminders")
    assert client.post(f"/reminders/calendar/{live_id}/revoke", data={"csrf_token": token}).status_code == 404
    assert client.get(second).status_code == 200
    auth.logout()
    auth.login("reporter")
    token = csrf_token(client, "/reminders")
    assert client.post(f"/reminders/calendar/{live_id}/revoke", data={"csrf_token": token}).status_code == 302
    assert client.get(second).status_code == 404
    assert client.get("/calendar/not-a-token.ics").status_code == 404
    assert client.get("/calendar/" + "x" * 500 + ".ics").status_code == 404
