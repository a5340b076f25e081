"""Flask-Login wiring: how a session's user id becomes a User (see sessions.py for what the id holds)."""

from __future__ import annotations

from flask import Flask

from tracker.extensions import login_manager


def init_login(app: Flask) -> None:
    from tracker.auth import sessions
    from tracker.auth.models import User

    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Log in to see this page."
    login_manager.session_protection = "strong"

    @login_manager.user_loader
    def load_user(session_id: str) -> User | None:
        return sessions.load(session_id)
