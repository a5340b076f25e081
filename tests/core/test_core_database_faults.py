"""Database connections cut under load (PostgreSQL backends terminated with pg_terminate_backend):
a finished answer is never replaced by a 500 from the teardown, and a write that was committed is never
answered "nothing was saved". API writes with an Idempotency-Key are done once however often they are sent."""

from __future__ import annotations

import contextlib

import pytest
from flask import current_app, g
from sqlalchemy import create_engine, event, func, select, text

from tests.conftest import Auth
from tests.helpers import csrf_token, make_agency
from tracker import create_app
from tracker.auth import api_tokens
from tracker.auth.models import User
from tracker.core.clock import now_utc
from tracker.extensions import db
from tracker.matters.models import Matter
from tracker.requests.models import RecordsRequest


def _is_postgres(app) -> bool:
    return app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql")


@pytest.fixture
def cut_app(app):
    """A second app on the same database, whose connections a test can cut at a chosen moment."""
    if not _is_postgres(app):
        pytest.skip("terminating a backend needs PostgreSQL (TRACKER_TEST_DATABASE_URL)")
    other = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
                        "SECRET_KEY": "test-secret", "TRACKER_UPLOAD_DIR": app.config["TRACKER_UPLOAD_DIR"]})
    admin = create_engine(app.config["SQLALCHEMY_DATABASE_URI"], isolation_level="AUTOCOMMIT")
    other.extensions["cut"] = admin
    yield other
    admin.dispose()
    with other.app_context():
        db.engine.dispose()


def _terminate(app, pid: int) -> None:
    with app.extensions["cut"].connect() as conn:
        assert conn.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid}).scalar()


@contextlib.contextmanager
def _cut_after_commit(app):
    """Terminate the backend of the first transaction a request begins after its commit went through."""
    from flask_sqlalchemy.session import Session

    def after_begin(session, transaction, connection):
        if current_app._get_current_object() is app and g.get("db_commit") == "done" and not g.get("cut"):
            g.cut = True
            _terminate(app, connection.exec_driver_sql("SELECT pg_backend_pid()").scalar())

    event.listen(Session, "after_begin", after_begin)
    try:
        yield
    finally:
        event.remove(Session, "after_begin", after_begin)


def _token(app, who_id: int) -> str:
    with app.app_context():
        _row, secret = api_tokens.create_token(db.session.get(User, who_id), "script", now=now_utc())
        db.session.commit()
    return secret


def test_a_connection_cut_after_the_answer_never_becomes_a_500(cut_app, users):
    """The teardown's ROLLBACK on a dead connection raises after every error handler; the answer stands."""
    @cut_app.after_request
    def cut(response):
        if g.get("cut_now"):
            pid = db.session.execute(text("SELECT pg_backend_pid()")).scalar()  # the request's own connection
            _terminate(cut_app, pid)
        return response

    @cut_app.before_request
    def arm():
        g.cut_now = True

    client = cut_app.test_client()
    Auth(client).login("reporter")
    for _ in range(3):
        response = client.get("/requests")
        assert response.status_code == 200
        assert "Requests" in response.get_data(as_text=True)
    assert client.get("/api/v1/requests").status_code == 200


def test_a_write_committed_before_the_cut_is_never_reported_unsaved(cut_app, users):
    with cut_app.app_context():
        agency_id = make_agency().id
        db.session.commit()
    client = cut_app.test_client()
    Auth(client).login("reporter")
    token = csrf_token(client, "/requests/new")
    with _cut_after_commit(cut_app):
        response = client.post("/requests/new", data={
            "csrf_token": token, "title": "Saved before the cut", "agency_id": agency_id,
            "fee_category": "news_media", "expedited_category": ""})
    body = response.get_data(as_text=True)
    assert response.status_code == 503 and response.headers["Retry-After"]
    assert "Nothing was saved" not in body
    assert "The change was saved" in body
    with cut_app.app_context():
        assert db.session.scalar(select(func.count()).select_from(RecordsRequest)) == 1


