"""Throttling that an attacker cannot turn against the account's owner.

OWASP's device-cookie scheme (https://owasp.org/www-community/Slow_Down_Online_Guessing_Attacks_with_Device_Cookies):
a browser that logged in to an account carries a signed device cookie for it (devices.py). Failed logins are
counted apart:

- from a known device of the account: against that device only, so an attacker guessing elsewhere (or even
  the whole internet) never slows the owner down on a device they logged in from before;
- from unknown devices: per account and per client address, with a growing delay after a few free tries
  (30 s, 1, 2, 4... minutes, at most 15) rather than a hard lockout.

Password-reset requests never count as failed logins: they have their own limit (`reset_allowed`), and over it
the page answers the same while no mail goes out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select

from tracker.auth.models import LoginFailure
from tracker.extensions import db

WINDOW = timedelta(hours=1)  # failures older than this are forgotten
FREE_PER_ACCOUNT = 5  # failed logins from unknown devices before the account's unknown devices slow down
FREE_PER_ADDRESS = 20  # failed logins from one address (unknown devices) before that address slows down
FREE_PER_DEVICE = 5  # failed logins on a known device before that device slows down
FIRST_DELAY = timedelta(seconds=30)  # the first delay; each further failure doubles it
LONGEST_DELAY = timedelta(minutes=15)
RESET_PER_ACCOUNT = 3  # password-reset mails to one account per RESET_WINDOW
RESET_PER_ADDRESS = 10  # password-reset requests from one address per RESET_WINDOW
RESET_WINDOW = timedelta(hours=1)


@dataclass(frozen=True)
class Client:
    """Who is trying: the account named, the client's address, and the device nonce if the browser carries a
    valid device cookie for this account ('' otherwise)."""

    email: str
    address: str
    device: str = ""

    @classmethod
    def of(cls, email: str | None, address: str, device: str = "") -> Client:
        return cls((email or "").strip().lower()[:320], (address or "unknown")[:64], device[:64])


def delay_after(failures: int, free: int) -> timedelta | None:
    """The wait after `failures` failures when `free` are allowed without one."""
    if failures < free:
        return None
    return min(FIRST_DELAY * 2 ** (failures - free), LONGEST_DELAY)


def _wait(where, free: int, now: datetime) -> timedelta | None:
    count, last = db.session.execute(
        select(func.count(), func.max(LoginFailure.at)).where(
            LoginFailure.kind == "login", LoginFailure.at > now - WINDOW, *where)
    ).one()
    delay = delay_after(count, free)
    if delay is None or last is None:
        return None
    # `last` is aware on every database: max() keeps the column's UTCDateTime type, which adds the zone SQLite drops.
    left = last + delay - now
    return left if left > timedelta(0) else None


def wait_needed(client: Client, now: datetime) -> timedelta | None:
    """How long this client must wait before its next try, or None when a try is allowed now."""
    if client.device:
        return _wait([LoginFailure.email == client.email, LoginFailure.device == client.device],
                     FREE_PER_DEVICE, now)
    waits = [
        _wait([LoginFailure.email == client.email, LoginFailure.device == ""], FREE_PER_ACCOUNT, now),
        _wait([LoginFailure.address == client.address, LoginFailure.device == ""], FREE_PER_ADDRESS, now),
    ]
    waits = [w for w in waits if w is not None]
    return max(waits) if waits else None


def record_failure(client: Client, now: datetime) -> None:
    _record(client, "login", now)


def _record(client: Client, kind: str, now: datetime) -> None:
    db.session.add(LoginFailure(email=client.email, address=client.address, device=client.device, kind=kind, at=now))
    # Old rows are useless; forget them as we go.
    db.session.execute(delete(LoginFailure).where(LoginFailure.at < now - 2 * max(WINDOW, RESET_WINDOW)))
    db.session.flush()


def clear_failures(client: Client) -> None:
    """After a good login, the failures it was weighed against are forgiven: this device's, or (from an unknown
    device) the account's unknown-device ones. A good login on a known device leaves the count that slows a
    guesser elsewhere as it is, and no login resets an address's count for other accounts."""
    db.session.execute(delete(LoginFailure).where(
        LoginFailure.kind == "login", LoginFailure.email == client.email, LoginFailure.device == client.device))


def reset_allowed(client: Client, now: datetime) -> bool:
    """Whether a password-reset mail may go out for this request; the request is counted either way."""
    since = now - RESET_WINDOW
    per_account = db.session.scalar(select(func.count()).where(
        LoginFailure.kind == "reset", LoginFailure.email == client.email, LoginFailure.at > since))
    per_address = db.session.scalar(select(func.count()).where(
        LoginFailure.kind == "reset", LoginFailure.address == client.address, LoginFailure.at > since))
    _record(client, "reset", now)
    return per_account < RESET_PER_ACCOUNT and per_address < RESET_PER_ADDRESS
