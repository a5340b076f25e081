"""The request page costs the same number of SQL statements however many messages and attachments the request
has: the timeline's attachments and mail details load in one query each."""

from __future__ import annotations

import io

from flask import current_app

from tests.board.test_board_query_counts import counting
from tests.helpers import d, make_agency, make_request, perform
from tracker.auth.models import User
from tracker.core.clock import now_utc
from tracker.core.storage import DirectoryStorage
from tracker.extensions import db
from tracker.requests import services


def _messages(req, reporter_id: int, n: int) -> None:
    storage = DirectoryStorage(current_app.config["TRACKER_UPLOAD_DIR"])
    for i in range(n):
        services.add_communication(
            req, actor=db.session.get(User, reporter_id), now=now_utc(), storage=storage, direction="in",
            channel="email", occurred_on=d("2026-11-20"), subject=f"Letter {i}", body="See attached.",
            files=[services.Upload(f"letter-{i}.txt", io.BytesIO(b"The agency's letter."))])


def _statements(app, client, path: str) -> int:
    client.get(path)
    with counting(app) as statements:
        response = client.get(path)
    assert response.status_code == 200
    return len(statements)


def test_the_request_page_costs_the_same_with_one_message_or_eight(app, client, auth, users, frozen):
    with app.app_context():
        agency = make_agency()
        few, many = make_request(users["reporter"], agency, title="Few"), make_request(users["reporter"], agency,
                                                                                      title="Many")
        for req in (few, many):
            perform(req, "file", users["reporter"], on=d("2026-11-16"), channel="portal")
        _messages(few, users["reporter"], 1)
        _messages(many, users["reporter"], 8)
        db.session.commit()
        few_id, many_id = few.id, many.id
    auth.login("reporter")
    assert _statements(app, client, f"/requests/{few_id}") == _statements(app, client, f"/requests/{many_id}")
    assert b"letter-7.txt" in client.get(f"/requests/{many_id}").data

