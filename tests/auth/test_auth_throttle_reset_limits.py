"""The password-reset limit, called directly on the real database: RESET_PER_ACCOUNT mails to one account and
RESET_PER_ADDRESS requests from one address per RESET_WINDOW, counting only reset requests (never failed logins),
only this account's or this address's, and only those younger than RESET_WINDOW."""

from __future__ import annotations

from datetime import timedelta

from tests.conftest import FROZEN
from tracker.auth import throttle
from tracker.auth.throttle import RESET_PER_ACCOUNT, RESET_PER_ADDRESS, RESET_WINDOW, Client

OWNER = Client("reporter@test.example", "198.51.100.7")


def _resets_from(address: str, at, times: int) -> None:
    """`times` reset requests from one address, each to its own account."""
    for n in range(times):
        throttle.reset_allowed(Client(f"someone{n}@test.example", address), at)


def test_failed_logins_do_not_count_as_reset_requests(db, frozen):
    for _ in range(max(RESET_PER_ACCOUNT, RESET_PER_ADDRESS) + 1):
        throttle.record_failure(OWNER, FROZEN)
    assert throttle.reset_allowed(OWNER, FROZEN) is True


def test_other_accounts_resets_do_not_count_against_this_account(db, frozen):
    for n in range(RESET_PER_ACCOUNT):
        throttle.reset_allowed(Client(f"someone{n}@test.example", f"192.0.2.{n}"), FROZEN)
    assert throttle.reset_allowed(OWNER, FROZEN) is True


def test_an_accounts_resets_exactly_reset_window_old_no_longer_count(db, frozen):
    for _ in range(RESET_PER_ACCOUNT):
        throttle.reset_allowed(OWNER, FROZEN - RESET_WINDOW)
    assert throttle.reset_allowed(OWNER, FROZEN) is True


def test_an_accounts_resets_one_second_younger_still_count(db, frozen):
    for _ in range(RESET_PER_ACCOUNT):
        throttle.reset_allowed(OWNER, FROZEN - RESET_WINDOW + timedelta(seconds=1))
    assert throttle.reset_allowed(OWNER, FROZEN) is False


def test_one_address_may_ask_reset_per_address_times_and_no_more(db, frozen):
    _resets_from(OWNER.address, FROZEN, RESET_PER_ADDRESS - 1)
    assert throttle.reset_allowed(Client("last@test.example", OWNER.address), FROZEN) is True
    assert throttle.reset_allowed(OWNER, FROZEN) is False  # the address's limit, though the account is fresh


def test_other_addresses_resets_do_not_count_against_this_address(db, frozen):
    for n in range(RESET_PER_ADDRESS):
        throttle.reset_allowed(Client(f"someone{n}@test.example", f"192.0.2.{n}"), FROZEN)
    assert throttle.reset_allowed(OWNER, FROZEN) is True


def test_failed_logins_from_an_address_do_not_count_against_its_resets(db, frozen):
    for n in range(RESET_PER_ADDRESS):
        throttle.record_failure(Client(f"someone{n}@test.example", OWNER.address), FROZEN)
    assert throttle.reset_allowed(OWNER, FROZEN) is True


def test_an_addresss_resets_exactly_reset_window_old_no_longer_count(db, frozen):
    _resets_from(OWNER.address, FROZEN - RESET_WINDOW, RESET_PER_ADDRESS)
    assert throttle.reset_allowed(OWNER, FROZEN) is True


def test_an_addresss_resets_one_second_younger_still_count(db, frozen):
    _resets_from(OWNER.address, FROZEN - RESET_WINDOW + timedelta(seconds=1), RESET_PER_ADDRESS)
    assert throttle.reset_allowed(OWNER, FROZEN) is False
