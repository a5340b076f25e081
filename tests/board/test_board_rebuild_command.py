"""`tracker board rebuild-tallies` counts the board again after rows were written without the app."""

from __future__ import annotations

from sqlalchemy import text

from tests.board import scenario
from tracker.board import tallies, windows
from tracker.extensions import db


def test_rebuild_tallies_command_counts_rows_written_by_raw_sql(app, users, frozen):
    with app.app_context():
        scenario.build(users)
        db.session.commit()
        # As a restore or a bulk load would: the requests change without the app's listener hearing of it.
        db.session.execute(text("UPDATE requests SET private = NOT private"))
        db.session.execute(text("UPDATE requests SET status = 'withdrawn' WHERE status = 'draft'"))
        db.session.commit()
        stale = tallies.stored(db.session)
        assert stale != tallies.from_scratch(db.session)
        db.session.remove()

    result = app.test_cli_runner().invoke(args=["board", "rebuild-tallies"])
    assert result.exit_code == 0, result.output
    assert "into the board's tallies" in result.output

    with app.app_context():
        today = scenario.today()
        assert tallies.stored(db.session) == tallies.from_scratch(db.session) != stale
        windows.current(db.session, today)
        for window in windows.WINDOWS:
            assert windows.stored_counts(db.session, window) == windows.from_scratch(db.session, window, today)
        assert windows.stored_counts(db.session, "rall") != {}
        db.session.rollback()
