"""A request shown whole (its page, the API's answer, an API write's answer) learns in one statement which of its
lists are empty, and reads none of those: a statement each cost more than the rest of the page. A list with rows
still shows them, a list the session has changed is never overwritten, and what was learned holds only in the
transaction that learned it."""

from __future__ import annotations

import re

from tests.api.test_api_statements import views_of_a_request
from tests.board.test_board_query_counts import counting
from tests.helpers import d, make_agency, make_request
from tracker.auth.models import User
from tracker.core.clock import now_utc
from tracker.extensions import db
from tracker.requests import services, shown
from tracker.requests.models import RecordsRequest

# Rows an empty request has none of, each once read by a statement of its own.
EMPTY = ("users", "tolled_spans", "letters", "attachments", "stories", "proposals", "document_texts",
         "tracking_numbers", "determinations", "matters", "incoming_messages")


def _row_reads(statements: list[str], table: str) -> list[str]:
    return [s for s in statements if re.match(rf"\s*SELECT {table}\..*\bFROM {table}\b", s, re.S)]


def test_an_empty_requests_page_and_answer_read_none_of_its_empty_lists(app, client, auth, users, bearer, frozen):
    with app.app_context():
        req = make_request(users["editor"], make_agency())
        services.add_communication(req, actor=db.session.get(User, users["editor"]), now=now_utc(), storage=None,
                                   direction="out", channel="email", occurred_on=d("2026-11-20"), subject="Hello",
                                   body="", files=[])  # a message, none of it by mail: no mail details to read
        db.session.commit()
        request_id = req.id
    auth.login("reporter")
    for path, statements in views_of_a_request(app, client, bearer, request_id):
        for table in EMPTY:
            reads = _row_reads(statements, table)
            if table == "users":  # the web session's user is looked up on every page; no watchers are
                reads = [s for s in reads if "request_watchers" in s]
            assert not reads, (path, table)
        # Nor whether it was referred on to another agency.
        assert not [s for s in statements if re.search(r"WHERE requests\.referred_from_id = ", s)], path


def test_a_write_answer_learns_its_empty_lists_in_one_statement(app, client, users, bearer, frozen):
    """An action's request comes with its agency and its empty lists known (the deadlines read its tolled spans and
    determinations); its answer asks again, after the write, in one statement."""
    with app.app_context():
        request_id = make_request(users["reporter"], make_agency()).id
        db.session.commit()
    with counting(app) as statements:
        response = client.post(f"/api/v1/requests/{request_id}/actions/file", json={"on": "2026-11-30",
                               "channel": "portal"}, headers={**bearer(), "Idempotency-Key": "file-1"})
    assert response.status_code == 200 and response.get_json()["watchers"] == []
    for read in (r"SELECT stories\.id\b", r"SELECT users\.id\b.*\bFROM users, request_watchers\b",
                 r"SELECT (tolled_spans|determinations|tracking_numbers)\.id\b.*\bFROM \1\s+WHERE",
                 r"SELECT agencies\.id\b.*\bFROM agencies\s+WHERE"):
        assert not [s for s in statements if re.match(rf"\s*{read}", s, re.S)], read


def test_lists_with_rows_are_shown(app, client, auth, users, bearer, frozen):
    with app.app_context():
        agency = make_agency()
        parent = make_request(users["editor"], agency, title="Parent")
        parent.watchers.append(db.session.get(User, users["reporter"]))
        db.session.flush()
        child = make_request(users["editor"], agency, title="Child")
        child.referred_from_id = parent.id
        child.referral_root_id = parent.id
        db.session.commit()
        parent_id, child_id = parent.id, child.id
    auth.login("reporter")
    body = client.get(f"/api/v1/requests/{parent_id}", headers=bearer()).get_json()
    assert [w["id"] for w in body["watchers"]] == [users["reporter"]]
    assert [r["id"] for r in body["referrals"]] == [child_id]
    page = client.get(f"/requests/{parent_id}").get_data(as_text=True)
    assert "You follow this request" in page and f"/requests/{child_id}" in page


def test_a_list_the_session_changed_is_kept_and_facts_end_with_the_transaction(app, users, frozen):
    with app.app_context():
        request_id = make_request(users["editor"], make_agency()).id
        db.session.commit()
        req = db.session.get(RecordsRequest, request_id)
        req.watchers.append(db.session.get(User, users["reporter"]))  # pending, not flushed
        assert shown.load(request_id) is req
        assert [u.id for u in req.watchers] == [users["reporter"]]
        assert shown.known(req, "referrals") is False
        db.session.rollback()
        assert shown.known(req, "referrals") is None  # a later transaction asks the database again
