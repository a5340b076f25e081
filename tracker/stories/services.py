"""Recording, changing and removing published stories. Add and flush; the door commits once.

A story is recorded on a request (linked to it) or on a matter (linked to it). The documents it used must
be attachments of the request it is recorded on, or, for a matter, of one of the matter's requests that the
person recording it may see: a document of another request is refused with a message on the field.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from urllib.parse import urlsplit

from sqlalchemy import select

from tracker.auth.models import User
from tracker.core.errors import ValidationFailed
from tracker.core.validation import event_day_error, text_errors
from tracker.extensions import db
from tracker.matters.access import require_change as require_matter_change
from tracker.matters.models import Matter
from tracker.requests import access as request_access
from tracker.requests import audit
from tracker.requests.models import Attachment, RecordsRequest, request_matters
from tracker.stories.access import require_change
from tracker.stories.models import Story

MAX_DOCUMENTS = 200


@dataclass
class StoryInput:
    headline: str = ""
    url: str = ""
    published_on: date | None = None
    note: str = ""
    document_ids: list[int] = field(default_factory=list)


def url_error(url: str) -> str | None:
    if not url:
        return "Give the story's web address."
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc or any(c.isspace() for c in url):
        return "Give a web address starting with http:// or https://."
    return None


def documents_allowed(actor: User, *, request: RecordsRequest | None = None,
                      matter: Matter | None = None) -> list[Attachment]:
    """The documents a story on this request, or on this matter, may name: the request's attachments, or
    those of the matter's requests the actor may see."""
    if request is not None:
        return list(request.attachments)
    if matter is None:
        return []
    ids = select(request_matters.c.request_id).where(request_matters.c.matter_id == matter.id)
    query = (select(Attachment).join(RecordsRequest, RecordsRequest.id == Attachment.request_id)
             .where(Attachment.request_id.in_(ids), request_access.visible_to(actor))
             .order_by(RecordsRequest.id, Attachment.id))
    return list(db.session.scalars(query))


def _checked(story: Story | None, data: StoryInput, *, actor: User, today: date,
             allowed: list[Attachment]) -> tuple[dict, list[Attachment]]:
    values = {"headline": (data.headline or "").strip(), "url": (data.url or "").strip(),
              "note": (data.note or "").strip()}
    errors = text_errors(Story, values)
    if not values["headline"]:
        errors["headline"] = "Give the story's headline."
    if "url" not in errors and (message := url_error(values["url"])):
        errors["url"] = message
    if data.published_on is None:
        errors["published_on"] = "Give the day the story was published."
    elif message := event_day_error(data.published_on, today):
        errors["published_on"] = ("The story cannot be published after today."
                                  if data.published_on > today else message)
    wanted = list(dict.fromkeys(data.document_ids or []))
    by_id = {a.id: a for a in allowed}
    if story is not None:  # documents already named stay allowed (e.g. the one who named them is an editor)
        by_id.update({a.id: a for a in story.documents})
    if len(wanted) > MAX_DOCUMENTS:
        errors["document_ids"] = f"Name at most {MAX_DOCUMENTS} documents."
    elif any(i not in by_id for i in wanted):
        errors["document_ids"] = ("A document chosen belongs to another request: choose documents of this "
                                  "request." if story is None or story.requests else
                                  "A document chosen belongs to another request: choose documents of this "
                                  "matter's requests.")
    if errors:
        raise ValidationFailed("The story has errors.", errors)
    values["published_on"] = data.published_on
    return values, [by_id[i] for i in wanted]


def _audit(story: Story, *, actor: User, now: datetime, what: str) -> None:
    for req in story.requests:
        audit.record(req, actor=actor, now=now, action="change", detail=f"story {what}: {story.headline}")


def record_story(data: StoryInput, *, actor: User, now: datetime, today: date,
                 request: RecordsRequest | None = None, matter: Matter | None = None) -> Story:
    """Record a story on a request (its owner, watchers, editors) or on a matter (its recorder, editors)."""
    if (request is None) == (matter is None):
        raise ValueError("a story is recorded on one request or one matter")
    if request is not None:
        request_access.check(actor, request, act=True)
    else:
        require_matter_change(actor, matter)
    values, documents = _checked(None, data, actor=actor, today=today,
                                 allowed=documents_allowed(actor, request=request, matter=matter))
    story = Story(**values, created_by_id=actor.id, created_at=now, updated_at=now,
                  requests=[request] if request is not None else [], matters=[matter] if matter is not None else [],
                  documents=documents)
    db.session.add(story)
    db.session.flush()
    _audit(story, actor=actor, now=now, what="recorded")
    return story


def update_story(story: Story, data: StoryInput, *, actor: User, now: datetime, today: date) -> Story:
    require_change(actor, story)
    allowed: list[Attachment] = []
    for req in story.requests:
        allowed += documents_allowed(actor, request=req)
    for matter in story.matters:
        allowed += documents_allowed(actor, matter=matter)
    values, documents = _checked(story, data, actor=actor, today=today, allowed=allowed)
    for name, value in values.items():
        setattr(story, name, value)
    unseen = [a for a in story.documents if not request_access.can_view(actor, a.request)]
    story.documents = documents + [a for a in unseen if a not in documents]  # what they cannot see, they keep
    story.updated_at = now
    db.session.flush()
    _audit(story, actor=actor, now=now, what="changed")
    return story


def remove_story(story: Story, *, actor: User, now: datetime) -> None:
    require_change(actor, story)
    _audit(story, actor=actor, now=now, what="removed")
    db.session.delete(story)
    db.session.flush()
