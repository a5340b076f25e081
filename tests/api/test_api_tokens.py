"""Personal API tokens: made and revoked on the web page, stored hashed, dead with a deactivated user; CSRF is
skipped only for requests that carry a valid token."""

from __future__ import annotations

import re

from sqlalchemy import select

from tests.helpers import csrf_token, make_agency
from tracker.auth.api_tokens import hash_token
from tracker.auth.models import ApiToken, User
from tracker.auth.services import update_user
from tracker.extensions import db


def _create_on_page(client, name: str) -> str:
    response = client.post("/account/tokens", data={"csrf_token": csrf_token(client, "/account/tokens"),
                                                     "name": name})
    assert response.status_code == 201, response.get_data(as_text=True)
    assert response.headers["Cache-Control"] == "no-store"
    page = response.get_data(as_text=True)
    match = re.search(r'class="mono token-value" type="text" readonly value="(trk_[^"]+)"', page)
    assert match, "the new token is shown once on the page"
    return match.group(1)


def test_token_made_on_the_page_works_is_stored_hashed_and_shown_once(app, client, auth, users):
    auth.login("reporter")
    secret = _create_on_page(client, "data desk notebook")

    page = client.get("/account/tokens").get_data(as_text=True)
    assert "data desk notebook" in page and secret not in page and secret[:10] in page
    with app.app_context():
        token = db.session.scalar(select(ApiToken))
        assert token.token_hash == hash_token(secret) and secret not in (token.hint, token.token_hash)

    api = app.test_client()  # no cookies: the token alone
    response = api.get("/api/v1/requests", headers={"Authorization": f"Bearer {secret}"})
    assert response.status_code == 200 and response.json["items"] == []
    with app.app_context():
        assert db.session.scalar(select(ApiToken)).last_used_at is not None


def test_revoked_token_is_refused_and_others_cannot_revoke_it(app, client, auth, users, tokens):
    auth.login("other_reporter")
    with app.app_context():
        mine = db.session.scalar(select(ApiToken).where(ApiToken.user_id == users["reporter"]))
        token_id = mine.id
    page = csrf_token(client, "/account/tokens")
    assert client.post(f"/account/tokens/{token_id}/revoke", data={"csrf_token": page}).status_code == 404

    auth.logout()
    auth.login("reporter")
    response = client.post(f"/account/tokens/{token_id}/revoke",
                           data={"csrf_token": csrf_token(client, "/account/tokens")})
    assert response.status_code == 302
    response = app.test_client().get("/api/v1/requests", headers={"Authorization": f"Bearer {tokens['reporter']}"})
    assert response.status_code == 401
    assert response.json["error"]["code"] == "unauthenticated"
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_deactivating_a_user_kills_their_tokens_for_good(app, users, tokens, bearer):
    api = app.test_client()
    assert api.get("/api/v1/agencies", headers=bearer("reporter")).status_code == 200
    assert api.get("/api/v1/agencies", headers=bearer("inactive")).status_code == 401
    with app.app_context():
        user = db.session.get(User, users["reporter"])
        update_user(user, name=user.name, email=user.email, role="reporter", active=False, password=None)
        db.session.commit()
        assert db.session.scalar(select(ApiToken).where(ApiToken.user_id == user.id)).revoked_at is not None
        update_user(user, name=user.name, email=user.email, role="reporter", active=True, password=None)
        db.session.commit()
    # Reactivated, the user can log in again, but the old token stays dead.
    assert api.get("/api/v1/agencies", headers=bearer("reporter")).status_code == 401


def test_malformed_or_unknown_tokens_are_401_json(app, users):
    api = app.test_client()
    for header in ("Bearer", "Bearer trk_nope", "Basic dXNlcjpwYXNz", "Bearer " + "x" * 500, "token"):
        response = api.get("/api/v1/requests", headers={"Authorization": header})
        assert response.status_code == 401, header
        assert response.is_json and set(response.json["error"]) == {"code", "message", "fields"}


def test_csrf_exempt_only_with_a_valid_token(app, client, auth, users, bearer):
    with app.app_context():
        agency_id = make_agency().id
        db.session.commit()
    body = {"title": "Through the API", "agency_id": agency_id}
    # A logged-in browser session without the CSRF token is refused...
    auth.login("reporter")
    response = client.post("/api/v1/requests", json=body)
    assert response.status_code == 400 and response.json["error"]["code"] == "csrf"
    # ...with it, it passes, like any form of the site.
    token = csrf_token(client, "/account/tokens")
    response = client.post("/api/v1/requests", json=body, headers={"X-CSRFToken": token})
    assert response.status_code == 201
    # An invalid token does not fall back to the session's cookies.
    response = client.post("/api/v1/requests", json=body, headers={"Authorization": "Bearer trk_forged"})
    assert response.status_code == 401
    # A valid token needs no CSRF token.
    response = app.test_client().post("/api/v1/requests", json=body, headers=bearer("reporter"))
    assert response.status_code == 201


def test_token_name_is_required_and_bounded(client, auth, users):
    auth.login("reporter")
    token = csrf_token(client, "/account/tokens")
    assert client.post("/account/tokens", data={"csrf_token": token, "name": " "}).status_code == 422
    assert client.post("/account/tokens", data={"csrf_token": token, "name": "x" * 101}).status_code == 422
