"""The overdue, constructive-exhaustion and no-fee notices appear on the day they become true, not before."""

from __future__ import annotations

from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

from tests.helpers import d, make_agency, make_request, perform
from tracker.extensions import db

NEWSROOM = ZoneInfo("America/New_York")


def response_block(page: str) -> str:
    """The response deadline's box on the request page (the tracking-number deadline has its own)."""
    start = page.index('data-kind="response"')
    end = page.find('data-kind="', start + 20)
    return page[start:end if end != -1 else None]


def morning(day) -> datetime:
    return datetime.combine(day, time(8, 0), tzinfo=NEWSROOM).astimezone(UTC)


def test_notices_appear_the_working_day_after_the_due_date(app, client, auth, users, frozen):
    with app.app_context():
        req = make_request(users["reporter"], make_agency())
        perform(req, "file", users["reporter"], on=d("2026-11-20"), channel="portal")
        db.session.commit()
        request_id, due = req.id, req.response_due
    assert due == d("2026-12-21")

    # Sessions last 12 hours, so log in again after each jump of the clock.
    frozen.move_to(morning(d("2026-12-21")))
    auth.login("reporter")
    page = response_block(client.get(f"/requests/{request_id}").get_data(as_text=True))
    assert "due today" in page
    assert "may sue" not in page and "overdue by" not in page

    frozen.move_to(morning(d("2026-12-22")))
    auth.login("reporter")
    page = response_block(client.get(f"/requests/{request_id}").get_data(as_text=True))
    assert "overdue by 1 working day" in page
    assert "exhausted administrative remedies and may sue" in page
    assert "may no longer charge search fees" in page

    # Christmas Day is not a working day: on Monday 12-28 it is 4 working days late (22, 23, 24, 28).
    frozen.move_to(morning(d("2026-12-28")))
    auth.login("reporter")
    page = response_block(client.get(f"/requests/{request_id}").get_data(as_text=True))
    assert "overdue by 4 working days" in page


def test_state_law_overdue_has_no_federal_notices(app, client, auth, users, frozen):
    with app.app_context():
        req = make_request(users["reporter"], make_agency(jurisdiction="US-NY", name="NYPD", abbreviation="NYPD"))
        perform(req, "file", users["reporter"], on=d("2026-11-20"), channel="email")
        db.session.commit()
        request_id = req.id
        assert req.response_due == d("2026-11-30")  # FOIL: five business days, Thanksgiving skipped
    frozen.move_to(morning(d("2026-12-02")))
    auth.login("reporter")
    page = response_block(client.get(f"/requests/{request_id}").get_data(as_text=True))
    assert "overdue by 2 working days" in page
    assert "may sue" not in page
