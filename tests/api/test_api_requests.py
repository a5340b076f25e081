"""The request resource over the API: the same services and the same role checks as the web pages."""

from __future__ import annotations

import io

from sqlalchemy import select

from tests.helpers import make_agency, make_matter, make_request
from tracker.extensions import db
from tracker.requests.models import Event, RecordsRequest

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _setup(app, users):
    with app.app_context():
        agency = make_agency()
        matter = make_matter()
        mine = make_request(users["reporter"], agency, title="Mine, public")
        private = make_request(users["reporter"], agency, title="Mine, private", private=True)
        theirs = make_request(users["other_reporter"], agency, title="Theirs, public")
        db.session.commit()
        return {"agency": agency.id, "matter": matter.id, "mine": mine.id, "private": private.id,
                "theirs": theirs.id}


def test_a_reporter_files_and_follows_a_request_through_the_api(app, users, bearer, frozen):
    ids = _setup(app, users)
    api, h = app.test_client(), bearer("reporter")
    response = api.post("/api/v1/requests", headers=h, json={
        "title": "OPR report, Denver death cards", "agency_id": ids["agency"], "matter_ids": [ids["matter"]],
        "records_description": "The OPR report of investigation.", "fee_limit": "25.00", "expedited_requested": True,
        "expedited_category": "ii"})
    assert response.status_code == 201, response.json
    req = response.json
    assert req["status"] == "draft" and req["owner"]["id"] == users["reporter"] and req["fee_limit"] == "25.00"
    assert response.headers["Location"] == f"/api/v1/requests/{req['id']}"
    assert "file" in req["allowed_actions"]

    url = f"/api/v1/requests/{req['id']}"
    response = api.post(f"{url}/actions/file", headers=h, json={"on": "2026-11-20", "channel": "portal"})
    assert response.status_code == 200, response.json
    assert response.json["response_due"] == "2026-12-21"  # Thanksgiving skipped, as on the web
    response = api.post(f"{url}/actions/acknowledge", headers=h, json={
        "on": "2026-11-23", "tracking_number": "2026-ICFO-01234",
        "communication": {"subject": "Acknowledgment", "body": "We received your request."}})
    assert response.status_code == 200 and response.json["tracking_number"] == "2026-ICFO-01234"
    response = api.post(f"{url}/actions/determine", headers=h, json={
        "on": "2026-11-27", "outcome": "granted_in_part", "exemptions": ["b6", "b7C"], "pages_released": 12,
        "pages_withheld": 40})
    assert response.status_code == 200
    detail = response.json
    assert detail["status"] == "determined" and detail["determinations"][0]["exemptions"] == ["b6", "b7C"]
    response_deadline = next(d for d in detail["deadlines"] if d["kind"] == "response")
    assert any("Thanksgiving" in step["text"] for step in response_deadline["steps"])

    response = api.patch(url, headers=h, json={"title": "Denver death cards (OPR)", "private": True})
    assert response.status_code == 200 and response.json["title"] == "Denver death cards (OPR)"
    events = api.get(f"{url}/events", headers=h).json["items"]
    assert [e["action"] for e in events] == ["create", "file", "acknowledge", "determine", "edit"]
    communications = api.get(f"{url}/communications", headers=h).json["items"]
    assert communications[0]["subject"] == "Acknowledgment" and communications[0]["direction"] == "in"

    response = api.post(f"{url}/attachments", headers=h, data={"files": [(io.BytesIO(PDF), "final letter.pdf")]},
                        content_type="multipart/form-data")
    assert response.status_code == 201
    attachment = response.json["items"][0]
    assert attachment["content_type"] == "application/pdf" and attachment["name"] == "final letter.pdf"
    download = api.get(attachment["download_url"], headers=h)
    assert download.status_code == 200 and download.data == PDF
    assert download.headers["Content-Disposition"].startswith("attachment")

    response = api.post(f"{url}/communications", headers=h, data={
        "direction": "out", "channel": "email", "occurred_on": "2026-11-28", "subject": "Thanks",
        "files": [(io.BytesIO(b"plain words"), "note.txt")]}, content_type="multipart/form-data")
    assert response.status_code == 201 and response.json["attachments"][0]["content_type"] == "text/plain"


