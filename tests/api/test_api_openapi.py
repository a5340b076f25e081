"""The OpenAPI document matches the code: every API route is in it and everything in it is a route; the board
summary and the ledger count what the same person sees on the web."""

from __future__ import annotations

import csv
import io
import re

import jsonschema_rs

from tests.helpers import d, make_agency, make_matter, make_request, perform
from tracker.api.openapi import document
from tracker.extensions import db


def test_every_route_is_documented_and_nothing_else(app):
    routes = set()
    for rule in app.url_map.iter_rules():
        if not rule.endpoint.startswith("api.") or rule.endpoint in ("api.openapi", "api.docs"):
            continue
        path = re.sub(r"<(?:[^:>]+:)?([^>]+)>", r"{\1}", rule.rule.removeprefix("/api/v1"))
        routes |= {(path, method.lower()) for method in rule.methods - {"HEAD", "OPTIONS"}}
    documented = {(path, method) for path, item in document()["paths"].items() for method in item
                  if method != "parameters"}
    assert routes == documented
    operation_ids = [op["operationId"] for item in document()["paths"].values()
                     for method, op in item.items() if method != "parameters"]
    assert len(operation_ids) == len(set(operation_ids))


def test_document_is_public_and_openapi_3_1(app):
    response = app.test_client().get("/api/v1/openapi.json")
    assert response.status_code == 200 and response.json["openapi"] == "3.1.0"
    assert response.json["components"]["securitySchemes"]["token"]["scheme"] == "bearer"
    assert app.test_client().get("/api/v1/docs").status_code == 200


def test_board_summary_and_ledger_count_only_what_the_caller_may_see(app, users, bearer, frozen):
    with app.app_context():
        agency = make_agency()
        matter = make_matter("Secret matter")
        public = make_request(users["reporter"], agency, title="Public")
        private = make_request(users["reporter"], agency, title="Private", private=True)
        for req in (public, private):
            req.matters = [matter]
            perform(req, "file", users["reporter"], on=d("2026-10-01"), channel="portal")
        perform(private, "determine", users["reporter"], on=d("2026-11-02"), outcome="denied", exemptions=["b7A"])
        db.session.commit()
    api = app.test_client()
    mine = api.get("/api/v1/board/summary", headers=bearer("reporter")).json
    theirs = api.get("/api/v1/board/summary", headers=bearer("other_reporter")).json
    assert mine["summary"]["open"] == 2 and theirs["summary"]["open"] == 1
    assert {c["code"] for c in mine["columns"]} >= {"agency", "us", "overdue"}
    assert api.get("/api/v1/board/summary?status=nonsense", headers=bearer("reporter")).status_code == 422

    ledger = api.get("/api/v1/ledger", headers=bearer("reporter")).json
    row = next(m for m in ledger["matters"] if m["title"] == "Secret matter")
    assert row["state"] == "withheld" and row["exemptions"] == ["b7A"]
    other = api.get("/api/v1/ledger", headers=bearer("other_reporter")).json
    other_row = next(m for m in other["matters"] if m["title"] == "Secret matter")
    assert other_row["state"] == "pending" and other_row["exemptions"] == []  # the denial is private
    text = api.get("/api/v1/ledger?format=csv&state=withheld", headers=bearer("reporter")).get_data(as_text=True)
    table = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    assert [r["Matter"] for r in table] == ["Secret matter"] and table[0]["Denied or no records"] == "1"
    matter_json = api.get(f"/api/v1/matters/{row['id']}", headers=bearer("other_reporter")).json
    assert matter_json["disclosure"]["state"] == "pending"


def test_every_schema_in_the_document_is_valid_json_schema():
    doc = document()
    schemas = dict(doc["components"]["schemas"])
    for path, item in doc["paths"].items():
        for method, op in item.items():
            if method == "parameters":
                continue
            for media, content in op.get("requestBody", {}).get("content", {}).items():
                schemas[f"{method} {path} {media}"] = content["schema"]
            for parameter in op.get("parameters", []) + item.get("parameters", []):
                schemas[f"{method} {path} {parameter['name']}"] = parameter["schema"]
    for name, schema in schemas.items():
        assert jsonschema_rs.meta.is_valid({"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}), name


def test_every_operation_needs_a_token_or_a_session(app, users, tokens):
    api = app.test_client()
    for path, item in document()["paths"].items():
        url = "/api/v1" + re.sub(r"\{action\}", "file", re.sub(r"\{\w+_id\}", "1", path))
        for method in (m for m in item if m != "parameters"):
            for headers in ({}, {"Authorization": f"Bearer {tokens['inactive']}"},
                            {"Authorization": "Bearer trk_" + "x" * 43}):
                response = api.open(url, method=method.upper(), headers=headers, json={})
                assert response.status_code == 401, (method, url, headers)
                assert response.json["error"]["code"] == "unauthenticated"


def test_every_write_documents_the_answers_to_a_bad_idempotency_key(client):
    """A malformed Idempotency-Key is refused with 400, the same key with another body with 422 (api/idempotency)."""
    document = client.get("/api/v1/openapi.json").json
    for path, item in document["paths"].items():
        for method in ("post", "put", "patch", "delete"):
            if method in item:
                assert {"400", "422"} <= set(item[method]["responses"]), f"{method.upper()} {path}"
