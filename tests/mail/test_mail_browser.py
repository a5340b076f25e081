"""In Chromium: an agency's HTML mail runs no script and loads nothing from outside; the reply address copies."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlparse

import pytest
import time_machine
from playwright.sync_api import expect
from sqlalchemy import select

from tests.mail.conftest import corpus_message
from tests.mail.world import build
from tracker.extensions import db
from tracker.mail.fetch import fetch_mail
from tracker.mail.models import IncomingMessage

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
HOSTILE = (b"From: ICE FOIA <no-reply@securerelease.dhs.gov>\r\nTo: foia+TOKEN@newsroom.example\r\n"
           b"Subject: Portal update 2026-ICFO-01234\r\nMessage-ID: <hostile@x>\r\nMIME-Version: 1.0\r\n"
           b"Content-Type: text/html; charset=utf-8\r\n\r\n"
           b"<p id=t>Your request 2026-ICFO-01234 was updated.</p>"
           b"<script>parent.document.title='PWNED';document.getElementById('t').textContent='PWNED'</script>"
           b"<img src=x onerror=\"parent.document.title='PWNED'\">"
           b"<img src=\"http://remote-tracker.example/pixel.gif\"><img src=\"//cdn.example/a.png\">"
           b"<svg><image href=\"https://svg.example/i.png\"/></svg>"
           b"<link rel=stylesheet href=\"https://css.example/s.css\">"
           b"<div style=\"background:url(https://bg.example/b.png)\">Signed</div>"
           b"<a href=\"javascript:parent.document.title='PWNED'\">Log in</a>"
           b"<iframe src=\"https://frame.example/\"></iframe><object data=\"https://obj.example/o\"></object>")


@pytest.mark.slow
def test_html_mail_runs_nothing_and_loads_nothing_remote(app, users, dovecot, page, live_server):
    with time_machine.travel(datetime(2026, 12, 5, 15, 0, tzinfo=UTC), tick=True):
        with app.app_context():
            world = build(users)
            token = world.tokens[world.denver]
            dovecot.append(HOSTILE.replace(b"TOKEN", token.encode()),
                           corpus_message("html_only", token), corpus_message("state_agency_letter"))
            fetch_mail()
            ids = [m.id for m in db.session.scalars(select(IncomingMessage).where(IncomingMessage.status == "filed")
                                                    .order_by(IncomingMessage.id))]
            db.session.remove()
    requested, dialogs, console = [], [], []
    page.on("request", lambda r: requested.append(r.url))
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.on("console", lambda m: console.append(m.text))
    page.login("reporter")
    for message_id in ids:
        page.goto(f"/mail/messages/{message_id}")
        frame_element = page.wait_for_selector("iframe.mail-html")
        frame = frame_element.content_frame()
        frame.wait_for_load_state()
        assert "2026-ICFO-01234" in frame.inner_text("body")
        assert "PWNED" not in frame.inner_text("body") and page.title() != "PWNED"
        assert frame.locator("script").count() == 0 and frame.locator("[onerror]").count() == 0
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "mail-message.png"), full_page=True)
    page.goto(f"/requests/{world.denver}")
    copy = page.locator("button.copy-reply")
    assert copy.is_visible()  # shown only because mail.js ran
    copy.click()
    page.wait_for_function("document.querySelector('[data-copy-status=\"reply-address\"]').textContent !== ''")
    assert page.locator("[data-copy-status='reply-address']").inner_text() in ("Copied.", "Selected: press Ctrl-C "
                                                                                       "(or ⌘-C) to copy.")
    page.screenshot(path=str(ARTIFACTS / "mail-request-page.png"), full_page=True)
    page.context.clear_cookies()
    page.login("editor")
    page.goto("/mail/unsorted")
    assert "Public Information Request PIR-26-04512" in page.inner_text("main")
    page.screenshot(path=str(ARTIFACTS / "mail-unsorted.png"), full_page=True)
    page.fill("input[name=number]", "A-2026-00417")  # the appeal's tracking number, typed as the agency gave it
    page.click("button:has-text('File')")
    expect(page.locator("main")).to_contain_text("No unsorted mail.")
    assert f"Filed on request #{world.appeal}: OPR report appeal." in page.inner_text("main")
    outside = [u for u in requested if urlparse(u).hostname not in ("127.0.0.1", "localhost")]
    assert outside == [] and dialogs == []
