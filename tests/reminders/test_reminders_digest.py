"""Morning digests: people who chose a digest get their reminders once a day at 07:00 newsroom time, in one
email; editors get the newsroom's overdue and closing deadlines; each digest is queued once."""

from __future__ import annotations

from datetime import UTC, datetime

from tests.helpers import d, make_agency, make_request, perform
from tests.reminders.reminders_support import outbox_rows, overdue_request, reminder_rows, scan
from tracker.auth.models import User
from tracker.extensions import db
from tracker.reminders.models import ReminderPreference

EARLY = datetime(2026, 11, 18, 11, 0, tzinfo=UTC)  # Wednesday 06:00 EST
SEVEN = datetime(2026, 11, 18, 12, 0, tzinfo=UTC)  # 07:00 EST


def test_digest_mode_and_the_editors_newsroom_digest(app, frozen, users, mail):
    frozen.move_to(EARLY)
    with app.app_context():
        db.session.add(ReminderPreference(user_id=users["reporter"], mode="digest", muted_kinds=[]))
        db.session.add(ReminderPreference(user_id=users["admin"], mode="immediate", muted_kinds=[],
                                          newsroom_digest=False))
        req = overdue_request(users["reporter"], private=True)
        req.watchers = [db.session.get(User, users["other_reporter"])]
        other = make_request(users["other_reporter"], make_agency(name="DOJ OIP", jurisdiction="US-DOJ"),
                             title="Closing soon")
        perform(other, "file", users["other_reporter"], on=d("2026-10-22"), channel="portal", tracking_number="X-1")
        db.session.commit()
        scan()
        # 06:00: the watcher (immediate) has an email; the owner's reminder waits for the digest; no digests yet.
        held = [r for r in reminder_rows() if r.user_id == users["reporter"]]
        assert [r.status for r in held] == ["held"]
        assert {m["To"] for m in mail.messages} == {"Other Reporter <other_reporter@test.example>"}

    frozen.move_to(SEVEN)
    with app.app_context():
        report = scan()
        assert report.digests == 2  # the owner's own digest, and the editor's newsroom digest (not the admin's)
        scan()
        assert scan().digests == 0  # once a day
        assert [r.status for r in reminder_rows() if r.user_id == users["reporter"]] == ["mailed"]
    by_to = {m["To"]: m for m in mail.messages}
    assert set(by_to) == {"Other Reporter <other_reporter@test.example>", "Reporter <reporter@test.example>",
                          "Editor <editor@test.example>"}
    mine = by_to["Reporter <reporter@test.example>"]
    assert mine["Subject"] == "[FOIA] Daily digest, November 18, 2026: 1 reminder"
    text = mine.get_body(("plain",)).get_content()
    assert "Overdue 3 working days: OPR report" in text and "Newsroom" not in text
    editor = by_to["Editor <editor@test.example>"].get_body(("plain",)).get_content()
    assert "Newsroom: overdue or closing" in editor
    assert "Overdue 3 working days: OPR report" in editor  # editors may see the private request
    assert "Due in 2 working days: Closing soon (X-1), Other Reporter" in editor

    frozen.move_to(datetime(2026, 11, 19, 12, 5, tzinfo=UTC))  # the next morning: a new digest for the editor
    with app.app_context():
        assert scan().digests == 1
        keys = sorted(m.key for m in outbox_rows() if m.key.startswith("digest:"))
        assert keys == sorted([f"digest:{users['editor']}:2026-11-18", f"digest:{users['editor']}:2026-11-19",
                               f"digest:{users['reporter']}:2026-11-18"])


def test_the_scan_counts_the_colleague_digests_it_queues(app, users, frozen):
    from tracker.reminders.scan import scan_reminders

    frozen.move_to(datetime(2026, 11, 22, 15, 0, tzinfo=UTC))  # Sunday
    with app.app_context():
        db.session.add(ReminderPreference(user_id=users["reporter"], mode="immediate", muted_kinds=[],
                                          colleagues_digest=True))
        req = make_request(users["other_reporter"], make_agency(), title="Otero detention OPR report")
        perform(req, "file", users["other_reporter"], on=d("2026-11-17"), channel="portal")
        db.session.commit()
    frozen.move_to(datetime(2026, 11, 23, 12, 0, tzinfo=UTC))  # Monday 07:00 in the newsroom
    with app.app_context():
        assert scan_reminders().digests == 1
