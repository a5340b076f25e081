"""A wall screen left on the board link for a day: in a real Chromium, the board crosses midnight (the
cards' working-day counts move on) and lives through the server failing for a while, refreshing in place
the whole time, never reloading the page."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy.exc import OperationalError

from tests.board import scenario
from tracker.auth.models import User
from tracker.board import queries, services
from tracker.core.clock import now_utc
from tracker.extensions import db


def test_the_wall_screen_runs_through_midnight_and_an_outage_without_a_reload(app, users, browser, live_server,
                                                                             frozen, monkeypatch):
    with app.app_context():
        ids = scenario.build(users)
        _share, token = services.create_share(actor=db.session.get(User, users["editor"]), now=now_utc(),
                                              label="Newsroom wall")
        db.session.commit()
    monkeypatch.setitem(app.config, "TRACKER_BOARD_REFRESH_SECONDS", 1)  # the real board waits 60 s
    wall = browser.new_context(base_url=live_server, viewport={"width": 1920, "height": 1080})
    try:
        screen = wall.new_page()
        screen.goto(f"/board/shared/{token}?tv=1")
        late = f"article.card[data-request-id='{ids['late']}']"
        assert "overdue by 19 working days" in screen.locator(late).inner_text()
        screen.evaluate("window.__sameDocument = true")

        # Past midnight in New York (Tuesday December 1): one more working day late, at the next refresh.
        frozen.move_to(datetime(2026, 12, 1, 6, 0, tzinfo=UTC))
        screen.wait_for_selector(f"{late}:has-text('overdue by 20 working days')", timeout=10_000)
        assert "2026-12-01" in screen.locator("p.updated").inner_text()

        # The database fails for a while: the screen keeps the last cards, marks them stale, keeps asking.
        def locked(*args, **kwargs):
            raise OperationalError("SELECT", {}, Exception("database is locked"))

        with monkeypatch.context() as outage:
            outage.setattr(queries, "board", locked)
            screen.wait_for_selector("#board-live.stale", timeout=10_000)
            assert screen.locator(late).count() == 1
        screen.wait_for_selector("#board-live:not(.stale)", timeout=10_000)
        assert screen.locator(late).count() == 1
        assert screen.evaluate("window.__sameDocument") is True  # all of it in place, no reload
    finally:
        wall.close()
