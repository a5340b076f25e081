"""The permission matrix: every route of the app and every API operation, for each kind of caller, with the
status each must get. A route that is not in the table fails the test: a new route must be classified here.

Callers: anon (no session, no token), owner (the reporter who owns the private request), other (another
reporter), editor, admin, gone (an editor logged in and holding a token, then deactivated by an admin).
Web routes are called with the caller's session; API routes with the caller's personal token (and, for
"gone", with the old session as well).

Expectations, one per caller in the order above:
  L      a redirect to /login (web) — the caller is not logged in, or no longer
  401    refused as unauthenticated (API, and the board's live fragment)
  ok     allowed: not 401 or 403, not a redirect to /login, not 5xx (POSTs send a valid CSRF token and an
         empty or minimal body, so a 422 is fine)
  no     denied: 403, or 404 where the route hides what exists
  a number: exactly that status
"""

from __future__ import annotations

import pytest

from tests.security import world as world_module
from tests.security.world import ROLES, USER_OF
from tracker import create_app

# Shorthands for the common rows.
ANYONE = "200 200 200 200 200 200"
LOGGED_GET = "L 200 200 200 200 L"
LOGGED_POST = "L ok ok ok ok L"
OWNER_GET = "L 200 403 200 200 L"  # a private request's pages: its owner and editors
OWNER_POST = "L ok no ok ok L"
EDITOR_GET = "L 403 403 200 200 L"
EDITOR_POST = "L no no ok ok L"
ADMIN_GET = "L 403 403 403 200 L"
ADMIN_POST = "L no no no ok L"
SELF_GET = "L 200 404 404 404 L"  # the reporter's own import upload, own token: nobody else's
SELF_POST = "L ok no no no L"
API_GET = "401 200 200 200 200 401"
API_WRITE = "401 ok ok ok ok 401"
API_OWNER_GET = "401 200 403 200 200 401"
API_OWNER_WRITE = "401 ok no ok ok 401"
API_ADMIN_WRITE = "401 no no no ok 401"

P = "/requests/{private}"
DOCS = P + "/determinations/{determination}/documents"

