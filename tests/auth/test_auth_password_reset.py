"""Password reset by an emailed, expiring, single-use link."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import select

from tests.conftest import FROZEN
from tests.helpers import csrf_token
from tracker.core.mail import OutboxMessage
from tracker.extensions import db


def _ask_for_link(client, email: str):
    token = csrf_token(client, "/password/forgot")
    return client.post("/password/forgot", data={"csrf_token": token, "email": email})


def _link_in_outbox(app, to: str) -> str:
    with app.app_context():
        body = db.session.scalars(select(OutboxMessage.text_body).where(OutboxMessage.to_address == to)).one()
    return re.search(r"http://\S+/password/reset/\S+", body).group(0)


def test_reset_link_works_once(app, client, users, frozen):
    response = _ask_for_link(client, "reporter@test.example")
    assert response.status_code == 302
    path = "/password/reset/" + _link_in_outbox(app, "reporter@test.example").rsplit("/", 1)[1]

    token = csrf_token(client, path)
    response = client.post(path, data={"csrf_token": token, "password": "a brand new password",
                                       "confirm": "a brand new password"})
    assert response.status_code == 302
    login = client.post("/login", data={"csrf_token": csrf_token(client, "/login"),
                                        "email": "reporter@test.example", "password": "a brand new password"})
    assert login.status_code == 302

    again = client.get(path)
    assert again.status_code == 400
    assert "already used" in again.get_data(as_text=True)


def test_reset_link_expires_after_an_hour(app, client, users, frozen):
    _ask_for_link(client, "editor@test.example")
    path = "/password/reset/" + _link_in_outbox(app, "editor@test.example").rsplit("/", 1)[1]
    frozen.move_to(FROZEN + timedelta(minutes=61))
    response = client.get(path)
    assert response.status_code == 400
    assert "expired" in response.get_data(as_text=True)


def test_unknown_and_inactive_addresses_get_the_same_answer_and_no_mail(app, client, users):
    for email in ("nobody@test.example", "inactive@test.example"):
        response = _ask_for_link(client, email)
        assert response.status_code == 302
    with app.app_context():
        assert db.session.scalars(select(OutboxMessage)).all() == []
    assert client.get("/password/reset/garbage").status_code == 400
