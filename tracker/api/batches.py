"""Batches over JSON: draft one request to several agencies, read a batch, apply an action to all of it.
Thin: parse, call the same services as the web pages, commit once. The OpenAPI paths are at the end."""

from __future__ import annotations

from dataclasses import replace

from flask import current_app, url_for

from tracker.api import bp, schemas
from tracker.api.auth import api_user
from tracker.api.fields import Day, Enum, Id, ListOf, String
from tracker.api.representations import BOOL, DAY, INSTANT, INT, SCHEMAS, STR, URL, nullable, obj, ref, request_summary
from tracker.batches import actions, queries, services
from tracker.batches.models import RequestBatch
from tracker.core.clock import now_utc, today
from tracker.core.errors import NotFound
from tracker.core.handlers import writes
from tracker.core.storage import storage
from tracker.extensions import db
from tracker.letters import services as letter_services
from tracker.letters import sources

BATCH_CREATE = {
    **{k: v for k, v in schemas.REQUEST_FIELDS.items() if k in services.SHARED_FIELDS},
    "title": replace(schemas.REQUEST_FIELDS["title"], required=True),
    "agency_ids": ListOf(Id(), f"The agencies to ask, {services.MIN_AGENCIES} to {services.MAX_AGENCIES}, each "
                               "once: one draft request each.", required=True),
    "matter_ids": schemas.REQUEST_FIELDS["matter_ids"],
    "watcher_ids": schemas.REQUEST_FIELDS["watcher_ids"],
}
ACTION_BODY = {
    "on": Day("file: the day the requests went out.", nullable=True),
    "channel": Enum(list(actions.FILE_CHANNELS), "file: how they were sent."),
    "note": String(20000, "file: a note on each request's timeline."),
}


def batch_json(batch: RequestBatch, reqs) -> dict:
    rows = queries.rows(api_user(), reqs)
    return {
        "id": batch.id, "title": batch.title, "created_by": batch.created_by,
        "created_at": batch.created_at.isoformat() if batch.created_at else None,
        "url": url_for("batches.show", batch_id=batch.id),
        "requests": [{"request": request_summary(row.req), "due_label": row.due_label or None,
                      "due_on": row.due.isoformat() if row.due else None, "can_act": row.can_act} for row in rows],
    }


@bp.post("/batches")
@writes
def create_batch():
    body = schemas.parse(BATCH_CREATE)
    data = {k: v for k, v in body.items() if k in services.SHARED_FIELDS}
    batch = services.create_batch(actor=api_user(), now=now_utc(), today=today(), data=data,
                                  agency_ids=body["agency_ids"], matter_ids=body.get("matter_ids") or [],
                                  watcher_ids=body.get("watcher_ids") or [])
    response = batch_json(batch, batch.requests)
    return response, 201, {"Location": url_for("api.get_batch", batch_id=batch.id)}


@bp.get("/batches/<int:batch_id>")
def get_batch(batch_id: int):
    batch, reqs = queries.load(api_user(), batch_id, audit_as="view", detail="API: batch", now=now_utc())
    db.session.commit()
    return batch_json(batch, reqs)


@bp.post("/batches/<int:batch_id>/actions/<action>")
@writes
def batch_action(batch_id: int, action: str):
    batch, reqs = queries.load(api_user(), batch_id)
    if action not in actions.ACTIONS:
        raise NotFound(f"There is no batch action called {action[:40]!r}.")
    body = schemas.parse(ACTION_BODY)
    config = current_app.config
    ctx = actions.Context(actor=api_user(), now=now_utc(), today=today(), storage=storage(),
                          search=sources.roots(config), letterhead=letter_services.letterhead_from_config(config))
    summary = actions.apply(reqs, action, actions.BatchActionInput(on=body.get("on"), channel=body.get("channel", ""),
                                                                   note=body.get("note", "")), ctx)
    db.session.flush()
    return {"action": action, "summary": summary.headline,
            "changed": [{"request_id": r.id, "agency": r.agency.label, "text": text} for r, text in summary.changed],
            "skipped": [{"request_id": r.id, "agency": r.agency.label, "reason": why} for r, why in summary.skipped],
            "batch": batch_json(batch, reqs)}


# --- the OpenAPI document ---------------------------------------------------------------------------------

SCHEMAS["Batch"] = obj({
    "id": INT, "title": STR, "created_by": nullable(INT), "created_at": nullable(INSTANT), "url": URL,
    "requests": {"type": "array", "description": "The requests of the batch you may see, one per agency.",
                 "items": obj({"request": ref("RequestSummary"), "due_label": nullable(STR), "due_on": nullable(DAY),
                               "can_act": BOOL})},
})
_LINE = obj({"request_id": INT, "agency": STR, "text": STR})
SCHEMAS["BatchActionResult"] = obj({
    "action": {"type": "string", "enum": list(actions.ACTIONS)}, "summary": STR,
    "changed": {"type": "array", "items": _LINE},
    "skipped": {"type": "array", "items": obj({"request_id": INT, "agency": STR, "reason": STR})},
    "batch": ref("Batch"),
})


def openapi_paths(op, json_, body, path_id) -> dict:
    """The paths of this module, built with the document's own helpers (passed in to keep one builder)."""
    bid = path_id("batch_id", "batch")
    action = {"name": "action", "in": "path", "required": True,
              "schema": {"type": "string", "enum": list(actions.ACTIONS)},
              "description": "; ".join(f"{k}: {v}" for k, v in actions.ACTIONS.items())}
    write = ("400", "401", "403", "404", "409", "413", "415", "422")
    return {
        "/batches": {
            "post": op("createBatch", "Draft one request per agency in one step (you own them all)", "Batches",
                       json_(ref("Batch"), "Created"), status="201", errors=("400", "401", "409", "413", "415", "422"),
                       body=body(BATCH_CREATE),
                       description="Each draft shares the title, description, terms and matters, and gets its own "
                                   "letter, clock, tracking number and status under its agency's law. The same "
                                   "agency twice, an unknown agency, fewer than two or more than 25 agencies: 422, "
                                   "and nothing is created."),
        },
        "/batches/{batch_id}": {
            "parameters": [bid],
            "get": op("getBatch", "A batch: its requests side by side (those you may see)", "Batches",
                      json_(ref("Batch")), errors=("401", "404")),
        },
        "/batches/{batch_id}/actions/{action}": {
            "parameters": [bid, action],
            "post": op("applyBatchAction", "Apply an action to every request of the batch that allows it", "Batches",
                       json_(ref("BatchActionResult")), errors=write, body=body(ACTION_BODY),
                       description="letters: write each draft's request letter; file: record each draft as filed "
                                   "(`on`, `channel`), with its letter if written; email: send each draft's letter "
                                   "by email. All or nothing: one refusal changes none. Requests that do not allow "
                                   "it are listed in `skipped` with the reason; 409 when none does, 403 when you "
                                   "may not change one the action would change."),
        },
    }
