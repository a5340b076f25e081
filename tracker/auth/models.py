"""People who use the tracker, and what their role lets them do."""

from __future__ import annotations

import enum
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import Enum, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from tracker.core.clock import now_utc
from tracker.extensions import db


class Role(enum.StrEnum):
    REPORTER = "reporter"
    EDITOR = "editor"
    ADMIN = "admin"


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))  # shown on requests and the board
    email: Mapped[str] = mapped_column(String(320), unique=True)  # login and reminder address, lower case
    password_hash: Mapped[str] = mapped_column(String(300))  # werkzeug scrypt (memory-hard)
    role: Mapped[Role] = mapped_column(
        Enum(Role, native_enum=False, length=20, values_callable=lambda e: [m.value for m in e]),
        default=Role.REPORTER,
    )
    active: Mapped[bool] = mapped_column(default=True)  # a deactivated user cannot log in
    session_version: Mapped[int] = mapped_column(default=1)  # bumped to log out every session at once
    created_at: Mapped[datetime] = mapped_column(default=now_utc)

    # The login (a UserSession) this object was loaded for; set by the login view and the session loader.
    login_session_id = ""

    def get_id(self) -> str:
        """The session carries the version and the login's own id: bumping the version ends every session and
        remember-me cookie, ending the login (logout) ends this one."""
        return f"{self.id}.{self.session_version}.{self.login_session_id}"

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive users
        return self.active

    @property
    def is_editor(self) -> bool:
        return self.role in (Role.EDITOR, Role.ADMIN)

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password, method="scrypt")

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    def __repr__(self) -> str:
        return f"<User {self.email} {self.role}>"


class LoginFailure(db.Model):
    """A failed login, kept for a while to throttle guessing per account and per address."""

    __tablename__ = "login_failures"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(320), index=True)  # the account tried, lower case
    address: Mapped[str] = mapped_column(String(64), index=True)  # the client's IP address
    at: Mapped[datetime] = mapped_column(default=now_utc, index=True)
    # The device cookie's nonce when the try came from a device that logged in to this account before; ''
    # for an unknown device. Failures of a known device only ever slow down that device (throttle.py).
    device: Mapped[str] = mapped_column(String(64), default="", server_default="")
    # "login" (a wrong password) or "reset" (a password-reset request: its own limit, never a failed login)
    kind: Mapped[str] = mapped_column(String(10), default="login", server_default="login")


class UserSession(db.Model):
    """One login on one browser. The session and remember-me cookies name it, so logging out ends it on the
    server: a copied cookie stops working the moment its owner logs out."""

    __tablename__ = "user_sessions"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)  # SHA-256 of the random id in the cookies
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)  # whose
    created_at: Mapped[datetime] = mapped_column(default=now_utc)  # when the login happened
    ended_at: Mapped[datetime | None]  # when its owner logged out; the cookies stop working then


class ApiToken(db.Model):
    """A personal API token, stored only as a SHA-256 hash (see api_tokens.py)."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)  # whose it is
    name: Mapped[str] = mapped_column(String(100))  # what the user calls it, e.g. "data desk notebook"
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)  # sha256 hex of the whole secret
    hint: Mapped[str] = mapped_column(String(16))  # the first characters, shown so a user can tell tokens apart
    created_at: Mapped[datetime] = mapped_column(default=now_utc)
    last_used_at: Mapped[datetime | None]  # refreshed at most every few minutes
    revoked_at: Mapped[datetime | None]  # set when revoked by hand or when the user was deactivated

    user: Mapped[User] = relationship()

    @property
    def active(self) -> bool:
        return self.revoked_at is None

    def __repr__(self) -> str:
        return f"<ApiToken {self.hint}… of user {self.user_id}>"
