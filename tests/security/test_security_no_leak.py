"""A reporter's private request cannot be seen by another reporter: by any page, API call, export, feed,
board (logged in or through a wall-screen link), letter or attachment download, or backup file name.

Each response body is searched for the private request's unique title, tracking number and the words of its
description, notes and documents.
"""

from __future__ import annotations

import json
from urllib.parse import quote, unquote

from sqlalchemy import select

from tests.security import world as world_module
from tests.security.test_security_matrix import MATRIX
from tests.security.world import SECRET_NUMBER, SECRET_TITLE, SECRET_WORDS
from tracker.auth.models import User
from tracker.board import services as board_services
from tracker.core.clock import now_utc
from tracker.core.mail import OutboxMessage
from tracker.extensions import db
from tracker.reminders import settings
from tracker.reminders.models import CalendarToken
from tracker.reminders.scan import scan_reminders

SECRETS = (SECRET_TITLE, SECRET_NUMBER, SECRET_WORDS)
# Searches and filters aimed straight at the private request.
EXTRA_PAGES = [
    "/requests?q=" + quote(SECRET_TITLE), "/requests?q=" + quote(SECRET_NUMBER), "/requests?q=" + SECRET_WORDS,
    "/requests?owner_id={reporter}", "/requests?matter_id={matter}&sort=due", "/requests?status=determined",
    "/board?owner_id={reporter}", "/board?column=us", "/board?tv=1", "/board/fragment?column=us",
    "/board?matter_id={matter}", "/board/agencies?period=all", "/matters?q=Denver", "/matters?state=asked",
    "/matters/export.csv?agency_id={agency}", "/matters/export.json", "/export/requests.csv?owner_id={reporter}",
    "/export/requests.json?q=" + quote(SECRET_TITLE), "/agencies/{agency}", "/reminders",
    "/requests/{private}/audit", "/requests/{public}", "/requests/{public}/edit", "/requests/new",
]
EXTRA_API = [
    "/api/v1/requests?q=" + quote(SECRET_TITLE), "/api/v1/requests?q=" + quote(SECRET_NUMBER),
    "/api/v1/requests?owner_id={reporter}&per_page=200", "/api/v1/requests?status=determined",
    "/api/v1/export/requests?format=csv&owner_id={reporter}", "/api/v1/export/requests?format=json",
    "/api/v1/ledger?format=csv", "/api/v1/board/summary?owner_id={reporter}", "/api/v1/matters/{matter}",
    "/api/v1/requests/{public}", "/api/v1/agencies/{agency}",
]


def _leaks(body: bytes, *, asked: str = "", link: str = "") -> list[str]:
    """The secrets in a body, but those the caller typed into the URL (a search box shows them back), and
    the private request's own link."""
    text = body.decode("utf-8", "replace")
    markers = [s for s in SECRETS if s not in unquote(asked)] + ([f'{link}"'] if link else [])
    return [s for s in markers if s in text]


def _get_urls() -> list[str]:
    """Every GET of the matrix but the calendar feeds (their secret URL is their owner's credential)."""
    urls = [url for route, cases in MATRIX.items() if route.startswith("GET ") and "/calendar/" not in route
            for url, _row in cases]
    return urls + EXTRA_PAGES + EXTRA_API


def test_another_reporter_finds_nothing_anywhere(app, world):
    with app.app_context():
        scan_reminders()  # reminders and any mail they make, for everyone
    client, _csrf = world_module.login(app, "other_reporter")
    token = {"Authorization": f"Bearer {world.api['other_reporter']}"}
    found = []
    statuses = {}
    for template in _get_urls():
        url = world.fmt(template)
        response = client.get(url, headers=token if url.startswith("/api/") else {})
        body = response.get_data()
        statuses[url] = response.status_code
        if leaked := _leaks(body, asked=url, link=world.fmt("/requests/{private}")):
            found.append(f"{url} ({response.status_code}) shows {leaked}")
        assert response.status_code < 500, url
    assert not found, "\n".join(found)
    # The private request's own pages answer as if it did not exist.
    for template in ("/requests/{private}", "/attachments/{attachment}", "/letters/{letter}/pdf",
                     "/api/v1/requests/{private}/events", "/api/v1/attachments/{attachment}"):
        assert statuses[world.fmt(template)] == 404, template
    # The owner sees it in the same places (so the searches above were aimed right).
    owner, _ = world_module.login(app, "reporter")
    assert SECRET_TITLE in owner.get("/requests?q=" + quote(SECRET_TITLE)).get_data(as_text=True)
    assert SECRET_NUMBER in owner.get("/export/requests.csv").get_data(as_text=True)


def test_no_mail_about_it_reaches_another_reporter(app, world):
    with app.app_context():
        scan_reminders()
        other = db.session.get(User, world.ids["other_reporter"])
        for message in db.session.scalars(select(OutboxMessage).where(OutboxMessage.to_address == other.email)):
            text = message.subject + message.text_body + message.html_body
            assert not [s for s in SECRETS if s in text], message.subject


