"""The agency's decisions on the request's terms and a determination's appeal instructions, over the API."""

from __future__ import annotations

from tests.requests.test_request_decisions import _expedited
from tracker.extensions import db


def test_decisions_and_appeal_instructions_in_the_api(app, users, bearer, frozen):
    with app.app_context():
        req = _expedited(users)
        db.session.commit()
        url = f"/api/v1/requests/{req.id}"
    api, h = app.test_client(), bearer("reporter")
    response = api.post(f"{url}/actions/decide_fee_waiver", headers=h, json={"on": "2026-11-10", "outcome": "denied"})
    assert response.status_code == 200, response.json
    assert response.json["decisions"]["fee_waiver"] == {"decision": "denied", "decided_on": "2026-11-10"}
    assert response.json["decisions"]["expedited"] is None
    assert response.json["status"] == "filed"
    refused = api.post(f"{url}/actions/decide_expedited", headers=h, json={"on": "2026-11-10", "outcome": "maybe"})
    assert refused.status_code in (400, 422) and refused.is_json
    response = api.post(f"{url}/actions/determine", headers=h, json={
        "on": "2026-11-20", "outcome": "denied", "appeal_office": "Director, Office of Information Policy",
        "appeal_portal_url": "https://www.justice.gov/oip", "appeal_deadline_stated": "within 90 days"})
    assert response.status_code == 200, response.json
    assert response.json["determinations"][0]["appeal_instructions"] == {
        "appeal_office": "Director, Office of Information Policy", "appeal_address": "", "appeal_email": "",
        "appeal_portal_url": "https://www.justice.gov/oip", "appeal_deadline_stated": "within 90 days"}
    expedited = next(d for d in response.json["deadlines"] if d["kind"] == "expedited")
    assert expedited["unit"] == "calendar"
    events = api.get(f"{url}/events", headers=h).json["items"]
    assert any(e["action"] == "decide_fee_waiver" for e in events)
