"""Bulk actions on the request list: each the normal service call per request, all or nothing, refused whole
(naming each request and why) when one cannot be changed or changed since it was selected."""

from __future__ import annotations

import re

from sqlalchemy import event, func, select

from tests.helpers import csrf_token, d, make_agency, make_matter, make_request, perform
from tracker.auth.models import User
from tracker.core.clock import now_utc, today
from tracker.extensions import db
from tracker.requests import bulk
from tracker.requests.models import Event, RecordsRequest


def _job(user_id: int, **params) -> bulk.Job:
    return bulk.Job(actor=db.session.get(User, user_id), now=now_utc(), today=today(), params=params)


def _requests(owner_id: int, n: int, agency=None, **data) -> list[int]:
    agency = agency or make_agency()
    return [make_request(owner_id, agency, title=f"Request {i}", **data).id for i in range(n)]


def test_fifty_requests_reassigned_in_one_action_with_one_query_to_load_them(app, users, frozen):
    with app.app_context():
        ids = _requests(users["reporter"], 50)
        db.session.commit()
        db.session.expire_all()
        selects: list[str] = []

        def count(conn, cursor, statement, *args):
            if statement.lstrip().upper().startswith("SELECT") and "FROM requests" in statement:
                selects.append(statement)

        event.listen(db.engine, "before_cursor_execute", count)
        try:
            outcome = bulk.run("reassign", ids, _job(users["editor"], owner_id=users["other_reporter"]))
            db.session.commit()
        finally:
            event.remove(db.engine, "before_cursor_execute", count)
        assert len(outcome.changed) == 50
        assert outcome.summary == "50 requests given to Other Reporter."
        owners = set(db.session.scalars(select(RecordsRequest.owner_id).where(RecordsRequest.id.in_(ids))))
        assert owners == {users["other_reporter"]}
        # The requests are read once (their relations alongside), not once per request. (The board's tallies read
        # a few columns of the requests each flush changed; those are not loads of whole requests.)
        loads = [s for s in selects if "requests.id IN" in s.replace('"', "") and "requests.title" in s]
        assert len(loads) == 1, selects
        notes = db.session.scalars(select(Event.note).where(Event.action == "edit")).all()
        assert len(notes) == 50 and all(n == "Owner: Reporter → Other Reporter" for n in notes)


def test_reporters_may_not_reassign(app, users, frozen):
    with app.app_context():
        ids = _requests(users["reporter"], 2)
        db.session.commit()
        try:
            bulk.run("reassign", ids, _job(users["reporter"], owner_id=users["other_reporter"]))
        except bulk.TrackerError as exc:
            assert exc.status == 403 and "editors" in exc.message
        else:
            raise AssertionError("a reporter reassigned requests")


def test_one_request_the_user_may_not_act_on_refuses_the_whole_selection_by_name(app, users, frozen):
    with app.app_context():
        agency = make_agency()
        mine = _requests(users["reporter"], 3, agency)
        theirs = make_request(users["other_reporter"], agency, title="Colleague's request").id
        hidden = make_request(users["other_reporter"], agency, title="Secret", private=True).id
        db.session.commit()
        try:
            bulk.run("make_private", [*mine, theirs, hidden], _job(users["reporter"]))
        except bulk.BulkRefused as exc:
            assert exc.status == 404  # one the user may not see: answered as the one door answers
            assert f"“Colleague's request” (#{theirs}): you may not change it" in exc.message
            assert f"#{hidden}: there is no request with this id that you can see" in exc.message
            assert "Secret" not in exc.message  # a private request's title is never told
        else:
            raise AssertionError("the selection was not refused")
        db.session.rollback()
        assert db.session.scalar(select(func.count()).select_from(RecordsRequest)
                                 .where(RecordsRequest.private.is_(True))) == 1  # nothing half done


def test_a_request_changed_since_it_was_selected_is_refused(app, users, frozen):
    with app.app_context():
        ids = _requests(users["reporter"], 3)
        db.session.commit()
        versions = {i: bulk.version_of(db.session.get(RecordsRequest, i)) for i in ids}
        frozen.shift(60)
        changed = db.session.get(RecordsRequest, ids[1])
        perform(changed, "file", users["reporter"], on=today(), channel="portal")
        db.session.commit()
        try:
            bulk.run("make_private", ids, _job(users["reporter"]), versions=versions)
        except bulk.BulkRefused as exc:
            assert f"“Request 1” (#{ids[1]}): changed since you selected it" in exc.message
            assert [r["id"] for r in exc.refusals] == [ids[1]]
        else:
            raise AssertionError("a changed request was not refused")
        db.session.rollback()
        assert not any(db.session.get(RecordsRequest, i).private for i in ids)


