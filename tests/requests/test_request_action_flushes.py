"""An action writes the request once: what the deadlines are recomputed from (agency, tolled spans, determinations)
is read before the action changes anything, since each first read after a change flushed it (three UPDATEs of
the request and three runs of the changed-request listeners per action). The deadlines come out the same."""

from __future__ import annotations

import re

from sqlalchemy import select

from tests.board.test_board_query_counts import counting
from tests.helpers import d, make_agency, make_request, perform
from tracker.extensions import db
from tracker.requests.models import RecordsRequest


def _updates(statements) -> int:
    return sum(bool(re.match(r"\s*UPDATE requests\b", s)) for s in statements)


def test_each_action_updates_the_request_once(app, users, frozen):
    with app.app_context():
        req = make_request(users["reporter"], make_agency())
        db.session.commit()
        request_id = req.id
    steps = [("file", {"on": d("2026-11-02"), "channel": "portal"}),
             ("acknowledge", {"on": d("2026-11-04")}),
             ("request_clarification", {"on": d("2026-11-10")}),
             ("answer_clarification", {"on": d("2026-11-13")}),
             ("determine", {"on": d("2026-11-20"), "outcome": "denied", "exemptions": ["b7C"]})]
    for action, fields in steps:
        with app.app_context():
            req = db.session.get(RecordsRequest, request_id)
            with counting(app) as statements:
                perform(req, action, users["reporter"], **fields)
            db.session.commit()
            assert _updates(statements) == 1, action
    with app.app_context():
        req = db.session.get(RecordsRequest, request_id)
        assert [(s.paused_on, s.resumed_on) for s in req.tolled_spans] == [(d("2026-11-10"), d("2026-11-13"))]
        assert req.status == "determined" and req.appeal_due is not None and req.response_due is not None
        assert db.session.scalar(select(RecordsRequest.response_due).where(RecordsRequest.id == request_id)) \
            == req.response_due
