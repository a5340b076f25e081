"""The cards' markup is built in Python (board/card_html.py), outside the templates' autoescaping: whatever a
person typed (a request's title, a matter's title, a tracking number, an agency's and an owner's names) reaches
the page escaped, on the board and on a wall screen."""

from __future__ import annotations

from sqlalchemy import select, update

from tests.helpers import d, make_agency, make_matter, make_request, perform
from tracker.auth.models import User
from tracker.board import services
from tracker.core.clock import now_utc
from tracker.extensions import db

HOSTILE = '<script>alert("x")</script>&'


def _hostile_request(users: dict[str, int]) -> int:
    agency = make_agency(name=f"Agency {HOSTILE}", abbreviation="<i>A</i>")
    matter = make_matter(title=f"Matter {HOSTILE}")
    req = make_request(users["reporter"], agency, title=f"Title {HOSTILE}", matter_ids=[matter.id])
    perform(req, "file", users["reporter"], on=d("2026-11-02"), channel="portal")
    perform(req, "acknowledge", users["reporter"], on=d("2026-11-05"), tracking_number='T-"1"<b>')
    db.session.execute(update(User).where(User.id == users["reporter"]).values(name=f"Owner {HOSTILE}"))
    db.session.commit()
    return req.id


def _card(html: str, request_id: int) -> str:
    start = html.index(f'data-request-id="{request_id}"')
    return html[start:html.index("</article>", start)]


def test_what_people_typed_is_escaped_on_a_card(app, client, auth, users, frozen):
    with app.app_context():
        request_id = _hostile_request(users)
    auth.login("editor")
    card = _card(client.get("/board").get_data(as_text=True), request_id)
    assert "<script>" not in card and "<i>" not in card and "<b>" not in card
    escaped = "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;&amp;"
    for shown in (f"Title {escaped}", f"Matter {escaped}", f"Owner {escaped}", f'title="Agency {escaped}"',
                  "&lt;i&gt;A&lt;/i&gt;", "T-&#34;1&#34;&lt;b&gt;"):
        assert shown in card
    assert f'<a href="/requests/{request_id}">Title {escaped}</a>' in card


def test_what_people_typed_is_escaped_on_a_wall_screen(app, client, users, frozen):
    with app.app_context():
        request_id = _hostile_request(users)
        editor = db.session.scalar(select(User).where(User.id == users["editor"]))
        _share, token = services.create_share(actor=editor, now=now_utc(), label="Newsroom screen")
        db.session.commit()
    card = _card(client.get(f"/board/shared/{token}").get_data(as_text=True), request_id)
    assert "<script>" not in card and "<a href" not in card  # a wall screen links nowhere
    assert "Title &lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;&amp;" in card
