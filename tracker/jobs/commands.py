"""`tracker scheduler` and `tracker send-reminders`: thin wrappers over the jobs and the scan."""

from __future__ import annotations

import logging

import click
from flask import current_app
from flask.cli import with_appcontext


@click.command("scheduler")
@with_appcontext
def scheduler_command() -> None:
    """Run the scheduler in this process until stopped: the reminder scan every TRACKER_SCAN_MINUTES, the
    morning digests and every other registered job. One scheduler leads (a lock in the database); a second one
    waits as a standby and takes over when the leader stops. The web never runs jobs."""
    from tracker.jobs.runner import run_scheduler

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    current_app.logger.setLevel(logging.INFO)
    click.echo(f"Scheduler running: reminder scan every {current_app.config['TRACKER_SCAN_MINUTES']} minute(s). "
               "Stop with Ctrl-C.")
    run_scheduler(current_app._get_current_object())


@click.command("send-reminders")
@with_appcontext
@click.option("--no-send", is_flag=True, help="Record reminders and queue their mail, but send nothing now.")
def send_reminders_command(no_send: bool) -> None:
    """Run one reminder scan and send what is due (for cron instead of `tracker scheduler`)."""
    from tracker.reminders.scan import run_scan

    report = run_scan(send=not no_send)
    click.echo(report.summary())
    for error in report.delivery.errors[:5]:
        click.echo(f"  mail server: {error}", err=True)
