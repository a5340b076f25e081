"""The jobs the scheduler runs, each under an explicit, stable id (so a restart never doubles a job).

Each job is a plain function of the app: it runs inside an app context and commits itself. The same
functions back the CLI (`tracker send-reminders`), so cron users get the same behaviour.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import Flask

COUNTS_MINUTES = 10  # a new day reaches the board's windows within this long after midnight


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


def extract_text() -> object:
    from tracker.documents.commands import run_extraction

    return run_extraction()


def mail_fetch() -> object:
    from tracker.mail.fetch import fetch_mail

    return fetch_mail().summary


def counts_current() -> object:
    """The board's windows moved to today and every stale ledger summary computed, so that the day's first
    board read and the first ledger read after a migration or a bulk change do not do it while a user waits.
    The reads still do it themselves when this job has not run (cron users, a scheduler that is down)."""
    from tracker.board import windows
    from tracker.core import clock
    from tracker.extensions import db
    from tracker.ledger import summaries

    windows.current(db.session, clock.today())
    summaries.refresh()
    db.session.commit()
    return None


def jobs(app: Flask) -> list[Job]:
    minutes = max(int(app.config["TRACKER_SCAN_MINUTES"]), 1)
    hour = int(app.config.get("TRACKER_DIGEST_HOUR", 7))
    out = [Job("reminders.scan", reminder_scan, "interval", {"minutes": minutes},
               f"Reminder scan and mail delivery, every {minutes} minute(s)")]
    if 0 <= hour <= 23:  # TRACKER_DIGEST_HOUR 24 or more: no morning digests
        out.append(Job("reminders.digest", morning_digests, "cron", {"hour": hour, "minute": 0},
                       f"Morning digests at {hour:02d}:00 newsroom time"))
    import os

    text_minutes = max(int(app.config.get("TRACKER_TEXT_MINUTES") or os.environ.get("TRACKER_TEXT_MINUTES") or 1), 1)
    out.append(Job("counts.current", counts_current, "interval", {"minutes": COUNTS_MINUTES},
                   f"The board's day windows and the ledger's summaries brought up to date, every {COUNTS_MINUTES} "
                   "minutes"))
    out.append(Job("documents.extract", extract_text, "interval", {"minutes": text_minutes},
                   f"Text and OCR of new documents, every {text_minutes} minute(s)"))
    if app.config.get("TRACKER_IMAP_HOST"):  # without a mailbox there is nothing to fetch
        mail_minutes = max(int(app.config.get("TRACKER_MAIL_FETCH_MINUTES", 3)), 1)
        out.append(Job("mail.fetch", mail_fetch, "interval", {"minutes": mail_minutes},
                       f"Fetch agency mail from the newsroom mailbox, every {mail_minutes} minute(s)"))
    return out
