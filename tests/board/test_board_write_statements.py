"""What a write costs the board's windows at its commit: the changed requests' facts are read with their owners in
one statement, and their decisions' documents only when there are decisions."""

from __future__ import annotations

import re

from tests.board.test_board_query_counts import counting
from tests.helpers import d, make_agency, make_matter, make_request, perform
from tracker.board import tallies, windows
from tracker.extensions import db
from tracker.requests.models import RecordsRequest


def test_filing_reads_no_documents_and_no_owners_apart(app, users, frozen):
    with app.app_context():
        request_id = make_request(users["reporter"], make_agency()).id
        db.session.commit()
    with app.app_context():
        req = db.session.get(RecordsRequest, request_id)
        with counting(app) as statements:
            perform(req, "file", users["reporter"], on=d("2026-11-02"), channel="portal")
            db.session.commit()
        assert not [s for s in statements if "FROM determination_documents" in s]
        assert not [s for s in statements if re.match(r"SELECT requests\.id, requests\.owner_id\s+FROM requests", s)]
        assert windows._facts_of(db.session.connection(), [request_id])[request_id]  # its receipt is a fact


def test_a_determinations_documents_are_still_read(app, users, frozen):
    with app.app_context():
        req = make_request(users["reporter"], make_agency())
        perform(req, "file", users["reporter"], on=d("2026-11-02"), channel="portal")
        perform(req, "determine", users["reporter"], on=d("2026-11-20"), outcome="granted_in_part", exemptions=["b6"],
                documents=[])
        db.session.commit()
        from tracker.requests.models import DeterminationDocument

        db.session.add(DeterminationDocument(determination_id=req.determinations[0].id, position=1,
                                             description="Report", exemptions=["b7C"]))
        db.session.commit()
        found = windows._facts_of(db.session.connection(), [req.id])[req.id]
        assert {f[4] for f in found if f[3] == "exemption"} == {"b6", "b7C"}
        assert {f[5] for f in found} == {users["reporter"]}


def test_a_new_requests_commit_reads_nothing_kept_before_it(app, users, frozen):
    """A request inserted by the transaction has no board entry and no facts yet, and no matter links but those its
    own collection added in the flush that inserted it: none of them is read (4 statements of a create's 19)."""
    with app.app_context():
        agency = make_agency()
        windows.current(db.session, d("2026-11-30"))
        db.session.commit()
        with counting(app) as statements:
            req = make_request(users["reporter"], agency)
            db.session.flush()
            perform(req, "file", users["reporter"], on=d("2026-11-02"), channel="portal")
            db.session.commit()
        assert not [s for s in statements if re.match(r"SELECT .*\s+FROM (board_entries|board_facts)\b", s, re.S)]
        assert not [s for s in statements if s.startswith("DELETE FROM board_")]
        assert tallies.stored(db.session) == tallies.from_scratch(db.session)
        for name in windows.WINDOWS:
            assert windows.stored_counts(db.session, name) == windows.from_scratch(db.session, name, d("2026-11-30"))
        assert windows._facts_of(db.session.connection(), [req.id])[req.id]  # it has facts, all written
        with counting(app) as statements:
            make_request(users["reporter"], agency, title="linked", matter_ids=[make_matter().id])
            db.session.commit()
        assert not [s for s in statements if re.match(r"SELECT .*\s+FROM (request_matters|determinations)\b", s, re.S)]
        assert [s for s in statements if "matter_summaries" in s]  # its matter's summary marked stale all the same


def test_a_rebuild_inside_the_transaction_that_created_a_request_counts_it_once(app, users, frozen):
    """The rebuild writes the new request's entry and facts: the commit must read them like any other's."""
    with app.app_context():
        agency = make_agency()
        make_request(users["reporter"], agency, title="before")
        db.session.commit()
        req = make_request(users["reporter"], agency)
        perform(req, "file", users["reporter"], on=d("2026-11-02"), channel="portal")
        db.session.flush()
        tallies.rebuild(db.session)
        windows.current(db.session, d("2026-11-30"))
        perform(req, "acknowledge", users["reporter"], on=d("2026-11-04"))
        db.session.commit()
        assert tallies.stored(db.session) == tallies.from_scratch(db.session)
        for name in windows.WINDOWS:
            assert windows.stored_counts(db.session, name) == windows.from_scratch(db.session, name, d("2026-11-30"))