def test_a_service_refusal_half_way_changes_nothing(app, users, frozen):
    """Unfollowing a request one owns is refused by the service: the earlier ones stay followed."""
    with app.app_context():
        agency = make_agency()
        theirs = [make_request(users["other_reporter"], agency, title=f"Theirs {i}").id for i in range(2)]
        own = make_request(users["reporter"], agency, title="Own").id
        db.session.commit()
        bulk.run("watch", theirs, _job(users["reporter"]))
        db.session.commit()
        try:
            bulk.run("unwatch", [*theirs, own], _job(users["reporter"]))
        except bulk.BulkRefused as exc:
            assert f"“Own” (#{own})" in exc.message and "give it to a colleague" in exc.message
        else:
            raise AssertionError
        db.session.rollback()
        reporter = db.session.get(User, users["reporter"])
        assert all(reporter in db.session.get(RecordsRequest, i).watchers for i in theirs)


def test_watch_private_public_and_matter_say_what_changed(app, users, frozen):
    with app.app_context():
        agency = make_agency()
        matter = make_matter("Dallas posts review")
        ids = [make_request(users["other_reporter"], agency, title=f"R{i}").id for i in range(3)]
        already = make_request(users["reporter"], agency, title="Own", matter_ids=[matter.id]).id
        db.session.commit()
        out = bulk.run("watch", [*ids, already], _job(users["reporter"]))
        assert out.summary == "3 requests now followed by you; 1 already so, left as they were."
        db.session.commit()
        out = bulk.run("add_matter", [*ids, already], _job(users["reporter"], matter_id=matter.id))
        assert out.summary == "3 requests added to “Dallas posts review”; 1 already so, left as they were."
        out = bulk.run("make_private", ids[:1], _job(users["reporter"]))
        assert out.summary == "1 request marked private."
        db.session.commit()
        assert db.session.get(RecordsRequest, ids[0]).private
        assert [m.title for m in db.session.get(RecordsRequest, ids[2]).matters] == ["Dallas posts review"]


def test_bad_input_is_a_clear_refusal(app, users, frozen):
    with app.app_context():
        ids = _requests(users["reporter"], 1)
        db.session.commit()
        for action, params, ids_, words in (
            ("nonsense", {}, ids, "Choose what to do"),
            ("watch", {}, [], "Select at least one request"),
            ("reassign", {"owner_id": 999999}, ids, "Choose the new owner"),
            ("reassign", {"owner_id": users["inactive"]}, ids, "Choose the new owner"),
            ("add_matter", {"matter_id": "x"}, ids, "Choose the matter"),
        ):
            actor = users["editor"] if action == "reassign" else users["reporter"]
            try:
                bulk.run(action, ids_, _job(actor, **params))
            except bulk.TrackerError as exc:
                assert words in exc.message and 400 <= exc.status < 500
            else:
                raise AssertionError(action)


def test_status_inquiries_for_each_or_none(app, users, frozen):
    with app.app_context():
        agency = make_agency()
        agency.portal_url = "https://www.dhs.gov/foia"
        filed = [make_request(users["reporter"], agency, title=f"F{i}").id for i in range(2)]
        for request_id in filed:
            perform(db.session.get(RecordsRequest, request_id), "file", users["reporter"], on=d("2026-10-01"),
                    channel="portal", tracking_number=f"2026-ICFO-9{request_id:04d}")
        draft = make_request(users["reporter"], agency, title="Still a draft").id
        db.session.commit()
        job = _job(users["reporter"])
        job.config = app.config
        from tracker.core.storage import DirectoryStorage

        job.storage = DirectoryStorage(app.config["TRACKER_UPLOAD_DIR"])
        try:
            bulk.run("status_inquiry", [*filed, draft], job)
        except bulk.BulkRefused as exc:
            assert f"“Still a draft” (#{draft})" in exc.message and "date the agency received" in exc.message
        else:
            raise AssertionError
        db.session.rollback()
        from tracker.letters.models import Letter

        assert db.session.scalar(select(func.count()).select_from(Letter)) == 0
        out = bulk.run("status_inquiry", filed, job)
        db.session.commit()
        assert out.summary == "2 status inquiries written, one per request."
        kinds = db.session.execute(select(Letter.request_id, Letter.kind)).all()
        assert sorted(kinds) == sorted((i, "status_inquiry") for i in filed)


