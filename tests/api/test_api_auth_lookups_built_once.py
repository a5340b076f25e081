"""The lookups that authenticate every request (a session's login, an API token) are statements built once and
run with each caller's values: callers taking turns in one process are each answered as themselves, and a
login ended or a token revoked between two of their requests is refused at the next one."""

from __future__ import annotations

from sqlalchemy import select, update

from tests.conftest import Auth
from tests.helpers import make_agency, make_request
from tracker.auth.models import ApiToken
from tracker.core.clock import now_utc
from tracker.extensions import db


def _private_request_of(app, users) -> int:
    with app.app_context():
        req = make_request(users["reporter"], make_agency(), title="Only mine", private=True)
        db.session.commit()
        return req.id


def test_sessions_taking_turns_are_each_their_own_user(app, users):
    request_id = _private_request_of(app, users)
    owner, colleague = app.test_client(), app.test_client()
    Auth(owner).login("reporter")
    Auth(colleague).login("other_reporter")
    for _turn in range(3):
        assert owner.get(f"/requests/{request_id}").status_code == 200
        assert colleague.get(f"/requests/{request_id}").status_code == 404
        assert "Other Reporter" in colleague.get("/account/tokens").get_data(as_text=True)
    Auth(owner).logout()
    assert owner.get(f"/requests/{request_id}").status_code == 302
    assert colleague.get("/requests").status_code == 200


def test_tokens_taking_turns_are_each_their_own_user(app, users, bearer):
    request_id = _private_request_of(app, users)
    api = app.test_client()
    for _turn in range(3):
        assert api.get(f"/api/v1/requests/{request_id}", headers=bearer("reporter")).status_code == 200
        assert api.get(f"/api/v1/requests/{request_id}", headers=bearer("other_reporter")).status_code == 404
    with app.app_context():
        owner_token = db.session.scalar(select(ApiToken.id).where(ApiToken.user_id == users["reporter"]))
        db.session.execute(update(ApiToken).where(ApiToken.id == owner_token).values(revoked_at=now_utc()))
        db.session.commit()
    assert api.get(f"/api/v1/requests/{request_id}", headers=bearer("reporter")).status_code == 401
    assert api.get(f"/api/v1/requests/{request_id}", headers=bearer("other_reporter")).status_code == 404