def test_refused_action_changes_nothing(app, users, bearer, frozen):
    ids = _setup(app, users)
    api, h = app.test_client(), bearer("reporter")
    url = f"/api/v1/requests/{ids['mine']}"
    response = api.post(f"{url}/actions/determine", headers=h, json={"on": "2026-11-20", "outcome": "denied"})
    assert response.status_code == 409
    assert "not possible while the request is “Draft”" in response.json["error"]["message"]
    response = api.post(f"{url}/actions/file", headers=h, json={"on": "2030-01-01", "channel": "portal"})
    assert response.status_code == 422 and response.json["error"]["fields"] == {"on": "This date is in the future."}
    response = api.post(f"{url}/actions/fly", headers=h, json={})
    assert response.status_code == 404
    with app.app_context():
        assert db.session.get(RecordsRequest, ids["mine"]).status == "draft"
        events = db.session.scalars(select(Event).where(Event.request_id == ids["mine"]))
        assert [e.action for e in events] == ["create"]


def test_privacy_and_roles_match_the_web(app, users, bearer):
    ids = _setup(app, users)
    api = app.test_client()
    seen = {r["title"] for r in api.get("/api/v1/requests", headers=bearer("other_reporter")).json["items"]}
    assert seen == {"Mine, public", "Theirs, public"}
    unknown = api.get("/api/v1/requests/999999", headers=bearer("other_reporter"))
    hidden = api.get(f"/api/v1/requests/{ids['private']}", headers=bearer("other_reporter"))
    assert (hidden.status_code, hidden.json) == (unknown.status_code, unknown.json) == (404, unknown.json)
    for path in ("events", "communications", "attachments"):
        assert api.get(f"/api/v1/requests/{ids['private']}/{path}", headers=bearer("other_reporter")).status_code == 404
    exported = api.get("/api/v1/export/requests?format=json", headers=bearer("other_reporter")).json
    assert "Mine, private" not in {row["title"] for row in exported}
    csv_text = api.get("/api/v1/export/requests?format=csv", headers=bearer("other_reporter")).get_data(as_text=True)
    assert "Mine, private" not in csv_text and "Theirs, public" in csv_text
    # Reading a colleague's public request is fine; changing it is not.
    assert api.get(f"/api/v1/requests/{ids['mine']}", headers=bearer("other_reporter")).json["can_act"] is False
    assert api.patch(f"/api/v1/requests/{ids['mine']}", headers=bearer("other_reporter"),
                     json={"title": "Taken"}).status_code == 403
    assert api.post(f"/api/v1/requests/{ids['mine']}/actions/withdraw", headers=bearer("other_reporter"),
                    json={"on": "2026-11-20"}).status_code == 403
    # Editors see and act on everything.
    assert api.get(f"/api/v1/requests/{ids['private']}", headers=bearer("editor")).json["can_act"] is True
    assert api.get("/api/v1/requests?per_page=1", headers=bearer("editor")).json["total"] == 3

    # Agencies: everyone reads, administrators change.
    new_agency = {"name": "Texas Department of Public Safety", "abbreviation": "DPS", "jurisdiction": "US-TX"}
    assert api.post("/api/v1/agencies", headers=bearer("reporter"), json=new_agency).status_code == 403
    assert api.post("/api/v1/agencies", headers=bearer("editor"), json=new_agency).status_code == 403
    created = api.post("/api/v1/agencies", headers=bearer("admin"), json=new_agency)
    assert created.status_code == 201 and created.json["label"] == "Texas Department of Public Safety (DPS)"
    agency_url = f"/api/v1/agencies/{created.json['id']}"
    assert api.patch(agency_url, headers=bearer("reporter"), json={"phone": "1"}).status_code == 403
    patched = api.patch(agency_url, headers=bearer("admin"), json={"phone": "(512) 424-2000"})
    assert patched.json["phone"] == "(512) 424-2000" and patched.json["jurisdiction"] == "US-TX"
    assert api.get(agency_url, headers=bearer("reporter")).status_code == 200

    # Matters: anyone records them, as on the web.
    matter = api.post("/api/v1/matters", headers=bearer("reporter"), json={"title": "A new matter",
                                                                            "category": "use_of_force"})
    assert matter.status_code == 201
    changed = api.patch(f"/api/v1/matters/{matter.json['id']}", headers=bearer("reporter"), json={"place": "El Paso"})
    assert changed.json["place"] == "El Paso" and changed.json["category"] == "use_of_force"


