"""Proposals from agency letters on real requests: made when `letter_received` is sent (and only for a trusted
sender), shown on the request page with their sentence, accepted through the normal action form with the fields
filled in (the deadlines move), dismissed; the owner and watchers told by email; nothing changes without a person."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

from sqlalchemy import select

from tests.helpers import make_agency, make_request, perform
from tests.mail.mail_out_support import letter_text
from tracker.agencies.models import Agency
from tracker.auth.models import User
from tracker.core.clock import now_utc
from tracker.core.mail import OutboxMessage
from tracker.core.storage import DirectoryStorage
from tracker.extensions import db
from tracker.mail.proposal_models import Proposal
from tracker.mail.signals import letter_received
from tracker.reminders.models import ReminderPreference
from tracker.requests import services
from tracker.requests.models import Event, RecordsRequest

DEC_9 = datetime(2026, 12, 9, 15, 0, tzinfo=UTC)


def _filed_request(app, users, *, watchers=("editor",), private=False) -> int:
    """An ICE request filed on 2026-11-30 by portal (the agency received it that day)."""
    with app.app_context():
        agency = db.session.scalar(select(Agency).where(Agency.name == "ICE FOIA Office")) or make_agency()
        req = make_request(users["reporter"], agency, title="OPR report, Denver", private=private)
        req.watchers = [db.session.get(User, users[w]) for w in watchers]
        perform(req, "file", users["reporter"], on=date(2026, 11, 30), channel="mail")
        db.session.commit()
        return req.id


def _letter(app, request_id: int, name: str, *, trusted: bool = True, on: date = date(2026, 12, 9)) -> int:
    """The agency's letter filed as mail-in files an email, and the signal mail-in sends."""
    with app.app_context():
        req = db.session.get(RecordsRequest, request_id)
        comm = services.add_communication(req, actor=None, now=now_utc(), storage=DirectoryStorage(
            app.config["TRACKER_UPLOAD_DIR"]), direction="in", channel="email", occurred_on=on,
            subject="Your FOIA request", body=letter_text(name))
        letter_received.send(comm, text=letter_text(name), trusted=trusted)
        db.session.commit()
        return comm.id


def _proposals(app, request_id: int) -> list[tuple[str, str, dict]]:
    with app.app_context():
        rows = db.session.scalars(select(Proposal).where(Proposal.request_id == request_id).order_by(Proposal.id))
        return [(p.kind, p.status, dict(p.fields)) for p in rows]


def test_a_trusted_letter_proposes_and_tells_owner_and_watchers(app, frozen, users):
    frozen.move_to(DEC_9)
    request_id = _filed_request(app, users, watchers=("editor", "other_reporter"))
    with app.app_context():  # the other reporter muted agency letters
        db.session.add(ReminderPreference(user_id=users["other_reporter"], mode="immediate",
                                          muted_kinds=["agency_letter"]))
        db.session.commit()
    comm_id = _letter(app, request_id, "ice_acknowledgment")
    assert _proposals(app, request_id) == [("acknowledgment", "pending", {
        "on": "2026-12-08", "tracking_number": "2026-ICFO-01234", "received_on": "2026-12-02"})]
    with app.app_context():
        req = db.session.get(RecordsRequest, request_id)
        assert req.status == "filed" and req.acknowledged_on is None  # nothing changed without a person
        mails = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.to_address)).all()
        assert [m.to_address for m in mails] == ["editor@test.example", "reporter@test.example"]
        assert mails[0].subject == "ICE answered 2026-ICFO-01234: proposed acknowledgment 2026-ICFO-01234"
        assert "This acknowledges receipt" in mails[0].text_body and f"/requests/{request_id}#proposals" in \
            mails[0].text_body
        comm = db.session.get(services.Communication, comm_id)
        letter_received.send(comm, text=letter_text("ice_acknowledgment"), trusted=True)  # read twice: once
        db.session.commit()
        assert db.session.scalar(select(db.func.count(Proposal.id))) == 1
        assert db.session.scalar(select(db.func.count(OutboxMessage.id))) == 2


def test_an_unverified_sender_proposes_nothing(app, frozen, users):
    frozen.move_to(DEC_9)
    request_id = _filed_request(app, users)
    _letter(app, request_id, "ice_acknowledgment", trusted=False)
    assert _proposals(app, request_id) == []


