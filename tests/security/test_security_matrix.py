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
PRIVATE_GET = "L 200 404 200 200 L"  # a private request's pages: its owner and editors; to others it does not exist
PRIVATE_POST = "L ok 404 ok ok L"
OWNER_GET = "L 200 403 200 200 L"  # a page for changing a request another reporter may see but not change
OWNER_POST = "L ok 403 ok ok L"
EDITOR_GET = "L 403 403 200 200 L"
EDITOR_POST = "L no no ok ok L"
ADMIN_GET = "L 403 403 403 200 L"
ADMIN_POST = "L no no no ok L"
SELF_GET = "L 200 404 404 404 L"  # the reporter's own import upload, own token: nobody else's
SELF_POST = "L ok no no no L"
API_GET = "401 200 200 200 200 401"
API_WRITE = "401 ok ok ok ok 401"
API_PRIVATE_GET = "401 200 404 200 200 401"
API_PRIVATE_WRITE = "401 ok 404 ok ok 401"
API_OWNER_WRITE = "401 ok 403 ok ok 401"
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
    "GET /requests/<int:request_id>": [(P, PRIVATE_GET), ("/requests/{public}", LOGGED_GET)],
    "GET /requests/<int:request_id>/edit": [(P + "/edit", PRIVATE_GET), ("/requests/{public}/edit", OWNER_GET)],
    "POST /requests/<int:request_id>/edit": [(P + "/edit", PRIVATE_POST), ("/requests/{public}/edit", OWNER_POST)],
    "GET /requests/<int:request_id>/audit": [(P + "/audit", "L 403 404 200 200 L")],
    "GET /requests/<int:request_id>/actions/<action_name>": [
        (P + "/actions/appeal", PRIVATE_GET), ("/requests/{public}/actions/acknowledge", OWNER_GET),
        (P + "/actions/refer", PRIVATE_GET), ("/requests/{public}/actions/refer", OWNER_GET)],
    "POST /requests/<int:request_id>/actions/<action_name>": [
        (P + "/actions/appeal", PRIVATE_POST), ("/requests/{public}/actions/acknowledge", OWNER_POST),
        (P + "/actions/refer", PRIVATE_POST), ("/requests/{public}/actions/refer", OWNER_POST)],
    "POST /requests/<int:request_id>/communications": [(P + "/communications", PRIVATE_POST),
                                                       ("/requests/{public}/communications", OWNER_POST)],
    "POST /requests/<int:request_id>/attachments": [(P + "/attachments", PRIVATE_POST),
                                                    ("/requests/{public}/attachments", OWNER_POST)],
    "GET /attachments/<int:attachment_id>": [("/attachments/{attachment}", PRIVATE_GET)],
    "GET /requests/<int:request_id>/determinations/<int:determination_id>/documents": [(DOCS, PRIVATE_GET)],
    "POST /requests/<int:request_id>/determinations/<int:determination_id>/documents": [(DOCS, PRIVATE_POST)],
    "POST /requests/<int:request_id>/determinations/<int:determination_id>/documents/<int:document_id>/delete": [
        (DOCS + "/{document}/delete", PRIVATE_POST)],
    "GET /export/requests.<any(csv, json):fmt>": [("/export/requests.csv", LOGGED_GET),
                                                  ("/export/requests.json", LOGGED_GET)],
    "POST /requests/<int:request_id>/estimate": [(P + "/estimate", PRIVATE_POST),
                                                 ("/requests/{public}/estimate", OWNER_POST)],
    "POST /requests/<int:request_id>/follow": [(P + "/follow", PRIVATE_POST),
                                               ("/requests/{public}/follow", LOGGED_POST)],
    "POST /requests/<int:request_id>/unfollow": [(P + "/unfollow", PRIVATE_POST),
                                                 ("/requests/{public}/unfollow", LOGGED_POST)],
    # bulk actions: the selection in the query string here (the list's form posts it); the private request
    # already private and the public one already public, so nothing changes for those allowed
    "POST /requests/bulk": [("/requests/bulk?action=make_private&ids={private}", PRIVATE_POST),
                            ("/requests/bulk?action=make_public&ids={public}", OWNER_POST)],
    # one status letter per agency: lists only what the caller may act on (none: an empty page, nothing written)
    "GET /agencies/<int:agency_id>/status-letter": [("/agencies/{agency}/status-letter", LOGGED_GET)],
    "POST /agencies/<int:agency_id>/status-letter": [("/agencies/{agency}/status-letter", LOGGED_POST)],
    # documents: search inside them, open one at its page
    "GET /search": [("/search?q=marmoset", LOGGED_GET)],
    "GET /documents/<int:document_id>": [("/documents/{document_text}", PRIVATE_GET),
                                         ("/documents/999999", "L 404 404 404 404 L")],
    # letters
    "GET /requests/<int:request_id>/letters": [(P + "/letters", PRIVATE_GET)],
    "GET /requests/<int:request_id>/letters/new/<kind>": [(P + "/letters/new/appeal", PRIVATE_GET)],
    "POST /requests/<int:request_id>/letters/new/<kind>": [(P + "/letters/new/appeal", PRIVATE_POST)],
    "GET /letters/<int:letter_id>": [("/letters/{letter}", PRIVATE_GET)],
    "GET /letters/<int:letter_id>/pdf": [("/letters/{letter}/pdf", PRIVATE_GET)],
    "POST /letters/<int:letter_id>/sent": [("/letters/{letter}/sent", PRIVATE_POST)],
    # mail out: letters by email, proposals read from agency letters, the agency's letter uploaded
    "GET /letters/<int:letter_id>/email": [("/letters/{letter}/email", PRIVATE_GET)],
    "POST /letters/<int:letter_id>/email": [("/letters/{letter}/email", PRIVATE_POST)],
    "GET /requests/<int:request_id>/proposals/<int:proposal_id>": [(P + "/proposals/{proposal}", PRIVATE_GET)],
    "POST /requests/<int:request_id>/proposals/<int:proposal_id>": [(P + "/proposals/{proposal}", PRIVATE_POST)],
    "POST /requests/<int:request_id>/proposals/<int:proposal_id>/dismiss": [
        (P + "/proposals/{proposal}/dismiss", PRIVATE_POST)],
    "POST /requests/<int:request_id>/agency-letter": [(P + "/agency-letter", PRIVATE_POST),
                                                      ("/requests/{public}/agency-letter", OWNER_POST)],
    # matters and the ledger
    "GET /matters": [("/matters", LOGGED_GET)],
    "GET /matters/export.csv": [("/matters/export.csv", LOGGED_GET)],
    "GET /matters/export.json": [("/matters/export.json", LOGGED_GET)],
    "GET /matters/new": [("/matters/new", LOGGED_GET)],
    "POST /matters/new": [("/matters/new", LOGGED_POST)],
    "GET /matters/<int:matter_id>": [("/matters/{matter}", LOGGED_GET)],
    # a matter's fields: the reporter who recorded it ("owner" here) and editors
    "GET /matters/<int:matter_id>/edit": [("/matters/{matter}/edit", OWNER_GET)],
    "POST /matters/<int:matter_id>/edit": [("/matters/{matter}/edit", OWNER_POST)],
    "POST /matters/<int:matter_id>/sources": [("/matters/{matter}/sources", LOGGED_POST)],
    "POST /matters/<int:matter_id>/sources/<int:source_id>/delete": [
        ("/matters/{matter}/sources/{source}/delete", OWNER_POST)],
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
    "GET /reminders/outbox": [("/reminders/outbox", EDITOR_GET)],
    "GET /reminders/outbox/<int:message_id>": [("/reminders/outbox/{message}", EDITOR_GET)],
    "GET /reminders/outbox/<int:message_id>/html": [("/reminders/outbox/{message}/html", EDITOR_GET)],
    "POST /reminders/outbox/<int:message_id>/resend": [("/reminders/outbox/{message}/resend", EDITOR_POST)],
    "POST /reminders/outbox/resend-failed": [("/reminders/outbox/resend-failed", EDITOR_POST)],
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
    "PATCH /api/v1/matters/<int:matter_id>": [("/api/v1/matters/{matter}", API_OWNER_WRITE)],
    "GET /api/v1/board/summary": [("/api/v1/board/summary", API_GET)],
    "GET /api/v1/ledger": [("/api/v1/ledger", API_GET), ("/api/v1/ledger?format=csv", API_GET)],
    "GET /api/v1/export/requests": [("/api/v1/export/requests", API_GET),
                                    ("/api/v1/export/requests?format=csv", API_GET)],
    "GET /api/v1/requests": [("/api/v1/requests", API_GET)],
    "GET /api/v1/search": [("/api/v1/search?q=marmoset", API_GET)],
    "POST /api/v1/requests": [("/api/v1/requests", API_WRITE)],
    "POST /api/v1/requests/bulk": [("/api/v1/requests/bulk", API_WRITE)],  # tests/api/test_api_bulk.py: 404, 403
    "GET /api/v1/requests/<int:request_id>": [("/api/v1" + P, API_PRIVATE_GET),
                                              ("/api/v1/requests/{public}", API_GET)],
    "PATCH /api/v1/requests/<int:request_id>": [("/api/v1" + P, API_PRIVATE_WRITE),
                                                ("/api/v1/requests/{public}", API_OWNER_WRITE)],
    "POST /api/v1/requests/<int:request_id>/actions/<action>": [
        ("/api/v1" + P + "/actions/appeal", API_PRIVATE_WRITE),
        ("/api/v1/requests/{public}/actions/acknowledge", API_OWNER_WRITE),
        ("/api/v1" + P + "/actions/refer", API_PRIVATE_WRITE),
        ("/api/v1/requests/{public}/actions/refer", API_OWNER_WRITE)],
    "GET /api/v1/requests/<int:request_id>/events": [("/api/v1" + P + "/events", API_PRIVATE_GET)],
    "GET /api/v1/requests/<int:request_id>/communications": [("/api/v1" + P + "/communications", API_PRIVATE_GET)],
    "POST /api/v1/requests/<int:request_id>/communications": [
        ("/api/v1" + P + "/communications", API_PRIVATE_WRITE),
        ("/api/v1/requests/{public}/communications", API_OWNER_WRITE)],
    "GET /api/v1/requests/<int:request_id>/attachments": [("/api/v1" + P + "/attachments", API_PRIVATE_GET)],
    "POST /api/v1/requests/<int:request_id>/attachments": [("/api/v1" + P + "/attachments", API_PRIVATE_WRITE)],
    "GET /api/v1/attachments/<int:attachment_id>": [("/api/v1/attachments/{attachment}", API_PRIVATE_GET)],
    # incoming mail (tests/mail checks who sees which message; here: logged in, and no message leaks by id)
    "GET /mail/unsorted": [("/mail/unsorted", LOGGED_GET)],
    "GET /mail/messages/<int:message_id>": [("/mail/messages/999999", "L 404 404 404 404 L")],
    "GET /mail/messages/<int:message_id>/html": [("/mail/messages/999999/html", "L 404 404 404 404 L")],
    "GET /mail/messages/<int:message_id>/raw": [("/mail/messages/999999/raw", "L 404 404 404 404 L")],
    "POST /mail/messages/<int:message_id>/file": [("/mail/messages/999999/file", "L 404 404 404 404 L")],
    "POST /mail/messages/<int:message_id>/dismiss": [("/mail/messages/999999/dismiss", "L 404 404 404 404 L")],
    "GET /api/v1/requests/<int:request_id>/mail": [("/api/v1" + P + "/mail", API_PRIVATE_GET)],
    "GET /api/v1/mail/unsorted": [("/api/v1/mail/unsorted", API_GET)],
    "GET /api/v1/mail/<int:message_id>": [("/api/v1/mail/999999", "401 404 404 404 404 401")],
    "POST /api/v1/mail/<int:message_id>/file": [("/api/v1/mail/999999/file", "401 404 404 404 404 401")],
    "POST /api/v1/mail/<int:message_id>/dismiss": [("/api/v1/mail/999999/dismiss", "401 404 404 404 404 401")],
    "GET /api/v1/requests/<int:request_id>/proposals": [("/api/v1" + P + "/proposals", API_PRIVATE_GET)],
    "POST /api/v1/requests/<int:request_id>/agency-letter": [("/api/v1" + P + "/agency-letter", API_PRIVATE_WRITE)],
    "POST /api/v1/letters/<int:letter_id>/send": [("/api/v1/letters/{letter}/send", API_PRIVATE_WRITE)],
    "POST /api/v1/proposals/<int:proposal_id>/accept": [("/api/v1/proposals/{proposal}/accept", API_PRIVATE_WRITE)],
    "POST /api/v1/proposals/<int:proposal_id>/dismiss": [("/api/v1/proposals/{proposal}/dismiss", API_PRIVATE_WRITE)],
    # published stories: on a request (those who may act on it), on a matter (its recorder, "owner" here, and
    # editors); a story of a private request does not exist for those who may not see the request
    "GET /requests/<int:request_id>/stories/new": [(P + "/stories/new", PRIVATE_GET),
                                                   ("/requests/{public}/stories/new", OWNER_GET)],
    "POST /requests/<int:request_id>/stories/new": [(P + "/stories/new", PRIVATE_POST),
                                                    ("/requests/{public}/stories/new", OWNER_POST)],
    "GET /matters/<int:matter_id>/stories/new": [("/matters/{matter}/stories/new", OWNER_GET)],
    "POST /matters/<int:matter_id>/stories/new": [("/matters/{matter}/stories/new", OWNER_POST)],
    "GET /stories/<int:story_id>/edit": [("/stories/{story}/edit", PRIVATE_GET),
                                         ("/stories/{story_public}/edit", OWNER_GET)],
    "POST /stories/<int:story_id>/edit": [("/stories/{story}/edit", PRIVATE_POST),
                                          ("/stories/{story_public}/edit", OWNER_POST)],
    "POST /stories/<int:story_id>/delete": [("/stories/{story}/delete", PRIVATE_POST),
                                            ("/stories/{story_public}/delete", OWNER_POST)],
    "GET /api/v1/matters/<int:matter_id>/stories": [("/api/v1/matters/{matter}/stories", API_GET)],
    "POST /api/v1/matters/<int:matter_id>/stories": [("/api/v1/matters/{matter}/stories", API_OWNER_WRITE)],
    "GET /api/v1/requests/<int:request_id>/stories": [("/api/v1" + P + "/stories", API_PRIVATE_GET),
                                                      ("/api/v1/requests/{public}/stories", API_GET)],
    "POST /api/v1/requests/<int:request_id>/stories": [("/api/v1" + P + "/stories", API_PRIVATE_WRITE),
                                                       ("/api/v1/requests/{public}/stories", API_OWNER_WRITE)],
    # the draft form's check for colleagues' overlapping requests: read only, for anyone signed in (an empty
    # form is answered 400 with a JSON message); it only ever lists requests the caller may see
    "POST /requests/overlaps": [("/requests/overlaps", "L 400 400 400 400 L")],
    # batches: one request to several agencies; a batch is as visible as its requests, acting needs every one
    "GET /batches/new": [("/batches/new", LOGGED_GET)],
    "POST /batches/new": [("/batches/new", LOGGED_POST)],
    "GET /batches/<int:batch_id>": [("/batches/{private_batch}", PRIVATE_GET), ("/batches/{public_batch}", LOGGED_GET)],
    "POST /batches/<int:batch_id>/actions/<action>": [("/batches/{private_batch}/actions/file", PRIVATE_POST),
                                                      ("/batches/{public_batch}/actions/file", OWNER_POST)],
    "POST /api/v1/batches": [("/api/v1/batches", API_WRITE)],
    "GET /api/v1/batches/<int:batch_id>": [("/api/v1/batches/{private_batch}", API_PRIVATE_GET),
                                           ("/api/v1/batches/{public_batch}", API_GET)],
    "POST /api/v1/batches/<int:batch_id>/actions/<action>": [
        ("/api/v1/batches/{private_batch}/actions/file", API_PRIVATE_WRITE),
        ("/api/v1/batches/{public_batch}/actions/file", API_OWNER_WRITE)],
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
