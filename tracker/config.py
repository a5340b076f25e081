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

    imap_ssl = _bool(os.environ.get("TRACKER_IMAP_SSL"), True)
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
        # Letters: facts about the outlet (news-media fee category, fee-waiver audience) and the fee ceiling a
        # request states when it sets none of its own (USD; empty: "ask me before incurring any fees").
        "TRACKER_NEWSROOM_ABOUT": os.environ.get("TRACKER_NEWSROOM_ABOUT", ""),
        "TRACKER_NEWSROOM_FEE_LIMIT": os.environ.get("TRACKER_NEWSROOM_FEE_LIMIT", "50"),
        "TRACKER_JURISDICTIONS_FILE": os.environ.get("TRACKER_JURISDICTIONS_FILE") or None,
        "TRACKER_EXTRA_CLOSURES": os.environ.get("TRACKER_EXTRA_CLOSURES", ""),
        "MAX_CONTENT_LENGTH": int(os.environ.get("TRACKER_MAX_UPLOAD_MB", "25")) * 1024 * 1024,
        "TRACKER_SMTP_HOST": os.environ.get("TRACKER_SMTP_HOST", ""),
        "TRACKER_SMTP_PORT": int(os.environ.get("TRACKER_SMTP_PORT", "25")),
        "TRACKER_SMTP_USER": os.environ.get("TRACKER_SMTP_USER", ""),
        "TRACKER_SMTP_PASSWORD": os.environ.get("TRACKER_SMTP_PASSWORD", ""),
        "TRACKER_SMTP_STARTTLS": _bool(os.environ.get("TRACKER_SMTP_STARTTLS")),
        "TRACKER_MAIL_FROM": os.environ.get("TRACKER_MAIL_FROM", "tracker@localhost"),
        # The newsroom's shared FOIA mailbox: letters leave from it, agency replies are fetched from it.
        "TRACKER_MAIL_ADDRESS": os.environ.get("TRACKER_MAIL_ADDRESS", ""),
        "TRACKER_IMAP_HOST": os.environ.get("TRACKER_IMAP_HOST", ""),
        "TRACKER_IMAP_PORT": int(os.environ.get("TRACKER_IMAP_PORT") or (993 if imap_ssl else 143)),
        "TRACKER_IMAP_USER": os.environ.get("TRACKER_IMAP_USER", ""),
        "TRACKER_IMAP_PASSWORD": os.environ.get("TRACKER_IMAP_PASSWORD", ""),
        "TRACKER_IMAP_SSL": imap_ssl,
        "TRACKER_IMAP_FOLDER": os.environ.get("TRACKER_IMAP_FOLDER", "INBOX"),
        "TRACKER_IMAP_TIMEOUT": int(os.environ.get("TRACKER_IMAP_TIMEOUT") or 60),  # seconds to wait for the server
        # Messages fetched, stored and committed together (then flagged on the server): not TRACKER_MAIL_BATCH,
        # which is the reminder sender's.
        "TRACKER_IMAP_BATCH": _count("TRACKER_IMAP_BATCH", 50, least=1),
        "TRACKER_MAIL_FETCH_MINUTES": int(os.environ.get("TRACKER_MAIL_FETCH_MINUTES") or 3),
        "TRACKER_SCAN_MINUTES": int(os.environ.get("TRACKER_SCAN_MINUTES", "5")),
        "TRACKER_BOARD_REFRESH_SECONDS": int(os.environ.get("TRACKER_BOARD_REFRESH_SECONDS", "60")),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": production,
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SECURE": production,
        "PERMANENT_SESSION_LIFETIME": int(os.environ.get("TRACKER_SESSION_HOURS", "12")) * 3600,
        "WTF_CSRF_TIME_LIMIT": None,
        # Security: every cookie SameSite=Lax (Secure in production); the proxies in front of the app.
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "TRACKER_TRUSTED_PROXIES": _count("TRACKER_TRUSTED_PROXIES", 0),
        # Mail delivery: retry wait, lease, attempts, batch size, SMTP timeout (reminders/delivery.py).
        "TRACKER_MAIL_RETRY_SECONDS": _count("TRACKER_MAIL_RETRY_SECONDS", 60, least=1),
        "TRACKER_MAIL_LEASE_SECONDS": _count("TRACKER_MAIL_LEASE_SECONDS", 600, least=5),
        "TRACKER_MAIL_MAX_ATTEMPTS": _count("TRACKER_MAIL_MAX_ATTEMPTS", 8, least=1),
        "TRACKER_MAIL_BATCH": _count("TRACKER_MAIL_BATCH", 50, least=1),
        "TRACKER_SMTP_TIMEOUT": _count("TRACKER_SMTP_TIMEOUT", 20, least=1),
        # The scheduler: how often a standby checks whether the leader is gone.
        "TRACKER_SCHEDULER_STANDBY_SECONDS": _count("TRACKER_SCHEDULER_STANDBY_SECONDS", 15, least=1),
    }


def _count(name: str, default: int, least: int = 0) -> int:
    """A whole-number setting; a clear message when it is not one."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(f"{name}={raw!r} is not a whole number.") from None
    if value < least:
        raise ConfigError(f"{name} must be at least {least}.")
    return value


def engine_options(database_url: str) -> dict:
    """SQLite waits for a busy lock instead of failing at once (and its connections are set by
    core.sqlite_connections); PostgreSQL checks pooled connections."""
    if database_url.startswith("sqlite"):
        return {"connect_args": {"timeout": 15}}
    return {"pool_pre_ping": True}