def test_a_determination_email_headline(app, frozen, users):
    frozen.move_to(datetime(2027, 3, 4, 15, 0, tzinfo=UTC))
    request_id = _filed_request(app, users, watchers=())
    _letter(app, request_id, "ice_determination_partial", on=date(2027, 3, 3))
    with app.app_context():
        [mail] = db.session.scalars(select(OutboxMessage)).all()
        assert mail.subject == "ICE answered “OPR report, Denver”: proposed partial grant, 14 pages"


def test_letter_reading_that_fails_never_loses_the_letter(app, frozen, users, monkeypatch):
    from tracker.mail import reading

    frozen.move_to(DEC_9)
    request_id = _filed_request(app, users)

    def broken(*_a, **_k):
        raise RuntimeError("boom")

    monkeypatch.setattr(reading, "read", broken)
    comm_id = _letter(app, request_id, "ice_acknowledgment")
    with app.app_context():
        assert db.session.get(services.Communication, comm_id) is not None
    assert _proposals(app, request_id) == []


def _csrf(client, url: str) -> str:
    html = client.get(url).get_data(as_text=True)
    return re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', html).group(1)


def test_accept_acknowledgment_opens_the_action_form_filled_in_and_moves_the_deadlines(app, frozen, users, auth,
                                                                                       client):
    frozen.move_to(DEC_9)
    request_id = _filed_request(app, users)
    _letter(app, request_id, "ice_acknowledgment")
    with app.app_context():
        before = db.session.get(RecordsRequest, request_id).response_due
        assert before is None  # mailed: the day the agency received it is not known yet
        proposal_id = db.session.scalar(select(Proposal.id))
    auth.login("reporter")
    page = client.get(f"/requests/{request_id}").get_data(as_text=True)
    assert "This acknowledges receipt of your Freedom of Information Act (FOIA) request" in page
    assert "Acknowledgment: number 2026-ICFO-01234, received 2026-12-02" in page
    form = client.get(f"/requests/{request_id}/proposals/{proposal_id}").get_data(as_text=True)
    assert 'name="tracking_number" type="text" value="2026-ICFO-01234"' in form
    assert 'name="received_on" type="date" value="2026-12-02"' in form and 'value="2026-12-08"' in form
    response = client.post(f"/requests/{request_id}/proposals/{proposal_id}", data={
        "csrf_token": _csrf(client, f"/requests/{request_id}/proposals/{proposal_id}"), "on": "2026-12-08",
        "tracking_number": "2026-ICFO-01234", "received_on": "2026-12-02", "note": ""})
    assert response.status_code == 302
    with app.app_context():
        req = db.session.get(RecordsRequest, request_id)
        assert req.status == "acknowledged" and req.acknowledged_on == date(2026, 12, 8)
        assert req.received_on == date(2026, 12, 2) and req.primary_tracking_number == "2026-ICFO-01234"
        assert req.response_due == date(2026, 12, 31)  # 20 working days from Dec 2 (Christmas skipped)
        proposal = db.session.get(Proposal, proposal_id)
        assert proposal.status == "accepted" and proposal.decided_by_id == users["reporter"]
        assert proposal.event.action == "acknowledge"
    page = client.get(f"/requests/{request_id}").get_data(as_text=True)
    assert 'data-testid="proposal"' not in page
    again = client.post(f"/requests/{request_id}/proposals/{proposal_id}", data={
        "csrf_token": _csrf(client, f"/requests/{request_id}"), "on": "2026-12-08"})
    assert again.status_code == 409


