"""The weekly digest of what colleagues filed: opted in on the reminders page, sent each Monday at the digest's
hour through the outbox and a real SMTP server, exactly once per person and week, listing only the requests
colleagues sent the week before that the person may see."""

from __future__ import annotations

from datetime import UTC, datetime

from tests.helpers import csrf_token, d, make_agency, make_request, perform
from tests.reminders.reminders_support import outbox_rows, scan
from tracker.extensions import db
from tracker.reminders.models import ReminderPreference

MONDAY_EARLY = datetime(2026, 11, 23, 11, 0, tzinfo=UTC)  # Monday 06:00 EST
MONDAY_SEVEN = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)  # 07:00 EST: the digest's hour
SUBJECT = "[FOIA] Filed by colleagues"


def _filed(owner: int, agency, title: str, on: str, **data):
    req = make_request(owner, agency, title=title, records_description=f"Records of {title}.", **data)
    perform(req, "file", owner, on=d(on), channel="portal")
    return req


def _colleague_mail(smtp) -> dict[str, str]:
    return {m["To"]: m.get_body(("plain",)).get_content() for m in smtp.messages
            if m["Subject"].startswith(SUBJECT)}


def test_opt_in_then_once_a_week_only_what_the_reader_may_see(app, client, auth, users, frozen, mail):
    frozen.move_to(datetime(2026, 11, 22, 15, 0, tzinfo=UTC))  # Sunday
    auth.login("reporter")  # opts in on the reminders page
    page = client.get("/reminders").get_data(as_text=True)
    assert "Each Monday, the requests colleagues filed the week before" in page
    response = client.post("/reminders", data={"csrf_token": csrf_token(client, "/reminders"), "mode": "immediate",
                                               "wanted_kinds": [], "colleagues_digest": "y"})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(ReminderPreference, users["reporter"]).colleagues_digest is True
        db.session.add(ReminderPreference(user_id=users["editor"], mode="immediate", muted_kinds=[],
                                          colleagues_digest=True))
        ice = make_agency()
        _filed(users["other_reporter"], ice, "Otero detention OPR report", "2026-11-17")
        _filed(users["other_reporter"], ice, "Secret source file", "2026-11-18", private=True)
        _filed(users["reporter"], ice, "Reporter's own request", "2026-11-19")
        _filed(users["other_reporter"], ice, "Filed the week before", "2026-11-10")
        make_request(users["other_reporter"], ice, title="Only a draft")
        db.session.commit()

    frozen.move_to(MONDAY_EARLY)
    with app.app_context():
        scan()
        assert not _colleague_mail(mail)  # before the hour: nothing yet
    frozen.move_to(MONDAY_SEVEN)
    with app.app_context():
        scan()
        scan()  # a second scan the same hour queues nothing more
    frozen.move_to(datetime(2026, 11, 25, 15, 0, tzinfo=UTC))  # Wednesday: still that week
    with app.app_context():
        scan()
        keys = sorted(m.key for m in outbox_rows() if m.key.startswith("colleagues:"))
        assert keys == sorted([f"colleagues:{users['reporter']}:2026-11-23",
                               f"colleagues:{users['editor']}:2026-11-23"])
    sent = [m for m in mail.messages if m["Subject"].startswith(SUBJECT)]
    subjects = {m["To"]: m["Subject"] for m in sent}
    assert len(sent) == 2 and subjects == {
        "Reporter <reporter@test.example>": "[FOIA] Filed by colleagues, week of November 16, 2026: 1 request",
        "Editor <editor@test.example>": "[FOIA] Filed by colleagues, week of November 16, 2026: 3 requests"}
    by_to = _colleague_mail(mail)
    mine = by_to["Reporter <reporter@test.example>"]
    assert "Otero detention OPR report, Other Reporter" in mine and "sent November 17, 2026" in mine
    assert "Secret source file" not in mine  # private: the reporter may not see it
    assert "Reporter's own request" not in mine and "Filed the week before" not in mine and "Only a draft" not in mine
    assert "/requests/" in mine and "/reminders" in mine
    editor = by_to["Editor <editor@test.example>"]
    assert "Secret source file" in editor and "Reporter's own request" in editor  # editors see every request
    assert "Other Reporter <other_reporter@test.example>" not in by_to  # never opted in

    # The next week: a new digest for what was filed in it, after the reporter opted out.
    with app.app_context():
        db.session.get(ReminderPreference, users["reporter"]).colleagues_digest = False
        _filed(users["other_reporter"], make_agency(name="DOJ OIP", abbreviation="OIP", jurisdiction="US-DOJ"),
               "Second week request", "2026-11-24")
        db.session.commit()
    frozen.move_to(datetime(2026, 11, 30, 12, 30, tzinfo=UTC))
    with app.app_context():
        scan()
        keys = sorted(m.key for m in outbox_rows() if m.key.startswith("colleagues:"))
        assert keys == sorted([f"colleagues:{users['reporter']}:2026-11-23", f"colleagues:{users['editor']}:2026-11-23",
                               f"colleagues:{users['editor']}:2026-11-30"])
    second = [m for m in mail.messages if m["Subject"].startswith(SUBJECT)][-1]
    assert second["To"] == "Editor <editor@test.example>"
    assert "Second week request" in second.get_body(("plain",)).get_content()
