"""The OpenAPI 3.1 document, built from the same field specs the handlers parse with and the schemas written
beside the representations; served at /api/v1/openapi.json and drawn for humans at /api/v1/docs."""

from __future__ import annotations

from flask import current_app, render_template

from tracker.api import batches, board, bp, bulk, mail, mail_out, schemas, search, stories
from tracker.api.fields import Id, object_schema, query_parameters
from tracker.api.representations import SCHEMAS, ref
from tracker.requests.status import ACTIONS

ERRORS = {
    "400": ("BadRequest", "The body is not valid JSON, or (for a browser session) the CSRF token is missing."),
    "401": ("Unauthenticated", "No valid token or session."),
    "403": ("Forbidden", "Your role or the request's privacy does not allow this."),
    "404": ("NotFound", "No such item (or route)."),
    "409": ("Conflict", "Not possible in the current state, e.g. an action not allowed from this status."),
    "413": ("TooLarge", "The body is larger than the upload limit."),
    "415": ("UnsupportedMediaType", "The body was not sent as JSON (or multipart, for files)."),
    "422": ("Unprocessable", "Some fields are missing or wrong; `fields` says which."),
}
TAGS = ("Requests", "Export", "Board and ledger", "Agencies", "Matters", "Deadlines", "Search", "Mail", "Batches")
READ = ("401",)
READ_ONE = ("401", "403", "404")
WRITE = ("400", "401", "409", "413", "415", "422")


def _json(schema: dict, description: str = "OK") -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _items(name: str) -> dict:
    return {"type": "object", "properties": {"items": {"type": "array", "items": ref(name)}}, "required": ["items"]}


def _path_id(name: str, what: str) -> dict:
    return {"name": name, "in": "path", "required": True, "description": f"The {what}'s id.",
            "schema": {"type": "integer", "minimum": 1, "maximum": Id().maximum}}


def _op(op_id: str, summary: str, tag: str, ok: dict, *, errors=READ, params=(), body=None, status="200",
        description: str = "") -> dict:
    responses = {status: ok}
    for code in sorted(set(errors)):
        responses[code] = {"$ref": f"#/components/responses/{ERRORS[code][0]}"}
    operation = {"operationId": op_id, "summary": summary, "tags": [tag], "responses": responses}
    if description:
        operation["description"] = description
    if params:
        operation["parameters"] = list(params)
    if body is not None:
        operation["requestBody"] = {"required": True, "content": body}
    return operation


def _body(spec, *, partial: bool = False) -> dict:
    return {"application/json": {"schema": object_schema(spec, partial=partial)}}