# --- the web page -------------------------------------------------------------------------------------

def _list_form(client, url="/requests"):
    page = client.get(url).get_data(as_text=True)
    versions = dict(re.findall(r'name="v_(\d+)" value="([^"]*)"', page))
    shown_at = re.search(r'name="shown_at" value="([^"]+)"', page).group(1)
    return page, versions, shown_at


def test_web_bulk_bar_reassigns_the_ticked_rows(app, client, auth, users, frozen):
    with app.app_context():
        ids = _requests(users["reporter"], 3)
        db.session.commit()
    auth.login("editor")
    page, versions, shown_at = _list_form(client)
    assert 'data-testid="bulk-bar"' in page and "Give to another owner" in page
    token = csrf_token(client, "/requests")
    data = {"csrf_token": token, "action": "reassign", "owner_id": str(users["other_reporter"]),
            "ids": [str(i) for i in ids[:2]], "shown_at": shown_at,
            **{f"v_{i}": v for i, v in versions.items()}}
    done = client.post("/requests/bulk", data=data, follow_redirects=True)
    assert "2 requests given to Other Reporter." in done.get_data(as_text=True)
    with app.app_context():
        assert [db.session.get(RecordsRequest, i).owner_id for i in ids] == \
            [users["other_reporter"], users["other_reporter"], users["reporter"]]


def test_web_reporters_see_no_reassign_and_a_refusal_is_shown(app, client, auth, users, frozen):
    with app.app_context():
        agency = make_agency()
        theirs = make_request(users["other_reporter"], agency, title="Colleague's").id
        db.session.commit()
    auth.login("reporter")
    page, versions, shown_at = _list_form(client)
    assert "Give to another owner" not in page
    token = csrf_token(client, "/requests")
    done = client.post("/requests/bulk", data={"csrf_token": token, "action": "make_private", "ids": [str(theirs)],
                                               "shown_at": shown_at, f"v_{theirs}": versions[str(theirs)]},
                       )
    assert done.status_code == 403  # the list again, with the refusal, as the one door answers
    text = done.get_data(as_text=True)
    assert 'data-testid="bulk-bar"' in text
    assert "Nothing was changed" in text and f"“Colleague&#39;s” (#{theirs}): you may not change it" in text


def test_web_all_matching_the_filter(app, client, auth, users, frozen):
    with app.app_context():
        ice = make_agency()
        doj = make_agency("DOJ Office of Information Policy", "OIP", "US-DOJ")
        at_ice = [make_request(users["reporter"], ice, title=f"ICE {i}").id for i in range(55)]
        at_doj = make_request(users["reporter"], doj, title="DOJ").id
        db.session.commit()
        ice_id = ice.id
    auth.login("reporter")
    page, _, shown_at = _list_form(client, f"/requests?agency_id={ice_id}")
    assert "all 55 matching this filter" in page
    token = csrf_token(client, "/requests")
    base = {"csrf_token": token, "action": "make_private", "scope": "filter", "shown_at": shown_at}
    url = f"/requests/bulk?agency_id={ice_id}"
    stale = client.post(url, data={**base, "total": "54"})
    assert stale.status_code == 409
    assert "the filter now matches 55 requests, not the 54 you selected" in stale.get_data(as_text=True)
    with app.app_context():
        assert not any(db.session.get(RecordsRequest, i).private for i in at_ice)
    frozen.shift(60)
    late = client.post(url, data={**base, "total": "55", "shown_at": "2026-11-30T14:00:00+00:00"})
    assert late.status_code == 409 and "changed since you selected it" in late.get_data(as_text=True)
    done = client.post(url, data={**base, "total": "55"})
    assert done.status_code == 302 and f"agency_id={ice_id}" in done.headers["Location"]
    with app.app_context():
        assert all(db.session.get(RecordsRequest, i).private for i in at_ice)
        assert not db.session.get(RecordsRequest, at_doj).private
