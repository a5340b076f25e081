"""Run the registered jobs with APScheduler until the process is stopped (SIGTERM or Ctrl-C).

coalesce: a job that missed several runs (machine asleep) runs once; max_instances=1: a slow scan is never
overlapped by the next; misfire_grace_time: a run up to this late still happens. The first scan starts at
once, so `make run` shows the demo's reminder mail in the outbox within a moment.
"""

from __future__ import annotations

import logging
import signal
import threading
from datetime import timedelta

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.schedulers.blocking import BlockingScheduler
from flask import Flask

from tracker.core.clock import newsroom_zone, now_utc
from tracker.extensions import db
from tracker.jobs.registry import Job, jobs

log = logging.getLogger("tracker.jobs")
MISFIRE_GRACE_SECONDS = 600


def _wrap(app: Flask, job: Job, leader=None):
    def run() -> None:
        if leader is not None and not leader.held():
            log.warning("%s not run: this scheduler no longer holds the leader lock", job.id)
            _lost_lead.set()
            return
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


def build_scheduler(app: Flask, *, start_now: bool = True, scheduler_class=BlockingScheduler, leader=None):
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
        scheduler.add_job(_wrap(app, job, leader), job.trigger, id=job.id, name=job.description, replace_existing=True,
                          **job.trigger_args, **extra)
    return scheduler


def run_scheduler(app: Flask) -> None:
    """Block, running jobs while this process leads (jobs/leader.py), waiting as a standby while another one
    does, until SIGTERM/SIGINT."""
    from tracker.jobs.leader import leadership_for

    stopping = threading.Event()
    current: dict = {}

    def stop(signum, _frame):
        log.info("scheduler stopping (signal %s)", signum)
        stopping.set()
        if current.get("scheduler") is not None:
            current["scheduler"].shutdown(wait=False)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    leader = leadership_for(app)
    every = max(int(app.config.get("TRACKER_SCHEDULER_STANDBY_SECONDS", 15)), 1)
    try:
        while not stopping.is_set():
            if not leader.acquire():
                log.info("standby: another scheduler leads (%s); trying again every %s s", leader.describe(), every)
                while not stopping.wait(every) and not leader.acquire():
                    pass
                if stopping.is_set():
                    break
            log.info("leading: this scheduler holds %s and runs the jobs", leader.describe())
            _lost_lead.clear()
            scheduler = build_scheduler(app, leader=leader)
            scheduler.add_job(_watch(leader, scheduler), "interval", seconds=every, id="scheduler.leader-watch",
                              name="Checks that this scheduler still leads")
            current["scheduler"] = scheduler
            for job in scheduler.get_jobs():
                log.info("job %s: %s", job.id, job.name)
            scheduler.start()  # returns once shut down: stopped, or the lead was lost
            current["scheduler"] = None
            if not stopping.is_set():
                log.warning("lost the leader lock; back to standby")
                leader.release()
    finally:
        leader.release()


_lost_lead = threading.Event()


def _watch(leader, scheduler):
    def watch() -> None:
        if _lost_lead.is_set() or not leader.held():
            scheduler.shutdown(wait=False)
    return watch
