"""People who use the tracker, and what their role lets them do."""

from __future__ import annotations

import enum
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import Enum, String
from sqlalchemy.orm import Mapped, mapped_column
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

    def get_id(self) -> str:
        """The session carries the version too, so bumping it ends every session and remember-me cookie."""
        return f"{self.id}.{self.session_version}"

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
