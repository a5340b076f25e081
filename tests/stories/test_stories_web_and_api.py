"""Stories through the test client and the API: recorded from the request and matter pages, shown beside the
ledger's state, in the CSV and JSON exports, over /api/v1; bad input answered on its field or with a 4xx."""

from __future__ import annotations

import csv
import io
import re

from tests.helpers import csrf_token
from tests.stories import world
from tracker.extensions import db
from tracker.stories.models import Story


def _build(app, users):
    with app.app_context():
        return world.build(users)


def _post_story(client, at, **fields):
    data = {"csrf_token": csrf_token(client, at), "headline": "ICE hid the Otero findings",
            "url": "https://news.example/otero", "published_on": "2026-11-20", "note": "", **fields}
    return client.post(at, data=data)


def _count(app):
    with app.app_context():
        return db.session.query(Story).count()


def test_a_story_recorded_on_the_request_page_shows_published_in_the_ledger(app, client, auth, users, frozen):
    ids = _build(app, users)
    auth.login("reporter")
    page = client.get(f"/requests/{ids['public']}").get_data(as_text=True)
    assert "Published stories" in page and f"/requests/{ids['public']}/stories/new" in page
    form = client.get(f"/requests/{ids['public']}/stories/new").get_data(as_text=True)
    assert "report.pdf" in form and "krome.pdf" not in form  # only this request's documents are offered
    response = _post_story(client, f"/requests/{ids['public']}/stories/new", document_ids=str(ids["report_pdf"]))
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/requests/{ids['public']}#stories")
    page = client.get(f"/requests/{ids['public']}").get_data(as_text=True)
    assert "ICE hid the Otero findings" in page and "report.pdf" in page
    ledger = client.get("/matters").get_data(as_text=True)
    row = re.search(rf'<tr data-matter-id="{ids["death"]}">(.*?)</tr>', ledger, re.S).group(1)
    assert 'data-testid="published"' in row and "ICE hid the Otero findings" in row and "1 story" in row
    other = re.search(rf'<tr data-matter-id="{ids["other"]}">(.*?)</tr>', ledger, re.S).group(1)
    assert 'data-testid="published"' not in other
    only = client.get("/matters?published=yes").get_data(as_text=True)
    assert f'data-matter-id="{ids["death"]}"' in only and f'data-matter-id="{ids["other"]}"' not in only
    none = client.get("/matters?published=no").get_data(as_text=True)
    assert f'data-matter-id="{ids["death"]}"' not in none and f'data-matter-id="{ids["other"]}"' in none
    matter_page = client.get(f"/matters/{ids['death']}").get_data(as_text=True)
    assert "ICE hid the Otero findings" in matter_page and "Otero OPR report" in matter_page


def test_the_exports_carry_the_stories(app, client, auth, users, frozen):
    ids = _build(app, users)
    auth.login("reporter")
    _post_story(client, f"/matters/{ids['death']}/stories/new")
    rows = list(csv.DictReader(io.StringIO(client.get("/matters/export.csv").get_data(as_text=True).lstrip("\ufeff"))))
    death = next(r for r in rows if r["Matter ID"] == str(ids["death"]))
    assert death["Published"] == "yes" and death["Stories published"] == "1"
    assert death["Latest story"] == "ICE hid the Otero findings" and death["Latest story published on"] == "2026-11-20"
    assert death["Latest story link"] == "https://news.example/otero"
    assert next(r for r in rows if r["Matter ID"] == str(ids["other"]))["Published"] == "no"
    document = client.get("/matters/export.json?published=yes").get_json()
    assert [m["id"] for m in document["matters"]] == [ids["death"]]
    assert document["matters"][0]["latest_story"]["published_on"] == "2026-11-20"
    assert document["filters"] == {"published": "yes"}


def test_bad_input_on_the_form_is_shown_on_its_field_and_nothing_is_saved(app, client, auth, users, frozen):
    ids = _build(app, users)
    auth.login("reporter")
    url = f"/requests/{ids['public']}/stories/new"
    for fields, message in (({"url": "ftp://news.example/x"}, "http:// or https://"),
                            ({"headline": ""}, "Give the story&#39;s headline."),
                            ({"published_on": "2026-12-01"}, "cannot be published after today"),
                            ({"document_ids": str(ids["krome_pdf"])}, "belongs to another request")):
        response = _post_story(client, url, **fields)
        assert response.status_code == 422 and message in response.get_data(as_text=True), fields
    assert _count(app) == 0


