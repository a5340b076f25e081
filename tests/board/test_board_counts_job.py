"""The scheduler's `counts.current` job moves the board's windows to a new day and computes stale ledger
summaries, so that no user's read has to."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select, update

from tests.board import scenario
from tracker.board import windows
from tracker.board.models import BoardWindow
from tracker.extensions import db
from tracker.jobs.registry import counts_current
from tracker.matters.models import MatterSummary


def _stale() -> int:
    return db.session.scalar(select(func.count()).select_from(MatterSummary)
                             .where(MatterSummary.computed != MatterSummary.changes))


def test_the_job_brings_the_windows_to_the_new_day_and_the_summaries_up_to_date(app, users, frozen):
    with app.app_context():
        scenario.build(users)
        windows.current(db.session, scenario.today())
        db.session.commit()
        # As after a migration or a bulk change: every summary is to be computed again by its next read.
        db.session.execute(update(MatterSummary).values(computed=-1))
        db.session.commit()
        assert _stale() > 0
        db.session.remove()

    tomorrow = scenario.today() + timedelta(days=1)
    frozen.move_to(datetime(2026, 12, 1, 15, 0, tzinfo=UTC))
    with app.app_context():
        counts_current()
        db.session.remove()

    with app.app_context():
        kept = dict(db.session.execute(select(BoardWindow.name, BoardWindow.as_of)).all())
        assert kept == dict.fromkeys(windows.WINDOWS, tomorrow)
        for window in windows.WINDOWS:
            assert windows.stored_counts(db.session, window) == windows.from_scratch(db.session, window, tomorrow)
        assert _stale() == 0
