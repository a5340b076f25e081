"""Accepting a proposal asks what the action page asks and records it: a determination's appeal instructions and
the agency's estimated completion date, on the web and over the API (the two tables had drifted apart)."""

from __future__ import annotations

import io
from datetime import date

from tests.mail.mail_out_support import api_headers
from tests.mail.test_mail_out_upload import MARCH_4, _csrf, _request, determination_pdf
from tracker.extensions import db
from tracker.mail.proposal_models import Proposal
from tracker.requests.models import RecordsRequest


def _uploaded(app, client, headers, request_id: int) -> int:
    response = client.post(f"/api/v1/requests/{request_id}/agency-letter", headers=headers,
                           content_type="multipart/form-data",
                           data={"file": (io.BytesIO(determination_pdf()), "final.pdf"), "occurred_on": "2027-03-03"})
    assert response.status_code == 201, response.json
    [made] = response.json["proposals"]
    return made["id"]


def test_the_web_form_asks_for_and_records_the_appeal_instructions(app, frozen, users, auth, client):
    frozen.move_to(MARCH_4)
    request_id = _request(app, users)
    proposal_id = _uploaded(app, client, api_headers(app, users["reporter"]), request_id)
    auth.login("reporter")
    url = f"/requests/{request_id}/proposals/{proposal_id}"
    form = client.get(url).get_data(as_text=True)
    assert 'name="appeal_office"' in form and 'name="appeal_deadline_stated"' in form
    response = client.post(url, data={
        "csrf_token": _csrf(client, url), "on": "2027-03-03", "outcome": "granted_in_part",
        "exemptions": ["b6", "b7C", "b7E"], "pages_released": "14", "pages_withheld": "4",
        "appeal_office": "ICE Office of the Principal Legal Advisor", "appeal_deadline_stated": "90 working days"})
    assert response.status_code == 302
    with app.app_context():
        [determination] = db.session.get(RecordsRequest, request_id).determinations
        assert determination.appeal_office == "ICE Office of the Principal Legal Advisor"
        assert determination.appeal_deadline_stated == "90 working days"


def test_the_api_carries_the_appeal_instructions_and_the_estimate(app, frozen, users, client):
    frozen.move_to(MARCH_4)
    request_id = _request(app, users)
    headers = api_headers(app, users["reporter"])
    proposal_id = _uploaded(app, client, headers, request_id)
    accepted = client.post(f"/api/v1/proposals/{proposal_id}/accept", headers=headers, json={
        "appeal_email": "ice-foia-appeals@ice.dhs.gov", "outcome": "granted_in_part"})
    assert accepted.status_code == 200, accepted.json
    with app.app_context():
        assert db.session.get(Proposal, proposal_id).status == "accepted"
        [determination] = db.session.get(RecordsRequest, request_id).determinations
        assert determination.appeal_email == "ice-foia-appeals@ice.dhs.gov"


def test_an_acknowledgment_accepted_over_the_api_keeps_the_estimate(app, frozen, users, client):
    from tests.mail.test_mail_out_proposals import _filed_request, _letter

    frozen.move_to(MARCH_4)
    request_id = _filed_request(app, users)
    _letter(app, request_id, "ice_acknowledgment", on=date(2027, 3, 3))
    with app.app_context():
        proposal_id = db.session.query(Proposal.id).filter(Proposal.kind == "acknowledgment").scalar()
    headers = api_headers(app, users["reporter"])
    accepted = client.post(f"/api/v1/proposals/{proposal_id}/accept", headers=headers,
                           json={"estimated_completion_on": "2027-06-30"})
    assert accepted.status_code == 200, accepted.json
    with app.app_context():
        req = db.session.get(RecordsRequest, request_id)
        assert req.status == "acknowledged" and req.estimated_completion_on == date(2027, 6, 30)
