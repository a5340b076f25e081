"""Published stories over JSON: a matter's and a request's stories, read and recorded. The same services and
the same rules as the web pages (stories/access.py); a private request answers 404 to those who may not see it."""

from __future__ import annotations

from flask import jsonify

from tracker.api import bp, schemas
from tracker.api.auth import api_user
from tracker.api.fields import Day, Id, ListOf, String
from tracker.api.matters import ID
from tracker.api.matters import load as load_matter
from tracker.api.representations import story_json
from tracker.core.clock import now_utc, today
from tracker.core.handlers import writes
from tracker.extensions import db
from tracker.matters.access import require_change
from tracker.requests import access
from tracker.stories import queries, services

STORY_BODY = {
    "headline": String(300, "The headline, as published.", required=True),
    "url": String(1000, "Where the story is published: an http:// or https:// address.", required=True,
                  example="https://news.example/2026/otero"),
    "published_on": Day("The day it was published (not after today).", required=True),
    "note": String(schemas.TEXT, "What the records showed, for colleagues."),
    "document_ids": ListOf(Id(), "Documents (attachments) the story used: of this request, or of the matter's "
                                 "requests you may see.", max_length=services.MAX_DOCUMENTS),
}


def _input(body: dict) -> services.StoryInput:
    return services.StoryInput(headline=body.get("headline", ""), url=body.get("url", ""),
                               published_on=body.get("published_on"), note=body.get("note") or "",
                               document_ids=list(body.get("document_ids") or []))


def _created(story):
    response = jsonify(story_json(story, api_user()))
    response.status_code = 201
    return response


@bp.get(f"/matters/<{ID}:matter_id>/stories")
def list_matter_stories(matter_id: int):
    user = api_user()
    return {"items": [story_json(s, user) for s in queries.stories_of_matter(user, load_matter(matter_id))]}


@bp.post(f"/matters/<{ID}:matter_id>/stories")
@writes
def record_matter_story(matter_id: int):
    matter = load_matter(matter_id)
    require_change(api_user(), matter)  # before reading the body: a refusal says so whatever was sent
    body = schemas.parse(STORY_BODY)
    story = services.record_story(_input(body), actor=api_user(), now=now_utc(), today=today(), matter=matter)
    return _created(story)


@bp.get(f"/requests/<{ID}:request_id>/stories")
def list_request_stories(request_id: int):
    user = api_user()
    req = access.load(user, request_id, audit_as="view", detail="API: stories")
    items = [story_json(s, user) for s in queries.stories_of_request(user, req)]
    db.session.commit()
    return {"items": items}


@bp.post(f"/requests/<{ID}:request_id>/stories")
@writes
def record_request_story(request_id: int):
    user = api_user()
    req = access.load(user, request_id, act=True)
    body = schemas.parse(STORY_BODY)
    story = services.record_story(_input(body), actor=user, now=now_utc(), today=today(), request=req)
    return _created(story)
