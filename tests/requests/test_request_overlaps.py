"""The colleague-overlap warning: open requests of colleagues to the same agency, for the same matter or with a
similar description, that the person drafting may see; the JSON check the form asks, and the warning the form
and the draft's page show on the server. A warning, never a block."""

from __future__ import annotations

from datetime import date

from tests.helpers import csrf_token, make_agency, make_matter, make_request, perform
from tracker.auth.models import User
from tracker.extensions import db
from tracker.requests.models import RecordsRequest
from tracker.requests.overlap import overlaps, shared_words, significant_words

OTERO = ("The OPR report of investigation concerning the death of a detainee at the Otero County Processing "
         "Center, with its exhibits.")
MINE = "All records of the OPR investigation into the death at Otero County Processing Center, the report."


def _world(users) -> dict:
    ice, cbp = make_agency(), make_agency("CBP FOIA Division", "CBP", "US-DHS")
    death, krome = make_matter("Death at Otero"), make_matter("Krome medical care")
    similar = make_request(users["other_reporter"], ice, title="Otero report (Sam)", records_description=OTERO)
    same_matter = make_request(users["editor"], ice, title="Krome files (Eda)", matter_ids=[krome.id],
                               records_description="Medical grievances and sick-call logs.")
    private = make_request(users["other_reporter"], ice, title="Otero, private", private=True,
                           records_description=OTERO)
    closed = make_request(users["other_reporter"], ice, title="Otero, withdrawn", records_description=OTERO)
    perform(closed, "withdraw", users["other_reporter"], on=date(2026, 11, 2))
    elsewhere = make_request(users["other_reporter"], cbp, title="Otero at CBP", records_description=OTERO)
    mine = make_request(users["reporter"], ice, title="My Otero draft", records_description=MINE)
    unrelated = make_request(users["other_reporter"], ice, title="Phone contracts",
                             records_description="Contracts for detainee telephone services at Adelanto.")
    db.session.commit()
    return {"ice": ice.id, "cbp": cbp.id, "death": death.id, "krome": krome.id, "similar": similar.id,
            "same_matter": same_matter.id, "private": private.id, "closed": closed.id, "elsewhere": elsewhere.id,
            "mine": mine.id, "unrelated": unrelated.id}


def test_similar_descriptions_share_significant_words():
    a, b = significant_words(MINE), significant_words(OTERO)
    assert shared_words(a, b) == ["center", "county", "death", "investigation", "otero", "processing", "report"]
    assert shared_words(a, significant_words("Use of force reports at Krome, 2024.")) == []
    assert significant_words("All records, documents and emails regarding the request") == set()


def test_only_visible_open_requests_of_colleagues_at_the_same_agency(app, users, frozen):
    with app.app_context():
        ids = _world(users)
        reporter = db.session.get(User, users["reporter"])
        found = overlaps(reporter, agency_id=ids["ice"], description=MINE, matter_ids=[ids["krome"]])
        assert [o.request.id for o in found] == [ids["similar"], ids["same_matter"]]
        assert found[0].reasons == ["similar description: both mention center, county, death, investigation, "
                                    "otero, processing, report"]
        assert found[1].reasons == ["same matter: Krome medical care"]
        editor = db.session.get(User, users["editor"])  # an editor sees the private one; not their own
        seen = {o.request.id for o in overlaps(editor, agency_id=ids["ice"], description=MINE)}
        assert seen == {ids["similar"], ids["private"], ids["mine"]}
        assert overlaps(reporter, agency_id=ids["cbp"], description="Phone contracts") == []


def test_the_form_asks_and_gets_json(app, client, auth, users, frozen):
    with app.app_context():
        ids = _world(users)
    auth.login("reporter")
    token = csrf_token(client, "/requests/new")
    answer = client.post("/requests/overlaps", data={"csrf_token": token, "agency_id": ids["ice"],
                                                     "records_description": MINE, "matter_ids": [ids["krome"]]})
    assert answer.status_code == 200
    assert [o["id"] for o in answer.json["overlaps"]] == [ids["similar"], ids["same_matter"]]
    assert answer.json["overlaps"][0]["url"] == f"/requests/{ids['similar']}"
    assert answer.json["overlaps"][1]["matters"] == ["Krome medical care"]
    # Editing the draft: not compared with itself; a colleague's similar request still is.
    answer = client.post("/requests/overlaps", data={"csrf_token": token, "agency_id": ids["ice"],
                                                     "records_description": OTERO, "request_id": ids["mine"]})
    assert [o["id"] for o in answer.json["overlaps"]] == [ids["similar"]]
    for data, field in (({}, "agency_id"), ({"agency_id": "ICE"}, "agency_id"), ({"agency_id": "0"}, "agency_id"),
                        ({"agency_id": "99999999999999999999"}, "agency_id"),
                        ({"agency_id": ids["ice"], "matter_ids": ["x"]}, "matter_ids"),
                        ({"agency_id": ids["ice"], "records_description": "x" * 20_001}, "records_description")):
        answer = client.post("/requests/overlaps", data={"csrf_token": token, **data})
        assert answer.status_code == 400 and field in answer.json["error"]["fields"], data
    answer = client.post("/requests/overlaps", data={"csrf_token": token, "agency_id": ids["ice"],
                                                     "request_id": ids["private"]})
    assert answer.status_code == 404  # a colleague's private draft is not confirmed to exist


def test_saving_a_draft_shows_the_warning_and_still_saves(app, client, auth, users, frozen):
    with app.app_context():
        ids = _world(users)
    auth.login("reporter")
    response = client.post("/requests/new", data={
        "csrf_token": csrf_token(client, "/requests/new"), "title": "Another Otero request", "agency_id": ids["ice"],
        "records_description": MINE, "delivery_format": "Electronic records (PDF)", "fee_category": "news_media",
        "expedited_category": "", "deadline_variant": ""})
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert 'data-testid="overlap-warning"' in page and "A colleague may already have asked" in page
    assert f'href="/requests/{ids["similar"]}"' in page and "Otero report (Sam)" in page
    assert "Otero, private" not in page and "Otero at CBP" not in page and "Otero, withdrawn" not in page
    edit = client.get(f"/requests/{ids['mine']}/edit").get_data(as_text=True)
    assert f'href="/requests/{ids["similar"]}"' in edit  # the edit form shows it before any typing
    with app.app_context():
        assert db.session.query(RecordsRequest).filter_by(title="Another Otero request").count() == 1
    blank = client.get("/requests/new").get_data(as_text=True)
    assert 'data-testid="overlap-warning"' in blank and "Otero report (Sam)" not in blank  # hidden, empty
