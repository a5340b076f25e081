"""One status letter per agency: ten overdue ICE requests produce one letter to the FOIA Public Liaison,
stored with each request it names; read back from the PDF with pdftotext; a state agency's cites its law."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from tests.helpers import csrf_token, d, make_agency, make_request, perform
from tests.letters.letters_app_helpers import make_ice, pdf_text
from tracker.core.clock import now_utc, today
from tracker.core.errors import ValidationFailed
from tracker.extensions import db
from tracker.letters import agency_letter
from tracker.letters.models import Letter
from tracker.letters.services import letterhead_from_config
from tracker.letters.sources import roots
from tracker.requests.models import RecordsRequest

LIAISON = "ICE FOIA Public Liaison\n(866) 633-1182"


def _ten_overdue_ice(users) -> list[int]:
    """Ten ICE requests filed in September and October 2026, all past their 20 working days on Nov 30."""
    ice = make_ice(public_liaison=LIAISON)
    ids = []
    for n in range(10):
        req = make_request(users["reporter"], ice, title=f"Working title {n}",
                           subject=f"Records concerning OPR case {n:02d}")
        perform(req, "file", users["reporter"], on=d("2026-09-01").replace(day=1 + n), channel="portal",
                tracking_number=f"2026-ICFO-{n + 1:05d}")
        ids.append(req.id)
    return ids


def _generate(app, user_id, storage, ids=None):
    from tracker.auth.models import User

    user = db.session.get(User, user_id)
    agency = db.session.get(RecordsRequest, (ids or [None])[0]).agency if ids else None
    agency = agency or db.session.scalar(select(RecordsRequest)).agency
    reqs = agency_letter.open_requests(user, agency, ids)
    return agency_letter.generate(reqs, agency_letter.default_options(agency, user), actor=user, now=now_utc(),
                                  today=today(), storage=storage, search=roots(app.config),
                                  letterhead=letterhead_from_config(app.config))


def test_ten_overdue_ice_requests_produce_one_status_letter(app, users, frozen, storage):
    with app.app_context():
        ids = _ten_overdue_ice(users)
        letters = _generate(app, users["reporter"], storage)
        db.session.commit()
        assert len(letters) == 10 and {x.request_id for x in letters} == set(ids)
        assert len({x.sha256 for x in letters}) == 1  # one letter, a copy stored with each request
        assert all(agency_letter.names(x) == sorted(ids) for x in letters)
        pdf = storage.path(letters[0].storage_key).read_bytes()
        text = pdf_text(pdf)
        # Addressed to the liaison, under 552(l), with the statutory references.
        assert "Dear FOIA Public Liaison:" in text and "ICE FOIA Public Liaison" in text
        for cite in ("5 U.S.C. 552(l)", "552(a)(6)(A)(i)", "552(a)(7)(B)(ii)", "552(a)(6)(C)(i)"):
            assert cite in text, cite
        assert "Status of 10 Freedom of Information Act requests pending at ICE" in text
        assert "10 of them are past the time limit" in text
        # Every request: its tracking number, the day received, the due date and how late, in order.
        for n in range(10):
            assert f"2026-ICFO-{n + 1:05d}" in text
            assert f"Working title {n}" not in text  # the newsroom's working titles never reach the agency
        first = letters[0].request
        assert first.response_due is not None
        assert "Received September 1, 2026" in text
        assert re.search(r"2026-ICFO-00001: records concerning OPR case 00\. Received September 1, 2026; "
                         r"determination due September 30, 2026; 40 working days overdue\.", text), text
        assert text.index("2026-ICFO-00001") < text.index("2026-ICFO-00010")
        # The portal text says the same.
        assert "2026-ICFO-00010" in letters[0].text and "5 U.S.C. 552(l)" in letters[0].text


def test_the_letter_lists_only_requests_the_user_may_act_on_and_still_pending(app, users, frozen, storage):
    with app.app_context():
        ice = make_ice(public_liaison=LIAISON)
        mine = make_request(users["reporter"], ice, title="Mine")
        perform(mine, "file", users["reporter"], on=d("2026-10-01"), channel="portal", tracking_number="A-1")
        theirs = make_request(users["other_reporter"], ice, title="Theirs")
        perform(theirs, "file", users["other_reporter"], on=d("2026-10-01"), channel="portal",
                tracking_number="A-2")
        closed = make_request(users["reporter"], ice, title="Closed")
        perform(closed, "file", users["reporter"], on=d("2026-10-01"), channel="portal", tracking_number="A-3")
        perform(closed, "withdraw", users["reporter"], on=d("2026-10-05"))
        make_request(users["reporter"], ice, title="Draft")
        db.session.commit()
        letters = _generate(app, users["reporter"], storage)
        db.session.commit()
        assert [x.request_id for x in letters] == [mine.id]
        text = letters[0].text
        assert "A-1" in text and "A-2" not in text and "A-3" not in text
        assert "Status of 1 Freedom of Information Act request pending" in text
        # An editor may act on every request: both open ones.
        editor_letters = _generate(app, users["editor"], storage)
        assert sorted(x.request_id for x in editor_letters) == sorted([mine.id, theirs.id])


def test_a_selection_across_agencies_or_with_a_closed_request_is_refused_whole(app, users, frozen, storage):
    with app.app_context():
        ice = make_ice()
        doj = make_agency("DOJ Office of Information Policy", "OIP", "US-DOJ")
        a = make_request(users["reporter"], ice, title="At ICE")
        b = make_request(users["reporter"], doj, title="At DOJ")
        for req in (a, b):
            perform(req, "file", users["reporter"], on=d("2026-10-01"), channel="portal")
        db.session.commit()
        with pytest.raises(ValidationFailed, match="one agency"):
            agency_letter.check_selection([a, b])
        perform(a, "withdraw", users["reporter"], on=d("2026-10-05"))
        with pytest.raises(ValidationFailed, match="“At ICE”.*withdrawn"):
            agency_letter.check_selection([a])
        assert db.session.scalar(select(func.count()).select_from(Letter)) == 0


def test_a_state_agency_gets_its_own_law(app, users, frozen, storage):
    with app.app_context():
        cdot = make_agency("Colorado Department of Transportation", "CDOT", "US-CO")
        req = make_request(users["reporter"], cdot, title="Plows", subject="Snowplow contracts")
        perform(req, "file", users["reporter"], on=d("2026-11-02"), channel="email", tracking_number="CO-7")
        db.session.commit()
        letters = _generate(app, users["reporter"], storage)
        text = pdf_text(storage.path(letters[0].storage_key).read_bytes())
        assert "Dear Records Officer:" in text and "24-72-203" in text and "Colorado" in text
        assert "552" not in text and "Public Liaison" not in text
        assert "CO-7" in text and "working days overdue" in text


def test_from_the_agency_page(app, client, auth, users, frozen):
    with app.app_context():
        ids = _ten_overdue_ice(users)
        agency_id = db.session.get(RecordsRequest, ids[0]).agency_id
        db.session.commit()
    auth.login("reporter")
    page = client.get(f"/agencies/{agency_id}").get_data(as_text=True)
    assert f"/agencies/{agency_id}/status-letter" in page
    form = client.get(f"/agencies/{agency_id}/status-letter")
    assert form.status_code == 200
    html = form.get_data(as_text=True)
    assert "10 requests in the letter" in html and 'data-testid="preview"' in html
    token = csrf_token(client, f"/agencies/{agency_id}/status-letter")
    done = client.post(f"/agencies/{agency_id}/status-letter", data={
        "csrf_token": token, "do": "generate", "channel": "portal", "requester_name": "Reporter",
        "requester_email": "reporter@test.example", "custom_text": "I am happy to narrow any of these."})
    assert done.status_code == 302 and "/letters/" in done.headers["Location"]
    shown = client.get(done.headers["Location"]).get_data(as_text=True)
    assert "One letter to ICE naming 10 requests; the same letter is stored with each of them." in shown
    assert f"/agencies/{agency_id}/status-letter" in shown  # a new version is written from the agency page
    with app.app_context():
        stored = list(db.session.scalars(select(Letter).order_by(Letter.request_id)))
        assert [x.request_id for x in stored] == sorted(ids)
        assert all("I am happy to narrow any of these." in x.text for x in stored)
    # Nobody else's requests: another reporter has nothing pending there to write about.
    auth.logout()
    auth.login("other_reporter")
    other = client.get(f"/agencies/{agency_id}/status-letter").get_data(as_text=True)
    assert "No request is pending" in other


def test_a_private_request_goes_in_a_letter_only_on_its_own(app, client, auth, users, frozen, storage):
    """The letter is stored with each request it names: beside a public one, a private request's tracking
    number and subject would show to every colleague who may read the public one."""
    with app.app_context():
        ice = make_ice(public_liaison=LIAISON)
        public = make_request(users["reporter"], ice, title="Public one")
        secret = make_request(users["reporter"], ice, title="Secret one", private=True,
                              subject="Records concerning informant payments")
        for req, number in ((public, "P-1"), (secret, "S-1")):
            perform(req, "file", users["reporter"], on=d("2026-10-01"), channel="portal", tracking_number=number)
        db.session.commit()
        agency_id, ids = ice.id, [public.id, secret.id]
        with pytest.raises(ValidationFailed, match=f"private request goes in a status letter only on its own.*"
                                                   f"“Secret one” \\(#{secret.id}\\)"):
            agency_letter.check_selection([public, secret])
        assert agency_letter.check_selection([secret]).id == agency_id  # alone, it is stored only with itself
        letters = _generate(app, users["reporter"], storage)
        assert [x.request_id for x in letters] == [public.id]
        assert "S-1" not in letters[0].text and "informant" not in letters[0].text
        db.session.commit()
    auth.login("reporter")
    page = client.get(f"/agencies/{agency_id}/status-letter").get_data(as_text=True)
    assert "1 private request is left out" in page and "Secret one" not in page
    refused = client.post("/requests/bulk", data={"csrf_token": csrf_token(client, "/requests"),
                                                  "action": "agency_letter", "ids": [str(i) for i in ids]})
    assert refused.status_code == 422 and "Leave out “Secret one”" in refused.get_data(as_text=True)
