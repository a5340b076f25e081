"""A locked or unavailable database gives a clear "try again" answer, never a 500 or a half-written request."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, func, select, text

from tests.conftest import Auth
from tests.helpers import csrf_token, make_agency
from tracker import create_app
from tracker.extensions import db
from tracker.requests.models import RecordsRequest


@pytest.fixture
def impatient_app(app):
    """The same database, but giving up on a lock after a fraction of a second."""
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    if url.startswith("sqlite"):
        options = {"connect_args": {"timeout": 0.2}}
    else:
        options = {"connect_args": {"options": "-c lock_timeout=200"}}
    other = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url, "SQLALCHEMY_ENGINE_OPTIONS": options,
                        "SECRET_KEY": "test-secret", "TRACKER_UPLOAD_DIR": app.config["TRACKER_UPLOAD_DIR"]})
    yield other
    with other.app_context():
        db.engine.dispose()


def test_locked_database_gives_503_and_writes_nothing(app, impatient_app, users):
    with app.app_context():
        agency_id = make_agency().id
        db.session.commit()
        url = db.engine.url
    client = impatient_app.test_client()
    Auth(client).login("reporter")
    token = csrf_token(client, "/requests/new")

    blocker = create_engine(url)
    with blocker.connect() as conn:
        if url.get_backend_name() == "sqlite":
            conn.exec_driver_sql("BEGIN EXCLUSIVE")
        else:
            conn.execute(text("BEGIN"))
            conn.execute(text("LOCK TABLE requests IN ACCESS EXCLUSIVE MODE"))
        response = client.post("/requests/new", data={
            "csrf_token": token, "title": "Written while locked", "agency_id": agency_id,
            "fee_category": "news_media", "expedited_category": ""})
        conn.rollback()
    blocker.dispose()

    assert response.status_code == 503
    assert "Nothing was saved; try again in a moment." in response.get_data(as_text=True)
    assert response.headers["Retry-After"] == "5"
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(RecordsRequest)) == 0
