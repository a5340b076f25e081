"""The login throttle through the login form: five failures from an unknown device slow an account whatever the
capitals or spaces of the address typed, and twenty from one network address slow that address for every
account. (How long each wait lasts, and the device cookie that keeps the owner in: test_auth_throttle.py.) The
clock is frozen; nothing waits for real."""

from __future__ import annotations

from tests.conftest import PASSWORD
from tests.helpers import csrf_token

ELSEWHERE = {"REMOTE_ADDR": "198.51.100.7"}


def _login(client, email: str, password: str = PASSWORD, address: str = "127.0.0.1"):
    token = csrf_token(client, "/login")
    return client.post("/login", data={"email": email, "password": password, "csrf_token": token},
                       environ_base={"REMOTE_ADDR": address})


def _fail(client, email: str, times: int, address: str = "127.0.0.1") -> None:
    for _ in range(times):
        response = _login(client, email, "wrong password", address)
        assert response.status_code == 200, response.status_code


def test_failures_in_other_capitals_count_for_the_same_account(client, users, frozen):
    _fail(client, "Reporter@Test.Example", 3)
    _fail(client, "  REPORTER@test.example ", 2)
    response = _login(client, "reporter@test.example")
    assert response.status_code == 429
    assert "Too many failed attempts. Try again in" in response.get_data(as_text=True)
    assert _login(client, "rePorter@TEST.example").status_code == 429


def test_four_failures_do_not_lock_and_a_success_forgets_them(client, users, frozen):
    _fail(client, "reporter@test.example", 4)
    assert _login(client, "Reporter@Test.Example").status_code == 302  # the fifth try, right: in
    client.post("/logout", data={"csrf_token": csrf_token(client, "/login")})
    _fail(client, "REPORTER@test.example", 4)  # counting starts again from nothing
    assert _login(client, "reporter@test.example").status_code == 302


def test_twenty_failures_from_one_address_lock_that_address_for_every_account(client, users, frozen):
    for n in range(19):
        _fail(client, f"guess{n}@test.example", 1)
    assert _login(client, "editor@test.example").status_code == 302  # nineteen: still allowed
    client.post("/logout", data={"csrf_token": csrf_token(client, "/login")})
    _fail(client, "guess19@test.example", 1)
    response = _login(client, "reporter@test.example")  # twenty: this address waits, whoever it is
    assert response.status_code == 429
    assert "Too many failed attempts" in response.get_data(as_text=True)
    assert _login(client, "reporter@test.example", address="198.51.100.7").status_code == 302  # elsewhere: fine


def _wait_message(response) -> str:
    import re

    return re.search(r"Try again in \d+ minute\(s\)\.", response.get_data(as_text=True)).group(0)
