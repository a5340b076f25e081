"""The two signals of requests/changes.py: `requests_changed` after every flush, `requests_committing` once as
the transaction commits with what all its flushes touched, decided by what is stored at the commit."""

from __future__ import annotations

import re

from sqlalchemy import select

from tests.helpers import d, make_agency, make_request, perform
from tracker.board import tallies
from tracker.extensions import db
from tracker.requests.changes import requests_changed, requests_committing
from tracker.requests.models import RecordsRequest


class Heard:
    def __init__(self, signal):
        self.calls: list = []
        self.signal = signal

    def __call__(self, session, *, changes):
        self.calls.append(changes)

    def __enter__(self):
        self.signal.connect(self)
        return self

    def __exit__(self, *exc):
        self.signal.disconnect(self)


def test_an_action_that_flushes_several_times_is_sent_once_at_the_commit(app, users, frozen):
    with app.app_context():
        req = make_request(users["reporter"], make_agency())
        db.session.commit()
        with Heard(requests_changed) as per_flush, Heard(requests_committing) as at_commit:
            perform(req, "file", users["reporter"], on=d("2026-11-27"), channel="portal")
            db.session.flush()
            perform(req, "acknowledge", users["reporter"], on=d("2026-11-30"))
            assert at_commit.calls == []  # nothing until the commit
            db.session.commit()
        assert len(per_flush.calls) >= 2
        assert len(at_commit.calls) == 1
        assert at_commit.calls[0].request_ids == {req.id}
        assert at_commit.calls[0].deleted_request_ids == set()


def test_a_rolled_back_transaction_sends_nothing_at_the_next_commit(app, users, frozen):
    with app.app_context():
        req = make_request(users["reporter"], make_agency())
        other = make_request(users["reporter"], make_agency("DOJ Office of Information Policy", "OIP", "US-DOJ"))
        db.session.commit()
        with Heard(requests_committing) as at_commit:
            perform(req, "file", users["reporter"], on=d("2026-11-27"), channel="portal")
            db.session.flush()
            db.session.rollback()
            perform(other, "file", users["reporter"], on=d("2026-11-27"), channel="portal")
            db.session.commit()
        assert [c.request_ids for c in at_commit.calls] == [{other.id}]


def test_a_deletion_undone_by_a_savepoint_is_counted_as_a_change_not_a_deletion(app, users):
    with app.app_context():
        agency = make_agency()
        keep = make_request(users["reporter"], agency, title="kept")
        gone = make_request(users["reporter"], agency, title="deleted")
        db.session.commit()
        keep_id, gone_id = keep.id, gone.id
        with Heard(requests_committing) as at_commit:
            savepoint = db.session.begin_nested()
            db.session.delete(keep)
            db.session.flush()
            savepoint.rollback()
            db.session.delete(db.session.get(RecordsRequest, gone_id))
            db.session.commit()
        sent = at_commit.calls[-1]
        assert sent.request_ids == {keep_id}
        assert sent.deleted_request_ids == {gone_id}
        assert db.session.scalars(select(RecordsRequest.title)).all() == ["kept"]
        # The board's tallies, moved at that commit, agree with a count from scratch.
        assert tallies.stored(db.session) == tallies.from_scratch(db.session)


def test_a_request_the_session_holds_is_not_looked_up_again_at_the_commit(app, users, frozen):
    """Whether a changed request still exists is known from the session when it holds it; the signal is the same."""
    from tests.board.test_board_query_counts import counting

    with app.app_context():
        req = make_request(users["reporter"], make_agency())
        db.session.commit()
        with Heard(requests_committing) as at_commit, counting(app) as statements:
            perform(req, "file", users["reporter"], on=d("2026-11-27"), channel="portal")
            db.session.commit()
        assert not [s for s in statements if re.match(r"SELECT requests\.id\s+FROM requests\s+WHERE", s)]
        assert at_commit.calls[0].request_ids == {req.id}
        assert at_commit.calls[0].deleted_request_ids == set()


def test_a_request_written_in_a_savepoint_rolled_back_is_looked_up(app, users):
    """What a flush wrote tells that a request exists, unless a savepoint undid it."""
    with app.app_context():
        agency = make_agency()
        kept = make_request(users["reporter"], agency, title="kept")
        db.session.commit()
        with Heard(requests_committing) as at_commit:
            savepoint = db.session.begin_nested()
            undone_id = make_request(users["reporter"], agency, title="undone").id
            db.session.flush()
            savepoint.rollback()
            kept.title = "kept, renamed"
            db.session.commit()
        sent = at_commit.calls[-1]
        assert sent.request_ids == {kept.id}
        assert sent.deleted_request_ids == {undone_id}
        assert sent.inserted_request_ids == set()
        assert tallies.stored(db.session) == tallies.from_scratch(db.session)
