"""Referrals over the API: the action through the action endpoint, the tree in the request's JSON, the refusals
as JSON errors on their field, and the parent's id in the CSV export."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

from sqlalchemy import func, select

from tests.helpers import make_agency, make_matter
from tracker.extensions import db
from tracker.requests.models import RecordsRequest


def test_a_referral_through_the_api(app, users, bearer, frozen):
    frozen.move_to(datetime(2026, 12, 4, 15, tzinfo=UTC))
    with app.app_context():
        ice, oig = make_agency(), make_agency(name="DHS Office of Inspector General", abbreviation="DHS OIG")
        matter = make_matter()
        db.session.commit()
        ids = {"ice": ice.id, "oig": oig.id, "matter": matter.id}
    api, h = app.test_client(), bearer("reporter")
    parent = api.post("/api/v1/requests", headers=h, json={"title": "Death card ROI", "agency_id": ids["ice"],
                                                           "matter_ids": [ids["matter"]]}).json
    url = f"/api/v1/requests/{parent['id']}"
    assert api.post(f"{url}/actions/file", headers=h, json={"on": "2026-11-02", "channel": "portal"}).status_code == 200

    def count() -> int:
        with app.app_context():
            return db.session.scalar(select(func.count()).select_from(RecordsRequest))

    before = count()
    for body, field in (({"agency_id": ids["ice"]}, "agency_id"), ({"agency_id": 999_999}, "agency_id"),
                        ({"on": "2026-10-01"}, "on"), ({"scope": ""}, "scope")):
        refused = api.post(f"{url}/actions/refer", headers=h,
                           json={"on": "2026-11-16", "scope": "part", "agency_id": ids["oig"], **body})
        assert refused.status_code == 422 and field in refused.json["error"]["fields"], refused.json
    assert count() == before

    response = api.post(f"{url}/actions/refer", headers=h, json={
        "on": "2026-11-16", "received_on": "2026-11-18", "scope": "part", "agency_id": ids["oig"],
        "tracking_number": "OIG-2026-0042"})
    assert response.status_code == 200, response.json
    detail = response.json
    assert detail["status"] == "filed" and detail["referred_from_id"] is None
    [child] = detail["referrals"]
    assert child["agency"]["abbreviation"] == "DHS OIG" and child["tracking_number"] == "OIG-2026-0042"
    assert (child["scope"], child["referred_on"], child["received_on"]) == ("part", "2026-11-16", "2026-11-18")
    assert child["clock"]["due"] == "2026-12-17" and child["clock"]["steps"]
    assert child["referrals"] == []

    got = api.get(f"/api/v1/requests/{child['id']}", headers=h).json
    assert got["referred_from_id"] == parent["id"] and got["response_due"] == "2026-12-17"
    loop = api.post(f"/api/v1/requests/{child['id']}/actions/refer", headers=h,
                    json={"on": "2026-11-20", "scope": "part", "agency_id": ids["ice"]})
    assert loop.status_code == 422 and "loop" in loop.json["error"]["fields"]["agency_id"]
    # Another reporter sees the public chain; once the parent is private, the child no longer names it.
    assert len(api.get(url, headers=bearer("other_reporter")).json["referrals"]) == 1
    assert api.patch(url, headers=h, json={"private": True}).status_code == 200
    seen = api.get(f"/api/v1/requests/{child['id']}", headers=bearer("other_reporter")).json
    assert seen["referred_from_id"] is None and seen["referrals"] == []
    theirs = api.get("/api/v1/export/requests?format=json", headers=bearer("other_reporter")).json
    assert [r["referred_from_id"] for r in theirs if r["id"] == child["id"]] == [None]

    exported = api.get("/api/v1/export/requests?format=csv", headers=h).get_data(as_text=True)
    rows = {r["id"]: r for r in csv.DictReader(io.StringIO(exported.lstrip("\ufeff")))}
    assert rows[str(child["id"])]["referred_from_id"] == str(parent["id"])
    assert rows[str(parent["id"])]["referred_from_id"] == ""


def test_the_document_describes_the_referral_fields(app):
    doc = app.test_client().get("/api/v1/openapi.json").json
    body = doc["paths"]["/requests/{request_id}/actions/{action}"]["post"]["requestBody"]
    props = body["content"]["application/json"]["schema"]["properties"]
    assert {"scope", "agency_id"} <= set(props)
    assert "refer" in doc["paths"]["/requests/{request_id}/actions/{action}"]["parameters"][1]["schema"]["enum"]
    assert "Referral" in doc["components"]["schemas"]
