"""Run the registered jobs with APScheduler until the process is stopped (SIGTERM or Ctrl-C).

coalesce: a job that missed several runs (machine asleep) runs once; max_instances=1: a slow scan is never
overlapped by the next; misfire_grace_time: a run up to this late still happens. The first scan starts at
once, so `make run` shows the demo's reminder mail in the outbox within a moment.
"""

from __future__ import annotations

import logging
import signal
from datetime import timedelta

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.schedulers.blocking import BlockingScheduler
from flask import Flask

from tracker.core.clock import newsroom_zone, now_utc
from tracker.extensions import db
from tracker.jobs.registry import Job, jobs

log = logging.getLogger("tracker.jobs")
MISFIRE_GRACE_SECONDS = 600


def _wrap(app: Flask, job: Job):
    def run() -> None:
        with app.app_context():
            try:
                result = job.func()
                summary = result.summary() if hasattr(result, "summary") else ""
                log.info("%s: %s", job.id, summary or "done")
            except Exception:
                db.session.rollback()
                log.exception("%s failed; it runs again at its next time", job.id)
            finally:
                db.session.remove()
    run.__name__ = job.id.replace(".", "_")
    return run


def build_scheduler(app: Flask, *, start_now: bool = True, scheduler_class=BlockingScheduler):
    with app.app_context():
        zone = newsroom_zone()
        first = now_utc() + timedelta(seconds=1)
    scheduler = scheduler_class(
        timezone=zone,
        executors={"default": ThreadPoolExecutor(max_workers=1)},  # one job at a time: they share the database
        job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": MISFIRE_GRACE_SECONDS},
    )
    for job in jobs(app):
        extra = {"next_run_time": first} if start_now and job.trigger == "interval" else {}
        scheduler.add_job(_wrap(app, job), job.trigger, id=job.id, name=job.description, replace_existing=True,
                          **job.trigger_args, **extra)
    return scheduler


def run_scheduler(app: Flask) -> None:
    """Block, running jobs, until SIGTERM/SIGINT."""
    scheduler = build_scheduler(app)

    def stop(signum, _frame):
        log.info("scheduler stopping (signal %s)", signum)
        scheduler.shutdown(wait=False)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    for job in scheduler.get_jobs():
        log.info("job %s: %s", job.id, job.name)
    scheduler.start()
