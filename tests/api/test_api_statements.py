"""Statements the API (and the list page) no longer issue: a new request's agency looked up twice, and the tracking
numbers, tolled spans and determinations it cannot have yet; a statement each for the list rows' agencies and
owners."""

from __future__ import annotations

import re

from tests.board.test_board_query_counts import counting
from tests.helpers import make_agency, make_request
from tracker.extensions import db


def test_a_new_request_is_answered_without_looking_up_what_it_cannot_have(app, client, users, bearer, frozen):
    with app.app_context():
        agency_id = make_agency().id
        db.session.commit()
    with counting(app) as statements:
        response = client.post("/api/v1/requests", json={"title": "New", "agency_id": agency_id,
                                                         "deadline_variant": ""},
                               headers={**bearer(), "Idempotency-Key": "one"})
    assert response.status_code == 201
    body = response.get_json()
    assert body["tracking_number"] is None and body["decisions"] is not None and body["agency"]["id"] == agency_id
    assert len([s for s in statements if re.search(r"FROM agencies\s+WHERE agencies\.id = ", s)]) == 1
    for table in ("tracking_numbers", "tolled_spans", "determinations"):
        assert not [s for s in statements if re.match(rf"\s*SELECT {table}\..*\bFROM {table}\s+WHERE", s, re.S)], table


def test_the_lists_rows_come_with_their_agency_and_owner(app, client, auth, users, bearer, frozen):
    """The list page and the API's list read each row's agency and owner in the rows' own statement, not in one
    more statement each."""
    with app.app_context():
        agencies = [make_agency(name=f"Agency {i}", abbreviation=f"A{i}") for i in range(3)]
        for i, agency in enumerate(agencies):
            make_request(users["reporter"] if i % 2 else users["editor"], agency, title=f"Listed {i}")
        db.session.commit()
    auth.login("reporter")
    for path, headers in (("/requests", {}), ("/api/v1/requests", bearer())):
        client.get(path, headers=headers)
        with counting(app) as statements:
            response = client.get(path, headers=headers)
        assert response.status_code == 200
        assert not [s for s in statements if re.search(r"FROM (agencies|users)\s+WHERE (agencies|users)\.id IN", s)]
    page = client.get("/requests").get_data(as_text=True)
    assert all(f"A{i}" in page for i in range(3))
    items = client.get("/api/v1/requests", headers=bearer()).get_json()["items"]
    with app.test_request_context():
        from flask import url_for

        assert all(r["url"] == url_for("requests.show", request_id=r["id"]) for r in items)  # one address built
        assert all(f'href="{r["url"]}"' in page for r in items)
    assert sorted((r["agency"]["abbreviation"], r["owner"]["id"]) for r in items) == [
        ("A0", users["editor"]), ("A1", users["reporter"]), ("A2", users["editor"])]


def views_of_a_request(app, client, bearer, request_id: int):
    """(path, the statements of its second view) for the request's page and its API answer, each answered 200."""
    for path, headers in ((f"/requests/{request_id}", {}), (f"/api/v1/requests/{request_id}", bearer())):
        client.get(path, headers=headers)
        with counting(app) as statements:
            response = client.get(path, headers=headers)
        assert response.status_code == 200
        yield path, statements


def test_a_request_is_shown_with_its_agency_and_owner_in_its_own_statement(app, client, auth, users, bearer, frozen):
    with app.app_context():
        request_id = make_request(users["editor"], make_agency(abbreviation="ICE")).id
        db.session.commit()
    auth.login("reporter")
    for _path, statements in views_of_a_request(app, client, bearer, request_id):
        assert not [s for s in statements if re.search(r"FROM (agencies|users)\s+WHERE (agencies|users)\.id = ", s)]
    body = client.get(f"/api/v1/requests/{request_id}", headers=bearer()).get_json()
    assert body["agency"]["abbreviation"] == "ICE" and body["owner"]["id"] == users["editor"]
    assert "ICE" in client.get(f"/requests/{request_id}").get_data(as_text=True)


def test_a_new_communication_is_answered_without_looking_up_its_attachments(app, client, users, bearer, frozen):
    with app.app_context():
        request_id = make_request(users["reporter"], make_agency()).id
        db.session.commit()
    with counting(app) as statements:
        response = client.post(f"/api/v1/requests/{request_id}/communications", headers=bearer(), json={
            "direction": "out", "channel": "email", "occurred_on": "2026-11-30", "subject": "Status?", "body": "Hi"})
    assert response.status_code == 201 and response.get_json()["attachments"] == []
    assert not [s for s in statements if re.match(r"\s*SELECT\b.*\bFROM attachments\s+WHERE", s, re.S)]
