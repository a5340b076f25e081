"""The reminder pages through the test client: my reminders (preferences, muting), the admin outbox (read a
message, resend) and the rules (edit, bad input, back to default), with who may see what."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from sqlalchemy import select

from tests.helpers import csrf_token
from tests.reminders.reminders_support import outbox_rows, overdue_request, reminder_rows, scan
from tracker.core.mail import OutboxMessage
from tracker.extensions import db
from tracker.reminders.models import ReminderPlan, ReminderPreference, ReminderRule
from tracker.reminders.rules import RULE_KEYS

WEDNESDAY = datetime(2026, 11, 18, 15, 0, tzinfo=UTC)


def test_my_reminders_page_saves_preferences_and_muting_works(app, client, auth, users, frozen):
    frozen.move_to(WEDNESDAY)
    auth.login("reporter")
    page = client.get("/reminders")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "How you get them" in html and "Agency&#39;s response overdue" in html
    assert "newsroom_digest" not in html  # the newsroom digest is offered to editors only
    assert 'href="/reminders"' in client.get("/requests").get_data(as_text=True)  # linked from the menu

    token = csrf_token(client, "/reminders")
    html = client.get("/reminders").get_data(as_text=True)
    assert re.search(r'<input checked id="wanted_kinds-\d+" name="wanted_kinds" type="checkbox" '
                     r'value="response_overdue">', html)  # every kind is on until unticked
    wanted = [k for k in (*RULE_KEYS, "agency_letter") if k not in ("response_overdue", "appeal_window")]
    response = client.post("/reminders", data={"csrf_token": token, "mode": "digest", "wanted_kinds": wanted})
    assert response.status_code == 302
    with app.app_context():
        pref = db.session.get(ReminderPreference, users["reporter"])
        assert pref.mode == "digest" and pref.muted_kinds == ["response_overdue", "appeal_window"]
        overdue_request(users["reporter"])
        scan(send=False)
        [reminder] = [r for r in reminder_rows() if r.user_id == users["reporter"]]
        assert reminder.kind == "response_overdue" and reminder.status == "muted"
        assert not [m for m in outbox_rows() if m.to_address == "reporter@test.example"]
    html = client.get("/reminders").get_data(as_text=True)
    assert "Overdue 3 working days" in html and "muted: not sent" in html

    bad = client.post("/reminders", data={"csrf_token": token, "mode": "weekly", "wanted_kinds": ["nonsense"]})
    assert bad.status_code == 422
    assert "Not a valid choice" in bad.get_data(as_text=True)


def test_outbox_is_for_editors_and_admins_and_shows_the_mail(app, client, auth, users, frozen):
    frozen.move_to(WEDNESDAY)
    with app.app_context():
        overdue_request(users["reporter"], private=True)
        scan()
        message = next(m for m in outbox_rows() if m.to_address == "reporter@test.example")
        message_id = message.id
    auth.login("editor")  # the README sends editors to the outbox
    assert client.get("/reminders/outbox").status_code == 200
    assert client.get(f"/reminders/outbox/{message_id}").status_code == 200
    assert client.get("/reminders/rules").status_code == 403  # the rules stay the admins'
    auth.logout()
    for who in ("reporter",):
        auth.login(who)
        assert client.get("/reminders/outbox").status_code == 403
        assert client.get(f"/reminders/outbox/{message_id}").status_code == 403
        assert client.get(f"/reminders/outbox/{message_id}/html").status_code == 403
        auth.logout()
    assert client.get("/reminders/outbox").status_code == 302  # to the login page

    auth.login("admin")
    listing = client.get("/reminders/outbox").get_data(as_text=True)
    assert "No mail server is configured" in listing
    assert "[FOIA] Overdue 3 working days: OPR report" in listing
    assert 'href="/reminders/outbox"' in client.get("/requests").get_data(as_text=True)
    shown = client.get(f"/reminders/outbox/{message_id}").get_data(as_text=True)
    assert "Agency&#39;s response due: Friday, November 13, 2026" in shown
    part = client.get(f"/reminders/outbox/{message_id}/html")
    assert part.mimetype == "text/html" and "sandbox" in part.headers["Content-Security-Policy"]
    assert client.get("/reminders/outbox/999999").status_code == 404

    with app.app_context():
        db.session.execute(db.update(OutboxMessage).values(status="failed", attempts=8, last_error="550 no"))
        db.session.commit()
    assert "550 no" in client.get("/reminders/outbox?status=failed").get_data(as_text=True)
    token = csrf_token(client, f"/reminders/outbox/{message_id}")
    assert client.post(f"/reminders/outbox/{message_id}/resend", data={"csrf_token": token}).status_code == 302
    with app.app_context():
        row = db.session.get(OutboxMessage, message_id)
        assert (row.status, row.attempts, row.last_error) == ("pending", 0, "")
        sent_id = row.message_id
        row.status = "sent"
        db.session.commit()
    client.post(f"/reminders/outbox/{message_id}/resend", data={"csrf_token": token})
    with app.app_context():
        again = db.session.get(OutboxMessage, message_id)
        assert again.status == "pending" and again.message_id != sent_id  # a deliberate second copy
    assert client.post("/reminders/outbox/resend-failed", data={"csrf_token": token}).status_code == 302
    assert client.post(f"/reminders/outbox/{message_id}/resend", data={}).status_code == 400  # no CSRF token


def test_rules_page_edits_validates_and_resets(app, client, auth, users, frozen):
    auth.login("reporter")
    assert client.get("/reminders/rules").status_code == 403
    assert client.post("/reminders/rules/appeal_window", data={}).status_code in (400, 403)
    auth.logout()
    auth.login("admin")
    page = client.get("/reminders/rules").get_data(as_text=True)
    assert "Appeal window closing" in page and "-15, -5, -1" in page
    token = csrf_token(client, "/reminders/rules/appeal_window")
    for steps, repeat, message in (("soon", "", "Use whole numbers"), ("-500", "", "between -120 and 120"),
                                   ("-1", "0", "From 1 to 120."), ("", "", "at least one number"),
                                   ("1,2,3,4,5,6,7", "", "At most 6")):
        bad = client.post("/reminders/rules/appeal_window", data={"csrf_token": token, "enabled": "y",
                                                                  "steps": steps, "repeat_every": repeat})
        assert bad.status_code == 422, steps
        assert message in bad.get_data(as_text=True), steps
    with app.app_context():
        overdue_request(users["reporter"])
        scan(send=False)
        assert db.session.scalar(select(ReminderPlan.check_on)) is not None
    ok = client.post("/reminders/rules/appeal_window", data={"csrf_token": token, "enabled": "y",
                                                             "steps": "-20, −10,-2", "repeat_every": ""})
    assert ok.status_code == 302
    with app.app_context():
        rule = db.session.get(ReminderRule, "appeal_window")
        assert rule.steps == [-20, -10, -2] and rule.enabled and rule.repeat_every is None
        assert db.session.scalar(select(ReminderPlan.check_on)).isoformat() == "2000-01-01"  # looked at again
    page = client.get("/reminders/rules").get_data(as_text=True)
    assert "-20, -10, -2" in page and "Back to default" in page
    assert client.post("/reminders/rules/appeal_window/reset", data={"csrf_token": token}).status_code == 302
    with app.app_context():
        assert db.session.get(ReminderRule, "appeal_window") is None
    assert client.get("/reminders/rules/nonsense").status_code == 404