def paths() -> dict:
    rid = _path_id("request_id", "request")
    aid = _path_id("agency_id", "agency")
    mid = _path_id("matter_id", "matter")
    action = {"name": "action", "in": "path", "required": True, "schema": {"type": "string", "enum": list(ACTIONS)},
              "description": "The lifecycle action: " + "; ".join(f"{a.name}: {a.label}" for a in ACTIONS.values())}
    upload = {"multipart/form-data": {"schema": {
        "type": "object", "required": ["files"],
        "properties": {"files": {"type": "array", "items": {"type": "string", "format": "binary"}, "maxItems": 20}}}}}
    comm_multipart = object_schema(schemas.COMMUNICATION_BODY)
    comm_multipart = {**comm_multipart, "properties": {
        **comm_multipart["properties"],
        "files": {"type": "array", "items": {"type": "string", "format": "binary"}, "maxItems": 20}}}
    request_one = _json(ref("Request"))
    return {
        "/requests": {
            "get": _op("listRequests", "List the requests you can see, filtered and paged", "Requests",
                       _json(ref("RequestPage")), errors=("401", "422"),
                       params=query_parameters(schemas.LIST_QUERY)),
            "post": _op("createRequest", "Draft a new request (you become its owner)", "Requests",
                        _json(ref("Request"), "Created"), status="201", errors=WRITE,
                        body=_body(schemas.REQUEST_CREATE)),
        },
        "/requests/{request_id}": {
            "parameters": [rid],
            "get": _op("getRequest", "One request, with its deadlines and how each was computed", "Requests",
                       request_one, errors=READ_ONE),
            "patch": _op("updateRequest", "Change some of a request's fields (only those sent)", "Requests",
                         request_one, errors=(*WRITE, "403", "404"),
                         body=_body(schemas.REQUEST_UPDATE, partial=True)),
        },
        "/requests/{request_id}/actions/{action}": {
            "parameters": [rid, action],
            "post": _op("performAction", "Apply a lifecycle action (file, acknowledge, determine, appeal…)",
                        "Requests", request_one, errors=(*WRITE, "403", "404", "409"),
                        body=_body(schemas.ACTION_BODY),
                        description="Each action reads the fields it needs and ignores the others. A refused "
                                    "action changes nothing and answers 409 (wrong status) or 422 (bad fields)."),
        },
        "/requests/{request_id}/events": {
            "parameters": [rid],
            "get": _op("listEvents", "The request's timeline: every status change and edit", "Requests",
                       _json(_items("Event")), errors=READ_ONE),
        },
        "/requests/{request_id}/communications": {
            "parameters": [rid],
            "get": _op("listCommunications", "Letters, emails and calls to and from the agency", "Requests",
                       _json(_items("Communication")), errors=READ_ONE),
            "post": _op("addCommunication", "Record a communication (JSON, or multipart with `files`)", "Requests",
                        _json(ref("Communication"), "Created"), status="201", errors=(*WRITE, "403", "404"),
                        body={**_body(schemas.COMMUNICATION_BODY),
                              "multipart/form-data": {"schema": comm_multipart}}),
        },
        "/requests/{request_id}/attachments": {
            "parameters": [rid],
            "get": _op("listAttachments", "The request's documents", "Requests", _json(_items("Attachment")),
                       errors=READ_ONE),
            "post": _op("uploadAttachments", "Upload documents (multipart, field `files`)", "Requests",
                        _json(_items("Attachment"), "Created"), status="201",
                        errors=("400", "401", "403", "404", "413", "415", "422"), body=upload),
        },
        "/attachments/{attachment_id}": {
            "parameters": [_path_id("attachment_id", "attachment")],
            "get": _op("downloadAttachment", "Download a document's bytes", "Requests",
                       {"description": "The file, with the content type sniffed from its bytes.",
                        "content": {"*/*": {"schema": {"type": "string", "format": "binary"}}}},
                       errors=READ_ONE),
        },
        "/export/requests": {
            "get": _op("exportRequests", "Every request you can see, as CSV or JSON (the import format)", "Export",
                       {"description": "The requests, one row each; the CSV columns are the import fields.",
                        "content": {"application/json": {"schema": {"type": "array", "items": {"type": "object"}}},
                                    "text/csv": {"schema": {"type": "string"}}}},
                       errors=("401", "422"), params=query_parameters(schemas.EXPORT_QUERY)),
        },
        "/agencies": {
            "get": _op("listAgencies", "The agency directory", "Agencies", _json(_items("Agency"))),
            "post": _op("createAgency", "Add an agency (administrators)", "Agencies", _json(ref("Agency"), "Created"),
                        status="201", errors=(*WRITE, "403"), body=_body(schemas.agency_body())),
        },
        "/agencies/{agency_id}": {
            "parameters": [aid],
            "get": _op("getAgency", "One agency", "Agencies", _json(ref("Agency")), errors=("401", "404")),
            "patch": _op("updateAgency", "Change an agency (administrators)", "Agencies", _json(ref("Agency")),
                         errors=(*WRITE, "403", "404"), body=_body(schemas.agency_body(), partial=True)),
        },
        "/matters": {
            "get": _op("listMatters", "OPR matters and their public sources", "Matters", _json(_items("Matter"))),
            "post": _op("createMatter", "Record an OPR matter", "Matters", _json(ref("Matter"), "Created"),
                        status="201", errors=WRITE, body=_body(schemas.MATTER_BODY)),
        },
        "/matters/{matter_id}": {
            "parameters": [mid],
            "get": _op("getMatter", "One matter", "Matters", _json(ref("Matter")), errors=("401", "404")),
            "patch": _op("updateMatter", "Change a matter", "Matters", _json(ref("Matter")),
                         errors=(*WRITE, "404"), body=_body(schemas.MATTER_BODY, partial=True)),
        },
        "/board/summary": {
            "get": _op("boardSummary", "The status board's numbers: open, overdue, due this week, per column",
                       "Board and ledger", _json(ref("BoardSummary")), errors=("401", "422"),
                       params=query_parameters(board.board_query())),
        },
        "/ledger": {
            "get": _op("getLedger", "The ledger of OPR matters: disclosure state, why, how long undisclosed",
                       "Board and ledger",
                       {"description": "One row per matter, as JSON or CSV (columns named as the JSON keys).",
                        "content": {"application/json": {"schema": ref("Ledger")},
                                    "text/csv": {"schema": {"type": "string"}}}},
                       errors=("401", "422"), params=query_parameters(board.LEDGER_QUERY)),
        },
        "/jurisdictions": {
            "get": _op("listJurisdictions", "The jurisdictions the deadline engine knows", "Deadlines",
                       _json(_items("Jurisdiction"))),
        },
        "/search": {
            "get": _op("search", "Search inside documents, letters and messages", "Search",
                       _json(ref("SearchResults")), errors=("401", "422"), params=query_parameters(search.SEARCH_QUERY),
                       description="Full-text search over the requests you can see, best match first, 20 a page."),
        },
        "/matters/{matter_id}/stories": {
            "parameters": [mid],
            "get": _op("listMatterStories", "A matter's published stories (recorded on it or on its requests you "
                       "can see)", "Matters", _json(_items("Story")), errors=("401", "404")),
            "post": _op("recordMatterStory", "Record a story published about a matter (its recorder and editors)",
                        "Matters", _json(ref("Story"), "Created"), status="201", errors=(*WRITE, "403", "404"),
                        body=_body(stories.STORY_BODY)),
        },
        "/requests/{request_id}/stories": {
            "parameters": [rid],
            "get": _op("listRequestStories", "The stories published from a request's records", "Requests",
                       _json(_items("Story")), errors=READ_ONE),
            "post": _op("recordRequestStory", "Record a story published from a request's records (those who may "
                        "act on it)", "Requests", _json(ref("Story"), "Created"), status="201",
                        errors=(*WRITE, "403", "404"), body=_body(stories.STORY_BODY)),
        },
        "/deadlines/compute": {
            "post": _op("computeDeadline", "Compute a statutory deadline, with every step explained", "Deadlines",
                        _json(ref("Explanation")), errors=WRITE, body=_body(schemas.deadline_body())),
        },
    }


