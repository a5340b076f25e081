"""Changes to OPR matters and their sources."""

from __future__ import annotations

from sqlalchemy import func, select

from tracker.core.errors import ValidationFailed
from tracker.core.validation import text_errors
from tracker.extensions import db
from tracker.matters.models import Matter, MatterCategory, Source

MATTER_FIELDS = ("title", "category", "summary", "opr_case_number", "place", "began_on", "ended_on",
                 "public_outcome", "notes")
SOURCE_FIELDS = ("title", "publisher", "url", "published_on", "quote", "official_report")


def save_matter(matter: Matter | None, data: dict) -> Matter:
    data = {k: v for k, v in data.items() if k in MATTER_FIELDS}
    errors = text_errors(Matter, data)
    title = (data.get("title") or "").strip()
    if not title:
        errors["title"] = "Give the matter a title."
    clash = db.session.scalar(select(Matter).where(func.lower(Matter.title) == title.lower()))
    if clash is not None and (matter is None or clash.id != matter.id):
        errors["title"] = "A matter with this title exists."
    if data.get("category") not in {c.value for c in MatterCategory}:
        errors["category"] = "Choose a category."
    if data.get("began_on") and data.get("ended_on") and data["ended_on"] < data["began_on"]:
        errors["ended_on"] = "The end is before the beginning."
    if errors:
        raise ValidationFailed("The matter has errors.", errors)
    if matter is None:
        matter = Matter()
        db.session.add(matter)
    for name, value in data.items():
        setattr(matter, name, value.strip() if isinstance(value, str) else value)
    matter.category = MatterCategory(data["category"])
    db.session.flush()
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


def delete_source(source: Source) -> None:
    db.session.delete(source)
    db.session.flush()
