"""Any reporter records a matter and adds sources; changing an existing matter's fields or removing its
sources is for the reporter who recorded it and for editors, on the web and through the API."""

from __future__ import annotations

from sqlalchemy import select

from tests.conftest import Auth
from tests.helpers import csrf_token
from tracker.auth import api_tokens
from tracker.auth.models import User
from tracker.core.clock import now_utc
from tracker.extensions import db
from tracker.matters.models import Matter, Source


def _token(app, who_id: int) -> str:
    with app.app_context():
        _token_row, secret = api_tokens.create_token(db.session.get(User, who_id), "script", now=now_utc())
        db.session.commit()
    return secret


def _title(app, matter_id: int) -> str:
    with app.app_context():
        return db.session.get(Matter, matter_id).title


def _recorded_by_reporter(app, users) -> int:
    client = app.test_client()
    response = client.post("/api/v1/matters", json={"title": "Newark detention inquiry", "category": "systemic"},
                           headers={"Authorization": f"Bearer {_token(app, users['reporter'])}"})
    assert response.status_code == 201
    with app.app_context():
        matter = db.session.get(Matter, response.get_json()["id"])
        assert matter.created_by_id == users["reporter"]
        return matter.id


def test_another_reporter_cannot_rewrite_a_matter_through_the_api(app, users):
    matter_id = _recorded_by_reporter(app, users)
    client = app.test_client()
    response = client.patch(f"/api/v1/matters/{matter_id}", json={"title": "Renamed by someone else"},
                            headers={"Authorization": f"Bearer {_token(app, users['other_reporter'])}"})
    assert response.status_code == 403
    assert response.get_json()["error"]["code"] == "forbidden"
    assert _title(app, matter_id) == "Newark detention inquiry"

    for who, title in (("reporter", "Newark inquiry (creator)"), ("editor", "Newark inquiry (editor)")):
        response = client.patch(f"/api/v1/matters/{matter_id}", json={"title": title},
                                headers={"Authorization": f"Bearer {_token(app, users[who])}"})
        assert response.status_code == 200, response.get_json()
        assert _title(app, matter_id) == title


def test_another_reporter_cannot_edit_on_the_web_but_can_add_sources(app, users):
    matter_id = _recorded_by_reporter(app, users)
    client = app.test_client()
    Auth(client).login("other_reporter")
    page = client.get(f"/matters/{matter_id}").get_data(as_text=True)
    assert f"/matters/{matter_id}/edit" not in page  # no Edit button for them
    assert client.get(f"/matters/{matter_id}/edit").status_code == 403
    token = csrf_token(client, f"/matters/{matter_id}")
    response = client.post(f"/matters/{matter_id}/edit", data={"csrf_token": token, "title": "Renamed",
                                                                "category": "other"})
    assert response.status_code == 403
    assert _title(app, matter_id) == "Newark detention inquiry"

    response = client.post(f"/matters/{matter_id}/sources", data={"csrf_token": token, "title": "ICE statement"})
    assert response.status_code == 302
    with app.app_context():
        source_id = db.session.scalar(select(Source.id).where(Source.matter_id == matter_id))
    response = client.post(f"/matters/{matter_id}/sources/{source_id}/delete", data={"csrf_token": token})
    assert response.status_code == 403

    creator = app.test_client()
    Auth(creator).login("reporter")
    assert f"/matters/{matter_id}/edit" in creator.get(f"/matters/{matter_id}").get_data(as_text=True)
    token = csrf_token(creator, f"/matters/{matter_id}")
    assert creator.post(f"/matters/{matter_id}/sources/{source_id}/delete",
                        data={"csrf_token": token}).status_code == 302
    with app.app_context():
        assert db.session.get(Source, source_id) is None


def test_a_matter_recorded_on_the_web_is_its_reporters(app, users):
    client = app.test_client()
    Auth(client).login("other_reporter")
    response = client.post("/matters/new", data={"csrf_token": csrf_token(client, "/matters/new"),
                                                 "title": "El Paso use of force", "category": "use_of_force"})
    assert response.status_code == 302
    with app.app_context():
        matter = db.session.scalar(select(Matter).where(Matter.title == "El Paso use of force"))
        assert matter.created_by_id == users["other_reporter"]
