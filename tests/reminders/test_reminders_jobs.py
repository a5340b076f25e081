"""The scheduler's jobs (explicit ids, coalesce, one instance, misfire grace) and the one-scan command."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from apscheduler.schedulers.background import BackgroundScheduler

from tests.reminders.reminders_support import outbox_rows, overdue_request
from tracker.jobs.registry import morning_digests, reminder_scan
from tracker.jobs.runner import MISFIRE_GRACE_SECONDS, build_scheduler


def test_scheduler_registers_its_jobs_under_explicit_ids(app):
    assert not build_scheduler(app).running  # built, not started: only `tracker scheduler` starts one
    scheduler = build_scheduler(app, scheduler_class=BackgroundScheduler)
    scheduler.start(paused=True)  # to read the jobs with their defaults applied, without running them
    try:
        jobs = {job.id: job for job in scheduler.get_jobs()}
    finally:
        scheduler.shutdown(wait=False)
    assert set(jobs) == {"reminders.scan", "reminders.digest", "documents.extract", "counts.current"}
    for job in jobs.values():
        assert job.coalesce is True and job.max_instances == 1 and job.misfire_grace_time == MISFIRE_GRACE_SECONDS
    assert jobs["reminders.scan"].trigger.interval.total_seconds() == app.config["TRACKER_SCAN_MINUTES"] * 60
    assert str(jobs["reminders.digest"].trigger) == "cron[hour='7', minute='0']"


def test_send_reminders_runs_one_scan(app, users, frozen):
    frozen.move_to(datetime(2026, 11, 18, 15, 0, tzinfo=UTC))
    with app.app_context():
        overdue_request(users["reporter"])
    runner = app.test_cli_runner()
    result = runner.invoke(args=["send-reminders"])
    assert result.exit_code == 0, result.output
    assert "recorded 1 reminder(s)" in result.output
    assert "No mail server is configured (TRACKER_SMTP_HOST): mail waits in the outbox." in result.output
    again = runner.invoke(args=["send-reminders"])
    assert "recorded 0 reminder(s)" in again.output
    with app.app_context():
        assert [r.subject for r in outbox_rows() if r.to_address == "reporter@test.example"] == [
            '[FOIA] Overdue 3 working days: OPR report, Denver "death card" inquiry (2026-ICFO-01234)']
    assert runner.invoke(args=["scheduler", "--help"]).exit_code == 0


@pytest.mark.parametrize("job", [reminder_scan, morning_digests])
def test_each_reminder_job_sends_what_it_queues(app, users, frozen, mail, job):
    """The scan job and the 07:00 digest job are scans with delivery: their mail leaves at once."""
    frozen.move_to(datetime(2026, 11, 18, 15, 0, tzinfo=UTC))
    with app.app_context():
        overdue_request(users["reporter"])
        report = job()
        assert report.reminders == 1 and report.delivery.sent == len(outbox_rows()) >= 1
        assert {r.status for r in outbox_rows()} == {"sent"}
    assert [m["To"] for m in mail.messages if "reporter@" in m["To"]] == ["Reporter <reporter@test.example>"]
