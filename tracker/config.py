"""Settings, read from TRACKER_* environment variables, with defaults that run with no setup."""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


class ConfigError(RuntimeError):
    """A setting is missing or wrong; the message says which and how to fix it."""


def _bool(value: str | None, default: bool = False) -> bool:
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _secret_key(instance_path: Path, production: bool) -> str:
    """Use TRACKER_SECRET_KEY; in development generate one once and keep it under instance/."""
    key = os.environ.get("TRACKER_SECRET_KEY")
    if key:
        return key
    if production:
        raise ConfigError("TRACKER_SECRET_KEY must be set when TRACKER_ENV=production.")
    key_file = instance_path / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    instance_path.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    key_file.write_text(key)
    key_file.chmod(0o600)
    return key


def load_config(instance_path: str) -> dict:
    """Build the Flask config mapping from the environment."""
    instance = Path(instance_path)
    production = os.environ.get("TRACKER_ENV", "development") == "production"
    timezone = os.environ.get("TRACKER_TIMEZONE", "America/New_York")
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ConfigError(f"TRACKER_TIMEZONE={timezone!r} is not a known time zone.") from exc

    database_url = os.environ.get("TRACKER_DATABASE_URL") or f"sqlite:///{instance / 'tracker.sqlite'}"
    return {
        "TRACKER_ENV": "production" if production else "development",
        "SECRET_KEY": _secret_key(instance, production),
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SQLALCHEMY_ENGINE_OPTIONS": engine_options(database_url),
        "TRACKER_UPLOAD_DIR": os.environ.get("TRACKER_UPLOAD_DIR") or str(instance / "uploads"),
        "TRACKER_BASE_URL": os.environ.get("TRACKER_BASE_URL", "http://127.0.0.1:5000").rstrip("/"),
        "TRACKER_TIMEZONE": timezone,
        "TRACKER_LETTER_TEMPLATES": os.environ.get("TRACKER_LETTER_TEMPLATES")
        or str(Path(__file__).resolve().parent.parent / "letter_templates"),
        # Letters: a newsroom's own template folder, searched before the built-in one; the letterhead.
        "TRACKER_LETTER_TEMPLATES_EXTRA": os.environ.get("TRACKER_LETTER_TEMPLATES_EXTRA", ""),
        "TRACKER_NEWSROOM_NAME": os.environ.get("TRACKER_NEWSROOM_NAME", ""),
        "TRACKER_NEWSROOM_ADDRESS": os.environ.get("TRACKER_NEWSROOM_ADDRESS", "").replace("\\n", "\n"),
        "TRACKER_NEWSROOM_LOGO": os.environ.get("TRACKER_NEWSROOM_LOGO", ""),
        "TRACKER_JURISDICTIONS_FILE": os.environ.get("TRACKER_JURISDICTIONS_FILE") or None,
        "TRACKER_EXTRA_CLOSURES": os.environ.get("TRACKER_EXTRA_CLOSURES", ""),
        "MAX_CONTENT_LENGTH": int(os.environ.get("TRACKER_MAX_UPLOAD_MB", "25")) * 1024 * 1024,
        "TRACKER_SMTP_HOST": os.environ.get("TRACKER_SMTP_HOST", ""),
        "TRACKER_SMTP_PORT": int(os.environ.get("TRACKER_SMTP_PORT", "25")),
        "TRACKER_SMTP_USER": os.environ.get("TRACKER_SMTP_USER", ""),
        "TRACKER_SMTP_PASSWORD": os.environ.get("TRACKER_SMTP_PASSWORD", ""),
        "TRACKER_SMTP_STARTTLS": _bool(os.environ.get("TRACKER_SMTP_STARTTLS")),
        "TRACKER_MAIL_FROM": os.environ.get("TRACKER_MAIL_FROM", "tracker@localhost"),
        "TRACKER_SCAN_MINUTES": int(os.environ.get("TRACKER_SCAN_MINUTES", "5")),
        "TRACKER_BOARD_REFRESH_SECONDS": int(os.environ.get("TRACKER_BOARD_REFRESH_SECONDS", "60")),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": production,
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SECURE": production,
        "PERMANENT_SESSION_LIFETIME": int(os.environ.get("TRACKER_SESSION_HOURS", "12")) * 3600,
        "WTF_CSRF_TIME_LIMIT": None,
    }


def engine_options(database_url: str) -> dict:
    """SQLite waits for a busy lock instead of failing at once; PostgreSQL checks pooled connections."""
    if database_url.startswith("sqlite"):
        return {"connect_args": {"timeout": 15}}
    return {"pool_pre_ping": True}
