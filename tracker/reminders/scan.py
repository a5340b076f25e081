"""One scan: the function behind both `tracker send-reminders` and the scheduler's jobs.

It is the outermost caller, so it commits: once for the daily maintenance, once per batch of plans
(a crash loses at most the batch in hand, which the next scan redoes: natural keys make that harmless),
once for the digests, then delivery commits per message (see delivery.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask import current_app

from tracker.core import clock
from tracker.extensions import db
from tracker.reminders import colleagues, delivery, digest, plans, services

BATCH = 200


@dataclass
class ScanReport:
    maintained: bool = False
    requests: int = 0
    reminders: int = 0
    digests: int = 0
    delivery: delivery.DeliveryReport = field(default_factory=delivery.DeliveryReport)

    def summary(self) -> str:
        d = self.delivery
        text = (f"Looked at {self.requests} request(s); recorded {self.reminders} reminder(s); "
                f"queued {self.digests} digest(s).")
        if delivery.smtp_configured():
            text += f" Sent {d.sent}, retrying {d.retried}, failed {d.failed}."
        else:
            text += " No mail server is configured (TRACKER_SMTP_HOST): mail waits in the outbox."
        return text


def scan_reminders(report: ScanReport | None = None, *, batch: int | None = None) -> ScanReport:
    """Daily maintenance, then every due plan in batches, then the digests if it is their time."""
    report = report or ScanReport()
    batch = batch or int(current_app.config.get("TRACKER_SCAN_BATCH", BATCH))
    now, today = clock.now_utc(), clock.today()
    try:
        services.touch_write_lock()
        report.maintained = services.daily_maintenance(today)
        db.session.commit()
        rules = services.current_rules()
        seen: set[int] = set()
        while True:
            services.touch_write_lock()
            ids = plans.due_plan_ids(today, batch)
            if not ids or set(ids) <= seen:
                db.session.commit()
                break
            seen.update(ids)
            report.reminders += services.process_plans(ids, rules=rules, today=today, now=now)
            report.requests += len(ids)
            db.session.commit()
        services.touch_write_lock()
        report.digests = digest.build_digests(today=today, now=now)
        db.session.commit()
        services.touch_write_lock()
        report.digests += colleagues.build_colleague_digests(today=today, now=now)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return report


def run_scan(*, send: bool = True) -> ScanReport:
    """A full scan, then delivery of whatever is due in the outbox."""
    report = scan_reminders()
    if send:
        report.delivery = delivery.deliver()  # it reads TRACKER_MAIL_BATCH itself
    return report


def run_digests(*, send: bool = True) -> ScanReport:
    """The 07:00 job: the digests (the scan would build them too, at its first run after the hour)."""
    return run_scan(send=send)
