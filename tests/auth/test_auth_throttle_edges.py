"""The login throttle's exact edges, called directly on the real database: a failure exactly WINDOW old no longer
counts (one a second younger does), a wait that ends now lets the try through, old rows are pruned at exactly
2 x max(WINDOW, RESET_WINDOW) and not before, each field of a failure is recorded as given, and a good login
forgives only the failures it was weighed against."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from tests.conftest import FROZEN
from tracker.auth import throttle
from tracker.auth.models import LoginFailure
from tracker.auth.throttle import FIRST_DELAY, FREE_PER_ACCOUNT, RESET_WINDOW, WINDOW, Client

STRANGER = Client("reporter@test.example", "203.0.113.9")


def _fail(client: Client, at, times: int = FREE_PER_ACCOUNT) -> None:
    for _ in range(times):
        throttle.record_failure(client, at)


def test_a_failure_exactly_window_old_no_longer_counts(db, frozen):
    _fail(STRANGER, FROZEN - WINDOW, FREE_PER_ACCOUNT - 1)
    _fail(STRANGER, FROZEN, 1)
    assert throttle.wait_needed(STRANGER, FROZEN) is None  # only one failure is still inside the window


def test_a_failure_one_second_younger_than_window_still_counts(db, frozen):
    _fail(STRANGER, FROZEN - WINDOW + timedelta(seconds=1), FREE_PER_ACCOUNT - 1)
    _fail(STRANGER, FROZEN, 1)
    assert throttle.wait_needed(STRANGER, FROZEN) == FIRST_DELAY


def test_the_wait_ends_exactly_at_its_edge(db, frozen):
    _fail(STRANGER, FROZEN)
    assert throttle.wait_needed(STRANGER, FROZEN + FIRST_DELAY - timedelta(seconds=1)) == timedelta(seconds=1)
    assert throttle.wait_needed(STRANGER, FROZEN + FIRST_DELAY) is None  # not a wait of zero


def test_the_recorded_failure_keeps_each_field_and_the_time_given(db, frozen):
    earlier = FROZEN - timedelta(minutes=7)  # not the clock's time: the caller's `now` is what counts
    throttle.record_failure(Client("reporter@test.example", "203.0.113.9", "nonce-1"), earlier)
    row = db.session.scalars(select(LoginFailure)).one()
    assert (row.email, row.address, row.device, row.kind, row.at) == (
        "reporter@test.example", "203.0.113.9", "nonce-1", "login", earlier)


def test_old_rows_are_pruned_at_exactly_twice_the_longest_window_and_not_before(db, frozen):
    keep = FROZEN - 2 * max(WINDOW, RESET_WINDOW)
    throttle.record_failure(STRANGER, keep)
    throttle.record_failure(STRANGER, keep - timedelta(seconds=1))
    throttle.record_failure(STRANGER, FROZEN)  # recording prunes what is older than the keep limit
    left = db.session.scalars(select(LoginFailure.at).order_by(LoginFailure.at)).all()
    assert left == [keep, FROZEN]


def test_a_good_login_forgives_the_accounts_unknown_device_failures(db, frozen):
    _fail(STRANGER, FROZEN)
    assert throttle.wait_needed(STRANGER, FROZEN) is not None
    throttle.clear_failures(STRANGER)
    assert throttle.wait_needed(STRANGER, FROZEN) is None


def test_a_good_login_leaves_other_accounts_and_known_devices_waiting(db, frozen):
    other_account = Client("editor@test.example", "203.0.113.9")
    known_device = Client("reporter@test.example", "198.51.100.7", "nonce-1")
    _fail(other_account, FROZEN)
    _fail(known_device, FROZEN)
    throttle.clear_failures(Client("reporter@test.example", "192.0.2.1"))  # unknown device, same account
    assert throttle.wait_needed(other_account, FROZEN) == FIRST_DELAY
    assert throttle.wait_needed(known_device, FROZEN) == FIRST_DELAY


def test_a_good_login_does_not_forgive_password_reset_requests(db, frozen):
    for _ in range(throttle.RESET_PER_ACCOUNT):
        throttle.reset_allowed(STRANGER, FROZEN)
    throttle.clear_failures(STRANGER)
    assert throttle.reset_allowed(STRANGER, FROZEN) is False  # the reset limit still holds
