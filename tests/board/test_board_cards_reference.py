"""The board's cards, whichever way the database finds them (the status indexes, an agency filter, a matter's
requests found once, a reporter's private requests by id), are the ones a plain reading of every request gives:
per column, the visible requests matching the filters, most urgent first (deadline, then the last change, then
the id), the first few. Few cards per column here, so the order and the cut both count."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import insert, select

from tests.board import scenario
from tests.helpers import d, make_request, perform
from tracker.agencies.models import Agency
from tracker.auth.models import User
from tracker.board import queries
from tracker.extensions import db
from tracker.requests.models import RecordsRequest, request_watchers

LIMIT = 2
PAUSED = ("awaiting_clarification", "awaiting_fees")


def _column_and_urgency(req, today):
    """Where a plain reading puts a request, and the date it is ordered by (None: by its last change)."""
    status = req.status
    if status == "draft":
        return "drafts", None
    if status in queries.AGENCY_CLOCK or status == "appealed":
        due = req.response_due if status in queries.AGENCY_CLOCK else req.appeal_decision_due
        if due is not None and due < today:
            return "overdue", due
        return ("agency" if status in queries.AGENCY_CLOCK else "appeals"), due
    if status in PAUSED + ("determined", "appeal_decided"):
        return "us", req.our_answer_due_on if req.our_answer_due_on is not None else req.appeal_due
    if status == "in_mediation":
        return "appeals", req.response_due
    if status == "in_litigation":
        return "litigation", None
    if req.closed_on is not None and req.closed_on >= today - timedelta(days=queries.RECENTLY_CLOSED_DAYS):
        return "closed", None
    return None, None


def _reference(viewer, f: queries.BoardFilters, today) -> dict[str, list[int]]:
    watched = set()
    if viewer is not None:
        watched = set(db.session.scalars(select(request_watchers.c.request_id)
                                         .where(request_watchers.c.user_id == viewer.id)))
    jurisdiction = dict(db.session.execute(select(Agency.id, Agency.jurisdiction)).all())
    found: dict[str, list] = {code: [] for code, _h, _s in queries.COLUMNS}
    for req in db.session.scalars(select(RecordsRequest)):
        if viewer is None:
            if req.private:
                continue
        elif not viewer.is_editor and req.private and req.owner_id != viewer.id and req.id not in watched:
            continue
        if ((f.owner_id and req.owner_id != f.owner_id) or (f.agency_id and req.agency_id != f.agency_id)
                or (f.status and req.status != f.status)
                or (f.jurisdiction and jurisdiction[req.agency_id] != f.jurisdiction)
                or (f.matter_id and f.matter_id not in {m.id for m in req.matters})):
            continue
        column, urgency = _column_and_urgency(req, today)
        if column is not None:
            found[column].append(((urgency is None, urgency), req.updated_at, req.id))
    out = {}
    for column, rows in found.items():
        rows.sort(key=lambda r: (r[0], -r[1].timestamp(), -r[2]))
        out[column] = [r[2] for r in rows[:LIMIT]]
    return out


@pytest.fixture
def newsroom(app, users, frozen):
    """The board scenario, and more requests on the same days (ties broken by the last change, then the id)
    at both agencies, public and private, of both reporters, one of them watched by the reporter."""
    with app.app_context():
        ids = scenario.build(users)
        ice, state = db.session.get(Agency, ids["ice"]), db.session.get(Agency, ids["state"])
        rep, other = users["reporter"], users["other_reporter"]
        for n in range(12):
            owner, agency = (rep, other)[n % 2], (ice, state)[n % 3 == 0]
            req = make_request(owner, agency, title=f"Tie {n}", private=n % 4 in (0, 1),
                               matter_ids=[ids["death"]] if n % 2 else [ids["dallas"]])
            if n % 6 == 5:
                continue  # a draft
            frozen.shift(timedelta(minutes=n % 3))  # some share their last change, some do not
            perform(req, "file", owner, on=d("2026-11-20") if n % 3 else d("2026-10-01"), channel="portal")
            if n % 5 == 4:
                perform(req, "acknowledge", owner, on=d("2026-11-24"), tracking_number=f"TIE-{n}")
            if n == 9:  # private, of the other reporter
                db.session.execute(insert(request_watchers), [{"request_id": req.id, "user_id": rep}])
        db.session.commit()
        db.session.remove()
    return ids


@pytest.mark.parametrize("viewer", ["editor", "reporter", "wall"])
def test_cards_agree_with_a_plain_reading_of_every_request(app, users, newsroom, viewer):
    ids = newsroom
    shapes = [{}, {"agency_id": ids["ice"]}, {"agency_id": ids["state"]}, {"matter_id": ids["death"]},
              {"matter_id": ids["dallas"], "status": "filed"}, {"owner_id": users["other_reporter"]},
              {"jurisdiction": "US-DHS"}, {"status": "filed"}]
    with app.app_context():
        who = None if viewer == "wall" else db.session.get(User, users[viewer])
        today = scenario.today()
        for args in shapes:
            f = queries.BoardFilters(**args)
            got = queries.column_cards(who, f, today, wall=who is None, limit=LIMIT)
            assert {code: [c.id for c in cards] for code, cards in got.items()} == _reference(who, f, today), args
