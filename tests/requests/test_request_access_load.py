"""Loading a request by id for a person (every door's one way in): ids that no request can have answer like
an unknown one, the highest id a link may carry still loads, and a private request's audit trail gets exactly
the accesses asked for, at the time given."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from tests.helpers import make_agency, make_request
from tracker.auth.models import User
from tracker.core.clock import now_utc
from tracker.core.converters import MAX_ID
from tracker.core.errors import NotFound
from tracker.extensions import db
from tracker.requests import access
from tracker.requests.models import AuditEntry, RecordsRequest


@pytest.fixture
def reporter(db, users):
    return db.session.get(User, users["reporter"])


@pytest.mark.parametrize("request_id", [-1, 0, MAX_ID + 1, 2**63, 10**30])
def test_an_id_no_request_can_have_is_not_found(reporter, request_id):
    make_request(reporter.id, make_agency())
    with pytest.raises(NotFound) as refused:
        access.load(reporter, request_id)
    assert str(refused.value) == "There is no request with this id."


def test_the_highest_id_a_link_may_carry_loads(reporter):
    agency = make_agency()
    db.session.add(RecordsRequest(id=MAX_ID, title="The last id", agency_id=agency.id, owner_id=reporter.id,
                                  created_at=now_utc(), updated_at=now_utc(), deadline_provenance={}))
    db.session.commit()
    assert access.load(reporter, MAX_ID).title == "The last id"


def _trail(req) -> list[tuple]:
    return list(db.session.execute(select(AuditEntry.action, AuditEntry.detail, AuditEntry.at)
                                   .where(AuditEntry.request_id == req.id).order_by(AuditEntry.id)))


def test_only_the_accesses_asked_for_are_audited_at_the_time_given(reporter):
    req = make_request(reporter.id, make_agency(), title="Secret", private=True)
    db.session.commit()
    before = _trail(req)
    access.load(reporter, req.id)
    access.load(reporter, req.id, act=True)
    assert _trail(req) == before  # loading to check or to change is not itself an access to note
    when = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)  # not the clock's time: the caller's own
    access.load(reporter, req.id, audit_as="view", now=when)
    access.load(reporter, req.id, audit_as="download", detail="letter.pdf", now=when)
    db.session.commit()
    added = [(action, detail, at.replace(tzinfo=UTC) if at.tzinfo is None else at)
             for action, detail, at in _trail(req)[len(before):]]
    assert added == [("view", "", when), ("download", "letter.pdf", when)]
