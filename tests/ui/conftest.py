"""Fixtures for the ui tests: API tokens (the same as the API tests' fixtures)."""

from __future__ import annotations

import pytest

from tracker.auth.api_tokens import create_token
from tracker.auth.models import User
from tracker.core.clock import now_utc
from tracker.extensions import db


@pytest.fixture
def tokens(app, users):
    """who -> secret, for every user of the `users` fixture (the inactive one's token is made while active)."""
    made = {}
    with app.app_context():
        for who, user_id in users.items():
            user = db.session.get(User, user_id)
            _token, made[who] = create_token(user, f"{who} test token", now=now_utc())
        db.session.commit()
    return made


@pytest.fixture
def bearer(tokens):
    def headers(who: str = "reporter") -> dict:
        return {"Authorization": f"Bearer {tokens[who]}"}

    return headers
