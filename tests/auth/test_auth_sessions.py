"""Logging out ends the login on the server: a copied session or remember-me cookie no longer logs in. Every
cookie is SameSite=Lax, and Secure in production. Signed-in pages and the API are never cached."""

from __future__ import annotations

from http.cookies import SimpleCookie

import pytest

from tests.conftest import PASSWORD, Auth
from tests.helpers import csrf_token, make_agency, make_request
from tracker.config import load_config
from tracker.extensions import db


def _cookies(response) -> dict[str, SimpleCookie]:
    found = {}
    for header in response.headers.getlist("Set-Cookie"):
        cookie = SimpleCookie()
        cookie.load(header)
        for name, morsel in cookie.items():
            found[name] = (morsel, header)
    return found


def _login(client, who="reporter", remember=True):
    data = {"csrf_token": csrf_token(client, "/login"), "email": f"{who}@test.example", "password": PASSWORD}
    if remember:
        data["remember"] = "y"
    return client.post("/login", data=data)


def _replay(app, name: str, value: str):
    """A stranger's browser holding one copied cookie: is it logged in?"""
    thief = app.test_client()
    thief.set_cookie(name, value)
    return thief.get("/requests")


def test_copied_session_and_remember_cookies_stop_working_at_logout(app, users):
    victim = app.test_client()
    response = _login(victim)
    assert response.status_code == 302
    session_cookie = victim.get_cookie("session").value
    remember_cookie = victim.get_cookie("remember_token").value
    # Before the logout both copies work.
    assert _replay(app, "session", session_cookie).status_code == 200
    assert _replay(app, "remember_token", remember_cookie).status_code == 200

    Auth(victim).logout()
    assert victim.get("/requests").status_code == 302

    for name, value in (("session", session_cookie), ("remember_token", remember_cookie)):
        response = _replay(app, name, value)
        assert response.status_code == 302 and response.headers["Location"].startswith("/login"), name


def test_logging_out_on_one_device_keeps_the_others(app, users):
    laptop, phone = app.test_client(), app.test_client()
    _login(laptop)
    _login(phone)
    Auth(laptop).logout()
    assert laptop.get("/requests").status_code == 302
    assert phone.get("/requests").status_code == 200


def test_logout_everywhere_ends_remember_cookies_too(app, users):
    laptop, phone = app.test_client(), app.test_client()
    _login(laptop)
    _login(phone)
    remember_cookie = phone.get_cookie("remember_token").value
    laptop.post("/logout-everywhere", data={"csrf_token": csrf_token(laptop, "/requests")})
    assert phone.get("/requests").status_code == 302
    assert _replay(app, "remember_token", remember_cookie).status_code == 302


def test_every_cookie_is_samesite_lax_and_httponly(app, users):
    client = app.test_client()
    response = _login(client)
    cookies = _cookies(response)
    assert {"session", "remember_token", "tracker_device"} <= cookies.keys()
    for morsel, header in cookies.values():
        assert morsel["samesite"].lower() == "lax", header
        assert morsel["httponly"], header
        assert not morsel["secure"], header  # development on plain http://127.0.0.1


def test_production_makes_every_cookie_secure(monkeypatch, tmp_path):
    monkeypatch.setenv("TRACKER_ENV", "production")
    monkeypatch.setenv("TRACKER_SECRET_KEY", "x" * 40)
    config = load_config(str(tmp_path))
    assert config["SESSION_COOKIE_SECURE"] and config["REMEMBER_COOKIE_SECURE"]
    assert config["SESSION_COOKIE_SAMESITE"] == config["REMEMBER_COOKIE_SAMESITE"] == "Lax"

    from tracker import create_app

    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    with app.test_request_context("/login"):
        from flask import make_response

        from tracker.auth import devices

        response = make_response("")
        devices.issue(response, "someone@example.org")
        (morsel, header), = _cookies(response).values()
        assert morsel["secure"] and morsel["samesite"] == "Lax", header


@pytest.mark.parametrize("path", ["/requests", "/requests/{id}", "/requests/{id}/audit", "/requests/{id}/letters",
                                  "/reminders", "/account/tokens", "/matters", "/board"])
def test_signed_in_pages_are_never_cached(app, users, frozen, path):
    with app.app_context():
        req = make_request(users["editor"], make_agency(), title="Private OPR request", private=True)
        db.session.commit()
        path = path.format(id=req.id)
    client = app.test_client()
    _login(client, "editor")
    response = client.get(path)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"


def test_api_answers_are_never_cached(app, users):
    client = app.test_client()
    _login(client)
    for path in ("/api/v1/requests", "/api/v1/matters", "/api/v1/nothing-here", "/api/v1/openapi.json"):
        assert client.get(path).headers["Cache-Control"] == "no-store", path
    assert app.test_client().get("/api/v1/requests").headers["Cache-Control"] == "no-store"  # a 401 too


def test_static_files_stay_cacheable(app, users):
    client = app.test_client()
    _login(client)
    response = client.get("/static/tracker.css")
    assert response.status_code == 200
    assert "no-store" not in response.headers.get("Cache-Control", "")
    response.close()