def test_an_api_write_cut_after_its_commit_is_done_once_with_an_idempotency_key(cut_app, users):
    client = cut_app.test_client()
    headers = {"Authorization": f"Bearer {_token(cut_app, users['reporter'])}", "Idempotency-Key": "retry-me-1"}
    body = {"title": "Broadview detention inquiry", "category": "systemic"}
    with _cut_after_commit(cut_app):
        first = client.post("/api/v1/matters", json=body, headers=headers)
    assert first.status_code == 503
    error = first.get_json()["error"]
    assert error["code"] == "saved_answer_incomplete" and "Nothing was saved" not in error["message"]

    retry = client.post("/api/v1/matters", json=body, headers=headers)  # the client retries, as told by the 503
    assert retry.status_code == 409
    assert "already carried out" in retry.get_json()["error"]["message"]
    with cut_app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Matter)) == 1


# --- Idempotency-Key on any database ------------------------------------------------------------------

def _create(client, headers, title="OPR report of investigation", agency_id=None):
    return client.post("/api/v1/requests", json={"title": title, "agency_id": agency_id}, headers=headers)


def _count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(RecordsRequest))


def test_a_retry_with_the_same_key_gets_the_first_answer(app, users, frozen):
    with app.app_context():
        agency_id = make_agency().id
        db.session.commit()
    client = app.test_client()
    token = _token(app, users["reporter"])
    headers = {"Authorization": f"Bearer {token}", "Idempotency-Key": "1f0c7d1e-retry"}
    first = _create(client, headers, agency_id=agency_id)
    assert first.status_code == 201
    again = _create(client, headers, agency_id=agency_id)
    assert again.status_code == 201 and again.headers["Idempotent-Replayed"] == "true"
    assert again.get_json() == first.get_json()
    assert _count(app) == 1

    changed = _create(client, headers, title="Something else", agency_id=agency_id)
    assert changed.status_code == 422 and "different request" in changed.get_json()["error"]["message"]
    # Another caller's key space is its own.
    other = {"Authorization": f"Bearer {_token(app, users['editor'])}", "Idempotency-Key": "1f0c7d1e-retry"}
    assert _create(client, other, agency_id=agency_id).status_code == 201
    # Without a key, a second send is a second request.
    plain = {"Authorization": f"Bearer {token}"}
    assert _create(client, plain, agency_id=agency_id).status_code == 201
    assert _count(app) == 3


def test_a_refused_write_keeps_no_key(app, users, frozen):
    with app.app_context():
        agency_id = make_agency().id
        db.session.commit()
    client = app.test_client()
    headers = {"Authorization": f"Bearer {_token(app, users['reporter'])}", "Idempotency-Key": "fix-and-resend"}
    assert _create(client, headers, title="").status_code == 422
    assert _create(client, headers, agency_id=agency_id).status_code == 201  # the corrected write goes through
    assert _count(app) == 1


def test_keys_expire_after_a_day(app, users, frozen):
    from datetime import timedelta

    with app.app_context():
        agency_id = make_agency().id
        db.session.commit()
    client = app.test_client()
    headers = {"Authorization": f"Bearer {_token(app, users['reporter'])}", "Idempotency-Key": "old-key"}
    assert _create(client, headers, agency_id=agency_id).status_code == 201
    frozen.shift(timedelta(hours=25))
    assert "Idempotent-Replayed" not in _create(client, headers, agency_id=agency_id).headers
    assert _count(app) == 2


@pytest.mark.parametrize("key", ["", "x" * 201, "caf\u00e9", "tab\tkey"])
def test_a_malformed_key_is_a_clear_400(app, users, key):
    client = app.test_client()
    headers = {"Authorization": f"Bearer {_token(app, users['reporter'])}", "Idempotency-Key": key}
    response = _create(client, headers)
    assert response.status_code == 400
    assert "Idempotency-Key" in response.get_json()["error"]["message"]
