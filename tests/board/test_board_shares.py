"""Wall-screen links: made and revoked by editors, working without a login, showing nothing private."""

from __future__ import annotations

import re

from sqlalchemy import select

from tests.board import scenario
from tests.helpers import csrf_token
from tracker.board.models import BoardShare
from tracker.extensions import db


def _make_link(client, label="Newsroom wall", **filters) -> str:
    token = csrf_token(client, "/board/shares")
    response = client.post("/board/shares", data={"csrf_token": token, "label": label, **filters})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    page = client.get("/board/shares").get_data(as_text=True)
    link = re.search(r'data-testid="new-link" value="([^"]+)"', page) or \
        re.search(r'value="([^"]+)" data-testid="new-link"', page)
    assert link, "the new link is shown once"
    assert "new-link" not in client.get("/board/shares").get_data(as_text=True)  # and only once
    return link.group(1).replace("http://localhost", "")


def test_editor_makes_a_link_that_works_logged_out_without_private_requests_or_notes(app, client, auth, users,
                                                                                      frozen):
    with app.app_context():
        ids = scenario.build(users)
    auth.login("editor")
    path = _make_link(client)
    assert path.startswith("/board/shared/") and path.endswith("?tv=1")
    token = path.split("/")[3].split("?")[0]
    assert len(token) >= 40
    auth.logout()

    response = client.get(path)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    shown = {i for col in scenario.columns(html).values() for i in col}
    assert ids["late"] in shown and ids["secret"] not in shown
    assert "SECRET NOTE" not in html and "Secret" not in scenario.text(html)
    assert 'class="topbar"' not in html and "/requests/" not in html  # no chrome, no links into the tracker
    assert 'class="board-page tv wall"' in html
    assert f'hx-get="/board/shared/{token}/fragment?tv=1"' in html
    fragment = client.get(f"/board/shared/{token}/fragment")
    assert fragment.status_code == 200 and ids["secret"] not in {
        i for col in scenario.columns(fragment.get_data(as_text=True)).values() for i in col}
    with app.app_context():
        share = db.session.scalar(select(BoardShare))
        assert share.last_used_at is not None and share.token_hash != token and token not in share.token_hash


def test_a_link_keeps_the_filters_it_was_made_with(app, client, auth, users, frozen):
    with app.app_context():
        ids = scenario.build(users)
    auth.login("editor")
    page = client.get(f"/board/shares?agency_id={ids['state']}").get_data(as_text=True)
    assert f'name="agency_id" value="{ids["state"]}"' in page
    path = _make_link(client, "California desk", agency_id=str(ids["state"]))
    auth.logout()
    html = client.get(path + "&agency_id=" + str(ids["ice"])).get_data(as_text=True)  # URL filters are ignored
    assert {i for col in scenario.columns(html).values() for i in col} == {ids["state_req"]}


def test_revoked_and_wrong_links_stop_working(app, client, auth, users, frozen):
    with app.app_context():
        scenario.build(users)
    auth.login("editor")
    path = _make_link(client)
    token = path.split("/")[3].split("?")[0]
    with app.app_context():
        share_id = db.session.scalar(select(BoardShare.id))
    token_csrf = csrf_token(client, "/board/shares")
    response = client.post(f"/board/shares/{share_id}/revoke", data={"csrf_token": token_csrf})
    assert response.status_code == 302
    listing = client.get("/board/shares").get_data(as_text=True)
    assert "revoked" in listing
    auth.logout()
    assert client.get(path).status_code == 404
    assert client.get(f"/board/shared/{token}/fragment").status_code == 404
    assert "ask an editor for a new one" in client.get(path).get_data(as_text=True)
    assert client.get("/board/shared/not-a-token").status_code == 404
    assert client.get("/board/shared/" + "x" * 500).status_code == 404


def test_only_editors_make_or_revoke_links(app, client, auth, users, frozen):
    auth.login("editor")
    _make_link(client)
    auth.logout()
    with app.app_context():
        share_id = db.session.scalar(select(BoardShare.id))
    auth.login("reporter")
    assert client.get("/board/shares").status_code == 403
    token = csrf_token(client, "/board")
    assert client.post("/board/shares", data={"csrf_token": token, "label": "Mine"}).status_code == 403
    assert client.post(f"/board/shares/{share_id}/revoke", data={"csrf_token": token}).status_code == 403
    with app.app_context():
        assert db.session.get(BoardShare, share_id).revoked_at is None
        assert len(db.session.scalars(select(BoardShare)).all()) == 1


def test_a_link_needs_a_label(app, client, auth, users):
    auth.login("editor")
    token = csrf_token(client, "/board/shares")
    response = client.post("/board/shares", data={"csrf_token": token, "label": "  "})
    assert response.status_code == 422
    assert "Name the screen" in response.get_data(as_text=True)
    response = client.post("/board/shares", data={"csrf_token": token, "label": "x" * 300})
    assert response.status_code == 422
    with app.app_context():
        assert db.session.scalars(select(BoardShare)).all() == []
