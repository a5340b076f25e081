"""Records requests over JSON: list, create, read, update, lifecycle actions, events, communications,
attachments. Thin handlers: parse, check who may, call the same services as the web pages, commit once."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from flask import Response, jsonify, request, send_file, url_for

from tracker.api import bp, schemas
from tracker.api.auth import api_user
from tracker.api.representations import (
    attachment_json,
    communication_json,
    event_json,
    request_detail,
    request_summary,
    requests_href,
)
from tracker.core.clock import now_utc, today
from tracker.core.errors import NotFound, ValidationFailed
from tracker.core.handlers import writes
from tracker.core.storage import storage
from tracker.extensions import db
from tracker.requests import access, lifecycle, services, shown
from tracker.requests.models import Attachment, RecordsRequest
from tracker.requests.queries import RequestFilters, list_requests
from tracker.requests.status import ACTIONS

ID = "int"  # ids past 2**31 - 1 are refused as "not found" where they are loaded
MAX_FILES = 20
T = TypeVar("T")


def load(request_id: int, *, act: bool = False, audit_as: str = "", detail: str = "",
         shown: bool = False, to_answer: bool = False) -> RecordsRequest:
    return access.load(api_user(), request_id, act=act, audit_as=audit_as, detail=detail, shown=shown,
                       to_answer=to_answer)


def answer_read(request_id: int, detail: str, answer: Callable[[RecordsRequest], T], *, shown: bool = False) -> T:
    """The answer to a read of a request, built before the read is committed to a private request's audit
    trail: a commit expires everything loaded, and building after it would load the request and all it shows
    again. `shown`: the answer shows the request whole (access.SHOWN)."""
    result = answer(load(request_id, audit_as="view", detail=f"API: {detail}", shown=shown))
    db.session.commit()
    return result


def read(request_id: int, detail: str) -> RecordsRequest:
    """A request read through the API, its read on a private request's audit trail (committed)."""
    return answer_read(request_id, detail, lambda req: req)


def filters_from(args: dict) -> RequestFilters:
    return RequestFilters(q=args.get("q", ""), status=args.get("status", ""), agency_id=args.get("agency_id"),
                          owner_id=args.get("owner_id"), matter_id=args.get("matter_id"),
                          mine=args.get("mine", False), sort=args.get("sort", "updated"))


def detail(req: RecordsRequest, status: int = 200, *, loaded_shown: bool = False, created: bool = False):
    """The request's answer; `loaded_shown`: loaded by access.load(shown=True), which knows its empty lists
    already. A write's answer learns them in one statement (requests.shown); `created`: the request was inserted
    by this transaction, whose answer knows them without asking (shown.learn_created)."""
    if created:
        shown.learn_created(req)
    elif not loaded_shown:
        shown.learn(req)
    response = jsonify(request_detail(req, api_user(), today()))
    response.status_code = status
    if status == 201:
        response.headers["Location"] = url_for("api.get_request", request_id=req.id)
    return response


@bp.get("/requests", endpoint="list_requests")
def list_requests_():
    args = schemas.query(schemas.LIST_QUERY)
    page = list_requests(api_user(), filters_from(args), page=args["page"], per_page=args["per_page"])
    href = requests_href()
    return {"items": [request_summary(r, href) for r in page.items], "page": page.page, "per_page": page.per_page,
            "total": page.total, "pages": page.pages}


@bp.post("/requests")
@writes
def create_request():
    body = schemas.parse(schemas.REQUEST_CREATE)
    data, matter_ids, watcher_ids = schemas.request_data(body)
    req = services.create_request(actor=api_user(), now=now_utc(), today=today(), data=data,
                                  matter_ids=matter_ids or [], watcher_ids=watcher_ids or [])
    db.session.flush()
    return detail(req, 201, created=True)


@bp.get(f"/requests/<{ID}:request_id>")
def get_request(request_id: int):
    return answer_read(request_id, "request", lambda req: detail(req, loaded_shown=True), shown=True)


