"""In Chromium: a reporter opens My reminders from the menu, switches to the daily digest, makes a calendar
feed address and copies it (the page's script runs under the Content-Security-Policy)."""

from __future__ import annotations

from sqlalchemy import select

from tracker.extensions import db
from tracker.reminders.models import CalendarToken, ReminderPreference


def test_my_reminders_in_the_browser(app, page, users, tmp_path):
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.login("reporter")
    page.click("nav >> text=My reminders")
    page.wait_for_url("**/reminders")
    page.check("input[name=mode][value=digest]")
    page.uncheck("input[name=wanted_kinds][value=appeal_window]")
    page.click("button:has-text('Save')")
    page.wait_for_selector("text=Your reminder preferences are saved.")
    page.click("button:has-text('Make a feed address for my requests')")
    url = page.input_value("[data-testid=feed-url]")
    assert url.startswith("http://127.0.0.1:5000/calendar/") and url.endswith(".ics")
    page.click("button[data-copy]")
    page.wait_for_selector("button[data-copy]:has-text('Copied')")
    page.screenshot(path=str(tmp_path / "my-reminders.png"), full_page=True)
    assert not [e for e in errors if "Content Security Policy" in e]
    with app.app_context():
        pref = db.session.get(ReminderPreference, users["reporter"])
        assert pref.mode == "digest" and pref.muted_kinds == ["appeal_window"]
        assert db.session.scalar(select(CalendarToken.scope)) == "mine"
