"""Changes people make: their reminder preferences, the newsroom's rules, their calendar feed URLs.
Add and flush; the view commits."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime

from sqlalchemy import select

from tracker.auth.models import User
from tracker.auth.permissions import require_admin, require_editor
from tracker.core.errors import NotFound, ValidationFailed
from tracker.extensions import db
from tracker.reminders import plans
from tracker.reminders.models import CalendarToken, ReminderPreference, ReminderRule
from tracker.reminders.rules import DEFAULTS, MAX_STEP, OTHER_KINDS, RULE_KEYS, parse_steps

MODES = {"immediate": "An email for each reminder, when it is due",
         "digest": "One email each morning with the day's reminders"}
SCOPES = ("mine", "newsroom")


def preference_for(user: User) -> ReminderPreference:
    """The person's stored preference, or the default (not added to the session)."""
    pref = db.session.get(ReminderPreference, user.id)
    return pref or ReminderPreference(user_id=user.id, mode="immediate", muted_kinds=[], newsroom_digest=True,
                                      colleagues_digest=False)


def save_preference(user: User, *, mode: str, muted_kinds: list[str], newsroom_digest: bool,
                    now: datetime, colleagues_digest: bool | None = None) -> ReminderPreference:
    """`colleagues_digest`: the weekly digest of what colleagues filed (None: left as it was)."""
    errors = {}
    if mode not in MODES:
        errors["mode"] = "Choose immediate emails or a daily digest."
    unknown = [k for k in muted_kinds if k not in RULE_KEYS and k not in OTHER_KINDS]
    if unknown:
        errors["muted_kinds"] = "Choose kinds from the list."
    if errors:
        raise ValidationFailed("The preferences have errors.", errors)
    pref = db.session.get(ReminderPreference, user.id)
    if pref is None:
        pref = ReminderPreference(user_id=user.id)
        db.session.add(pref)
    pref.mode = mode
    pref.muted_kinds = [k for k in (*RULE_KEYS, *OTHER_KINDS) if k in set(muted_kinds)]
    pref.newsroom_digest = bool(newsroom_digest)
    if colleagues_digest is not None:
        pref.colleagues_digest = bool(colleagues_digest)
    pref.updated_at = now
    db.session.flush()
    return pref


def save_rule(actor: User, key: str, *, enabled: bool, steps_text: str, repeat_every: int | None,
              now: datetime) -> ReminderRule:
    """Change a rule; every open request is looked at again at the next scan, under the new rule."""
    require_admin(actor)
    if key not in DEFAULTS:
        raise NotFound("There is no such reminder rule.")
    steps, message = parse_steps(steps_text)
    errors = {"steps": message} if message else {}
    if repeat_every is not None and not 1 <= repeat_every <= MAX_STEP:
        errors["repeat_every"] = f"Repeat every 1 to {MAX_STEP} working days, or leave it empty."
    if errors:
        raise ValidationFailed("The rule has errors.", errors)
    rule = db.session.get(ReminderRule, key)
    if rule is None:
        rule = ReminderRule(key=key)
        db.session.add(rule)
    rule.enabled, rule.steps, rule.repeat_every = bool(enabled), steps, repeat_every
    rule.updated_by_id, rule.updated_at = actor.id, now
    db.session.flush()
    plans.wake_all_open()
    return rule


def reset_rule(actor: User, key: str) -> None:
    require_admin(actor)
    rule = db.session.get(ReminderRule, key)
    if rule is not None:
        db.session.delete(rule)
        db.session.flush()
        plans.wake_all_open()


def hash_token(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def create_calendar_token(user: User, *, scope: str, now: datetime) -> str:
    """A new secret feed URL token; the previous one of the same scope stops working. Returns the secret,
    which is stored only as a hash: the page shows it once."""
    if scope not in SCOPES:
        raise ValidationFailed("Unknown feed.", {"scope": "Choose your requests or the newsroom."})
    if scope == "newsroom":
        require_editor(user)
    for old in db.session.scalars(select(CalendarToken).where(CalendarToken.user_id == user.id,
                                                              CalendarToken.scope == scope,
                                                              CalendarToken.revoked_at.is_(None))):
        old.revoked_at = now
    secret = secrets.token_urlsafe(32)
    db.session.add(CalendarToken(user_id=user.id, scope=scope, token_hash=hash_token(secret), created_at=now))
    db.session.flush()
    return secret


def revoke_calendar_token(user: User, token_id: int, *, now: datetime) -> None:
    token = db.session.get(CalendarToken, token_id)
    if token is None or token.user_id != user.id:
        raise NotFound("There is no such calendar feed.")
    if token.revoked_at is None:
        token.revoked_at = now
        db.session.flush()


def token_owner(secret: str) -> CalendarToken | None:
    """The live token for a secret from a feed URL, if its owner is still active (editors for the newsroom)."""
    if not secret or len(secret) > 100:
        return None
    token = db.session.scalar(select(CalendarToken).where(CalendarToken.token_hash == hash_token(secret)))
    if token is None or token.revoked_at is not None or not token.user.active:
        return None
    if token.scope == "newsroom" and not token.user.is_editor:
        return None
    return token
