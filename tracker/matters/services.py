"""Changes to OPR matters and their sources."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from tracker.auth.permissions import require_editor
from tracker.core.errors import ValidationFailed
from tracker.core.validation import name_taken, text_errors
from tracker.extensions import db
from tracker.matters.access import require_change
from tracker.matters.models import Matter, MatterCategory, MatterStateOverride, Source
from tracker.matters.states import STATES

MATTER_FIELDS = ("title", "category", "summary", "opr_case_number", "place", "began_on", "ended_on",
                 "public_outcome", "notes")
SOURCE_FIELDS = ("title", "publisher", "url", "published_on", "quote", "official_report")


def save_matter(matter: Matter | None, data: dict, *, actor=None) -> Matter:
    """Record a new matter (anyone; `actor` becomes its creator) or change one (its creator and editors)."""
    if matter is not None and actor is not None:
        require_change(actor, matter)
    data = {k: v for k, v in data.items() if k in MATTER_FIELDS}
    errors = text_errors(Matter, data)
    title = (data.get("title") or "").strip()
    if not title:
        errors["title"] = "Give the matter a title."
    if name_taken(Matter.title, title, other_than=matter.id if matter is not None else None):
        errors["title"] = "A matter with this title exists."
    if data.get("category") not in {c.value for c in MatterCategory}:
        errors["category"] = "Choose a category."
    if data.get("began_on") and data.get("ended_on") and data["ended_on"] < data["began_on"]:
        errors["ended_on"] = "The end is before the beginning."
    if errors:
        raise ValidationFailed("The matter has errors.", errors)
    if matter is None:
        matter = Matter(created_by_id=actor.id if actor is not None else None)
        db.session.add(matter)
    for name, value in data.items():
        setattr(matter, name, value.strip() if isinstance(value, str) else value)
    matter.category = MatterCategory(data["category"])
    try:
        db.session.flush()
    except IntegrityError as exc:  # a clash made at the same moment by someone else
        raise ValidationFailed("The matter has errors.", {"title": "A matter with this title exists."}) from exc
    return matter


def add_source(matter: Matter, data: dict) -> Source:
    data = {k: v for k, v in data.items() if k in SOURCE_FIELDS}
    errors = text_errors(Source, data)
    if not (data.get("title") or "").strip():
        errors["title"] = "Give the source's title."
    url = data.get("url") or ""
    if url and not url.lower().startswith(("http://", "https://")):
        errors["url"] = "Give a web address starting with http:// or https://."
    if errors:
        raise ValidationFailed("The source has errors.", errors)
    source = Source(matter=matter, **{k: v.strip() if isinstance(v, str) else v for k, v in data.items()})
    db.session.add(source)
    db.session.flush()
    return source


def delete_source(source: Source, *, actor=None) -> None:
    if actor is not None:
        require_change(actor, source.matter)
    db.session.delete(source)
    db.session.flush()


# --- editor overrides of the derived disclosure state ---------------------------------------------

def set_override(matter: Matter, *, state: str, reason: str, actor, now) -> MatterStateOverride:
    """Replace the derived disclosure state with `state`; only an editor, and only with a reason."""
    require_editor(actor)
    reason = (reason or "").strip()
    errors = text_errors(MatterStateOverride, {"reason": reason})
    if state not in STATES:
        errors["state"] = "Choose a state."
    if len(reason) < 10:
        errors.setdefault("reason", "Write the reason (at least a sentence): it is shown beside the state.")
    if errors:
        raise ValidationFailed("The override has errors.", errors)
    override = db.session.scalar(select(MatterStateOverride).where(MatterStateOverride.matter_id == matter.id))
    if override is None:
        override = MatterStateOverride(matter_id=matter.id)
        db.session.add(override)
    override.state, override.reason, override.set_by_id, override.set_at = state, reason, actor.id, now
    db.session.flush()
    return override


def clear_override(matter: Matter, *, actor) -> bool:
    """Go back to the derived state. Returns whether there was an override."""
    require_editor(actor)
    override = db.session.scalar(select(MatterStateOverride).where(MatterStateOverride.matter_id == matter.id))
    if override is None:
        return False
    db.session.delete(override)
    db.session.flush()
    return True
