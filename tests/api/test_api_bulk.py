"""POST /api/v1/requests/bulk: the same service and the same answers as the list's bulk bar."""

from __future__ import annotations

from sqlalchemy import func, select

from tests.helpers import d, make_agency, make_matter, make_request, perform
from tests.letters.letters_app_helpers import make_ice
from tracker.extensions import db
from tracker.letters.models import Letter
from tracker.requests.models import RecordsRequest

URL = "/api/v1/requests/bulk"


def test_reassign_by_ids_and_by_filter(app, users, bearer, frozen):
    with app.app_context():
        agency = make_agency()
        ids = [make_request(users["reporter"], agency, title=f"R{i}").id for i in range(50)]
        db.session.commit()
    api = app.test_client()
    done = api.post(URL, json={"action": "reassign", "ids": ids, "owner_id": users["other_reporter"]},
                    headers=bearer("editor"))
    assert done.status_code == 200, done.json
    assert done.json["summary"] == "50 requests given to Other Reporter."
    assert len(done.json["changed"]) == 50 and done.json["unchanged"] == []
    refused = api.post(URL, json={"action": "reassign", "ids": ids, "owner_id": users["reporter"]},
                       headers=bearer("reporter"))
    assert refused.status_code == 403 and "editors" in refused.json["error"]["message"]
    back = api.post(URL, json={"action": "reassign", "filter": {"owner_id": users["other_reporter"]},
                               "owner_id": users["reporter"]}, headers=bearer("editor"))
    assert back.status_code == 200 and len(back.json["changed"]) == 50


def test_refusals_name_each_request_and_change_nothing(app, users, bearer, frozen):
    with app.app_context():
        agency = make_agency()
        mine = make_request(users["reporter"], agency, title="Mine").id
        theirs = make_request(users["other_reporter"], agency, title="Theirs").id
        secret = make_request(users["other_reporter"], agency, title="Secret", private=True).id
        db.session.commit()
    api = app.test_client()
    forbidden = api.post(URL, json={"action": "make_private", "ids": [mine, theirs]}, headers=bearer("reporter"))
    assert forbidden.status_code == 403
    assert forbidden.json["error"]["fields"][f"ids.{theirs}"].startswith("“Theirs”")
    hidden = api.post(URL, json={"action": "make_private", "ids": [mine, secret]}, headers=bearer("reporter"))
    assert hidden.status_code == 404 and "Secret" not in hidden.get_data(as_text=True)
    # A request read before it changed: refused by its updated_at.
    read = api.get(f"/api/v1/requests/{mine}", headers=bearer("reporter")).json
    frozen.shift(60)
    assert api.patch(f"/api/v1/requests/{mine}", json={"title": "Mine, renamed"},
                     headers=bearer("reporter")).status_code == 200
    stale = api.post(URL, json={"action": "make_private", "selected": [{"id": mine, "updated_at": read["updated_at"]}]},
                     headers=bearer("reporter"))
    assert stale.status_code == 409 and stale.json["error"]["fields"][f"ids.{mine}"].endswith(
        "changed since you selected it")
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(RecordsRequest)
                                 .where(RecordsRequest.private.is_(True))) == 1


def test_bad_bodies_are_4xx(app, users, bearer):
    with app.app_context():
        agency = make_agency()
        rid = make_request(users["reporter"], agency).id
        matter = make_matter().id
        db.session.commit()
    api = app.test_client()
    for body in ({}, {"action": "nope", "ids": [rid]}, {"action": "watch"}, {"action": "watch", "ids": []},
                 {"action": "watch", "ids": [rid], "filter": {}}, {"action": "add_matter", "ids": [rid]},
                 {"action": "watch", "ids": [rid], "extra": 1}, {"action": "watch", "filter": {}, "as_of": "x"}):
        response = api.post(URL, json=body, headers=bearer("reporter"))
        assert response.status_code == 422, (body, response.json)
    ok = api.post(URL, json={"action": "add_matter", "ids": [rid], "matter_id": matter}, headers=bearer("reporter"))
    assert ok.status_code == 200 and ok.json["changed"][0]["id"] == rid


def test_one_status_letter_for_the_selection(app, users, bearer, frozen):
    with app.app_context():
        ice = make_ice(public_liaison="ICE FOIA Public Liaison")
        ids = []
        for n in range(3):
            req = make_request(users["reporter"], ice, title=f"R{n}")
            perform(req, "file", users["reporter"], on=d("2026-10-01"), channel="portal",
                    tracking_number=f"2026-ICFO-0000{n}")
            ids.append(req.id)
        db.session.commit()
    api = app.test_client()
    done = api.post(URL, json={"action": "agency_letter", "ids": ids}, headers=bearer("reporter"))
    assert done.status_code == 200, done.json
    assert done.json["summary"] == "One status letter to ICE written, naming 3 requests; stored with each."
    with app.app_context():
        letters = list(db.session.scalars(select(Letter).where(Letter.id.in_(done.json["letter_ids"]))))
        assert sorted(x.request_id for x in letters) == ids and len({x.sha256 for x in letters}) == 1