def test_an_emailed_acknowledgment_with_no_date_of_its_own_is_recorded_in_one_click(app, frozen, users, client):
    """The letter names the day our request was dated (before it was filed) and the day it was received; neither
    is the letter's own date, which is the day it arrived: one click records it as read."""
    from tests.mail.mail_out_support import api_headers

    frozen.move_to(datetime(2026, 12, 3, 15, 0, tzinfo=UTC))
    request_id = _filed_request(app, users)
    body = ("This acknowledges receipt of your FOIA request to ICE, dated November 28, 2026, and received by the "
            "ICE FOIA Office on December 2, 2026. Your request has been assigned number 2026-ICFO-01234.")
    with app.app_context():
        comm = services.add_communication(
            db.session.get(RecordsRequest, request_id), actor=None, now=now_utc(),
            storage=DirectoryStorage(app.config["TRACKER_UPLOAD_DIR"]), direction="in", channel="email",
            occurred_on=date(2026, 12, 3), subject="FOIA request received", body=body)
        letter_received.send(comm, text=body, trusted=True)
        db.session.commit()
    [(kind, _status, fields)] = _proposals(app, request_id)
    assert (kind, fields["on"], fields["received_on"]) == ("acknowledgment", "2026-12-03", "2026-12-02")
    with app.app_context():
        proposal_id = db.session.scalar(select(Proposal.id))
    accepted = client.post(f"/api/v1/proposals/{proposal_id}/accept", headers=api_headers(app, users["reporter"]),
                           json={})
    assert accepted.status_code == 200, accepted.json
    with app.app_context():
        req = db.session.get(RecordsRequest, request_id)
        assert (req.status, req.acknowledged_on, req.received_on) == ("acknowledged", date(2026, 12, 3),
                                                                      date(2026, 12, 2))


def test_edited_fields_win_and_a_bad_field_is_refused_on_the_form(app, frozen, users, auth, client):
    frozen.move_to(datetime(2027, 1, 7, 15, 0, tzinfo=UTC))
    request_id = _filed_request(app, users)
    _letter(app, request_id, "ice_fee_estimate", on=date(2027, 1, 6))
    with app.app_context():
        proposal_id = db.session.scalar(select(Proposal.id))
    auth.login("reporter")
    url = f"/requests/{request_id}/proposals/{proposal_id}"
    form = client.get(url).get_data(as_text=True)
    assert 'value="115.00"' in form and 'value="2027-01-27"' in form
    bad = client.post(url, data={"csrf_token": _csrf(client, url), "on": "2027-01-06", "amount": "-5",
                                 "our_answer_due_on": "2027-01-27"})
    assert bad.status_code == 422
    ok = client.post(url, data={"csrf_token": _csrf(client, url), "on": "2027-01-06", "amount": "120.00",
                                "our_answer_due_on": "2027-01-28"})
    assert ok.status_code == 302
    with app.app_context():
        req = db.session.get(RecordsRequest, request_id)
        assert req.status == "awaiting_fees" and str(req.fees_estimated) == "120.00"
        assert req.our_answer_due_on == date(2027, 1, 28) and req.open_tolled_span is not None


def test_still_interested_and_estimated_completion_set_dates(app, frozen, users, auth, client):
    frozen.move_to(datetime(2027, 2, 3, 15, 0, tzinfo=UTC))
    request_id = _filed_request(app, users)
    _letter(app, request_id, "ice_still_interested", on=date(2027, 2, 2))
    _letter(app, request_id, "ice_estimated_completion", on=date(2027, 1, 12))
    with app.app_context():
        ids = dict(db.session.execute(select(Proposal.kind, Proposal.id)).all())
    auth.login("reporter")
    for kind, value in (("still_interested", "2027-02-16"), ("estimated_completion", "2027-04-30")):
        url = f"/requests/{request_id}/proposals/{ids[kind]}"
        assert f'value="{value}"' in client.get(url).get_data(as_text=True)
        assert client.post(url, data={"csrf_token": _csrf(client, url), "on": value}).status_code == 302
    with app.app_context():
        req = db.session.get(RecordsRequest, request_id)
        assert req.our_answer_due_on == date(2027, 2, 16) and req.follow_up_on == date(2027, 4, 30)
        assert req.status == "filed"


def test_appeal_acknowledgment_records_the_appeal_number(app, frozen, users, auth, client):
    frozen.move_to(datetime(2027, 5, 11, 15, 0, tzinfo=UTC))
    request_id = _filed_request(app, users)
    with app.app_context():
        req = db.session.get(RecordsRequest, request_id)
        perform(req, "determine", users["reporter"], on=date(2027, 3, 3), outcome="granted_in_part")
        perform(req, "appeal", users["reporter"], on=date(2027, 5, 1))
        db.session.commit()
    _letter(app, request_id, "oip_appeal_acknowledgment", on=date(2027, 5, 10))
    with app.app_context():
        proposal_id = db.session.scalar(select(Proposal.id).where(Proposal.kind == "appeal_acknowledgment"))
    auth.login("reporter")
    url = f"/requests/{request_id}/proposals/{proposal_id}"
    assert 'value="A-2027-01877"' in client.get(url).get_data(as_text=True)
    assert client.post(url, data={"csrf_token": _csrf(client, url), "tracking_number": "A-2027-01877"}
                       ).status_code == 302
    with app.app_context():
        req = db.session.get(RecordsRequest, request_id)
        assert [(t.kind, t.number) for t in req.tracking_numbers] == [("appeal", "A-2027-01877")]


