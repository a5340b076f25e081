"""The status board through the test client: columns, badges, summary, filters, visibility, the fragment."""

from __future__ import annotations

from tests.board import scenario
from tests.helpers import perform


def _board(client, url="/board"):
    response = client.get(url)
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    return response.get_data(as_text=True)


def test_each_request_sits_in_the_column_of_whose_move_it_is(app, client, auth, users, frozen):
    with app.app_context():
        ids = scenario.build(users)
    auth.login("editor")
    html = _board(client)
    where = {name: scenario.column_of(html, ids[name]) for name in (
        "draft", "fresh", "late", "paused", "denied", "appealed", "sued", "closed", "old", "state_req", "secret")}
    assert where == {
        "draft": "drafts", "fresh": "agency", "late": "overdue", "paused": "us", "denied": "us",
        "appealed": "overdue", "sued": "litigation", "closed": "closed", "old": None, "state_req": "overdue",
        "secret": "agency",
    }
    assert scenario.columns(html)["overdue"][0] == ids["appealed"]  # the most overdue first


def test_cards_show_the_facts_and_badges(app, client, auth, users, frozen):
    with app.app_context():
        ids = scenario.build(users)
    auth.login("editor")
    cards = scenario.cards(_board(client))
    late = cards[ids["late"]]
    assert "ICE" in late and "Reporter" in late and "2026-ICFO-00881" in late and "Denver death card inquiry" in late
    assert "Acknowledged, in processing" in late
    assert "Agency's response due: October 30, 2026" in late  # 20 working days, Columbus Day skipped
    assert "overdue by 19 working days" in late  # Nov 2 .. Nov 30 less Veterans Day and Thanksgiving
    assert "exhausted: may sue" in late
    assert "39 working days open" in late
    fresh = cards[ids["fresh"]]
    assert "Agency's response due: December 21, 2026" in fresh and "due in 15 working days" in fresh
    assert "overdue" not in fresh and "exhausted" not in fresh
    paused = cards[ids["paused"]]
    assert "clock paused" in paused and "Our answer due: December 4, 2026" in paused
    assert "due in 4 working days" in paused
    appealed = cards[ids["appealed"]]
    assert "Appeal decision due" in appealed and "exhausted: may sue" in appealed
    state = cards[ids["state_req"]]
    assert "overdue by" in state and "exhausted" not in state  # constructive exhaustion is federal law
    denied = cards[ids["denied"]]
    assert "Last day to appeal" in denied and "SECRET NOTE" not in denied


def test_summary_strip(app, client, auth, users, frozen):
    with app.app_context():
        ids = scenario.build(users)
    auth.login("editor")
    text = scenario.text(_board(client))
    assert "8 open" in text  # fresh, late, paused, denied, appealed, sued, state_req, secret
    assert "3 overdue" in text
    assert "2 waiting on us" in text
    assert "1 due this week" in text  # our answer due Friday December 4
    # Determinations in the last 12 months, in working days from receipt: denied (Sep 1 to Oct 1, Labor Day
    # off): 21, a day late; appealed (Jun 1 to Jul 1, Juneteenth off): 21, late; closed (Aug 3 to 25): 16.
    assert "21 median working days to a determination (last 12 months, 3 determinations)" in text
    assert "33% answered on time (1 of 3)" in text
    assert ids


def test_filters_live_in_the_url(app, client, auth, users, frozen):
    with app.app_context():
        ids = scenario.build(users)
    auth.login("editor")
    html = _board(client, f"/board?agency_id={ids['state']}")
    shown = {i for col in scenario.columns(html).values() for i in col}
    assert shown == {ids["state_req"]}
    assert f'<option value="{ids["state"]}" selected>' in html
    html = _board(client, f"/board?matter_id={ids['dallas']}&status=determined")
    assert {i for col in scenario.columns(html).values() for i in col} == {ids["denied"]}
    html = _board(client, "/board?jurisdiction=US-CA")
    assert {i for col in scenario.columns(html).values() for i in col} == {ids["state_req"]}
    html = _board(client, f"/board?owner_id={users['other_reporter']}")
    assert {i for col in scenario.columns(html).values() for i in col} == {ids["secret"]}
    # Nonsense in the URL is ignored, never a 500.
    html = _board(client, "/board?agency_id=abc&status=nope&column=nope&owner_id=-1")
    assert len({i for col in scenario.columns(html).values() for i in col}) == 10
    html = _board(client, "/board?jurisdiction=" + "x" * 300)
    assert scenario.columns(html)["overdue"] == []
    html = _board(client, "/board?column=overdue")
    assert list(scenario.columns(html)) == ["overdue"]


