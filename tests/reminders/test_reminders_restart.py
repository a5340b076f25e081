"""`tracker scheduler` killed in the middle of a scan (while the mail server has not yet accepted a message),
then started again: every reminder arrives, and none twice."""

from __future__ import annotations

import asyncio
import threading
import time

from sqlalchemy import func, select

from tests.helpers import make_agency, make_request, perform
from tests.reminders.reminders_support import Handler, SmtpRecorder, spawn
from tracker import deadlines
from tracker.core.clock import today
from tracker.core.mail import OutboxMessage
from tracker.extensions import db

COUNT = 12
HOLD_AT = 5  # the mail server keeps the 5th message waiting for its answer until the scheduler is dead


class HoldingHandler(Handler):
    """Accepts mail, but holds the HOLD_AT-th message without answering; that one is never accepted."""

    def __init__(self, recorder):
        super().__init__(recorder)
        self.seen = 0
        self.holding = threading.Event()
        self.release = threading.Event()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        self.seen += 1
        if self.seen == HOLD_AT:
            self.holding.set()
            while not self.release.is_set():
                await asyncio.sleep(0.02)
            return "451 4.3.0 Connection gone"
        return await super().handle_DATA(server, session, envelope)


def _wait(condition, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


def test_scheduler_killed_mid_scan_and_restarted_sends_each_reminder_once(app, users):
    recorder = SmtpRecorder()
    handler = HoldingHandler(recorder)
    recorder.handler = handler
    recorder.start()
    with app.app_context():
        day = today()
        agency = make_agency()
        for i in range(COUNT):  # weeks overdue: one reminder each, to the owner
            req = make_request(users["reporter"], agency, title=f"Request {i}")
            perform(req, "file", users["reporter"], on=deadlines.add_working_days("US-DHS", day, -30),
                    channel="portal", tracking_number=f"2026-ICFO-{i:05d}")
        db.session.commit()
    config = {"SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"], "TRACKER_SMTP_HOST": "127.0.0.1",
              "TRACKER_SMTP_PORT": recorder.port, "TRACKER_MAIL_BATCH": 3, "TRACKER_SCAN_MINUTES": 1,
              "TRACKER_SMTP_TIMEOUT": 60}
    first = spawn(config, "scheduler")
    second = None
    try:
        _wait(handler.holding.is_set, 60, "the scheduler to send the held message")
        first.kill()  # SIGKILL: no clean-up, claims left behind
        first.wait(10)
        handler.release.set()
        with app.app_context():
            left = db.session.scalar(select(func.count()).where(OutboxMessage.status == "sending"))
            assert left >= 1  # the dead scheduler's claims
            db.session.remove()
        second = spawn(config, "scheduler")

        def all_sent() -> bool:
            with app.app_context():
                try:
                    return db.session.scalar(select(func.count()).where(OutboxMessage.status == "sent")) == COUNT
                finally:
                    db.session.remove()

        _wait(all_sent, 60, "every message to be sent after the restart")
    finally:
        for proc in (first, second):
            if proc is not None and proc.poll() is None:
                proc.terminate()
                proc.wait(10)
        recorder.stop()
        for proc in (first, second):
            if proc is not None:
                print(proc.stdout.read())  # shown if the test fails
    ids = recorder.message_ids()
    assert len(ids) == COUNT and len(set(ids)) == COUNT
    subjects = {m["Subject"].split(": ", 1)[1] for m in recorder.messages}
    assert subjects == {f"Request {i} (2026-ICFO-{i:05d})" for i in range(COUNT)}