def test_list_filters_and_pages(app, users, bearer):
    ids = _setup(app, users)
    api, h = app.test_client(), bearer("editor")
    page = api.get("/api/v1/requests?per_page=2&page=2&sort=title", headers=h).json
    assert page["total"] == 3 and page["pages"] == 2 and [r["title"] for r in page["items"]] == ["Theirs, public"]
    mine = api.get(f"/api/v1/requests?owner_id={users['other_reporter']}", headers=h).json
    assert [r["id"] for r in mine["items"]] == [ids["theirs"]]
    assert api.get("/api/v1/requests?q=private", headers=h).json["total"] == 1
    for bad in ("page=0", "per_page=500", "status=lost", "agency_id=abc", "mine=yes", "agency_id=99999999999"):
        response = api.get(f"/api/v1/requests?{bad}", headers=h)
        assert response.status_code == 422, bad
        assert list(response.json["error"]["fields"]) == [bad.split("=")[0]]


def test_every_error_is_json_with_a_4xx(app, users, bearer):
    ids = _setup(app, users)
    api, h = app.test_client(), bearer("reporter")
    url = f"/api/v1/requests/{ids['mine']}"
    cases = [
        (api.get("/api/v1/no-such-thing", headers=h), 404),
        (api.get("/api/v2/requests", headers=h), 404),
        (api.get("/api/v1/requests/99999999999", headers=h), 404),
        (api.get("/api/v1/requests/2147483647", headers=h), 404),
        (api.delete(url, headers=h), 405),
        (api.put("/api/v1/requests", headers=h, json={}), 405),
        (api.post("/api/v1/requests", headers=h, data="{not json", content_type="application/json"), 400),
        (api.post("/api/v1/requests", headers=h, data=b"\xff\xfe", content_type="application/json"), 400),
        (api.post("/api/v1/requests", headers=h, data="[1, 2]", content_type="application/json"), 422),
        (api.post("/api/v1/requests", headers=h, data='{"title": NaN}', content_type="application/json"), 400),
        (api.post("/api/v1/requests", headers=h, data="title=x"), 415),
        (api.post("/api/v1/requests", headers=h, json={"title": ["x"], "agency_id": "1"}), 422),
        (api.post("/api/v1/requests", headers=h, json={"title": "x", "agency_id": 2 ** 40}), 422),
        (api.post("/api/v1/requests", headers=h, json={"title": "x\u0000", "agency_id": ids["agency"]}), 422),
        (api.post("/api/v1/requests", headers=h, json={"title": "x", "agency_id": ids["agency"],
                                                        "fee_limit": 1e300}), 422),
        (api.patch(url, headers=h, json={"records_from": "2026-02-30"}), 422),
        (api.post(f"{url}/actions/file", headers=h, json={"on": "2026-11-20", "channel": "pigeon"}), 422),
        (api.post(f"{url}/attachments", headers=h, json={}), 415),
        (api.post("/api/v1/deadlines/compute", headers=h, json={"kind": "appeal", "jurisdiction": "US",
                                                                "start": "1850-01-01"}), 422),
        (api.post("/api/v1/deadlines/compute", headers=h, json={"kind": "tracking_number", "jurisdiction": "US",
                                                                "start": "2026-11-20", "extended": True}), 422),
    ]
    for number, (response, status) in enumerate(cases):
        assert response.status_code == status, (number, response.status_code, response.get_data(as_text=True)[:300])
        assert response.is_json, number
        assert set(response.json["error"]) == {"code", "message", "fields"}, number
    assert cases[4][0].headers["Allow"] == "GET, HEAD, OPTIONS, PATCH"

    app.config["MAX_CONTENT_LENGTH"] = 1024
    try:
        response = api.post(f"{url}/attachments", headers=h, data={"files": [(io.BytesIO(b"x" * 4096), "big.txt")]},
                            content_type="multipart/form-data")
        assert response.status_code == 413 and response.json["error"]["code"] == "too_large"
    finally:
        app.config["MAX_CONTENT_LENGTH"] = 25 * 1024 * 1024


def test_deadline_compute_explains_each_step(app, users, bearer):
    response = app.test_client().post("/api/v1/deadlines/compute", headers=bearer("reporter"), json={
        "kind": "response", "jurisdiction": "US-DHS", "start": "2026-11-20", "extended": True,
        "tolled": [{"from": "2026-11-23", "to": "2026-11-25"}]})
    assert response.status_code == 200
    explanation = response.json
    assert explanation["kind"] == "response" and explanation["result"] > "2026-12-21"
    kinds = {step["kind"] for step in explanation["steps"]}
    assert {"rule", "holiday", "tolled", "extension", "result"} <= kinds
    jurisdictions = app.test_client().get("/api/v1/jurisdictions", headers=bearer("reporter")).json["items"]
    assert {"code": "US-DHS"}.items() <= next(j for j in jurisdictions if j["code"] == "US-DHS").items()