# "METHOD rule" -> [(url, expectations), ...]; a route may have several cases (the private and the public request).
MATRIX: dict[str, list[tuple[str, str]]] = {
    # core and accounts
    "GET /": [("/", "302 302 302 302 302 302")],
    "GET /healthz": [("/healthz", ANYONE)],
    "GET /login": [("/login", ANYONE)],
    "POST /login": [("/login", "200 200 200 200 200 200")],  # an empty form is shown again
    "POST /logout": [("/logout", "L L L L L L")],
    "POST /logout-everywhere": [("/logout-everywhere", "L L L L L L")],  # done: back to the login page
    "GET /password/forgot": [("/password/forgot", ANYONE)],
    "POST /password/forgot": [("/password/forgot", ANYONE)],
    "GET /password/reset/<token>": [("/password/reset/{reset_token}", ANYONE),
                                    ("/password/reset/not-a-token", "400 400 400 400 400 400")],
    "POST /password/reset/<token>": [("/password/reset/{reset_token}", ANYONE),
                                     ("/password/reset/not-a-token", "400 400 400 400 400 400")],
    "GET /users": [("/users", ADMIN_GET)],
    "GET /users/new": [("/users/new", ADMIN_GET)],
    "POST /users/new": [("/users/new", ADMIN_POST)],
    "GET /users/<int:user_id>": [("/users/{other_reporter}", ADMIN_GET)],
    "POST /users/<int:user_id>": [("/users/{other_reporter}", ADMIN_POST)],
    "GET /account/tokens": [("/account/tokens", LOGGED_GET)],
    "POST /account/tokens": [("/account/tokens", LOGGED_POST)],
    "POST /account/tokens/<int:token_id>/revoke": [("/account/tokens/{api_token_reporter}/revoke", SELF_POST)],
    # agencies
    "GET /agencies": [("/agencies", LOGGED_GET)],
    "GET /agencies/<int:agency_id>": [("/agencies/{agency}", LOGGED_GET)],
    "GET /agencies/new": [("/agencies/new", ADMIN_GET)],
    "POST /agencies/new": [("/agencies/new", ADMIN_POST)],
    "GET /agencies/<int:agency_id>/edit": [("/agencies/{agency}/edit", ADMIN_GET)],
    "POST /agencies/<int:agency_id>/edit": [("/agencies/{agency}/edit", ADMIN_POST)],
    # requests
    "GET /requests": [("/requests", LOGGED_GET)],
    "GET /requests/new": [("/requests/new", LOGGED_GET)],
    "POST /requests/new": [("/requests/new", LOGGED_POST)],
    "GET /requests/<int:request_id>": [(P, OWNER_GET), ("/requests/{public}", LOGGED_GET)],
    "GET /requests/<int:request_id>/edit": [(P + "/edit", OWNER_GET), ("/requests/{public}/edit", OWNER_GET)],
    "POST /requests/<int:request_id>/edit": [(P + "/edit", OWNER_POST), ("/requests/{public}/edit", OWNER_POST)],
    "GET /requests/<int:request_id>/audit": [(P + "/audit", EDITOR_GET)],
    "GET /requests/<int:request_id>/actions/<action_name>": [
        (P + "/actions/appeal", OWNER_GET), ("/requests/{public}/actions/acknowledge", OWNER_GET)],
    "POST /requests/<int:request_id>/actions/<action_name>": [
        (P + "/actions/appeal", OWNER_POST), ("/requests/{public}/actions/acknowledge", OWNER_POST)],
    "POST /requests/<int:request_id>/communications": [(P + "/communications", OWNER_POST),
                                                       ("/requests/{public}/communications", OWNER_POST)],
    "POST /requests/<int:request_id>/attachments": [(P + "/attachments", OWNER_POST),
                                                    ("/requests/{public}/attachments", OWNER_POST)],
    "GET /attachments/<int:attachment_id>": [("/attachments/{attachment}", OWNER_GET)],
    "GET /requests/<int:request_id>/determinations/<int:determination_id>/documents": [(DOCS, OWNER_GET)],
    "POST /requests/<int:request_id>/determinations/<int:determination_id>/documents": [(DOCS, OWNER_POST)],
    "POST /requests/<int:request_id>/determinations/<int:determination_id>/documents/<int:document_id>/delete": [
        (DOCS + "/{document}/delete", OWNER_POST)],
    "GET /export/requests.<any(csv, json):fmt>": [("/export/requests.csv", LOGGED_GET),
                                                  ("/export/requests.json", LOGGED_GET)],
    # letters
    "GET /requests/<int:request_id>/letters": [(P + "/letters", OWNER_GET)],
    "GET /requests/<int:request_id>/letters/new/<kind>": [(P + "/letters/new/appeal", OWNER_GET)],
    "POST /requests/<int:request_id>/letters/new/<kind>": [(P + "/letters/new/appeal", OWNER_POST)],
    "GET /letters/<int:letter_id>": [("/letters/{letter}", OWNER_GET)],
    "GET /letters/<int:letter_id>/pdf": [("/letters/{letter}/pdf", OWNER_GET)],
    "POST /letters/<int:letter_id>/sent": [("/letters/{letter}/sent", OWNER_POST)],
    # matters and the ledger
    "GET /matters": [("/matters", LOGGED_GET)],
    "GET /matters/export.csv": [("/matters/export.csv", LOGGED_GET)],
    "GET /matters/export.json": [("/matters/export.json", LOGGED_GET)],
    "GET /matters/new": [("/matters/new", LOGGED_GET)],
    "POST /matters/new": [("/matters/new", LOGGED_POST)],
    "GET /matters/<int:matter_id>": [("/matters/{matter}", LOGGED_GET)],
    "GET /matters/<int:matter_id>/edit": [("/matters/{matter}/edit", LOGGED_GET)],
    "POST /matters/<int:matter_id>/edit": [("/matters/{matter}/edit", LOGGED_POST)],
    "POST /matters/<int:matter_id>/sources": [("/matters/{matter}/sources", LOGGED_POST)],
    "POST /matters/<int:matter_id>/sources/<int:source_id>/delete": [
        ("/matters/{matter}/sources/{source}/delete", EDITOR_POST)],
    "POST /matters/<int:matter_id>/state": [("/matters/{matter}/state", EDITOR_POST)],
    "POST /matters/<int:matter_id>/state/clear": [("/matters/{matter}/state/clear", EDITOR_POST)],
    # the board
    "GET /board": [("/board", LOGGED_GET)],
    "GET /board/fragment": [("/board/fragment", "401 200 200 200 200 401")],
    "GET /board/agencies": [("/board/agencies", LOGGED_GET)],
    "GET /board/shared/<token>": [("/board/shared/{share_token}", ANYONE),
                                  ("/board/shared/not-a-token", "404 404 404 404 404 404")],
    "GET /board/shared/<token>/fragment": [("/board/shared/{share_token}/fragment", ANYONE)],
    "GET /board/shares": [("/board/shares", EDITOR_GET)],
    "POST /board/shares": [("/board/shares", EDITOR_POST)],
    "POST /board/shares/<int:share_id>/revoke": [("/board/shares/{share}/revoke", EDITOR_POST)],
    # reminders, calendar feeds, the outbox
    "GET /reminders": [("/reminders", LOGGED_GET)],
    "POST /reminders": [("/reminders", LOGGED_POST)],
    "POST /reminders/calendar": [("/reminders/calendar", LOGGED_POST)],
    "POST /reminders/calendar/<int:token_id>/revoke": [("/reminders/calendar/{calendar_mine}/revoke", SELF_POST)],
    "GET /calendar/<token>.ics": [("/calendar/{feed_mine}.ics", ANYONE), ("/calendar/{feed_newsroom}.ics", ANYONE),
                                  ("/calendar/{feed_leaver}.ics", "404 404 404 404 404 404"),
                                  ("/calendar/not-a-token.ics", "404 404 404 404 404 404")],
    "GET /reminders/outbox": [("/reminders/outbox", ADMIN_GET)],
    "GET /reminders/outbox/<int:message_id>": [("/reminders/outbox/{message}", ADMIN_GET)],
    "GET /reminders/outbox/<int:message_id>/html": [("/reminders/outbox/{message}/html", ADMIN_GET)],
    "POST /reminders/outbox/<int:message_id>/resend": [("/reminders/outbox/{message}/resend", ADMIN_POST)],
    "POST /reminders/outbox/resend-failed": [("/reminders/outbox/resend-failed", ADMIN_POST)],
    "GET /reminders/rules": [("/reminders/rules", ADMIN_GET)],
    "GET /reminders/rules/<key>": [("/reminders/rules/{rule}", ADMIN_GET)],
    "POST /reminders/rules/<key>": [("/reminders/rules/{rule}", ADMIN_POST)],
    "POST /reminders/rules/<key>/reset": [("/reminders/rules/{rule}/reset", ADMIN_POST)],
    # imports: an upload is its uploader's alone (the file may hold private requests)
    "GET /imports": [("/imports", LOGGED_GET)],
    "POST /imports": [("/imports", LOGGED_POST)],
    "GET /imports/<int:upload_id>": [("/imports/{upload}", SELF_GET)],
    "GET /imports/<int:upload_id>/mapping": [("/imports/{upload}/mapping", SELF_GET)],
    "POST /imports/<int:upload_id>/mapping": [("/imports/{upload}/mapping", SELF_POST)],
    "GET /imports/<int:upload_id>/mapping.json": [("/imports/{upload}/mapping.json", SELF_GET)],
    "POST /imports/<int:upload_id>/agencies": [("/imports/{upload}/agencies", SELF_POST)],
    "POST /imports/<int:upload_id>/file": [("/imports/{upload}/file", SELF_POST)],
    "POST /imports/<int:upload_id>/import": [("/imports/{upload}/import", SELF_POST)],
    "POST /imports/mappings/<int:mapping_id>/delete": [("/imports/mappings/{mapping}/delete", "L ok no ok ok L")],
    # the JSON API
    "GET /api/v1/openapi.json": [("/api/v1/openapi.json", ANYONE)],
    "GET /api/v1/docs": [("/api/v1/docs", ANYONE)],
    "GET /api/v1/jurisdictions": [("/api/v1/jurisdictions", API_GET)],
    "POST /api/v1/deadlines/compute": [("/api/v1/deadlines/compute", API_WRITE)],
    "GET /api/v1/agencies": [("/api/v1/agencies", API_GET)],
    "POST /api/v1/agencies": [("/api/v1/agencies", API_ADMIN_WRITE)],
    "GET /api/v1/agencies/<int:agency_id>": [("/api/v1/agencies/{agency}", API_GET)],
    "PATCH /api/v1/agencies/<int:agency_id>": [("/api/v1/agencies/{agency}", API_ADMIN_WRITE)],
    "GET /api/v1/matters": [("/api/v1/matters", API_GET)],
    "POST /api/v1/matters": [("/api/v1/matters", API_WRITE)],
    "GET /api/v1/matters/<int:matter_id>": [("/api/v1/matters/{matter}", API_GET)],
    "PATCH /api/v1/matters/<int:matter_id>": [("/api/v1/matters/{matter}", API_WRITE)],
    "GET /api/v1/board/summary": [("/api/v1/board/summary", API_GET)],
    "GET /api/v1/ledger": [("/api/v1/ledger", API_GET), ("/api/v1/ledger?format=csv", API_GET)],
    "GET /api/v1/export/requests": [("/api/v1/export/requests", API_GET),
                                    ("/api/v1/export/requests?format=csv", API_GET)],
    "GET /api/v1/requests": [("/api/v1/requests", API_GET)],
    "POST /api/v1/requests": [("/api/v1/requests", API_WRITE)],
    "GET /api/v1/requests/<int:request_id>": [("/api/v1" + P, API_OWNER_GET),
                                              ("/api/v1/requests/{public}", API_GET)],
    "PATCH /api/v1/requests/<int:request_id>": [("/api/v1" + P, API_OWNER_WRITE),
                                                ("/api/v1/requests/{public}", API_OWNER_WRITE)],
    "POST /api/v1/requests/<int:request_id>/actions/<action>": [
        ("/api/v1" + P + "/actions/appeal", API_OWNER_WRITE),
        ("/api/v1/requests/{public}/actions/acknowledge", API_OWNER_WRITE)],
    "GET /api/v1/requests/<int:request_id>/events": [("/api/v1" + P + "/events", API_OWNER_GET)],
    "GET /api/v1/requests/<int:request_id>/communications": [("/api/v1" + P + "/communications", API_OWNER_GET)],
    "POST /api/v1/requests/<int:request_id>/communications": [
        ("/api/v1" + P + "/communications", API_OWNER_WRITE),
        ("/api/v1/requests/{public}/communications", API_OWNER_WRITE)],
    "GET /api/v1/requests/<int:request_id>/attachments": [("/api/v1" + P + "/attachments", API_OWNER_GET)],
    "POST /api/v1/requests/<int:request_id>/attachments": [("/api/v1" + P + "/attachments", API_OWNER_WRITE)],
    "GET /api/v1/attachments/<int:attachment_id>": [("/api/v1/attachments/{attachment}", API_OWNER_GET)],
}


