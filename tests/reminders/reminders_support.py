"""Helpers for the reminder tests: an SMTP recorder, requests in a known state, one scan."""

from __future__ import annotations

import email
import socket
import threading
from email import policy

from aiosmtpd.controller import Controller
from sqlalchemy import select

from tests.helpers import make_agency, make_request, perform
from tracker.core.mail import OutboxMessage
from tracker.extensions import db
from tracker.reminders.models import Reminder


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Handler:
    def __init__(self, recorder: SmtpRecorder):
        self.recorder = recorder

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        if self.recorder.refuse_rcpt:
            return self.recorder.refuse_rcpt
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        if self.recorder.reply:
            return self.recorder.reply
        message = email.message_from_bytes(envelope.content, policy=policy.default)
        with self.recorder.lock:
            self.recorder.messages.append(message)
            self.recorder.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        return "250 Message accepted for delivery"


class SmtpRecorder:
    """aiosmtpd on loopback. `reply` (e.g. "451 4.3.0 Try again later") answers DATA instead of accepting;
    `refuse_rcpt` (e.g. "550 5.1.1 No such user") refuses every recipient."""

    def __init__(self, port: int | None = None, handler=None):
        self.port = port or free_port()
        self.messages: list = []
        self.envelopes: list = []
        self.reply: str | None = None
        self.refuse_rcpt: str | None = None
        self.lock = threading.Lock()
        self.handler = handler or Handler(self)
        self.controller: Controller | None = None
        self.options: dict = {}  # more aiosmtpd SMTP options, e.g. auth_required

    def start(self) -> None:
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port, **self.options)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    def message_ids(self) -> list[str]:
        with self.lock:
            return [m["Message-ID"] for m in self.messages]


def overdue_request(owner_id: int, *, title="OPR report, Denver \"death card\" inquiry", filed="2026-10-15",
                    tracking="2026-ICFO-01234", agency=None, **data):
    """A federal request filed and acknowledged; with the default dates its response was due 2026-11-13."""
    from datetime import date

    agency = agency or make_agency()
    req = make_request(owner_id, agency, title=title, **data)
    perform(req, "file", owner_id, on=date.fromisoformat(filed), channel="portal")
    perform(req, "acknowledge", owner_id, on=date.fromisoformat(filed), tracking_number=tracking)
    db.session.commit()
    return req


def scan(send: bool = True):
    from tracker.reminders.scan import run_scan

    return run_scan(send=send)


def outbox_rows() -> list[OutboxMessage]:
    return list(db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def reminder_rows() -> list[Reminder]:
    return list(db.session.scalars(select(Reminder).order_by(Reminder.id)))


# --- other processes -------------------------------------------------------------------------------------

LAUNCHER = """
import json, sys
from tracker import create_app
app = create_app(json.loads(sys.argv[1]))
if sys.argv[2] == "scheduler":
    from tracker.jobs.runner import run_scheduler
    run_scheduler(app)
else:
    with app.app_context():
        from tracker.reminders.scan import run_scan
        print(run_scan().summary(), flush=True)
"""


def spawn(config: dict, mode: str):
    """A separate Python process running the scheduler ("scheduler") or one scan ("scan") with this config."""
    import json
    import os
    import subprocess
    import sys
    from pathlib import Path

    env = {**os.environ, "TRACKER_SECRET_KEY": "test-secret"}
    config = {"TRACKER_DIGEST_HOUR": 24, "TESTING": True, **config}  # no digests: they depend on the hour
    return subprocess.Popen([sys.executable, "-c", LAUNCHER, json.dumps(config), mode],
                            cwd=Path(__file__).resolve().parents[2], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
