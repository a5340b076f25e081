"""Benchmark: a reminder scan over 100,000 open requests of which 1,000 have a reminder due, against a scan
over 2,000 requests with the same 1,000 due.

    python bench/reminders.py [--large 100000] [--small 2000] [--due 1000] [--repeat 3]

Both databases are in the steady state a running scheduler keeps: every open request has its plan (the
next day a reminder may fire), the day's maintenance and digests are done. The scan records the 1,000
reminders and renders and queues their emails (no SMTP server: mail stays in the outbox). Prints the
ratio of the large scan's time to the small one's, best of several runs each on a fresh copy of the
database. Goal: at most 2 (the scan follows the due reminders through the plans' index, not the size of
the table). The once-a-day maintenance (paused clocks, missing plans) is timed and printed separately.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run from a checkout, installed or not

from sqlalchemy import insert, update  # noqa: E402

from tracker import create_app, deadlines  # noqa: E402
from tracker.extensions import db  # noqa: E402

GOAL = 2.0
CHUNK = 5000


def build(path: Path, total: int, due: int) -> None:
    """A newsroom of `total` open federal requests; `due` of them weeks overdue (one reminder each)."""
    from flask_migrate import upgrade

    from tracker.agencies.models import Agency
    from tracker.auth.models import Role, User
    from tracker.core.clock import now_utc, today
    from tracker.reminders.models import ReminderPlan, ReminderState
    from tracker.requests.models import RecordsRequest, TrackingNumber

    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}", "SECRET_KEY": "bench"})
    with app.app_context():
        upgrade()
        day, now = today(), now_utc()
        late = deadlines.add_working_days("US-DHS", day, -40)
        fresh = deadlines.add_working_days("US-DHS", day, -2)
        explained = {d: deadlines.explain("response", "US-DHS", d) for d in (late, fresh)}
        owners = []
        for i in range(20):
            user = User(name=f"Reporter {i}", email=f"r{i}@bench.example", role=Role.REPORTER, active=True)
            user.password_hash = "-"  # nobody logs in
            owners.append(user)
        agency = Agency(name="ICE FOIA Office", abbreviation="ICE", jurisdiction="US-DHS")
        db.session.add_all([*owners, agency])
        db.session.flush()
        soon = deadlines.add_working_days("US-DHS", explained[fresh].result, -3)
        for start in range(0, total, CHUNK):
            rows = []
            for i in range(start, min(start + CHUNK, total)):
                received = late if i % (total // due) == 0 and i // (total // due) < due else fresh
                rows.append({"title": f"OPR report {i}", "agency_id": agency.id, "owner_id": owners[i % 20].id,
                             "status": "acknowledged", "sent_on": received, "received_on": received,
                             "acknowledged_on": received, "response_due": explained[received].result,
                             "tracking_number_due": deadlines.tracking_number_due("US-DHS", received),
                             "deadline_provenance": {"response": explained[received].to_dict()},
                             "created_at": now, "updated_at": now})
            ids = db.session.scalars(insert(RecordsRequest).returning(RecordsRequest.id), rows).all()
            db.session.execute(insert(TrackingNumber), [
                {"request_id": rid, "agency_id": agency.id, "kind": "request", "number": f"2026-ICFO-{rid:06d}",
                 "assigned_on": r["received_on"]} for rid, r in zip(ids, rows, strict=True)])
            db.session.execute(insert(ReminderPlan), [
                {"request_id": rid, "check_on": day if r["received_on"] == late else soon, "versions": {}}
                for rid, r in zip(ids, rows, strict=True)])
        db.session.add(ReminderState(id=1, maintained_on=day, digests_on=day))
        db.session.commit()
        db.engine.dispose()


def fresh_copy(base: Path, work: Path) -> None:
    """Copy the database and flush the copy to disk, so the scan's first commit does not pay for writing out
    the whole copied file (its fsync would)."""
    shutil.copyfile(base, work)
    with open(work, "rb+") as f:
        os.fsync(f.fileno())


def time_scan(base: Path, work: Path, repeat: int) -> tuple[float, float, int]:
    """Best time of a steady-state scan, and of the once-a-day maintenance, each on a fresh copy."""
    from tracker.core.clock import today
    from tracker.reminders.models import ReminderState
    from tracker.reminders.scan import scan_reminders
    from tracker.reminders.services import daily_maintenance

    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{work}", "SECRET_KEY": "bench"})
    scans, maintenance, recorded = [], [], 0
    with app.app_context():
        for _ in range(repeat):
            db.engine.dispose()
            fresh_copy(base, work)
            start = time.perf_counter()
            report = scan_reminders()
            scans.append(time.perf_counter() - start)
            recorded = report.reminders
            db.session.execute(update(ReminderState).values(maintained_on=today() - timedelta(days=1)))
            db.session.commit()
            start = time.perf_counter()
            daily_maintenance(today())
            db.session.commit()
            maintenance.append(time.perf_counter() - start)
            db.session.remove()
        db.engine.dispose()
    return min(scans), min(maintenance), recorded


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--large", type=int, default=100_000)
    parser.add_argument("--small", type=int, default=2_000)
    parser.add_argument("--due", type=int, default=1_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    if not args.due <= args.small <= args.large:
        parser.error("need due <= small <= large")
    with tempfile.TemporaryDirectory(prefix="bench-reminders-") as tmp:
        root = Path(tmp)
        results = {}
        for label, total in (("small", args.small), ("large", args.large)):
            base = root / f"{label}.sqlite"
            start = time.perf_counter()
            build(base, total, args.due)
            print(f"built {total:,} requests ({args.due:,} due) in {time.perf_counter() - start:.1f} s")
            results[label] = time_scan(base, root / f"{label}-run.sqlite", args.repeat)
        for label, total in (("small", args.small), ("large", args.large)):
            scan_s, maintenance_s, recorded = results[label]
            print(f"scan over {total:>7,} open requests: {scan_s:.3f} s, {recorded:,} reminders recorded "
                  f"({scan_s / max(recorded, 1) * 1000:.2f} ms each); daily maintenance {maintenance_s:.3f} s")
        ratio = results["large"][0] / results["small"][0]
        print(f"ratio large/small scan time: {ratio:.2f} (goal: at most {GOAL:g})")
        return 0 if ratio <= GOAL and results["large"][2] == results["small"][2] == args.due else 1


if __name__ == "__main__":
    sys.exit(main())
