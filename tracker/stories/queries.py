"""Read side of stories: a request's and a matter's stories, the stories behind each ledger row, and the year's
count for the board's strip. Read only.

A matter's stories are those recorded on the matter and those recorded on any of its requests that the
viewer may see (a private request's story is not shown to those who may not see the request)."""

from __future__ import annotations

from datetime import date
from functools import cache

from sqlalchemy import bindparam, exists, func, select, union
from sqlalchemy.orm import selectinload

from tracker.auth.models import User
from tracker.extensions import db
from tracker.matters.models import Matter
from tracker.requests import access as request_access
from tracker.requests import shown as shown_request
from tracker.requests.models import Attachment, RecordsRequest, request_matters
from tracker.stories.access import can_see
from tracker.stories.models import Story, story_matters, story_requests

_LOAD = (selectinload(Story.requests), selectinload(Story.matters), selectinload(Story.documents),
         selectinload(Story.created_by))


def matter_story_pairs(kind: str, viewer_id=request_access.VIEWER_ID):
    """(matter_id, story_id) for every story of every matter, as a viewer of this kind sees them (the viewer's
    id is the parameter VIEWER_ID unless given): a SQL subquery the ledger filters and joins with."""
    direct = select(story_matters.c.matter_id.label("matter_id"), story_matters.c.story_id.label("story_id"))
    # From the stories' requests (few) to their matters, never from every request's matters: the IN lets the
    # database read request_matters by request id for each request that has a story.
    via = (select(request_matters.c.matter_id.label("matter_id"), story_requests.c.story_id.label("story_id"))
           .select_from(request_matters)
           .join(story_requests, story_requests.c.request_id == request_matters.c.request_id)
           .join(RecordsRequest, RecordsRequest.id == request_matters.c.request_id)
           .where(request_matters.c.request_id.in_(select(story_requests.c.request_id)),
                  request_access.visible_sql(kind, viewer_id)))
    return union(direct, via).subquery("matter_stories")


def published_matter_ids(kind: str, viewer_id=request_access.VIEWER_ID):
    """A SELECT of the ids of matters with at least one story, for `Matter.id.in_(...)`."""
    pairs = matter_story_pairs(kind, viewer_id)
    return select(pairs.c.matter_id)


@cache
def _ledger_stories_statement(kind: str):
    """Built once per kind of viewer (the viewer and the matters are parameters): building it cost more CPU than
    running it, on every view of the ledger."""
    pairs = matter_story_pairs(kind)
    return (select(pairs.c.matter_id, Story.id, Story.headline, Story.url, Story.published_on)
            .join(Story, Story.id == pairs.c.story_id)
            .where(pairs.c.matter_id.in_(bindparam("matter_ids", expanding=True)))
            .order_by(pairs.c.matter_id, Story.published_on.desc(), Story.id.desc()))


def ledger_stories(viewer: User, matter_ids) -> dict[int, dict]:
    """For each of these matters that has stories: how many, and the latest (headline, URL, day), as plain
    dicts for the ledger's rows. One statement."""
    ids = list(matter_ids)
    if not ids:
        return {}
    rows = db.session.execute(_ledger_stories_statement(request_access.viewer_kind(viewer)),
                              {"viewer_id": getattr(viewer, "id", None), "matter_ids": ids}).all()
    out: dict[int, dict] = {}
    for matter_id, story_id, headline, url, published_on in rows:
        entry = out.setdefault(matter_id, {"count": 0, "latest": {"id": story_id, "headline": headline, "url": url,
                                                                  "published_on": published_on}})
        entry["count"] += 1
    return out


shown_request.register_fact(
    "stories", lambda: exists().where(story_requests.c.request_id == RecordsRequest.id))


def stories_of_request(viewer: User, req: RecordsRequest) -> list[Story]:
    """The stories recorded on this request (the caller has checked the viewer may see the request)."""
    if shown_request.known(req, "stories") is False:
        return []
    query = (select(Story).join(story_requests, story_requests.c.story_id == Story.id)
             .where(story_requests.c.request_id == req.id)
             .order_by(Story.published_on.desc(), Story.id.desc()).options(*_LOAD))
    return list(db.session.scalars(query))


def stories_of_matter(viewer: User, matter: Matter) -> list[Story]:
    """The matter's stories: recorded on it, or on one of its requests the viewer may see."""
    pairs = matter_story_pairs(request_access.viewer_kind(viewer), getattr(viewer, "id", None))
    query = (select(Story).where(Story.id.in_(select(pairs.c.story_id).where(pairs.c.matter_id == matter.id)))
             .order_by(Story.published_on.desc(), Story.id.desc()).options(*_LOAD))
    return list(db.session.scalars(query))


def visible_documents(viewer: User, story: Story) -> list[Attachment]:
    """The documents of a story whose request this viewer may see."""
    return [a for a in story.documents if request_access.can_view(viewer, a.request)]


def visible_requests(viewer: User, story: Story) -> list[RecordsRequest]:
    return [r for r in story.requests if request_access.can_view(viewer, r)]


def load_visible(viewer: User, story_id: int) -> Story | None:
    """A story this viewer may see, or None."""
    story = db.session.get(Story, story_id) if 0 < story_id <= request_access.MAX_ID else None
    return story if story is not None and can_see(viewer, story) else None


def stories_published_in(year: int) -> int:
    """How many stories the newsroom published from records in this year (the board's strip)."""
    if not 1 <= year <= 9999:
        return 0
    return db.session.scalar(select(func.count(Story.id)).where(
        Story.published_on >= date(year, 1, 1), Story.published_on <= date(year, 12, 31))) or 0