def app_routes() -> set[str]:
    """Every "METHOD rule" of the app, but static files."""
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": "routes"})
    found = set()
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            found.add(f"{method} {rule.rule}")
    return found


ROUTES = app_routes()


def test_every_route_is_in_the_table():
    missing = sorted(ROUTES - MATRIX.keys())
    stale = sorted(MATRIX.keys() - ROUTES)
    assert not missing, f"routes nobody classified (add them to MATRIX): {missing}"
    assert not stale, f"MATRIX rows for routes that no longer exist: {stale}"


def _meets(response, expected: str, *, api: bool) -> bool:
    status = response.status_code
    location = response.headers.get("Location", "")
    to_login = status in (301, 302, 303) and location.split("?")[0].endswith("/login")
    if expected == "L":
        return to_login
    if expected == "ok":
        csrf_refused = status == 400 and b"The form expired" in response.get_data()
        return status not in (401, 403) and status < 500 and not to_login and not csrf_refused
    if expected == "no":
        return status in (403, 404)
    return status == int(expected)


def _call(client, method: str, url: str, *, csrf: str, token: str | None):
    api = url.startswith("/api/")
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    if method == "GET":
        return client.get(url, headers=headers)
    if api:
        if not token:
            headers["X-CSRFToken"] = csrf  # a browser session must send the token for a write
        return client.open(url, method=method, json={}, headers=headers)
    return client.open(url, method=method, data={"csrf_token": csrf}, headers=headers)


