"""The board's 12-month statistics: working days and "on time" stored on each determination, kept in
step with the request's dates, and the median the database computes equal to Python's."""

from __future__ import annotations

import statistics
from datetime import timedelta

import pytest
from sqlalchemy import select

from bench.newsroom import generate_newsroom
from tests.board import scenario
from tests.helpers import d, make_agency, make_request, perform
from tracker import deadlines
from tracker.agencies.models import Agency
from tracker.auth.models import User
from tracker.board import queries
from tracker.core.clock import now_utc
from tracker.extensions import db
from tracker.requests import services
from tracker.requests.access import visible_to
from tracker.requests.models import Determination, RecordsRequest


def test_a_determination_keeps_its_working_days_and_whether_it_was_on_time(app, users, frozen):
    with app.app_context():
        req = make_request(users["reporter"], make_agency())
        perform(req, "file", users["reporter"], on=d("2026-09-01"), channel="portal")  # due Sep 30 (Labor Day)
        perform(req, "determine", users["reporter"], on=d("2026-10-01"), outcome="denied", exemptions=["b5"])
        determination = req.determinations[0]
        assert (determination.working_days, determination.on_time) == (21, False)
        # The agency received it later than we thought: the stored numbers follow the dates.
        services.update_request(req, actor=db.session.get(User, users["editor"]), now=now_utc(),
                                today=scenario.today(), data={"received_on": d("2026-09-03")})
        assert req.response_due == d("2026-10-02")
        assert (determination.working_days, determination.on_time) == (19, True)


def _expected(viewer, today, agency_id=None) -> tuple[int, float | int | None, int, int]:
    """The statistics the slow way: every determination read back and counted in Python."""
    query = (select(Agency.jurisdiction, RecordsRequest.received_on, Determination.decided_on,
                    RecordsRequest.response_due)
             .join(RecordsRequest, RecordsRequest.id == Determination.request_id)
             .join(Agency, Agency.id == RecordsRequest.agency_id)
             .where(Determination.stage == "initial", Determination.decided_on > today - timedelta(days=365),
                    Determination.decided_on <= today, RecordsRequest.received_on.is_not(None),
                    visible_to(viewer) if viewer is not None else RecordsRequest.private.is_(False)))
    if agency_id:
        query = query.where(RecordsRequest.agency_id == agency_id)
    days, judged, on_time = [], 0, 0
    for code, received, decided, due in db.session.execute(query):
        days.append(max(deadlines.working_days_between(code, received, max(received, decided)), 0))
        if due is not None:
            judged += 1
            on_time += decided <= due
    return len(days), statistics.median(days) if days else None, judged, on_time


@pytest.mark.parametrize("requests", [120, 121])  # an even and an odd number of determinations, most likely
def test_the_median_and_on_time_share_match_a_count_in_python(app, users, frozen, requests):
    today = scenario.today()
    with app.app_context():
        made = generate_newsroom(db.session, requests=requests, matters=10, agencies=4, users=3, seed=requests,
                                 today=today)
        db.session.commit()
        seen = []
        for viewer in (db.session.get(User, made["editors"][0]), db.session.get(User, made["reporters"][0]), None):
            for agency_id in (None, made["agencies"][0]):
                f = queries.BoardFilters(agency_id=agency_id)
                stats = queries.determination_stats(viewer, f, today)
                count, median, judged, on_time = _expected(viewer, today, agency_id)
                assert (stats["determinations"], stats["judged"], stats["on_time"]) == (count, judged, on_time)
                assert stats["median_working_days"] == median
                seen.append(count)
        assert max(seen) > 10 and len({count % 2 for count in seen}) == 2  # both kinds of median were checked
