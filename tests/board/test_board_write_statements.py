"""What a write costs the board's windows at its commit: the changed requests' facts are read with their owners in
one statement, and their decisions' documents only when there are decisions."""

from __future__ import annotations

import re

from tests.board.test_board_query_counts import counting
from tests.helpers import d, make_agency, make_request, perform
from tracker.board import windows
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
