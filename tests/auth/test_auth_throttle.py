"""Throttling that cannot be turned against the account's owner: reset requests never lock anyone out, failed
logins slow down the guesser (growing delays per account and per address) but never the owner on a device
they logged in from before, and behind a trusted proxy the real client address counts."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from tests.conftest import PASSWORD
from tests.helpers import csrf_token
from tracker import create_app
from tracker.auth import services
from tracker.core.mail import OutboxMessage
from tracker.extensions import db


def _try(client, who="reporter", password=PASSWORD):
    return client.post("/login", data={"csrf_token": csrf_token(client, "/login"), "email": f"{who}@test.example",
                                       "password": password})


def _from(app, address: str):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def test_reset_requests_never_lock_the_owner_out(app, users, frozen):
    stranger = _from(app, "203.0.113.9")
    for _ in range(12):
        response = stranger.post("/password/forgot", data={"csrf_token": csrf_token(stranger, "/password/forgot"),
                                                           "email": "reporter@test.example"})
        assert response.status_code == 302  # the same answer every time
        frozen.shift(timedelta(minutes=1))
    owner = _from(app, "198.51.100.7")
    assert _try(owner).status_code == 302
    # The same from the stranger's own address: a reset request is not a failed login.
    assert _try(_from(app, "203.0.113.9")).status_code == 302
    # The reset mail has its own limit: three to one account an hour, however many requests.
    with app.app_context():
        sent = db.session.scalar(select(func.count()).select_from(OutboxMessage)
                                 .where(OutboxMessage.to_address == "reporter@test.example"))
    assert sent == 3


def test_the_owner_keeps_access_from_a_device_that_logged_in_before(app, users, frozen):
    owner = _from(app, "198.51.100.7")
    assert _try(owner).status_code == 302
    owner.post("/logout", data={"csrf_token": csrf_token(owner, "/requests")})

    attacker = _from(app, "203.0.113.9")
    statuses = [_try(attacker, password=f"wrong guess {n}").status_code for n in range(30)]
    assert statuses[:5] == [200] * 5 and statuses[-1] == 429

    # The owner's browser carries the device cookie: the attacker's failures do not slow it down.
    assert _try(owner).status_code == 302
    # A browser that never logged in to the account waits, even with the right password.
    response = _try(_from(app, "192.0.2.55"))
    assert response.status_code == 429
    assert int(response.headers["Retry-After"]) > 0
    assert "Too many failed attempts" in response.get_data(as_text=True)


def test_failures_on_a_known_device_slow_only_that_device(app, users, frozen):
    owner = _from(app, "198.51.100.7")
    assert _try(owner).status_code == 302
    owner.post("/logout", data={"csrf_token": csrf_token(owner, "/requests")})
    statuses = [_try(owner, password=f"mistyped {n}").status_code for n in range(6)]
    assert statuses == [200] * 5 + [429]
    # The account's other devices are not affected by the device's own failures.
    assert _try(_from(app, "192.0.2.55")).status_code == 302


def test_delays_grow_and_then_let_the_next_try_through(app, users, frozen):
    client = _from(app, "203.0.113.9")
    for n in range(5):
        assert _try(client, password=f"wrong {n}").status_code == 200
    first = _try(client)
    assert first.status_code == 429 and first.headers["Retry-After"] == "30"
    frozen.shift(timedelta(seconds=31))
    assert _try(client, password="wrong again").status_code == 200  # allowed, and fails
    second = _try(client)
    assert second.status_code == 429 and second.headers["Retry-After"] == "60"
    frozen.shift(timedelta(seconds=61))
    assert _try(client).status_code == 302  # the right password, once the wait is over


def test_one_address_guessing_many_accounts_is_slowed_down(app, users, frozen):
    guesser = _from(app, "203.0.113.9")
    for n in range(20):
        assert _try(guesser, who=f"nobody{n}", password="guess").status_code == 200
    assert _try(guesser, who="reporter").status_code == 429
    # Another address is not affected.
    assert _try(_from(app, "198.51.100.7"), who="reporter").status_code == 302


def test_behind_a_trusted_proxy_the_real_address_counts(app, users, frozen):
    proxied = create_app({**{k: app.config[k] for k in ("SQLALCHEMY_DATABASE_URI", "SECRET_KEY",
                                                        "TRACKER_UPLOAD_DIR")},
                          "TESTING": True, "TRACKER_TRUSTED_PROXIES": 1})
    try:
        proxy = _from(proxied, "10.0.0.2")  # everyone comes through the proxy
        for n in range(20):
            response = proxy.post("/login", headers={"X-Forwarded-For": "203.0.113.9"}, data={
                "csrf_token": csrf_token(proxy, "/login"), "email": f"nobody{n}@test.example", "password": "x"})
            assert response.status_code == 200
        blocked = proxy.post("/login", headers={"X-Forwarded-For": "203.0.113.9"}, data={
            "csrf_token": csrf_token(proxy, "/login"), "email": "reporter@test.example", "password": PASSWORD})
        assert blocked.status_code == 429
        other = _from(proxied, "10.0.0.2")
        ok = other.post("/login", headers={"X-Forwarded-For": "198.51.100.7"}, data={
            "csrf_token": csrf_token(other, "/login"), "email": "reporter@test.example", "password": PASSWORD})
        assert ok.status_code == 302
    finally:
        with proxied.app_context():
            db.engine.dispose()


def test_without_trusted_proxies_a_forwarded_header_is_ignored(app, users, frozen):
    client = _from(app, "203.0.113.9")
    for n in range(20):
        client.post("/login", headers={"X-Forwarded-For": f"192.0.2.{n}"}, data={
            "csrf_token": csrf_token(client, "/login"), "email": f"nobody{n}@test.example", "password": "x"})
    assert _try(client).status_code == 429


def test_unknown_accounts_cost_the_same_hash_check(app, users, monkeypatch):
    """A spy on the hash checks, not a timing assertion: an unknown email is checked against the dummy hash."""
    checked = []
    real = services.check_password_hash

    def spy(pwhash, password):
        checked.append(pwhash)
        return real(pwhash, password)

    monkeypatch.setattr(services, "check_password_hash", spy)
    client = app.test_client()
    assert _try(client, who="nobody-here").status_code == 200
    assert checked == [services.dummy_hash()]
    assert checked[0].startswith("scrypt:")  # the same method as real passwords
    checked.clear()
    _try(client, who="inactive")  # a deactivated account: its own hash is checked, as for any account
    _try(client, who="reporter", password="wrong password")
    assert checked == []  # known accounts go through User.check_password, not the dummy
