"""Two scan processes at once against PostgreSQL over 200 due reminders: each is recorded and delivered
exactly once (plans and mail claimed with FOR UPDATE SKIP LOCKED).

Runs in every suite: on PostgreSQL's own database for this worker (test_reminders_<worker>), created and
dropped here. If PostgreSQL cannot be reached the test is skipped, unless TRACKER_REQUIRE_POSTGRES=1, when
it fails.
"""

from __future__ import annotations

import os
import re

import pytest
from sqlalchemy import create_engine, func, insert, select, text
from sqlalchemy.engine import make_url

from tests.reminders.reminders_support import SmtpRecorder, spawn
from tracker import create_app, deadlines
from tracker.agencies.models import Agency
from tracker.auth.models import Role, User
from tracker.core.clock import now_utc, today
from tracker.core.mail import OutboxMessage
from tracker.extensions import db
from tracker.reminders.models import Reminder
from tracker.requests.models import RecordsRequest, TrackingNumber

DEFAULT_SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
COUNT = 200


def _server_url() -> str:
    url = os.environ.get("TRACKER_TEST_DATABASE_URL", "")
    return url if url.startswith("postgresql") else DEFAULT_SERVER


@pytest.fixture
def pg_url():
    """A fresh PostgreSQL database for this test, dropped afterwards."""
    name = f"test_reminders_{os.environ.get('PYTEST_XDIST_WORKER', 'gw0')}"
    assert re.fullmatch(r"\w+", name)
    server = _server_url()
    admin = create_engine(server, isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 3})
    try:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:  # noqa: BLE001
        admin.dispose()
        message = f"PostgreSQL at {make_url(server).render_as_string()} is not reachable: {exc}"
        if os.environ.get("TRACKER_REQUIRE_POSTGRES") == "1":
            pytest.fail(message)
        pytest.skip(message)
    yield make_url(server).set(database=name).render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _seed(pg_app) -> None:
    """200 acknowledged federal requests, each weeks overdue: one reminder each. Written with plain INSERTs,
    so the daily maintenance must also add their plans."""
    with pg_app.app_context():
        from flask_migrate import upgrade

        upgrade()
        day = today()
        received = deadlines.add_working_days("US-DHS", day, -40)
        explanation = deadlines.explain("response", "US-DHS", received)
        owner = User(name="Sam Reporter", email="sam@test.example", role=Role.REPORTER, active=True)
        owner.set_password("correct horse battery staple")
        agency = Agency(name="ICE FOIA Office", abbreviation="ICE", jurisdiction="US-DHS")
        db.session.add_all([owner, agency])
        db.session.flush()
        now = now_utc()
        rows = [{"title": f"Request {i}", "agency_id": agency.id, "owner_id": owner.id, "status": "acknowledged",
                 "received_on": received, "sent_on": received, "acknowledged_on": received,
                 "response_due": explanation.result, "deadline_provenance": {"response": explanation.to_dict()},
                 "created_at": now, "updated_at": now} for i in range(COUNT)]
        ids = db.session.scalars(insert(RecordsRequest).returning(RecordsRequest.id), rows).all()
        db.session.execute(insert(TrackingNumber), [
            {"request_id": rid, "agency_id": agency.id, "kind": "request", "number": f"2026-ICFO-{n:05d}",
             "assigned_on": received} for n, rid in enumerate(ids)])
        db.session.commit()
        db.session.remove()


def test_two_scanners_on_postgres_deliver_each_reminder_once(pg_url):
    pg_app = create_app({"TESTING": True, "SECRET_KEY": "test-secret", "SQLALCHEMY_DATABASE_URI": pg_url})
    _seed(pg_app)
    recorder = SmtpRecorder()
    recorder.start()
    config = {"SQLALCHEMY_DATABASE_URI": pg_url, "TRACKER_SMTP_HOST": "127.0.0.1", "TRACKER_SMTP_PORT": recorder.port,
              "TRACKER_SCAN_BATCH": 7, "TRACKER_MAIL_BATCH": 5}
    procs = [spawn(config, "scan") for _ in range(2)]
    outputs = []
    try:
        for proc in procs:
            out, _ = proc.communicate(timeout=120)
            outputs.append(out)
            assert proc.returncode == 0, out
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.kill()
        recorder.stop()
    recorded = sum(int(m) for out in outputs for m in re.findall(r"recorded (\d+) reminder", out))
    assert recorded == COUNT, outputs  # between them, the two scans recorded each reminder once
    ids = recorder.message_ids()
    assert len(ids) == COUNT and len(set(ids)) == COUNT
    with pg_app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Reminder)) == COUNT
        statuses = db.session.execute(select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)).all()
        assert dict(statuses) == {"sent": COUNT}
        db.session.remove()
        db.engine.dispose()
