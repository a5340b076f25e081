"""Dates the newsroom sets ahead (our answer due, a follow-up) must fall within the years the deadline
engine counts: a mistyped year is refused with a message, not stored."""

from __future__ import annotations

import pytest

from tests.helpers import d, make_agency, make_request, perform
from tracker import deadlines
from tracker.auth.models import User
from tracker.core import validation
from tracker.core.clock import now_utc, today
from tracker.core.errors import TrackerError
from tracker.extensions import db
from tracker.requests import services


def test_the_last_plannable_day_is_the_engines_last_day():
    assert validation.LATEST_PLANNED == deadlines.SUPPORTED_LAST


@pytest.mark.parametrize(("day", "message"), [("9999-12-31", "after 2040"), ("2041-01-01", "after 2040"),
                                              ("1999-12-31", "before 2000")])
def test_an_answer_due_in_a_mistyped_year_is_refused(app, users, frozen, day, message):
    with app.app_context():
        req = make_request(users["reporter"], make_agency())
        perform(req, "file", users["reporter"], on=d("2026-11-02"), channel="portal")
        with pytest.raises(TrackerError) as refused:
            perform(req, "request_clarification", users["reporter"], on=d("2026-11-10"), our_answer_due_on=d(day))
        assert message in refused.value.fields["our_answer_due_on"]
        db.session.rollback()
        assert req.status == "filed" and req.our_answer_due_on is None
        perform(req, "request_clarification", users["reporter"], on=d("2026-11-10"), our_answer_due_on=d("2040-12-31"))
        assert req.our_answer_due_on == d("2040-12-31")


def test_a_follow_up_in_a_mistyped_year_is_refused(app, users, frozen):
    with app.app_context():
        req = make_request(users["reporter"], make_agency())
        with pytest.raises(TrackerError) as refused:
            services.update_request(req, actor=db.session.get(User, users["reporter"]), now=now_utc(), today=today(),
                                    data={"follow_up_on": d("2206-01-15")})
        assert "check the year" in refused.value.fields["follow_up_on"]
