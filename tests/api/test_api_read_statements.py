"""What an API read costs: the token and its user in one statement, the request loaded once (its answer is built
before the read is committed to a private request's audit trail, so the commit's expiry reloads nothing)."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from tests.board.test_board_query_counts import counting
from tests.helpers import make_agency, make_request
from tracker.extensions import db
from tracker.requests.models import AuditEntry


def _private_request(app, owner_id: int) -> int:
    with app.app_context():
        req = make_request(owner_id, make_agency(), title="Use of force review", private=True)
        db.session.commit()
        return req.id


def _reads(statements: list[str], table: str) -> list[str]:
    """The statements that load one row of `table` by its id (with what is joined to it)."""
    return [s for s in statements if re.search(rf"FROM {table}\b(\s+(LEFT OUTER )?JOIN\b.*?)?\s+WHERE {table}\.id = ",
                                               s, re.S)]


def test_an_api_read_loads_the_request_once_and_the_caller_with_the_token(app, client, users, bearer, frozen):
    request_id = _private_request(app, users["reporter"])
    path = f"/api/v1/requests/{request_id}"
    assert client.get(path, headers=bearer()).status_code == 200  # a first call may load things once
    with counting(app) as statements:
        response = client.get(path, headers=bearer())
    assert response.status_code == 200 and response.get_json()["title"] == "Use of force review"
    assert len(_reads(statements, "requests")) == 1
    assert _reads(statements, "users") == []  # the caller came with the token (and owns the request)
    assert sum(bool(re.search(r"\b(FROM|JOIN) api_tokens\b", s)) for s in statements) == 1  # with its user
    with app.app_context():  # both reads are on the private request's audit trail
        views = db.session.scalar(select(func.count()).select_from(AuditEntry).where(
            AuditEntry.request_id == request_id, AuditEntry.action == "view"))
    assert views == 2


def test_the_lists_of_a_request_are_answered_from_one_load(app, client, users, bearer, frozen):
    request_id = _private_request(app, users["reporter"])
    for part in ("events", "communications", "attachments"):
        path = f"/api/v1/requests/{request_id}/{part}"
        client.get(path, headers=bearer())
        with counting(app) as statements:
            response = client.get(path, headers=bearer())
        assert response.status_code == 200
        assert len(_reads(statements, "requests")) == 1, part
    assert client.get(f"/api/v1/requests/{request_id}/events", headers=bearer()).get_json()["items"][0]["action"] \
        == "create"


def test_the_api_list_reads_only_the_columns_a_summary_shows(app, client, users, bearer, frozen):
    with app.app_context():
        req = make_request(users["reporter"], make_agency(), title="Listed", records_description="Long wording")
        db.session.commit()
        request_id = req.id
    client.get("/api/v1/requests", headers=bearer())
    with counting(app) as statements:
        items = client.get("/api/v1/requests", headers=bearer()).get_json()["items"]
    rows = [s for s in statements if re.search(r"\bFROM requests JOIN agencies\b", s)]
    assert len(rows) == 1 and "records_description" not in rows[0]
    assert _reads(statements, "requests") == []  # no row loaded again for a column the summary shows
    assert [(i["id"], i["title"], i["status"], i["sent_on"]) for i in items] == [(request_id, "Listed", "draft", None)]
