"""Batches over the API: the same services, checks and refusals as the web pages."""

from __future__ import annotations

import csv
import io

from sqlalchemy import func, select

from tracker.batches.models import RequestBatch
from tracker.core.mail import OutboxMessage
from tracker.extensions import db
from tracker.requests.models import RecordsRequest


def _create(api, h, world, agencies, **extra):
    return api.post("/api/v1/batches", headers=h, json={
        "title": "OPR report, Denver death cards", "records_description": "The OPR report of investigation.",
        "agency_ids": [world[a] if isinstance(a, str) else a for a in agencies], "matter_ids": [world["matter"]],
        **extra})


def test_create_read_and_file_a_batch_over_the_api(app, world, bearer, frozen):
    api, h = app.test_client(), bearer("reporter")
    created = _create(api, h, world, ["oig", "denver"], fee_waiver_requested=True)
    assert created.status_code == 201, created.json
    batch = created.json
    assert created.headers["Location"] == f"/api/v1/batches/{batch['id']}"
    assert [r["request"]["agency"]["id"] for r in batch["requests"]] == [world["oig"], world["denver"]]
    assert {r["request"]["status"] for r in batch["requests"]} == {"draft"}
    one = api.get(f"/api/v1/requests/{batch['requests'][0]['request']['id']}", headers=h).json
    assert one["batch_id"] == batch["id"]

    letters = api.post(f"/api/v1/batches/{batch['id']}/actions/letters", headers=h, json={})
    assert letters.status_code == 200, letters.json
    assert [c["text"].split(",")[0] for c in letters.json["changed"]] == ["FOIA request (federal)",
                                                                         "Public records request (state)"]
    filed = api.post(f"/api/v1/batches/{batch['id']}/actions/file", headers=h,
                     json={"on": "2026-11-30", "channel": "portal"})
    assert filed.status_code == 200, filed.json
    assert filed.json["summary"] == "Record as filed: 2 requests changed."
    rows = api.get(f"/api/v1/batches/{batch['id']}", headers=h).json["requests"]
    assert [(r["request"]["status"], r["due_on"]) for r in rows] == [("filed", "2026-12-29"), ("filed", "2026-12-03")]
    assert rows[0]["due_label"] == "Agency's response due"

    exported = api.get("/api/v1/export/requests?format=csv", headers=h).get_data(as_text=True)
    in_csv = {r["id"]: r["batch_id"] for r in csv.DictReader(io.StringIO(exported.lstrip("\ufeff")))}
    assert in_csv == {str(r["request"]["id"]): str(batch["id"]) for r in rows}


def test_bad_agency_lists_answer_422_and_create_nothing(app, world, bearer):
    api, h = app.test_client(), bearer("reporter")
    for agencies, words in ((["oig", "oig"], "chosen twice"), (["oig", 99_999], "not in the directory"),
                            ([], "Choose the agencies"), (list(range(1, 27)), "at most 25")):
        response = _create(api, h, world, agencies)
        assert response.status_code == 422, (agencies, response.json)
        assert words in response.json["error"]["fields"]["agency_ids"]
    assert _create(api, h, world, ["oig", "crcl"], title="").status_code == 422
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(RecordsRequest)) == 0
        assert db.session.scalar(select(func.count()).select_from(RequestBatch)) == 0


def test_who_sees_and_who_acts(app, world, bearer, frozen):
    api = app.test_client()
    private = _create(api, bearer("reporter"), world, ["oig", "crcl"], private=True).json["id"]
    public = _create(api, bearer("reporter"), world, ["oig", "crcl"]).json["id"]
    assert api.get(f"/api/v1/batches/{private}", headers=bearer("other_reporter")).status_code == 404
    assert api.get(f"/api/v1/batches/{private}", headers=bearer("editor")).status_code == 200
    assert api.get("/api/v1/batches/99999", headers=bearer("editor")).status_code == 404
    refused = api.post(f"/api/v1/batches/{public}/actions/file", headers=bearer("other_reporter"),
                       json={"on": "2026-11-30", "channel": "portal"})
    assert refused.status_code == 403
    assert api.post(f"/api/v1/batches/{private}/actions/file", headers=bearer("other_reporter"),
                    json={"on": "2026-11-30", "channel": "portal"}).status_code == 404
    bad = api.post(f"/api/v1/batches/{public}/actions/file", headers=bearer("reporter"), json={"channel": "portal"})
    assert bad.status_code == 422 and "on" in bad.json["error"]["fields"]
    assert api.post(f"/api/v1/batches/{public}/actions/shred", headers=bearer("reporter"),
                    json={}).status_code == 404
    with app.app_context():
        assert set(db.session.scalars(select(RecordsRequest.status))) == {"draft"}


def test_email_to_all_that_take_it(app, world, bearer, frozen):
    app.config["TRACKER_MAIL_ADDRESS"] = "foia@newsroom.example"
    try:
        api, h = app.test_client(), bearer("reporter")
        batch = _create(api, h, world, ["ice", "oig", "crcl"]).json["id"]
        none_yet = api.post(f"/api/v1/batches/{batch}/actions/email", headers=h, json={})
        assert none_yet.status_code == 409 and "write the letters first" in none_yet.json["error"]["message"]
        api.post(f"/api/v1/batches/{batch}/actions/letters", headers=h, json={})
        sent = api.post(f"/api/v1/batches/{batch}/actions/email", headers=h, json={})
    finally:
        app.config["TRACKER_MAIL_ADDRESS"] = ""
    assert sent.status_code == 200, sent.json
    assert [s["agency"] for s in sent.json["skipped"]] == ["ICE FOIA Office (ICE)"]
    assert "portal" in sent.json["skipped"][0]["reason"]
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 2
