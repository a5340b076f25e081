"""Incoming mail over JSON: a request's messages, Unsorted mail, filing and dismissing. The same services and
the same visibility as the web pages (what a user may not see answers 404)."""

from __future__ import annotations

from flask import current_app, url_for

from tracker.api import bp, schemas
from tracker.api.auth import api_user
from tracker.api.fields import Id
from tracker.api.representations import SCHEMAS, nullable, obj, ref, user_ref
from tracker.api.requests import read, storage
from tracker.core.clock import now_utc
from tracker.extensions import db
from tracker.mail import services
from tracker.mail.models import IncomingMessage

FILE_BODY = {"request_id": Id("The request to file the message on (one you can see).", required=True)}


def _instant(value):
    return value.isoformat().replace("+00:00", "Z") if value is not None else None


def message_json(msg: IncomingMessage) -> dict:
    return {
        "id": msg.id, "status": msg.status, "message_id": msg.message_id, "from": msg.from_address,
        "from_name": msg.from_name, "to": msg.to_addresses, "subject": msg.subject, "sent_at": _instant(msg.sent_at),
        "fetched_at": _instant(msg.fetched_at), "text": msg.body_text, "has_html": bool(msg.body_html),
        "attachments": [{"name": a.get("name", ""), "size": a.get("size", 0), "content_type": a.get("content_type", ""),
                         "refused": a.get("refused", "")} for a in msg.attachment_names or []],
        "matched_by": msg.matched_by or None, "unverified_sender": msg.unverified, "forwarded": msg.forwarded,
        "forwarded_by": user_ref(msg.forwarded_by), "notes": list(msg.notes or []), "request_id": msg.request_id,
        "communication_id": msg.communication_id, "url": url_for("mail.show", message_id=msg.id),
        "raw_url": url_for("mail.raw", message_id=msg.id),
    }


_STR = {"type": "string"}
SCHEMAS["IncomingMessage"] = obj({
    "id": {"type": "integer"}, "status": {"type": "string", "enum": ["filed", "unsorted", "dismissed"]},
    "message_id": _STR, "from": _STR, "from_name": _STR, "to": _STR, "subject": _STR,
    "sent_at": nullable({"type": "string", "format": "date-time"}),
    "fetched_at": {"type": "string", "format": "date-time"},
    "text": _STR, "has_html": {"type": "boolean"},
    "attachments": {"type": "array", "items": obj({"name": _STR, "size": {"type": "integer"}, "content_type": _STR,
                                                   "refused": _STR})},
    "matched_by": nullable(_STR), "unverified_sender": {"type": "boolean"}, "forwarded": {"type": "boolean"},
    "forwarded_by": nullable(ref("UserRef")), "notes": {"type": "array", "items": _STR},
    "request_id": nullable({"type": "integer"}), "communication_id": nullable({"type": "integer"}),
    "url": _STR, "raw_url": _STR,
})


def _load_message(message_id: int, *, audit_as: str = "") -> IncomingMessage:
    return services.get_visible(api_user(), message_id, audit_as=audit_as)


@bp.get("/requests/<int:request_id>/mail")
def list_request_mail(request_id: int):
    req = read(request_id, "agency mail")
    return {"items": [message_json(m) for m in services.for_request(req)]}


@bp.get("/mail/unsorted")
def list_unsorted_mail():
    return {"items": [message_json(m) for m in services.unsorted_for(api_user())]}


@bp.get("/mail/<int:message_id>")
def get_mail(message_id: int):
    msg = _load_message(message_id, audit_as="view")
    db.session.commit()
    return message_json(msg)


@bp.post("/mail/<int:message_id>/file")
def file_mail(message_id: int):
    msg = _load_message(message_id)
    body = schemas.parse(FILE_BODY)
    services.file_by_hand(msg, body["request_id"], actor=api_user(), now=now_utc(), storage=storage(),
                          max_attachment=services.max_attachment_bytes(current_app.config))
    db.session.commit()
    return message_json(msg)


@bp.post("/mail/<int:message_id>/dismiss")
def dismiss_mail(message_id: int):
    msg = _load_message(message_id)
    services.dismiss(msg, actor=api_user(), now=now_utc())
    db.session.commit()
    return message_json(msg)


def mail_paths(op, json_, items, body, path_id, read_one, write) -> dict:
    """The OpenAPI paths of these routes (openapi.py adds them to the document)."""
    rid, mid = path_id("request_id", "request"), path_id("message_id", "incoming message")
    one = json_(ref("IncomingMessage"))
    return {
        "/requests/{request_id}/mail": {
            "parameters": [rid],
            "get": op("listRequestMail", "Agency email filed on this request, oldest first", "Mail",
                      json_(items("IncomingMessage")), errors=read_one),
        },
        "/mail/unsorted": {
            "get": op("listUnsortedMail", "Unsorted mail: all of it for editors, a reporter's own forwards for a "
                      "reporter", "Mail", json_(items("IncomingMessage"))),
        },
        "/mail/{message_id}": {
            "parameters": [mid],
            "get": op("getMail", "One incoming message", "Mail", one, errors=read_one),
        },
        "/mail/{message_id}/file": {
            "parameters": [mid],
            "post": op("fileMail", "File an unsorted message on a request you can see", "Mail", one,
                       errors=(*write, "404"), body=body(FILE_BODY)),
        },
        "/mail/{message_id}/dismiss": {
            "parameters": [mid],
            "post": op("dismissMail", "Dismiss an unsorted message", "Mail", one, errors=("401", "404", "409")),
        },
    }
