"""Bulk actions over JSON: POST /requests/bulk, the same service and the same answers as the list's bulk bar
(all or nothing; a refusal is a 4xx naming each request and why, and changes nothing)."""

from __future__ import annotations

from datetime import datetime

from flask import current_app

from tracker.api import bp, schemas
from tracker.api.auth import api_user
from tracker.api.fields import Enum, Id, ListOf, Object, String, parse_object
from tracker.api.representations import request_summary
from tracker.api.requests import filters_from
from tracker.core.clock import now_utc, today
from tracker.core.errors import ValidationFailed
from tracker.core.handlers import writes
from tracker.core.storage import storage
from tracker.letters import bulk_letters  # noqa: F401  (registers the letter actions: the document lists them)
from tracker.requests import bulk

SELECTED = Object({"id": Id("The request's id.", required=True),
                   "updated_at": String(40, "Its updated_at as you read it: a request changed since is refused.",
                                        required=True)})
FILTER = Object({k: v for k, v in schemas.LIST_QUERY.items() if k not in ("page", "per_page", "sort")},
                "Every request you can see that matches this filter (as on GET /requests).")


def bulk_body() -> dict:
    """The body's fields; the action names are read when asked (modules above requests register theirs)."""
    return {
        "action": Enum(sorted(bulk.ACTIONS), "What to do: " + "; ".join(
            f"{a.name}: {a.label}" + (" (editors and admins)" if a.editors_only else "")
            for a in sorted(bulk.ACTIONS.values(), key=lambda a: a.name)), required=True),
        "ids": ListOf(Id(), "The requests, by id.", max_length=bulk.MAX_SELECTION),
        "selected": ListOf(SELECTED, "The requests with the version you read: each changed since is refused.",
                           max_length=bulk.MAX_SELECTION),
        "filter": FILTER,
        "as_of": String(40, "With filter: the moment you read the list (ISO 8601); a matching request changed "
                            "after it is refused."),
        "owner_id": Id("reassign: the new owner."),
        "matter_id": Id("add_matter: the matter."),
    }


def _as_of(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        raise ValidationFailed("as_of is not an instant.", {"as_of": "Write an ISO 8601 instant, e.g. "
                                                                     "2026-11-30T15:00:00+00:00."}) from None


@bp.post("/requests/bulk")
@writes
def bulk_requests():
    body = parse_object(schemas.json_body(), bulk_body())
    user = api_user()
    ways = [k for k in ("ids", "selected", "filter") if k in body]
    if len(ways) != 1:
        raise ValidationFailed("Give the requests one way: ids, selected or filter.",
                               {"ids": "Give exactly one of ids, selected or filter."})
    versions = None
    shown_at = _as_of(body.get("as_of"))
    if "filter" in body:
        ids = bulk.ids_matching(user, filters_from(body["filter"]))
    elif "selected" in body:
        ids = [item["id"] for item in body["selected"]]
        versions = {item["id"]: item["updated_at"] for item in body["selected"]}
    else:
        ids = body["ids"]
    job = bulk.Job(actor=user, now=now_utc(), today=today(),
                   params={k: body.get(k) for k in ("owner_id", "matter_id")},
                   storage=storage(), config=current_app.config)
    outcome = bulk.run(body["action"], ids, job, versions=versions, shown_at=shown_at)
    return {"action": outcome.action.name, "summary": outcome.summary,
            "changed": [request_summary(r) for r in outcome.changed],
            "unchanged": [r.id for r in outcome.unchanged],
            "letter_ids": list(outcome.results.get("letter_ids") or [])}


def openapi_paths(op, json_) -> dict:
    from tracker.api.fields import object_schema
    from tracker.api.representations import ref

    result = {"type": "object", "required": ["action", "summary", "changed", "unchanged", "letter_ids"],
              "properties": {"action": {"type": "string"}, "summary": {"type": "string"},
                             "changed": {"type": "array", "items": ref("RequestSummary")},
                             "unchanged": {"type": "array", "items": {"type": "integer"}},
                             "letter_ids": {"type": "array", "items": {"type": "integer"}}}}
    return {"/requests/bulk": {"post": op(
        "bulkRequests", "One action on many requests at once, all or nothing", "Requests", json_(result),
        errors=("400", "401", "403", "404", "409", "413", "415", "422"),
        body={"application/json": {"schema": object_schema(bulk_body())}},
        description="The same service call per request as on the web. Every request is checked first: one you "
                    "cannot see, cannot change, or that changed since you read it (selected, as_of) refuses the "
                    "whole call with 409 (or 403 for an action reserved to editors), `fields` naming each request "
                    "and why; nothing is changed. The summary says what changed.")}}
