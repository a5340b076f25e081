"""The batch pages through the web client: the form, the field errors, the batch page and its actions."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from tests.helpers import csrf_token
from tracker.batches.models import RequestBatch
from tracker.extensions import db
from tracker.requests.models import RecordsRequest


def _post_batch(client, world, agencies, **extra):
    token = csrf_token(client, "/batches/new")
    data = {"csrf_token": token, "title": "OPR report, Denver death cards", "matter_ids": [world["matter"]],
            "records_description": "The OPR report of investigation.", "fee_category": "news_media",
            "expedited_category": "", "agency_ids": [str(world[a]) if isinstance(a, str) else str(a)
                                                      for a in agencies], **extra}
    return client.post("/batches/new", data=data)


def _count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def test_matter_page_and_request_form_lead_to_the_batch_form(client, auth, world):
    auth.login("reporter")
    matter_page = client.get(f"/matters/{world['matter']}").get_data(as_text=True)
    assert f'href="/batches/new?matter_id={world["matter"]}"' in matter_page
    assert 'href="/batches/new"' in client.get("/requests/new").get_data(as_text=True)
    form = client.get(f"/batches/new?matter_id={world['matter']}").get_data(as_text=True)
    assert re.search(rf'<option selected value="{world["matter"]}">|<option value="{world["matter"]}" selected', form)
    assert "DHS Office of Inspector General (DHS OIG)" in form


def test_drafting_a_batch_then_filing_them_all(client, auth, world, frozen, app):
    auth.login("reporter")
    response = _post_batch(client, world, ["ice", "oig", "denver"])
    assert response.status_code == 302, response.get_data(as_text=True)
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "3 requests drafted, one per agency." in page
    assert page.count('data-testid="status">Draft<') == 3
    batch_url = response.headers["Location"]
    token = csrf_token(client, batch_url)
    filed = client.post(batch_url + "/actions/file", data={"csrf_token": token, "on": "2026-11-30",
                                                           "channel": "portal"})
    assert filed.status_code == 302
    page = client.get(batch_url).get_data(as_text=True)
    assert "Record as filed: 3 requests changed." in page
    assert "Denver Sheriff Department (DSD): Filed by agency web portal on November 30, 2026; agency&#39;s response " \
           "due December 3, 2026." in page
    assert page.count("December 29, 2026") >= 2  # ICE and DHS OIG: 20 working days
    assert 'data-testid="no-batch-actions"' in page and "Record all as filed" not in page  # nothing left to do
    assert "Colorado Open Records Act" in page and "DHS (incl. ICE) FOIA" in page  # each under its own law
    with app.app_context():
        assert set(db.session.scalars(select(RecordsRequest.status))) == {"filed"}
        first = db.session.scalars(select(RecordsRequest.id).order_by(RecordsRequest.id)).first()
    assert f'href="{batch_url}" data-testid="batch-link"' in client.get(f"/requests/{first}").get_data(as_text=True)


def test_bad_input_is_a_field_error_and_creates_nothing(client, auth, world, app):
    auth.login("reporter")
    twice = _post_batch(client, world, ["oig", "oig"])
    assert twice.status_code == 422
    assert "DHS Office of Inspector General (DHS OIG) is chosen twice" in twice.get_data(as_text=True)
    none = _post_batch(client, world, [])
    assert none.status_code == 422 and "Choose the agencies to ask." in none.get_data(as_text=True)
    unknown = _post_batch(client, world, ["oig", 99_999])
    assert unknown.status_code == 422 and "not in the directory" in unknown.get_data(as_text=True)
    untitled = _post_batch(client, world, ["oig", "crcl"], title="")
    assert untitled.status_code == 422
    assert _count(app, RecordsRequest) == 0 and _count(app, RequestBatch) == 0


def test_a_refused_action_shows_why_and_changes_nothing(client, auth, world, frozen, app):
    auth.login("reporter")
    batch_url = _post_batch(client, world, ["oig", "crcl"]).headers["Location"]
    token = csrf_token(client, batch_url)
    refused = client.post(batch_url + "/actions/file", data={"csrf_token": token, "on": "2026-12-24",
                                                             "channel": "portal"})
    assert refused.status_code == 422
    assert re.search(r'id="on-err">This date is in the future.<', refused.get_data(as_text=True))
    none = client.post(batch_url + "/actions/email", data={"csrf_token": token})
    assert none.status_code == 409
    assert "write the letters first" in none.get_data(as_text=True)
    with app.app_context():
        assert set(db.session.scalars(select(RecordsRequest.status))) == {"draft"}


def test_others_see_a_private_batch_as_missing_and_cannot_act_on_a_public_one(client, auth, world, app):
    auth.login("reporter")
    private_url = _post_batch(client, world, ["oig", "crcl"], private="y").headers["Location"]
    public_url = _post_batch(client, world, ["oig", "crcl"]).headers["Location"]
    auth.logout()
    auth.login("other_reporter")
    assert client.get(private_url).status_code == 404
    page = client.get(public_url).get_data(as_text=True)
    assert "Act on all that allow it" not in page  # a viewer who may not act is offered nothing
    token = csrf_token(client, public_url)
    assert client.post(public_url + "/actions/file", data={"csrf_token": token, "on": "2026-11-30",
                                                           "channel": "portal"}).status_code == 403
    with app.app_context():
        assert set(db.session.scalars(select(RecordsRequest.status))) == {"draft"}


def test_a_request_made_private_later_is_left_out_without_a_trace(client, auth, world, app):
    auth.login("reporter")
    batch_url = _post_batch(client, world, ["oig", "crcl"]).headers["Location"]
    with app.app_context():
        from tracker.auth.models import User
        from tracker.core.clock import now_utc, today
        from tracker.requests import services as request_services

        crcl = db.session.scalar(select(RecordsRequest).where(RecordsRequest.agency_id == world["crcl"]))
        request_services.update_request(crcl, actor=db.session.get(User, world["reporter"]), now=now_utc(),
                                        today=today(), data={"private": True})
        db.session.commit()
    auth.logout()
    auth.login("other_reporter")
    page = client.get(batch_url).get_data(as_text=True)
    assert "DHS Office of Inspector General" in page and "Civil Rights" not in page
    assert "The same request to 1 agency," in page and "private" not in page