def test_a_determination_carries_its_vaughn_index(app, users, bearer, frozen):
    ids = _setup(app, users)
    api, h = app.test_client(), bearer("reporter")
    url = f"/api/v1/requests/{ids['mine']}"
    assert api.post(f"{url}/actions/file", headers=h, json={"on": "2026-11-02", "channel": "portal"}).status_code == 200
    bad = api.post(f"{url}/actions/determine", headers=h, json={
        "on": "2026-11-27", "outcome": "granted_in_part", "exemptions": ["b6"],
        "documents": [{"description": "Report of investigation", "pages": 10, "withheld_in_full": 11}]})
    assert bad.status_code == 422 and "Document 1" in bad.json["error"]["fields"]["documents"]
    assert api.get(url, headers=h).json["status"] == "filed"  # a bad row refuses the whole determination
    response = api.post(f"{url}/actions/determine", headers=h, json={
        "on": "2026-11-27", "outcome": "granted_in_part", "exemptions": ["b6", "b7C"], "pages_released": 12,
        "pages_withheld": 40, "documents": [
            {"description": "Report of investigation", "pages": 40, "withheld_in_part": 12, "exemptions": ["b6"]},
            {"description": "Witness statements", "pages": 12, "withheld_in_full": 12, "exemptions": ["b7C"],
             "note": "Names of witnesses."}]})
    assert response.status_code == 200, response.json
    (determination,) = response.json["determinations"]
    assert [(d["description"], d["disposition"]) for d in determination["documents"]] == [
        ("Report of investigation", "released in part"), ("Witness statements", "withheld in full")]
    refused = api.post(f"{url}/actions/close", headers=h, json={
        "on": "2026-11-28", "documents": [{"description": "Stray"}]})
    assert refused.status_code == 422 and "documents" in refused.json["error"]["fields"]


def test_state_kinds_of_request_and_an_agencys_closed_days_over_the_api(app, users, bearer, frozen):
    api, reporter, admin = app.test_client(), bearer("reporter"), bearer("admin")
    nj = next(j for j in api.get("/api/v1/jurisdictions", headers=reporter).json["items"] if j["code"] == "US-NJ")
    assert {"key": "commercial", "label": "Commercial-purpose request or Daniel's Law review"} in nj["variants"]

    texas = api.post("/api/v1/agencies", headers=admin, json={"name": "Harris County", "jurisdiction": "US-TX",
                                                               "observed_days": "Good Friday\n2026-11-12"})
    assert texas.status_code == 201, texas.json
    assert api.get(f"/api/v1/agencies/{texas.json['id']}", headers=reporter).json["observed_days"] == \
        "Good Friday\n2026-11-12"
    bad_days = api.post("/api/v1/agencies", headers=admin, json={"name": "Texas DPS", "jurisdiction": "US-TX",
                                                                 "observed_days": "Groundhog Day"})
    assert bad_days.status_code == 422 and "observed_days" in bad_days.json["error"]["fields"]

    nj_agency = api.post("/api/v1/agencies", headers=admin, json={"name": "NJ State Police",
                                                                  "jurisdiction": "US-NJ"}).json
    made = api.post("/api/v1/requests", headers=reporter, json={"title": "Commercial", "agency_id": nj_agency["id"],
                                                                "deadline_variant": "commercial"})
    assert made.status_code == 201, made.json
    assert made.json["deadline_variant"] == "commercial"
    filed = api.post(f"/api/v1/requests/{made.json['id']}/actions/file", headers=reporter,
                     json={"on": "2026-11-02", "channel": "portal"})
    assert filed.json["response_due"] == "2026-11-24"  # 14 business days, not the ordinary 7
    ny = api.post("/api/v1/agencies", headers=admin, json={"name": "NYPD", "jurisdiction": "US-NY"}).json
    refused = api.post("/api/v1/requests", headers=reporter, json={"title": "C", "agency_id": ny["id"],
                                                                   "deadline_variant": "commercial"})
    assert refused.status_code == 422 and "New Jersey" in refused.json["error"]["fields"]["deadline_variant"]