def test_change_and_remove_from_the_page(app, client, auth, users, frozen):
    ids = _build(app, users)
    auth.login("reporter")
    _post_story(client, f"/requests/{ids['public']}/stories/new")
    with app.app_context():
        story_id = db.session.query(Story.id).scalar()
    edit = f"/stories/{story_id}/edit"
    assert 'value="ICE hid the Otero findings"' in client.get(edit).get_data(as_text=True)
    response = _post_story(client, edit, headline="Corrected headline")
    assert response.status_code == 302
    assert "Corrected headline" in client.get(f"/requests/{ids['public']}").get_data(as_text=True)
    response = client.post(f"/stories/{story_id}/delete", data={"csrf_token": csrf_token(client, edit)})
    assert response.status_code == 302 and _count(app) == 0
    auth.logout()
    auth.login("other_reporter")  # may see the public request, but not act on it: no button, and 403
    page = client.get(f"/requests/{ids['public']}").get_data(as_text=True)
    assert "/stories/new" not in page
    assert client.get(f"/requests/{ids['public']}/stories/new").status_code == 403


def test_the_api_records_and_lists_stories(app, users, bearer, frozen):
    ids = _build(app, users)
    api, h = app.test_client(), bearer("reporter")
    body = {"headline": "ICE hid the Otero findings", "url": "https://news.example/otero",
            "published_on": "2026-11-20", "document_ids": [ids["report_pdf"]]}
    response = api.post(f"/api/v1/requests/{ids['public']}/stories", headers=h, json=body)
    assert response.status_code == 201, response.json
    story = response.json
    assert story["requests"] == [{"id": ids["public"], "title": "Otero OPR report"}]
    assert [d["id"] for d in story["documents"]] == [ids["report_pdf"]]
    listed = api.get(f"/api/v1/requests/{ids['public']}/stories", headers=h).json["items"]
    assert [s["id"] for s in listed] == [story["id"]]
    assert api.get(f"/api/v1/requests/{ids['public']}", headers=h).json["stories"][0]["id"] == story["id"]
    matter = api.get(f"/api/v1/matters/{ids['death']}", headers=h).json
    assert matter["disclosure"]["published"] is True and matter["disclosure"]["stories"] == 1
    assert [s["id"] for s in api.get(f"/api/v1/matters/{ids['death']}/stories", headers=h).json["items"]] == \
        [story["id"]]
    ledger = api.get("/api/v1/ledger?published=no", headers=h).json
    assert [m["id"] for m in ledger["matters"]] == [ids["other"]]
    response = api.post(f"/api/v1/matters/{ids['death']}/stories", headers=h, json={**body, "document_ids": []})
    assert response.status_code == 201 and response.json["matters"][0]["id"] == ids["death"]


def test_the_api_refuses_bad_input_with_a_4xx_and_saves_nothing(app, users, bearer, frozen):
    ids = _build(app, users)
    api, h = app.test_client(), bearer("reporter")
    url = f"/api/v1/requests/{ids['public']}/stories"
    good = {"headline": "A headline", "url": "https://news.example/a", "published_on": "2026-11-20"}
    for body, field in (({**good, "url": "mailto:desk@news.example"}, "url"), ({**good, "headline": " "}, "headline"),
                        ({**good, "published_on": "2027-01-01"}, "published_on"),
                        ({**good, "document_ids": [ids["private_pdf"]]}, "document_ids"),
                        ({k: v for k, v in good.items() if k != "url"}, "url")):
        response = api.post(url, headers=h, json=body)
        assert response.status_code == 422 and field in response.json["error"]["fields"], (body, response.json)
    assert api.post(url, headers=h, data="x", content_type="application/json").status_code == 400
    other = bearer("other_reporter")
    assert api.post(url, headers=other, json=good).status_code == 403
    assert api.post(f"/api/v1/requests/{ids['private']}/stories", headers=h, json=good).status_code == 404
    assert api.get(f"/api/v1/requests/{ids['private']}/stories", headers=h).status_code == 404
    assert api.post(f"/api/v1/matters/{ids['death']}/stories", headers=other, json=good).status_code == 403
    assert _count(app) == 0