def _order(expectations: dict[str, str]) -> list[str]:
    """Refused callers first, so a route that deletes something is refused before anyone deletes it."""
    return sorted(ROLES, key=lambda role: expectations[role] in ("ok", "200"))


@pytest.mark.parametrize("route", sorted(ROUTES | MATRIX.keys()))
def test_permission_matrix(app, world, route):
    assert route in MATRIX, f"{route} is not classified: add it to MATRIX with the status each caller must get"
    assert route in ROUTES, f"{route} is in MATRIX but the app has no such route"
    method = route.split(" ", 1)[0]
    sessions = {role: world_module.login(app, USER_OF.get(role)) for role in ROLES}
    sessions["anon"] = (app.test_client(), "")
    sessions["anon"] = (sessions["anon"][0], world_module.csrf_of(sessions["anon"][0]))
    with app.app_context():
        world_module.deactivate(world.ids["leaver"])
    failures = []
    for url_template, row in MATRIX[route]:
        url = world.fmt(url_template)
        expectations = dict(zip(ROLES, row.split(), strict=True))
        api = url.startswith("/api/")
        for role in _order(expectations):
            client, csrf = sessions[role]
            who = USER_OF.get(role)
            attempts = [(None if role == "anon" else world.api[who])] if api else [None]
            if api and role == "gone":
                attempts.append(None)  # the old session too
            for token in attempts:
                response = _call(client, method, url, csrf=csrf, token=token)
                response.get_data()  # a streamed body runs to its end
                response.close()
                if not _meets(response, expectations[role], api=api):
                    how = "token" if token else "session"
                    failures.append(f"{method} {url} as {role} ({how}): expected {expectations[role]}, got "
                                    f"{response.status_code} {response.headers.get('Location', '')}")
    assert not failures, "\n".join(failures)
