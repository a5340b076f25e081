"""A sender whose mail server is slower than its lease keeps its rows (the lease is renewed while it sends);
the delivery settings come from TRACKER_MAIL_*; Message-IDs differ between installations."""

from __future__ import annotations

import asyncio
import threading
import time

import pytest
from sqlalchemy import select

from tests.reminders.reminders_support import Handler, SmtpRecorder
from tracker import create_app
from tracker.config import ConfigError, load_config
from tracker.core import mail as outbox
from tracker.core.clock import now_utc
from tracker.core.mail import OutboxMessage
from tracker.extensions import db
from tracker.reminders import delivery


class SlowFirst(Handler):
    """Takes `delay` seconds to accept the first message; the rest at once."""

    def __init__(self, recorder, delay: float):
        super().__init__(recorder)
        self.delay = delay
        self.first = True
        self.started = threading.Event()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        if self.first:
            self.first = False
            self.started.set()
            await asyncio.sleep(self.delay)
        return await super().handle_DATA(server, session, envelope)


@pytest.fixture
def slow_smtp():
    recorder = SmtpRecorder()
    recorder.handler = SlowFirst(recorder, delay=4)
    recorder.start()
    yield recorder
    recorder.stop()


@pytest.mark.slow
def test_a_slow_send_keeps_its_rows_while_a_second_sender_runs(app, users, slow_smtp):
    """Lease 1.5 s, the server takes 4 s: without renewal the second sender takes the row back and sends it
    again; with it, the message goes out once."""
    sender = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
                         "SECRET_KEY": "test-secret", "TRACKER_UPLOAD_DIR": app.config["TRACKER_UPLOAD_DIR"],
                         "TRACKER_SMTP_HOST": "127.0.0.1", "TRACKER_SMTP_PORT": slow_smtp.port,
                         "TRACKER_MAIL_LEASE_SECONDS": 1.5, "TRACKER_SMTP_TIMEOUT": 10})
    with sender.app_context():
        outbox.queue(key="slow:1", to_address="reporter@test.example", subject="Due", text_body="Due.",
                     html_body="<p>Due.</p>", now=now_utc())
        db.session.commit()

    reports = {}

    def first_sender():
        with sender.app_context():
            reports["first"] = delivery.deliver()
            db.session.remove()

    thread = threading.Thread(target=first_sender)
    thread.start()
    assert slow_smtp.handler.started.wait(5)
    time.sleep(2.5)  # well past the first lease
    with sender.app_context():
        reports["second"] = delivery.deliver()
        db.session.remove()
    thread.join(15)

    assert reports["first"].sent == 1
    assert reports["second"].sent == 0 and reports["second"].released == 0
    assert len(slow_smtp.messages) == 1
    with sender.app_context():
        assert db.session.scalars(select(OutboxMessage.status)).all() == ["sent"]
        db.engine.dispose()


def test_delivery_settings_come_from_the_environment(monkeypatch, tmp_path):
    for name, value in (("TRACKER_MAIL_RETRY_SECONDS", "30"), ("TRACKER_MAIL_LEASE_SECONDS", "120"),
                        ("TRACKER_MAIL_MAX_ATTEMPTS", "3"), ("TRACKER_MAIL_BATCH", "7"),
                        ("TRACKER_SMTP_TIMEOUT", "9")):
        monkeypatch.setenv(name, value)
    config = load_config(str(tmp_path))
    assert (config["TRACKER_MAIL_RETRY_SECONDS"], config["TRACKER_MAIL_LEASE_SECONDS"],
            config["TRACKER_MAIL_MAX_ATTEMPTS"], config["TRACKER_MAIL_BATCH"], config["TRACKER_SMTP_TIMEOUT"]) == \
        (30, 120, 3, 7, 9)
    monkeypatch.setenv("TRACKER_MAIL_BATCH", "lots")
    with pytest.raises(ConfigError, match="TRACKER_MAIL_BATCH='lots' is not a whole number"):
        load_config(str(tmp_path))
    monkeypatch.setenv("TRACKER_MAIL_BATCH", "0")
    with pytest.raises(ConfigError, match="TRACKER_MAIL_BATCH must be at least 1"):
        load_config(str(tmp_path))


def test_the_batch_size_setting_is_used(app, users, frozen, five_due_in_batches_of_two):
    with app.app_context():
        report = delivery.deliver()
    assert report.sent == 5 and five_due_in_batches_of_two == [2, 2, 1, 0]


def test_message_ids_are_stable_here_and_differ_between_installations(app, tmp_path):
    with app.app_context():
        here = outbox.message_id_for("reminder:1:response_due:2026-12-01:-1:7")
        assert outbox.message_id_for("reminder:1:response_due:2026-12-01:-1:7") == here
        db.session.commit()
    other = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'other.sqlite'}",
                        "SECRET_KEY": "other", "TRACKER_UPLOAD_DIR": str(tmp_path / "uploads")})
    with other.app_context():
        from flask_migrate import upgrade

        upgrade()
        there = outbox.message_id_for("reminder:1:response_due:2026-12-01:-1:7")
        db.engine.dispose()
    assert here != there
    assert here.split("@")[1] == there.split("@")[1]  # same sender domain, different installation part
    with app.app_context():
        assert outbox.message_id_for("reminder:1:response_due:2026-12-01:-1:7") == here  # kept in the database
