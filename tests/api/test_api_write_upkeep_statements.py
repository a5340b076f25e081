"""What a write through the API costs at its commit (the board's, the ledger's and the Idempotency-Key's upkeep),
and that what they write is unchanged: the board's tallies, entries, facts and windows as counted from scratch,
the matters' summaries marked stale."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from tests.board.test_board_query_counts import counting
from tests.helpers import d, make_agency, make_matter, make_request, perform
from tracker.board import tallies, windows
from tracker.board.models import BoardEntry
from tracker.extensions import db
from tracker.matters.models import MatterSummary
from tracker.requests.models import RecordsRequest

TODAY = d("2026-11-30")  # the frozen clock's day


def _board_is_as_counted_from_scratch() -> None:
    assert tallies.stored(db.session) == tallies.from_scratch(db.session)
    for name in windows.WINDOWS:
        assert windows.stored_counts(db.session, name) == windows.from_scratch(db.session, name, TODAY)
        assert windows.stored_owner_counts(db.session, name) == windows.from_scratch(db.session, name, TODAY,
                                                                                     per_owner=True)


def _matching(statements: list[str], pattern: str) -> list[str]:
    return [s for s in statements if re.match(pattern, s.strip(), re.S)]


@pytest.mark.parametrize("private", [False, True])
def test_filing_through_the_api_moves_the_board_and_ledger_in_few_statements(app, client, users, bearer, frozen,
                                                                             private):
    with app.app_context():
        agency = make_agency()
        windows.current(db.session, TODAY)
        request_id = make_request(users["reporter"], agency, private=private).id
        db.session.commit()
    with counting(app) as statements:
        response = client.post(f"/api/v1/requests/{request_id}/actions/file", json={"on": "2026-11-30",
                               "channel": "portal"}, headers={**bearer(), "Idempotency-Key": f"file-{private}"})
    assert response.status_code == 200 and response.get_json()["status"] == "filed"
    assert len(_matching(statements, r"INSERT INTO board_window_tallies\b")) == 1  # three windows moved
    assert len(_matching(statements, r"INSERT INTO board_owner_window_tallies\b")) == (1 if private else 0)
    assert not _matching(statements, r"DELETE FROM board_")  # a draft has no facts; its entry replaced in place
    assert not _matching(statements, r"SELECT (determinations|request_matters)\.")  # decisions, matter links
    assert not _matching(statements, r"UPDATE idempotency_keys\b")
    assert not _matching(statements, r"SELECT requests\.id, requests\.status, requests\.private")  # read once
    with app.app_context():
        _board_is_as_counted_from_scratch()
        entry = db.session.get(BoardEntry, request_id)
        assert (entry.status, entry.private, entry.dated) == ("filed", private, True)
        stored = windows._stored_facts(db.session.connection(), [request_id])[request_id]
        assert stored == windows._facts_of(db.session.connection(), [request_id])[request_id]
        assert {f[3] for f in stored} == {"requests", "clock_dated"}


@pytest.mark.parametrize("links_loaded", [False, True])
def test_filing_marks_the_requests_matters_stale_whether_or_not_their_links_were_loaded(app, users, frozen,
                                                                                       links_loaded):
    with app.app_context():
        agency = make_agency()
        matter_ids = [make_matter(title=f"Matter {i}").id for i in range(2)]
        request_id = make_request(users["reporter"], agency, matter_ids=matter_ids).id
        make_request(users["reporter"], agency, title="other", matter_ids=[make_matter("Other").id])
        db.session.commit()
        before = dict(db.session.execute(select(MatterSummary.matter_id, MatterSummary.changes)).all())
        req = db.session.get(RecordsRequest, request_id)
        if links_loaded:
            assert sorted(m.id for m in req.matters) == matter_ids
        with counting(app) as statements:
            perform(req, "file", users["reporter"], on=d("2026-11-02"), channel="portal")
            db.session.commit()
        assert bool(_matching(statements, r"SELECT request_matters\.")) is not links_loaded
        after = dict(db.session.execute(select(MatterSummary.matter_id, MatterSummary.changes)).all())
        assert {m: after[m] - before[m] for m in before} == {**{m: 1 for m in matter_ids}, **{
            m: 0 for m in before if m not in matter_ids}}


def test_a_determination_added_after_a_flush_that_saw_none_is_counted(app, users, frozen):
    """A flush notes that the request had no determination; the transaction then adds one: the commit reads its
    decisions all the same."""
    with app.app_context():
        agency = make_agency()
        windows.current(db.session, TODAY)
        request_id = make_request(users["reporter"], agency).id
        db.session.commit()
        req = db.session.get(RecordsRequest, request_id)
        assert req.determinations == []
        perform(req, "file", users["reporter"], on=d("2026-11-02"), channel="portal")
        db.session.flush()
        perform(req, "determine", users["reporter"], on=d("2026-11-20"), outcome="granted_in_part",
                exemptions=["b6"], documents=[])
        db.session.commit()
        _board_is_as_counted_from_scratch()
        kinds = {f[3] for f in windows._stored_facts(db.session.connection(), [request_id])[request_id]}
        assert {"outcome", "exemption", "det_days", "judged"} <= kinds


def test_a_deleted_requests_entry_and_facts_go_with_it(app, users, frozen):
    with app.app_context():
        agency = make_agency()
        windows.current(db.session, TODAY)
        req = make_request(users["reporter"], agency)
        perform(req, "file", users["reporter"], on=d("2026-11-02"), channel="portal")
        db.session.commit()
        request_id = req.id
        db.session.delete(req)
        db.session.commit()
        assert db.session.get(BoardEntry, request_id) is None
        assert windows._stored_facts(db.session.connection(), [request_id]) == {}
        _board_is_as_counted_from_scratch()


@pytest.mark.parametrize("linked", [False, True])
def test_a_new_request_is_answered_without_asking_what_it_holds(app, client, users, bearer, frozen, linked):
    """A request inserted by the transaction that answers with it has only what its creator gave it: its answer
    asks nothing about its lists and facts, and is the answer a read of it gives."""
    with app.app_context():
        agency_id = make_agency().id
        matter_id = make_matter().id
        db.session.commit()
    body = {"title": "New", "agency_id": agency_id, "private": linked}
    if linked:
        body |= {"matter_ids": [matter_id], "watcher_ids": [users["other_reporter"]]}
    with counting(app) as statements:
        response = client.post("/api/v1/requests", json=body, headers={**bearer(), "Idempotency-Key": "new"})
    assert response.status_code == 201
    assert not _matching(statements, r"SELECT EXISTS")
    assert not _matching(statements, r"SELECT .*\bFROM (attachments|letters)\b")
    read = client.get(f"/api/v1/requests/{response.get_json()['id']}", headers=bearer())
    assert response.get_data(as_text=True) == read.get_data(as_text=True)
    assert [m["id"] for m in response.get_json()["matters"]] == ([matter_id] if linked else [])
