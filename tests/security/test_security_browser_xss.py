"""Stored script, rendered in a real Chromium: script and event-handler payloads entered through the web forms
in every text field (request, actions, notes, communications, file names, Vaughn rows, agency, matter, source,
user, letter, board link, token, saved mapping) and an outbox message, then every page that shows them.

No payload may run (window.__pwned stays undefined, no dialog), none may even become markup (no inline
script, no on* attribute in any frame's DOM, no CSP violation reported), and the text must show as text.
"""

from __future__ import annotations

import io

from sqlalchemy import select

from tests.security import world as world_module
from tests.security.corpus import IMG, XSS
from tracker.agencies.models import Agency
from tracker.board.models import BoardShare
from tracker.core import mail as outbox
from tracker.core.clock import now_utc
from tracker.core.mail import OutboxMessage
from tracker.extensions import db
from tracker.letters.models import Letter
from tracker.matters.models import Matter
from tracker.reminders.scan import scan_reminders
from tracker.requests.models import RecordsRequest

SHOWN = "<script>window.__pwned=1</script>"  # what a page must show, as text, where XSS was stored
INJECTED = """() => {
  const found = [];
  for (const el of document.querySelectorAll('*')) {
    for (const attr of el.attributes) if (attr.name.startsWith('on')) found.push(el.tagName + ' ' + attr.name);
    if (el.tagName === 'SCRIPT' && !el.src) found.push('inline SCRIPT: ' + el.textContent.slice(0, 60));
    for (const attr of el.attributes)
      if (/^\\s*javascript:/i.test(attr.value) && ['href', 'src', 'action'].includes(attr.name)) found.push(attr.value);
  }
  return found;
}"""


def _post(client, csrf, url, data, *, expect=(302, 303, 201)):
    response = client.post(url, data={"csrf_token": csrf, **data})
    assert response.status_code in expect, (url, response.status_code, response.get_data(as_text=True)[:2000])
    return response


def _store_everywhere(app, world) -> dict:
    """Script-laden values entered through the real forms; returns the ids of what was made."""
    made = {}
    admin, admin_csrf = world_module.login(app, "admin")
    _post(admin, admin_csrf, "/agencies/new", {
        "name": XSS, "abbreviation": IMG, "jurisdiction": "US-DHS", "parent_id": "0", "foia_email": XSS,
        "portal_url": "javascript:window.__pwned=1", "mailing_address": XSS, "phone": IMG, "public_liaison": XSS,
        "appeal_office": XSS, "appeal_address": XSS, "notes": XSS})
    _post(admin, admin_csrf, world.fmt("/users/{other_reporter}"), {
        "name": XSS, "email": "other_reporter@test.example", "role": "reporter", "active": "y"})
    with app.app_context():
        made["agency"] = db.session.scalar(select(Agency.id).where(Agency.name == XSS))
    reporter, csrf = world_module.login(app, "reporter")
    _post(reporter, csrf, "/matters/new", {"title": XSS, "category": "administrative", "summary": XSS,
                                           "opr_case_number": IMG, "place": XSS, "public_outcome": XSS, "notes": XSS})
    with app.app_context():
        made["matter"] = db.session.scalar(select(Matter.id).where(Matter.title == XSS))
    _post(reporter, csrf, f"/matters/{made['matter']}/sources", {
        "title": XSS, "publisher": XSS, "url": f"https://example.org/?q={XSS}", "quote": XSS,
        "published_on": "2026-01-23"})
    response = _post(reporter, csrf, "/requests/new", {
        "title": XSS, "agency_id": made["agency"], "matter_ids": [made["matter"], world.ids["matter"]],
        "watcher_ids": [world.ids["other_reporter"]], "records_description": XSS, "delivery_format": IMG,
        "fee_category": "news_media", "fee_waiver_justification": XSS, "expedited_category": "",
        "expedited_justification": XSS, "fee_limit": "50"})
    made["request"] = req = int(response.headers["Location"].rsplit("/", 1)[1])
    _post(reporter, csrf, f"/requests/{req}/actions/file", {
        "on": "2026-09-01", "channel": "portal", "tracking_number": IMG, "note": XSS, "subject": XSS, "body": XSS})
    _post(reporter, csrf, f"/requests/{req}/actions/determine", {
        "on": "2026-10-20", "outcome": "granted_in_part", "exemptions": "b6", "pages_released": "3",
        "pages_withheld": "9", "note": XSS, "documents-0-description": XSS, "documents-0-pages": "4",
        "documents-0-withheld_in_full": "1", "documents-0-exemptions": "b6",
        "appeal_office": XSS, "appeal_address": XSS, "appeal_deadline_stated": XSS})
    response = _post(reporter, csrf, "/requests/new", {  # left overdue: its reminder email shows the title
        "title": XSS, "agency_id": made["agency"], "watcher_ids": [world.ids["other_reporter"]],
        "fee_category": "news_media", "expedited_category": ""})
    made["overdue"] = int(response.headers["Location"].rsplit("/", 1)[1])
    _post(reporter, csrf, f"/requests/{made['overdue']}/actions/file", {"on": "2026-09-01", "channel": "portal"})
    _post(reporter, csrf, f"/requests/{req}/communications", {
        "direction": "in", "channel": "email", "occurred_on": "2026-10-21", "subject": XSS, "body": XSS})
    response = reporter.post(f"/requests/{req}/attachments", content_type="multipart/form-data", data={
        "csrf_token": csrf, "files": [(io.BytesIO(b"<script>window.__pwned=1</script>"), XSS + ".html")]})
    assert response.status_code == 302
    _post(reporter, csrf, f"/requests/{req}/letters/new/appeal", {
        "do": "generate", "channel": "mail", "requester_name": XSS, "requester_title": XSS,
        "requester_email": "reporter@test.example", "determination_kind": "partial", "contested": "b6",
        "argument-b6": XSS, "custom_text": XSS, "enclosures": XSS})
    _post(reporter, csrf, "/account/tokens", {"name": IMG}, expect=(201,))
    _post(reporter, csrf, world.fmt("/imports/{upload}/mapping"), {
        "col-title": "Title", "col-agency": "Agency", "dates": "us", "default_channel": "portal", "save_as": IMG})
    editor, editor_csrf = world_module.login(app, "editor")
    _post(editor, editor_csrf, "/board/shares", {"label": XSS})
    with app.app_context():
        made["letter"] = db.session.scalar(select(Letter.id).where(Letter.request_id == req))
        made["determination"] = db.session.get(RecordsRequest, req).determinations[-1].id
        made["share"] = db.session.scalar(select(BoardShare.id).where(BoardShare.label == XSS))
        made["hostile"] = outbox.queue(  # an HTML part that is itself hostile: shown sandboxed, never run
            key="security:xss", to_address="reporter@test.example", subject=XSS, text_body=XSS,
            html_body=f"<p>{XSS}</p><a href=\"javascript:window.__pwned=1\">x</a>", now=now_utc(), request_id=req)
        db.session.commit()
        scan_reminders()  # the reminder emails of the script-laden request, rendered by the real templates
        made["message"] = db.session.scalar(select(OutboxMessage.id).where(
            OutboxMessage.request_id == made["overdue"]).order_by(OutboxMessage.id))
        assert made["message"] is not None, "the overdue request should have a reminder email"
    return made


