"""Every door that reads or changes a private request leaves its entry on the request's audit trail: web pages,
the API, the command line, the calendar feed and the exports. The trail is written by the services and by
requests.access.load, so a new door cannot forget it."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.security import world as world_module
from tracker.extensions import db
from tracker.requests.models import AuditEntry

P = "/requests/{private}"
API = "/api/v1/requests/{private}"
DOCS = P + "/determinations/{determination}/documents"

# (how, url or CLI arguments, form or JSON body, the audit action it must leave)
DOORS = [
    ("web", "GET " + P, None, "view"),
    ("web", "GET " + P + "/letters", None, "view"),
    ("web", "GET " + P + "/letters/new/appeal", None, "view"),
    ("web", "GET /letters/{letter}", None, "view"),
    ("web", "GET /letters/{letter}/pdf", None, "download"),
    ("web", "GET /attachments/{attachment}", None, "download"),
    ("web", "POST " + P + "/edit", {"title": "Renamed private request", "agency_id": "{agency}", "private": "y",
                                    "records_description": "All records.", "fee_category": "news_media",
                                    "delivery_format": "Electronic records (PDF)"}, "change"),
    ("web", "POST " + P + "/communications", {"direction": "in", "channel": "email", "occurred_on": "2026-11-30",
                                              "subject": "A call", "body": "Noted."}, "change"),
    ("web", "POST " + P + "/actions/appeal", {"on": "2026-11-30", "tracking_number": "2026-ICAP-00001"}, "change"),
    ("web", "POST " + DOCS, {"documents-0-description": "Memo", "documents-0-pages": "2"}, "change"),
    ("web", "POST " + DOCS + "/{document}/delete", {}, "change"),
    ("web", "GET /export/requests.csv", None, "export"),
    ("web", "GET /export/requests.json", None, "export"),
    ("feed", "GET /calendar/{feed_mine}.ics", None, "export"),
    ("api", "GET " + API, None, "view"),
    ("api", "GET " + API + "/events", None, "view"),
    ("api", "GET " + API + "/communications", None, "view"),
    ("api", "GET " + API + "/attachments", None, "view"),
    ("api", "GET /api/v1/attachments/{attachment}", None, "download"),
    ("api", "GET /api/v1/export/requests", None, "export"),
    ("api", "GET /api/v1/export/requests?format=csv", None, "export"),
    ("api", "PATCH " + API, {"title": "Renamed through the API"}, "change"),
    ("api", "POST " + API + "/communications", {"direction": "out", "channel": "phone", "occurred_on": "2026-11-30",
                                                "subject": "Called the office"}, "change"),
    ("api", "POST " + API + "/actions/appeal", {"on": "2026-11-30"}, "change"),
    ("cli", "letter {private} appeal --text", None, "view"),
]


def _entries(app, request_id: int) -> list[tuple[str, str, int | None]]:
    with app.app_context():
        rows = db.session.scalars(select(AuditEntry).where(AuditEntry.request_id == request_id)
                                  .order_by(AuditEntry.id)).all()
        return [(row.action, row.detail, row.actor_id) for row in rows]


def _fill(world, value):
    if isinstance(value, dict):
        return {k: _fill(world, v) for k, v in value.items()}
    return world.fmt(value) if isinstance(value, str) else value


@pytest.mark.parametrize("how, door, body, action", DOORS, ids=[f"{d[0]} {d[1]}" for d in DOORS])
def test_every_door_leaves_its_audit_entry(app, world, how, door, body, action):
    before = _entries(app, world.ids["private"])
    body = _fill(world, body)
    if how == "cli":
        result = app.test_cli_runner().invoke(args=world.fmt(door).split())
        assert result.exit_code == 0, result.output
    else:
        method, url = door.split(" ", 1)
        url = world.fmt(url)
        if how == "api":
            headers = {"Authorization": f"Bearer {world.api['reporter']}"}
            response = app.test_client().open(url, method=method, json=body, headers=headers)
        elif how == "feed":
            response = app.test_client().get(url)
        else:
            client, csrf = world_module.login(app, "reporter")
            response = client.get(url) if method == "GET" else client.post(url, data={**body, "csrf_token": csrf})
        response.get_data()
        assert response.status_code < 400, (response.status_code, response.get_data(as_text=True)[:500])
    new = _entries(app, world.ids["private"])[len(before):]
    assert action in [entry[0] for entry in new], f"{door} left {new}"
    if how != "cli":
        assert all(entry[2] == world.ids["reporter"] for entry in new if entry[0] == action)


def test_nothing_is_audited_for_a_reporter_who_gets_404(app, world):
    client, _csrf = world_module.login(app, "other_reporter")
    before = _entries(app, world.ids["private"])
    assert client.get(world.fmt(P)).status_code == 404
    assert client.get(world.fmt("/attachments/{attachment}")).status_code == 404
    assert _entries(app, world.ids["private"]) == before