def test_a_proposal_the_status_no_longer_allows_is_refused_with_the_reason(app, frozen, users, auth, client):
    frozen.move_to(datetime(2027, 3, 4, 15, 0, tzinfo=UTC))
    request_id = _filed_request(app, users)
    _letter(app, request_id, "ice_extension", on=date(2026, 12, 10))
    with app.app_context():
        req = db.session.get(RecordsRequest, request_id)
        perform(req, "determine", users["reporter"], on=date(2027, 3, 3), outcome="denied")
        db.session.commit()
        proposal_id = db.session.scalar(select(Proposal.id))
    auth.login("reporter")
    page = client.get(f"/requests/{request_id}/proposals/{proposal_id}")
    assert page.status_code == 409 and "is not possible while the request is" in page.get_data(as_text=True)
    dismissed = client.post(f"/requests/{request_id}/proposals/{proposal_id}/dismiss",
                            data={"csrf_token": _csrf(client, f"/requests/{request_id}")})
    assert dismissed.status_code == 302
    assert _proposals(app, request_id)[0][1] == "dismissed"
    with app.app_context():
        assert db.session.get(RecordsRequest, request_id).status == "determined"


def test_who_may_see_and_decide(app, frozen, users, auth, client):
    frozen.move_to(DEC_9)
    request_id = _filed_request(app, users, watchers=())
    other_id = _filed_request(app, users, watchers=())
    _letter(app, request_id, "ice_acknowledgment")
    with app.app_context():
        proposal_id = db.session.scalar(select(Proposal.id))
    auth.login("other_reporter")
    page = client.get(f"/requests/{request_id}").get_data(as_text=True)
    assert "This acknowledges receipt" in page and 'data-testid="accept"' not in page  # sees, may not act
    assert client.get(f"/requests/{request_id}/proposals/{proposal_id}").status_code == 403
    token = _csrf(client, f"/requests/{request_id}")
    assert client.post(f"/requests/{request_id}/proposals/{proposal_id}/dismiss",
                       data={"csrf_token": token}).status_code == 403
    auth.logout()
    auth.login("reporter")
    assert client.get(f"/requests/{other_id}/proposals/{proposal_id}").status_code == 404  # not this request's
    assert client.get(f"/requests/{request_id}/proposals/999999").status_code == 404
    assert _proposals(app, request_id)[0][1] == "pending"
    with app.app_context():
        assert db.session.scalar(select(db.func.count(Event.id)).where(Event.request_id == request_id)) == 3


def test_a_portal_notice_tells_the_owner_a_letter_waits_in_the_portal(app, frozen, users, auth, client):
    frozen.move_to(DEC_9)
    request_id = _filed_request(app, users, watchers=())
    with app.app_context():
        req = db.session.get(RecordsRequest, request_id)
        req.agency.portal_url = "https://foiarequest.dhs.gov/"
        db.session.commit()
    _letter(app, request_id, "ice_portal_notice")
    assert [k for k, _s, _f in _proposals(app, request_id)] == ["portal_notice"]
    with app.app_context():
        [mail] = db.session.scalars(select(OutboxMessage)).all()
        assert mail.to_address == "reporter@test.example"
        assert mail.subject == "ICE updated 2026-ICFO-01234: a letter waits in the agency's portal"
        proposal_id = db.session.scalar(select(Proposal.id))
    auth.login("reporter")
    page = client.get(f"/requests/{request_id}").get_data(as_text=True)
    assert "A letter waits in the agency’s portal" in page and 'href="https://foiarequest.dhs.gov/"' in page
    url = f"/requests/{request_id}/proposals/{proposal_id}"
    assert client.post(url, data={"csrf_token": _csrf(client, url)}).status_code == 302
    assert _proposals(app, request_id)[0][1] == "accepted"
    with app.app_context():
        assert db.session.get(RecordsRequest, request_id).status == "filed"
