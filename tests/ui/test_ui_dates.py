"""Every date shown is the newsroom's date: at 23:30 in New York, UTC is already tomorrow, the tracker is not."""

from __future__ import annotations

import io
import re
from datetime import UTC, date, datetime

from sqlalchemy import select

from tests.helpers import csrf_token, make_agency, make_request
from tracker.core import clock
from tracker.core.template_helpers import day, longdate
from tracker.extensions import db
from tracker.requests.models import Event

# Monday November 30, 2026, 23:30 in New York = Tuesday December 1, 04:30 UTC.
LATE_EVENING = datetime(2026, 12, 1, 4, 30, tzinfo=UTC)


def test_local_date_is_the_newsroom_day(app, frozen):
    frozen.move_to(LATE_EVENING)
    with app.app_context():
        assert clock.local_date(clock.now_utc()) == date(2026, 11, 30)
        assert clock.local_date(LATE_EVENING.replace(tzinfo=None)) == date(2026, 11, 30)  # naive = UTC
        assert clock.today() == date(2026, 11, 30)
        assert day(LATE_EVENING) == "2026-11-30" and longdate(LATE_EVENING) == "November 30, 2026"
        assert day(date(2026, 12, 1)) == "2026-12-01"


def test_request_drafted_and_upload_dated_in_new_york_at_half_past_eleven(app, auth, users, client, frozen):
    frozen.move_to(LATE_EVENING)
    with app.app_context():
        req = make_request(users["reporter"], make_agency())
        db.session.commit()
        request_id = req.id
    auth.login("reporter")
    url = f"/requests/{request_id}"
    answer = client.post(f"{url}/attachments", data={"csrf_token": csrf_token(client, url),
                                                    "files": (io.BytesIO(b"%PDF-1.4 letter"), "letter.pdf")},
                         content_type="multipart/form-data")
    assert answer.status_code == 302
    page = client.get(url).get_data(as_text=True)
    timeline = page[page.index('id="timeline"'):]
    shown = re.findall(r'<time datetime="([\d-]+)">', timeline)
    assert shown and set(shown) == {"2026-11-30"}, shown
    assert "December 1, 2026" not in timeline
    assert "2026-11-30 23:30 EST" in page
    with app.app_context():
        kinds = {e.action for e in db.session.scalars(select(Event).where(Event.request_id == request_id))}
    assert "create" in kinds


def test_demo_events_are_dated_in_order(app, frozen):
    from tracker.demo import seed_demo
    from tracker.requests.models import RecordsRequest
    from tracker.requests.queries import timeline

    with app.app_context():
        seed_demo()
        db.session.commit()
        for req in db.session.scalars(select(RecordsRequest)):
            events = sorted(req.events, key=lambda e: e.at)
            days = [e.on or clock.local_date(e.at) for e in events]
            assert days == sorted(days), (req.title, days)
            drafted = clock.local_date(events[0].at)
            if req.sent_on and req.referred_from_id is None:  # a referred request opens on its referral day
                assert drafted < req.sent_on, req.title  # drafted before it was filed, not "today"
            entries = timeline(req)
            assert entries[-1]["shown_on"] == drafted
        db.session.rollback()
