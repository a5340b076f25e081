"""Follow and unfollow: any colleague who may see a request can follow it, and then gets its reminders."""

from __future__ import annotations

from tests.helpers import csrf_token, make_agency, make_request
from tracker.extensions import db
from tracker.reminders.services import recipients
from tracker.requests.models import RecordsRequest


def _requests(app, users):
    with app.app_context():
        agency = make_agency()
        public = make_request(users["other_reporter"], agency, title="Colleague's request")
        private = make_request(users["other_reporter"], agency, title="Colleague's private one", private=True)
        mine = make_request(users["reporter"], agency, title="My own")
        db.session.commit()
        return public.id, private.id, mine.id


def _recipient_ids(app, request_id):
    with app.app_context():
        return {u.id for u in recipients(db.session.get(RecordsRequest, request_id))}


def test_a_reporter_follows_and_unfollows_a_colleagues_request(app, auth, users, client):
    public, _private, _mine = _requests(app, users)
    auth.login("reporter")
    page = client.get(f"/requests/{public}").get_data(as_text=True)
    assert f'action="/requests/{public}/follow"' in page and ">Follow</button>" in page
    assert users["reporter"] not in _recipient_ids(app, public)

    answer = client.post(f"/requests/{public}/follow", data={"csrf_token": csrf_token(client, f"/requests/{public}")})
    assert answer.status_code == 302
    page = client.get(f"/requests/{public}").get_data(as_text=True)
    assert "You follow this request: its reminders come to you." in page and ">Unfollow</button>" in page
    assert users["reporter"] in _recipient_ids(app, public)  # the reminders now come to the follower

    client.post(f"/requests/{public}/unfollow", data={"csrf_token": csrf_token(client, f"/requests/{public}")})
    assert users["reporter"] not in _recipient_ids(app, public)
    assert ">Follow</button>" in client.get(f"/requests/{public}").get_data(as_text=True)


def test_nobody_follows_what_they_may_not_see_and_owners_need_not(app, auth, users, client):
    public, private, mine = _requests(app, users)
    auth.login("reporter")
    token = csrf_token(client, f"/requests/{public}")
    assert client.post(f"/requests/{private}/follow", data={"csrf_token": token}).status_code == 404
    assert users["reporter"] not in _recipient_ids(app, private)
    assert 'data-testid="follow"' not in client.get(f"/requests/{mine}").get_data(as_text=True)
    answer = client.post(f"/requests/{mine}/unfollow", data={"csrf_token": token}, follow_redirects=True)
    assert "You own this request" in answer.get_data(as_text=True)
    assert users["reporter"] in _recipient_ids(app, mine)


def test_an_editor_follows_a_private_request(app, auth, users, client):
    _public, private, _mine = _requests(app, users)
    auth.login("editor")
    client.post(f"/requests/{private}/follow", data={"csrf_token": csrf_token(client, f"/requests/{private}")})
    assert users["editor"] in _recipient_ids(app, private)
