"""Two `tracker scheduler` processes: one leads and runs the jobs, the other waits; kill the leader (kill -9)
and the standby takes over. PostgreSQL: an advisory lock; SQLite: a file lock beside the database."""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from tracker.extensions import db
from tracker.jobs.leader import leadership_for

ROOT = Path(__file__).resolve().parents[2]


class Scheduler:
    """`tracker scheduler` in a process of its own; its log lines are read as they come."""

    def __init__(self, app):
        env = {**os.environ, "TRACKER_DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
               "TRACKER_SECRET_KEY": "test-secret", "TRACKER_UPLOAD_DIR": app.config["TRACKER_UPLOAD_DIR"],
               "TRACKER_SCHEDULER_STANDBY_SECONDS": "1", "TRACKER_SCAN_MINUTES": "60"}
        self.process = subprocess.Popen([sys.executable, "-c", "from tracker.cli import cli; cli()", "scheduler"],
                                        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                        text=True)
        self.lines: list[str] = []
        self.new: queue.Queue = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.process.stdout:
            self.lines.append(line)
            self.new.put(line)

    def wait_for(self, text: str, timeout: float = 90) -> bool:  # a new Python process on a loaded machine
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if any(text in line for line in self.lines):
                return True
            try:
                self.new.get(timeout=0.2)
            except queue.Empty:
                pass
        return False

    def scans(self) -> int:
        return sum(" INFO reminders.scan: " in line for line in self.lines)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait(10)


@pytest.mark.slow
def test_two_schedulers_run_each_job_once_and_the_standby_takes_over(app, users):
    first = Scheduler(app)
    second = None
    try:
        assert first.wait_for("leading:"), "".join(first.lines)
        assert first.wait_for(" INFO reminders.scan: "), "".join(first.lines)
        second = Scheduler(app)
        assert second.wait_for("standby:"), "".join(second.lines)
        time.sleep(3)  # three of the standby's tries: it must not lead, and must run nothing
        assert second.scans() == 0 and not any("leading:" in line for line in second.lines)
        assert first.scans() == 1

        first.process.send_signal(signal.SIGKILL)  # the leader dies without a word
        first.process.wait(10)
        started = time.monotonic()
        assert second.wait_for("leading:", timeout=60), "".join(second.lines)
        assert second.wait_for(" INFO reminders.scan: ", timeout=30), "".join(second.lines)
        assert time.monotonic() - started < 60
        assert second.scans() == 1
    finally:
        first.stop()
        if second is not None:
            second.stop()


def test_the_lock_is_exclusive_in_one_process_too(app):
    with app.app_context():
        a, b = leadership_for(app), leadership_for(app)
        try:
            # A scheduler killed by the test before may hold the lock until its backend notices the closed
            # connection (a moment on PostgreSQL); then the lock is free.
            deadline = time.monotonic() + 20
            while not a.acquire() and time.monotonic() < deadline:
                time.sleep(0.2)
            assert a.held()
            assert not b.acquire()
            a.release()
            assert b.acquire()
        finally:
            a.release()
            b.release()
        db.session.remove()
