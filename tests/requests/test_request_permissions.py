"""Who sees and changes which request, through the web routes."""

from __future__ import annotations

import io

import pytest

from tests.helpers import csrf_token, make_agency, make_request
from tracker.extensions import db
from tracker.requests.models import RecordsRequest


@pytest.fixture
def private_request(app, users):
    with app.app_context():
        req = make_request(users["reporter"], make_agency(), title="Secret source request", private=True)
        db.session.commit()
        return req.id


@pytest.fixture
def open_request(app, users):
    with app.app_context():
        agency = make_agency(name="DOJ OIP", abbreviation="OIP", jurisdiction="US-DOJ")
        req = make_request(users["reporter"], agency, title="Newsroom-wide request")
        db.session.commit()
        return req.id


@pytest.mark.parametrize("who, status", [("reporter", 200), ("other_reporter", 404), ("editor", 200), ("admin", 200)])
def test_private_request_visible_to_owner_and_editors_only(client, auth, private_request, who, status):
    auth.login(who)
    assert client.get(f"/requests/{private_request}").status_code == status
    listing = client.get("/requests?q=Secret").get_data(as_text=True)
    assert ("Secret source request" in listing) == (status == 200)


def test_colleague_reads_but_cannot_act(client, auth, open_request):
    auth.login("other_reporter")
    assert client.get(f"/requests/{open_request}").status_code == 200
    assert client.get(f"/requests/{open_request}/edit").status_code == 403
    assert client.get(f"/requests/{open_request}/actions/file").status_code == 403


def test_anonymous_is_sent_to_login(client, open_request):
    response = client.get(f"/requests/{open_request}")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_inactive_user_cannot_log_in(client, auth):
    response = auth.login("inactive")
    assert response.status_code == 200
    assert "do not match an active account" in response.get_data(as_text=True)


def test_unknown_ids_are_404(client, auth):
    auth.login("reporter")
    assert client.get("/requests/999999").status_code == 404
    assert client.get("/requests/999999/actions/file").status_code == 404
    assert client.get("/attachments/999999").status_code == 404
    assert client.get("/requests/1/actions/no_such_action").status_code == 404


def test_login_next_only_to_our_paths(client, users):
    from tests.conftest import PASSWORD

    for target, expected in (("/matters", "/matters"), ("https://evil.example/x", "/requests"),
                             ("//evil.example", "/requests"), ("/\\evil.example", "/requests")):
        client.post("/logout", data={"csrf_token": csrf_token(client, "/login")})
        token = csrf_token(client, "/login")
        response = client.post(f"/login?next={target}", data={"email": "reporter@test.example",
                                                               "password": PASSWORD, "csrf_token": token})
        assert response.headers["Location"] == expected


def test_upload_over_limit_is_413_and_odd_names_are_harmless(app, client, auth, open_request):
    auth.login("reporter")
    token = csrf_token(client, f"/requests/{open_request}")
    app.config["MAX_CONTENT_LENGTH"] = 1024
    try:
        response = client.post(f"/requests/{open_request}/attachments",
                               data={"csrf_token": token, "files": [(io.BytesIO(b"x" * 4096), "big.txt")]},
                               content_type="multipart/form-data")
    finally:
        app.config["MAX_CONTENT_LENGTH"] = 25 * 1024 * 1024
    assert response.status_code == 413
    assert "too large" in response.get_data(as_text=True)

    response = client.post(f"/requests/{open_request}/attachments",
                           data={"csrf_token": token, "files": [(io.BytesIO(b"hello"), "../../etc/pass\x00wd.html")]},
                           content_type="multipart/form-data")
    assert response.status_code == 302
    with app.app_context():
        attachment = db.session.get(RecordsRequest, open_request).attachments[0]
        assert "/" not in attachment.original_name and "\x00" not in attachment.original_name
        assert attachment.content_type == "text/plain"
        stored = app.config["TRACKER_UPLOAD_DIR"]
        attachment_id = attachment.id
    download = client.get(f"/attachments/{attachment_id}")
    assert download.status_code == 200
    assert download.headers["Content-Disposition"].startswith("attachment;")
    assert download.headers["Content-Type"].startswith("text/plain")
    assert download.data == b"hello"
    assert stored  # stored under the upload dir, never under static/


def test_login_is_throttled_per_account(client, auth):
    for _ in range(5):
        assert auth.login("reporter", password="wrong password").status_code == 200
    response = auth.login("reporter")  # the right password, but too soon
    assert response.status_code == 429
    assert "Too many failed attempts" in response.get_data(as_text=True)
    # Another account from the same address is not locked by one account's failures.
    assert auth.login("editor").status_code == 302


def test_logout_everywhere_ends_other_sessions(app, users):
    from tests.conftest import Auth

    laptop, phone = app.test_client(), app.test_client()
    Auth(laptop).login("reporter")
    Auth(phone).login("reporter")
    assert phone.get("/requests").status_code == 200
    laptop.post("/logout-everywhere", data={"csrf_token": Auth(laptop).csrf()})
    assert phone.get("/requests").status_code == 302


def test_deactivated_user_is_logged_out(app, client, auth, users):
    from tracker.auth import services
    from tracker.auth.models import User

    auth.login("reporter")
    assert client.get("/requests").status_code == 200
    with app.app_context():
        user = db.session.get(User, users["reporter"])
        services.update_user(user, name=user.name, email=user.email, role="reporter", active=False, password=None)
        db.session.commit()
    assert client.get("/requests").status_code == 302


def test_security_headers(client, auth):
    auth.login("reporter")
    response = client.get("/requests")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp and "unsafe-inline" not in csp.split(
        "script-src")[1].split(";")[0]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["X-Frame-Options"] == "DENY"


def test_private_request_views_and_changes_are_audited(app, client, auth, private_request):
    auth.login("reporter")
    client.get(f"/requests/{private_request}")
    auth.logout()
    auth.login("other_reporter")
    assert client.get(f"/requests/{private_request}/audit").status_code == 404  # it does not exist for them
    auth.logout()
    auth.login("editor")
    client.get(f"/requests/{private_request}")
    trail = client.get(f"/requests/{private_request}/audit").get_data(as_text=True)
    assert trail.count("request page") == 2
    assert "Reporter" in trail and "Editor" in trail
