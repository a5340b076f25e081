"""The jobs the scheduler runs, each under an explicit, stable id (so a restart never doubles a job).

Each job is a plain function of the app: it runs inside an app context and commits itself. The same
functions back the CLI (`tracker send-reminders`), so cron users get the same behaviour.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import Flask


@dataclass(frozen=True)
class Job:
    id: str
    func: Callable[[], object]
    trigger: str  # "interval" or "cron"
    trigger_args: dict
    description: str


def reminder_scan() -> object:
    from tracker.reminders.scan import run_scan

    return run_scan()


def morning_digests() -> object:
    from tracker.reminders.scan import run_digests

    return run_digests()


def jobs(app: Flask) -> list[Job]:
    minutes = max(int(app.config["TRACKER_SCAN_MINUTES"]), 1)
    hour = int(app.config.get("TRACKER_DIGEST_HOUR", 7))
    out = [Job("reminders.scan", reminder_scan, "interval", {"minutes": minutes},
               f"Reminder scan and mail delivery, every {minutes} minute(s)")]
    if 0 <= hour <= 23:  # TRACKER_DIGEST_HOUR 24 or more: no morning digests
        out.append(Job("reminders.digest", morning_digests, "cron", {"hour": hour, "minute": 0},
                       f"Morning digests at {hour:02d}:00 newsroom time"))
    return out