def test_calendar_feeds(app, world):
    client, csrf = world_module.login(app, "other_reporter")
    with app.app_context():
        other = db.session.get(User, world.ids["other_reporter"])
        own_feed = settings.create_calendar_token(other, scope="mine", now=now_utc())
        db.session.commit()
        other_id = other.id
    body = client.get(f"/calendar/{own_feed}.ics").get_data()
    assert client.get(f"/calendar/{own_feed}.ics").status_code == 200 and not _leaks(body)
    # A reporter cannot make the newsroom feed: it is editors' only.
    response = client.post("/reminders/calendar", data={"csrf_token": csrf, "scope": "newsroom"})
    assert response.status_code == 403
    with app.app_context():
        assert db.session.scalar(select(CalendarToken).where(CalendarToken.user_id == other_id,
                                                             CalendarToken.scope == "newsroom")) is None
    # The editors' newsroom feed has it (so the feed is not just empty)...
    newsroom = client.get(f"/calendar/{world.secrets['feed_newsroom']}.ics").get_data(as_text=True)
    assert SECRET_TITLE in newsroom.replace("\r\n ", "")
    # ...and stops the moment its editor is no longer an editor.
    admin, admin_csrf = world_module.login(app, "admin")
    response = admin.post(f"/users/{world.ids['editor']}", data={
        "csrf_token": admin_csrf, "name": "Editor", "email": "editor@test.example", "role": "reporter",
        "active": "y"})
    assert response.status_code == 302
    assert client.get(f"/calendar/{world.secrets['feed_newsroom']}.ics").status_code == 404


def test_wall_screen_links_show_public_requests_only(app, world):
    with app.app_context():
        editor = db.session.get(User, world.ids["editor"])
        _share, aimed = board_services.create_share(actor=editor, now=now_utc(), label="Aimed at the reporter",
                                                    filters={"owner_id": world.ids["reporter"]})
        db.session.commit()
    screen = app.test_client()
    for token in (world.secrets["share_token"], aimed):
        for url in (f"/board/shared/{token}", f"/board/shared/{token}?tv=1", f"/board/shared/{token}/fragment",
                    f"/board/shared/{token}?column=us"):
            response = screen.get(url)
            assert response.status_code == 200, url
            assert not _leaks(response.get_data()), url
    assert "Public request about Denver" in screen.get(f"/board/shared/{aimed}").get_data(as_text=True)


def test_backup_file_names_say_nothing(app, world, tmp_path):
    result = app.test_cli_runner().invoke(args=["backup", str(tmp_path / "backup")])
    assert result.exit_code == 0, result.output
    names = [str(p.relative_to(tmp_path)) for p in (tmp_path / "backup").rglob("*")]
    manifest = json.loads((tmp_path / "backup" / "manifest.json").read_text())
    assert len(names) > 3
    for name in names + list(manifest["files"]):
        lowered = name.lower()
        for word in (*SECRETS, "quokka", "marmoset", "source-notes", "appeal", ".txt", ".pdf", ".csv"):
            assert word.lower() not in lowered, f"{name} says {word}"


def test_counts_do_not_betray_it(app, world):
    """The ledger, the matter and the board count only what the reader may see: no count, page total or
    exemption of the private request reaches another reporter."""
    def numbers(who: str) -> tuple:
        api = app.test_client()
        headers = {"Authorization": f"Bearer {world.api[who]}"}
        (row,) = api.get("/api/v1/ledger", headers=headers).json["matters"]
        matter = api.get(world.fmt("/api/v1/matters/{matter}"), headers=headers).json["disclosure"]
        summary = api.get("/api/v1/board/summary", headers=headers).json["summary"]
        return (row["requests"]["sent"], row["pages_withheld"], row["exemptions"], matter["requests"]["sent"],
                summary["open"], summary["determinations"])

    assert numbers("reporter") == (2, 9, ["b6", "b7C"], 2, 2, 1)
    assert numbers("other_reporter") == (1, 0, [], 1, 1, 0)


def test_an_import_does_not_confirm_it(app, world):
    """Importing a row with the private request's exact title, agency and date sent: for another reporter it is
    a new request, not "already in the tracker (request #N)", which would confirm the secret and number it."""
    from tests.security import corpus

    client, csrf = world_module.login(app, "other_reporter")
    sheet = f"Title,Agency,Date filed,Sent by\n{SECRET_TITLE},ICE FOIA Office,09/01/2026,portal\n".encode()
    body, content_type = corpus.multipart_body([("csrf_token", csrf)], [("file", b"mine.csv", sheet)])
    response = client.post("/imports", data=body, content_type=content_type)
    assert response.status_code == 303
    upload = response.headers["Location"].split("/imports/")[1].split("/")[0]
    client.post(f"/imports/{upload}/mapping", data={
        "csrf_token": csrf, "col-title": "Title", "col-agency": "Agency", "col-sent_on": "Date filed",
        "col-channel": "Sent by", "dates": "us", "default_channel": "portal"})
    report = client.get(f"/imports/{upload}").get_data(as_text=True)
    assert "already" not in report and f"#{world.ids['private']}" not in report, report
