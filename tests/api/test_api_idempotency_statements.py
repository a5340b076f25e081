"""The Idempotency-Key bookkeeping of an API write: the key's row is inserted once, with the answer in it, in the
write's own commit (not inserted and then updated, nor loaded again after the commit), and expired keys are swept
now and then, not by every write."""

from __future__ import annotations

import re
from contextlib import contextmanager
from datetime import timedelta

from sqlalchemy import event, func, select

from tests.board.test_board_query_counts import counting
from tests.helpers import make_agency
from tracker.api import idempotency
from tracker.core.idempotency_models import IdempotencyKey
from tracker.extensions import db


def _keys(app) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(select(IdempotencyKey.key).order_by(IdempotencyKey.key)))


def test_the_answer_is_stored_with_its_keys_one_insert_and_expired_keys_are_swept_now_and_then(
        app, client, users, bearer, frozen, monkeypatch):
    monkeypatch.setattr(idempotency, "_next_sweep", None, raising=False)  # this process has not swept yet
    with app.app_context():
        agency_id = make_agency().id
        db.session.commit()

    def create(key: str) -> list[str]:
        with counting(app) as statements:
            response = client.post("/api/v1/requests", json={"title": f"Request {key}", "agency_id": agency_id},
                                   headers={**bearer(), "Idempotency-Key": key})
        assert response.status_code == 201
        return statements

    def sweeps(statements) -> int:
        return sum(bool(re.match(r"\s*DELETE FROM idempotency_keys", s)) for s in statements)

    first = create("first")
    assert sweeps(first) == 1
    assert sum(bool(re.match(r"\s*INSERT INTO idempotency_keys", s)) for s in first) == 1
    assert not [s for s in first if re.match(r"\s*UPDATE idempotency_keys", s)]
    assert not [s for s in first if re.search(r"FROM idempotency_keys\s+WHERE idempotency_keys\.id = ", s)]
    assert sweeps(create("second")) == 0  # swept a moment ago
    replay = client.post("/api/v1/requests", json={"title": "Request first", "agency_id": agency_id},
                         headers={**bearer(), "Idempotency-Key": "first"})
    assert replay.headers["Idempotent-Replayed"] == "true" and replay.status_code == 201

    frozen.shift(idempotency.KEEP + timedelta(minutes=1))
    assert sweeps(create("third")) == 1  # the next write after SWEEP_EVERY sweeps the expired keys
    assert _keys(app) == ["third"]
    with app.app_context():
        stored = db.session.scalar(select(func.count()).select_from(IdempotencyKey).where(
            IdempotencyKey.status == 201, IdempotencyKey.body.is_not(None)))
    assert stored == 1


@contextmanager
def commits(app):
    """The commits the engine makes meanwhile (the unit of work's, not a statement's text)."""
    made: list[int] = []
    with app.app_context():
        engine = db.engine

    def record(_conn) -> None:
        made.append(1)

    event.listen(engine, "commit", record)
    try:
        yield made
    finally:
        event.remove(engine, "commit", record)


def test_a_write_and_the_answer_its_key_keeps_are_one_commit(app, client, users, bearer, frozen):
    with app.app_context():
        agency_id = make_agency().id
        db.session.commit()
    headers = {**bearer(), "Idempotency-Key": "one-commit"}
    path = "/api/v1/requests"
    client.post(path, json={"title": "Warm-up", "agency_id": agency_id}, headers=bearer())  # the token's touch
    with commits(app) as made:
        created = client.post(path, json={"title": "Kept", "agency_id": agency_id}, headers=headers)
    assert created.status_code == 201
    assert len(made) == 1  # not a second transaction to keep the answer after the write's
    with commits(app) as made:
        filed = client.post(f"/api/v1/requests/{created.get_json()['id']}/actions/file",
                            json={"on": "2026-11-16", "channel": "portal"},
                            headers={**bearer(), "Idempotency-Key": "one-commit-file"})
    assert filed.status_code == 200 and len(made) == 1
    replay = client.post(path, json={"title": "Kept", "agency_id": agency_id}, headers=headers)
    assert replay.status_code == 201 and replay.headers["Idempotent-Replayed"] == "true"
    assert replay.get_json() == created.get_json() and replay.headers["Location"] == created.headers["Location"]
    with app.app_context():
        row = db.session.scalar(select(IdempotencyKey).where(IdempotencyKey.key == "one-commit"))
    assert (row.status, row.location) == (201, created.headers["Location"])