PAGES = [
    "/requests", "/requests?q=script", "/requests/{request}", "/requests/{request}/edit",
    "/requests/{request}/actions/appeal", "/requests/{request}/determinations/{determination}/documents",
    "/requests/{request}/letters", "/requests/{request}/letters/new/appeal", "/letters/{letter}",
    "/requests/{overdue}",
    "/board", "/board?tv=1", "/board?column=us", "/board/agencies", "/board/shares", "/matters",
    "/matters/{matter}", "/matters/{matter}/edit", "/agencies", "/agencies/{agency}", "/users",
    "/users/{other_reporter}", "/reminders", "/reminders/outbox", "/reminders/outbox/{message}",
    "/reminders/outbox/{message}/html", "/account/tokens", "/imports",
]
SHOWS_TEXT = {"/requests", "/requests/{request}", "/board", "/matters", "/matters/{matter}", "/letters/{letter}",
              "/reminders/outbox/{message}", "/agencies/{agency}", "/users"}


def test_stored_script_never_runs(app, world, page, live_server, frozen):
    made = _store_everywhere(app, world)
    ids = {**world.ids, **made}
    dialogs, violations = [], []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.on("console", lambda message: violations.append(message.text)
            if "Content Security Policy" in message.text else None)
    page.login("admin")
    problems = []
    for template in PAGES:
        url = template.format(**ids, **world.secrets)
        response = page.goto(url)
        assert response is not None and response.status < 400, (url, response and response.status)
        page.wait_for_load_state("load")
        if page.evaluate("typeof window.__pwned") != "undefined":
            problems.append(f"{url}: a payload ran")
        for frame in page.frames:
            try:
                injected = frame.evaluate(INJECTED)
            except Exception:  # noqa: BLE001  (a frame that navigated away while we looked)
                continue
            if injected:
                problems.append(f"{url} (frame {frame.url[:40]}): markup from stored text: {injected[:3]}")
        if template in SHOWS_TEXT and SHOWN not in page.inner_text("body"):
            problems.append(f"{url}: the stored text is not shown as text")
    # A hostile HTML part is shown as the mail client would get it, but sandboxed: it may be markup, never run.
    for url in (f"/reminders/outbox/{made['hostile']}", f"/reminders/outbox/{made['hostile']}/html"):
        response = page.goto(url)
        assert "sandbox" in response.headers["content-security-policy"] or "/html" not in url
        if page.evaluate("typeof window.__pwned") != "undefined":
            problems.append(f"{url}: a payload ran")
    violations = [v for v in violations if f"/reminders/outbox/{made['hostile']}" not in v]
    # The wall-screen link, logged out.
    share_page = page.context.browser.new_page(base_url=live_server)
    share_page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    share_page.goto(world.fmt("/board/shared/{share_token}?tv=1"))
    if share_page.evaluate("typeof window.__pwned") != "undefined" or share_page.evaluate(INJECTED):
        problems.append("wall-screen link: a payload ran or became markup")
    share_page.close()
    assert not dialogs, dialogs
    assert not violations, violations[:5]
    assert not problems, "\n".join(problems)