def test_private_requests_only_for_those_who_may_see_them(app, client, auth, users, frozen):
    with app.app_context():
        ids = scenario.build(users)
    auth.login("reporter")
    html = _board(client)
    assert scenario.column_of(html, ids["secret"]) is None
    assert "Secret" not in scenario.text(html)
    auth.logout()
    auth.login("other_reporter")
    assert scenario.column_of(_board(client), ids["secret"]) == "agency"


def test_a_determination_moves_the_card_at_the_next_refresh(app, client, auth, users, frozen):
    with app.app_context():
        ids = scenario.build(users)
    auth.login("editor")
    assert scenario.column_of(_board(client, "/board/fragment"), ids["late"]) == "overdue"
    with app.app_context():
        from tracker.extensions import db
        from tracker.requests.models import RecordsRequest

        perform(db.session.get(RecordsRequest, ids["late"]), "determine", users["editor"],
                on=scenario.today(), outcome="no_records")
        db.session.commit()
    fragment = _board(client, "/board/fragment")
    assert "<html" not in fragment  # a fragment, not a page
    assert scenario.column_of(fragment, ids["late"]) == "us"


def test_board_needs_a_login_and_the_fragment_says_401(app, client, users):
    assert client.get("/board").status_code == 302
    assert client.get("/board/fragment").status_code == 401


def test_tv_mode_has_big_type_and_no_chrome(app, client, auth, users, frozen):
    with app.app_context():
        scenario.build(users)
    auth.login("editor")
    html = _board(client, "/board?tv=1")
    assert 'class="board-page tv wall"' in html
    assert 'class="topbar"' not in html and 'class="filters board-filters"' not in html
    assert 'hx-trigger="every 60s"' in html and 'hx-get="/board/fragment?tv=1"' in html
    assert "vendor/htmx.min.js" in html and "<script>" not in html


def test_scorecards_show_charts_and_numbers(app, client, auth, users, frozen):
    with app.app_context():
        ids = scenario.build(users)
    auth.login("editor")
    response = client.get("/board/agencies")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert html.count("<svg") >= 4
    assert "Median working days from receipt to determination, by agency" in html
    text = scenario.text(html)
    assert "ICE FOIA Office (ICE)" in text
    assert "Granted in full: 1 (33%)" in text and "Denied: 1 (33%)" in text and "Granted in part: 1 (33%)" in text
    assert "(b)(6) Personnel" in text and "(b)(7)(A) Law enforcement: interference" in text
    assert client.get("/board/agencies?period=all").status_code == 200
    assert client.get("/board/agencies?period=<script>").status_code == 200
    # Working days from receipt to determination: denied 21 (late), appealed 21 (late), closed 16 (on time).
    with app.app_context():
        from tracker.auth.models import User
        from tracker.board.scorecards import scorecards
        from tracker.extensions import db

        ice = next(c for c in scorecards(db.session.get(User, users["editor"]), scenario.today())
                   if c["agency_id"] == ids["ice"])
    assert (ice["median_days_to_determination"], ice["judged"], ice["on_time"]) == (21, 3, 1)


def test_a_paused_clock_is_never_overdue(app, client, auth, users, frozen):
    """While the agency waits for our answer its stored due date has not moved yet; it is not late."""
    from tests.helpers import d, make_agency, make_request
    from tracker.extensions import db

    with app.app_context():
        req = make_request(users["reporter"], make_agency())
        perform(req, "file", users["reporter"], on=d("2026-10-01"), channel="portal")
        perform(req, "request_clarification", users["reporter"], on=d("2026-10-20"))
        db.session.commit()
        request_id = req.id
    auth.login("editor")
    html = _board(client)
    card = scenario.cards(html)[request_id]
    assert scenario.column_of(html, request_id) == "us"
    assert "clock paused" in card and "overdue" not in card and "exhausted" not in card