def document() -> dict:
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Records tracker API",
            "version": "1.0.0",
            "description": "Public-records requests, their deadlines, agencies and OPR matters, as JSON. "
                           "Authenticate with a personal token (create one on your API tokens page): "
                           "`Authorization: Bearer <token>`. You see and change exactly what you can on the web. "
                           "Errors are JSON: `{\"error\": {\"code\", \"message\", \"fields\"}}` with a 4xx status. "
                           "Dates are YYYY-MM-DD (days in the newsroom's time zone); instants are UTC.",
        },
        "servers": [{"url": "/api/v1"}],
        "security": [{"token": []}],
        "tags": [{"name": name} for name in TAGS],
        "paths": with_idempotency_key({**paths(), **mail.mail_paths(_op, _json, _items, _body, _path_id, READ_ONE,
                                                                     WRITE),
                                       **mail_out.openapi_paths(_op, _json, _items, _body, _path_id),
                                       **bulk.openapi_paths(_op, _json),
                                       **batches.openapi_paths(_op, _json, _body, _path_id)}),
        "components": {
            "securitySchemes": {"token": {"type": "http", "scheme": "bearer",
                                          "description": "A personal API token, e.g. trk_…"}},
            "schemas": SCHEMAS,
            "responses": {name: {"description": text, "content": {"application/json": {"schema": ref("Error")}}}
                          for name, text in ERRORS.values()},
        },
    }


IDEMPOTENCY_KEY = {
    "name": "Idempotency-Key", "in": "header", "required": False,
    "description": "Any unique value (a UUID) for this write, sent again with its retries: a retry gets the first "
                   "answer back (with `Idempotent-Replayed: true`) instead of doing the write twice. Kept for 24 "
                   "hours, per caller. The same key with a different body is refused (422).",
    "schema": {"type": "string", "minLength": 1, "maxLength": 200, "pattern": "^[!-~]([ -~]*[!-~])?$"},
}


def with_idempotency_key(found: dict) -> dict:
    """Every write operation accepts the Idempotency-Key header (tracker/api/idempotency.py), and so may answer
    400 (a malformed key) and 422 (a key reused with another body)."""
    for item in found.values():
        for method in ("post", "put", "patch", "delete"):
            if method in item:
                item[method].setdefault("parameters", []).append(IDEMPOTENCY_KEY)
                responses = item[method]["responses"]
                for code in ("400", "422"):
                    responses.setdefault(code, {"$ref": f"#/components/responses/{ERRORS[code][0]}"})
    return found


@bp.get("/openapi.json")
def openapi():
    response = current_app.json.response(document())
    response.headers["Access-Control-Allow-Origin"] = "*"  # the document is public; tools may read it
    return response


@bp.get("/docs")
def docs():
    return render_template("api/docs.html")
