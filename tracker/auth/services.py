"""Accounts: creation, authentication, role and activation changes."""

from __future__ import annotations

import secrets

from sqlalchemy import func, select
from werkzeug.security import check_password_hash, generate_password_hash

from tracker.auth.models import Role, User
from tracker.core import menus
from tracker.core.errors import Conflict, ValidationFailed
from tracker.extensions import db


def find_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(func.lower(User.email) == (email or "").strip().lower()))


_dummy_hash: str | None = None


def dummy_hash() -> str:
    """A scrypt hash of a random password, made once per process: checked when no account matches, so a login
    takes the same work whether or not the account exists (the time does not tell who has one)."""
    global _dummy_hash
    if _dummy_hash is None:
        _dummy_hash = generate_password_hash(secrets.token_urlsafe(16), method="scrypt")
    return _dummy_hash


def authenticate(email: str, password: str) -> User | None:
    """The user when the password matches and the account is active; None otherwise. Always one hash check."""
    user = find_by_email(email)
    if user is None:
        check_password_hash(dummy_hash(), password or "")
        return None
    if not user.check_password(password) or not user.active:
        return None
    return user


def create_user(*, name: str, email: str, password: str, role: Role | str = Role.REPORTER) -> User:
    email = email.strip().lower()
    if find_by_email(email) is not None:
        raise Conflict("A user with this email exists.", {"email": "A user with this email already exists."})
    if len(password) < 10:
        raise ValidationFailed("Password too short.", {"password": "Use at least 10 characters."})
    user = User(name=name.strip(), email=email, role=Role(role), active=True)
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    return user


def update_user(user: User, *, name: str, email: str, role: str, active: bool, password: str | None) -> None:
    email = email.strip().lower()
    other = find_by_email(email)
    if other is not None and other.id != user.id:
        raise Conflict("A user with this email exists.", {"email": "A user with this email already exists."})
    was_active = user.active
    user.name, user.email, user.role, user.active = name.strip(), email, Role(role), active
    if password:
        user.set_password(password)
    if password or (was_active and not active):
        user.session_version += 1  # a new password or a deactivation ends every open session
    db.session.flush()


def end_all_sessions(user: User) -> None:
    user.session_version += 1
    db.session.flush()


def active_user_choices() -> list[tuple[int, str]]:
    """The active users as (id, name), by name, for a menu: read as columns, not as users, and kept per process while
    the table's version stands (core.menus)."""
    return menus.menu("users", _active_user_choices)


def _active_user_choices() -> list[tuple[int, str]]:
    return [tuple(row) for row in db.session.execute(select(User.id, User.name).where(User.active.is_(True))
                                                     .order_by(User.name))]
