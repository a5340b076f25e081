"""The session cookie is signed again when the session changed or once the cookie is a minute old, not on every
answer (core/session_cookie.py); the session still lasts its lifetime after the last request, an expired or forged
cookie still signs no one in, and logging out still ends the session."""

from __future__ import annotations

from datetime import timedelta

from tests.conftest import FROZEN


def _session_set(response) -> bool:
    return any(h.startswith("session=") for h in response.headers.getlist("Set-Cookie"))


def test_an_unchanged_session_is_not_signed_again_within_a_minute(app, client, auth, frozen):
    auth.login("reporter")
    first = client.get("/requests")
    assert first.status_code == 200
    frozen.move_to(FROZEN + timedelta(seconds=59))
    for path in ("/requests", "/api/v1/requests", "/healthz", "/nowhere"):
        response = client.get(path)
        assert not _session_set(response), path
        assert "Cookie" in response.headers.get("Vary", ""), path  # as when it was sent again every time
    frozen.move_to(FROZEN + timedelta(seconds=61))
    response = client.get("/requests")
    assert response.status_code == 200 and _session_set(response)
    assert not _session_set(client.get("/requests"))


def test_the_session_lasts_its_lifetime_after_the_last_request(app, client, auth, frozen):
    lifetime = app.permanent_session_lifetime
    auth.login("reporter")
    for step in range(1, 5):  # a request every half lifetime: still signed in after twice the lifetime
        frozen.move_to(FROZEN + lifetime / 2 * step)
        assert client.get("/requests").status_code == 200, step
    frozen.move_to(FROZEN + lifetime / 2 * 4 + lifetime + timedelta(seconds=1))
    cookie = client.get_cookie("session")
    if cookie is not None:  # the browser would have dropped it; one that sends it anyway is refused
        client.set_cookie("session", cookie.value)
    response = client.get("/requests")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")


def test_a_tampered_cookie_signs_no_one_in(app, client, auth, frozen):
    auth.login("reporter")
    value = client.get_cookie("session").value
    client.set_cookie("session", value[:-2] + ("AA" if not value.endswith("AA") else "BB"))
    response = client.get("/requests")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")


def test_logout_within_the_minute_ends_the_session(app, client, auth, frozen):
    auth.login("reporter")
    copied = client.get_cookie("session").value
    frozen.move_to(FROZEN + timedelta(seconds=10))
    assert client.get("/requests").status_code == 200
    auth.logout()
    response = client.get("/requests")
    assert response.status_code == 302
    thief = app.test_client()
    thief.set_cookie("session", copied)
    assert thief.get("/requests").status_code == 302