@bp.patch(f"/requests/<{ID}:request_id>")
@writes
def update_request(request_id: int):
    req = load(request_id, act=True, to_answer=True)
    body = schemas.parse(schemas.REQUEST_UPDATE, partial=True)
    data, matter_ids, watcher_ids = schemas.request_data(body)
    services.update_request(req, actor=api_user(), now=now_utc(), today=today(), data=data,
                            matter_ids=matter_ids, watcher_ids=watcher_ids)
    return detail(req)


@bp.post(f"/requests/<{ID}:request_id>/actions/<action>")
@writes
def perform_action(request_id: int, action: str):
    if action not in ACTIONS:
        raise NotFound(f"There is no action called {action[:40]!r}.")
    req = load(request_id, act=True, to_answer=True)
    body = schemas.parse(schemas.ACTION_BODY)
    lifecycle.perform(req, action, schemas.action_input(body), actor=api_user(), now=now_utc(), today=today(),
                     storage=storage())
    return detail(req)


@bp.get(f"/requests/<{ID}:request_id>/events")
def list_events(request_id: int):
    return answer_read(request_id, "events", lambda req: {"items": [event_json(e) for e in req.events]})


@bp.get(f"/requests/<{ID}:request_id>/communications")
def list_communications(request_id: int):
    return answer_read(request_id, "communications",
                       lambda req: {"items": [communication_json(c) for c in req.communications]})


def _uploads() -> list[services.Upload]:
    files = [f for f in request.files.getlist("files") if f and f.filename]
    if len(files) > MAX_FILES:
        raise ValidationFailed("Too many files.", {"files": f"Send at most {MAX_FILES} files at once."})
    return [services.Upload(f.filename, f.stream) for f in files]


@bp.post(f"/requests/<{ID}:request_id>/communications")
@writes
def add_communication(request_id: int):
    req = load(request_id, act=True)
    if request.mimetype == "multipart/form-data":
        # Fields as form values, files as `files`; the same checks as the JSON body.
        raw = {k: v for k, v in request.form.items()}
        body = schemas.parse_object(raw, schemas.COMMUNICATION_BODY)
        files = _uploads()
    else:
        body = schemas.parse(schemas.COMMUNICATION_BODY)
        files = []
    comm = services.add_communication(req, actor=api_user(), now=now_utc(), storage=storage(),
                                      direction=body["direction"], channel=body["channel"],
                                      occurred_on=body["occurred_on"], subject=body.get("subject", ""),
                                      body=body.get("body", ""), kind=body.get("kind", "other"), files=files)
    return communication_json(comm), 201


@bp.get(f"/requests/<{ID}:request_id>/attachments")
def list_attachments(request_id: int):
    return answer_read(request_id, "attachments", lambda req: {"items": [attachment_json(a) for a in req.attachments]})


@bp.post(f"/requests/<{ID}:request_id>/attachments")
@writes
def upload_attachments(request_id: int):
    req = load(request_id, act=True)
    if request.mimetype != "multipart/form-data":
        raise schemas.UnsupportedMediaType("Send the documents as multipart/form-data, in a field named `files`.")
    uploads = _uploads()
    if not uploads:
        raise ValidationFailed("No file.", {"files": "Send at least one file in the field `files`."})
    before = {a.id for a in req.attachments}
    services.upload_documents(req, uploads, actor=api_user(), now=now_utc(), storage=storage())
    return {"items": [attachment_json(a) for a in req.attachments if a.id not in before]}, 201


@bp.get(f"/attachments/<{ID}:attachment_id>")
def download_attachment(attachment_id: int):
    attachment = db.session.get(Attachment, attachment_id) if attachment_id <= access.MAX_ID else None
    if attachment is None or not access.can_view(api_user(), attachment.request):
        raise NotFound("There is no attachment with this id.")
    path = storage().path(attachment.storage_key)
    if not path.exists():
        raise NotFound("The file of this attachment is missing from storage.")
    load(attachment.request_id, audit_as="download", detail=f"API: {attachment.original_name}")
    db.session.commit()
    response: Response = send_file(path, mimetype=attachment.content_type, as_attachment=True,
                                   download_name=attachment.original_name or f"attachment-{attachment.id}")
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
