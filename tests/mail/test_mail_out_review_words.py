"""What the request page, the accept page and the API say about proposals, checked word for word: the count of
proposals an uploaded letter made (not all that wait), a proposal that cannot be accepted now shown without its
button and with the reason (the one rule accept() applies), and the exemptions hint of the determination form."""

from __future__ import annotations

import io
import re
from datetime import date

from sqlalchemy import select

from tests.helpers import perform
from tests.mail.mail_out_support import api_headers, letter_text
from tests.mail.test_mail_out_upload import MARCH_4, _csrf, _request, determination_pdf
from tracker.core.clock import now_utc
from tracker.core.storage import DirectoryStorage
from tracker.extensions import db
from tracker.mail.proposal_models import Proposal
from tracker.mail.signals import letter_received
from tracker.requests import services
from tracker.requests.models import RecordsRequest


def _letter(app, request_id: int, name: str, on: date) -> None:
    """The agency's letter filed as an email, read as mail-in reads it."""
    with app.app_context():
        req = db.session.get(RecordsRequest, request_id)
        comm = services.add_communication(req, actor=None, now=now_utc(), storage=DirectoryStorage(
            app.config["TRACKER_UPLOAD_DIR"]), direction="in", channel="email", occurred_on=on,
            subject=f"Letter of {on.isoformat()}", body=letter_text(name))
        letter_received.send(comm, text=letter_text(name), trusted=True)
        db.session.commit()


def _ids(app, request_id: int) -> dict[str, list[int]]:
    with app.app_context():
        out: dict[str, list[int]] = {}
        for kind, pid in db.session.execute(select(Proposal.kind, Proposal.id).where(
                Proposal.request_id == request_id).order_by(Proposal.id)):
            out.setdefault(kind, []).append(pid)
        return out


def _cards(page: str) -> dict[str, str]:
    """The request page's proposal cards, by the proposal id in their accept or dismiss address."""
    cards = re.findall(r'<li class="proposal .*?</li>', page, re.S)
    return {re.search(r"/proposals/(\d+)", c).group(1): c for c in cards}


def test_the_upload_message_counts_the_proposals_of_this_letter_only(app, frozen, users, auth, client):
    frozen.move_to(MARCH_4)
    request_id = _request(app, users)
    _letter(app, request_id, "ice_acknowledgment", date(2026, 12, 8))  # one proposal waits already
    auth.login("reporter")
    url = f"/requests/{request_id}/agency-letter"

    def upload(data: bytes, name: str) -> str:
        return client.post(url, content_type="multipart/form-data", follow_redirects=True, data={
            "csrf_token": _csrf(client, f"/requests/{request_id}"), "channel": "portal", "occurred_on": "2027-03-03",
            "file": (io.BytesIO(data), name)}).get_data(as_text=True)

    page = upload(determination_pdf(), "ICE final response.pdf")
    assert "The tracker read it: 1 proposal to review below." in page
    page = upload(b"Just a note from the agency about lunch.", "note.txt")  # two proposals wait; it made none
    assert "The tracker found no next step in it." in page and "proposals to review" not in page
    assert len(_ids(app, request_id)) == 2


def test_a_proposal_not_possible_now_shows_the_reason_and_no_button(app, frozen, users, auth, client):
    frozen.move_to(MARCH_4)
    request_id = _request(app, users)
    _letter(app, request_id, "ice_acknowledgment", date(2026, 12, 8))
    _letter(app, request_id, "ice_extension", date(2026, 12, 10))
    _letter(app, request_id, "ice_extension", date(2026, 12, 11))  # the agency says it twice
    ids = _ids(app, request_id)
    ack, (first, second) = ids["acknowledgment"][0], ids["extension"]
    auth.login("reporter")
    url = f"/requests/{request_id}/proposals/{first}"
    accepted = client.post(url, data={"csrf_token": _csrf(client, url), "on": "2026-12-10"})
    assert accepted.status_code == 302
    with app.app_context():
        assert db.session.get(RecordsRequest, request_id).extended

    cards = _cards(client.get(f"/requests/{request_id}").get_data(as_text=True))
    assert set(cards) == {str(ack), str(second)}
    assert 'data-testid="accept"' in cards[str(ack)] and "why-not" not in cards[str(ack)]
    assert 'data-testid="accept"' not in cards[str(second)]  # no button for what would be refused
    assert "An extension notice is already recorded." in cards[str(second)]
    assert 'data-testid="dismiss"' in cards[str(second)]

    url = f"/requests/{request_id}/proposals/{second}"  # the accept page refuses with the same words
    page = client.get(url)
    assert page.status_code == 409 and "An extension notice is already recorded." in page.get_data(as_text=True)
    refused = client.post(url, data={"csrf_token": _csrf(client, f"/requests/{request_id}"), "on": "2026-12-11"})
    assert refused.status_code == 409

    headers = api_headers(app, users["reporter"])  # the API says the same, and refuses the same
    items = {p["id"]: p for p in client.get(f"/api/v1/requests/{request_id}/proposals", headers=headers).json["items"]}
    assert (items[ack]["acceptable"], items[ack]["why_not"]) == (True, None)
    assert (items[second]["acceptable"], items[second]["why_not"]) == (False,
                                                                         "An extension notice is already recorded.")
    response = client.post(f"/api/v1/proposals/{second}/accept", headers=headers, json={})
    assert response.status_code == 409
    assert response.json["error"]["message"] == "An extension notice is already recorded."

    with app.app_context():  # the agency decides: the acknowledgment is moot too, its status says why
        req = db.session.get(RecordsRequest, request_id)
        perform(req, "determine", users["reporter"], on=date(2027, 3, 3), outcome="denied")
        db.session.commit()
    _letter(app, request_id, "ice_determination_partial", date(2027, 3, 3))
    determination = _ids(app, request_id)["determination"][0]
    cards = _cards(client.get(f"/requests/{request_id}").get_data(as_text=True))
    assert 'data-testid="accept"' not in "".join(cards.values())
    assert ("“Record a determination” is not possible while the request is “Determination received”."
            in cards[str(determination)])
    assert ("“Record acknowledgment” is not possible while the request is “Determination received”."
            in cards[str(ack)])
    page = client.get(f"/requests/{request_id}/proposals/{determination}").get_data(as_text=True)
    assert ("“Record a determination” is not possible while the request is “Determination received”. Dismiss the "
            "proposal, or record what happened another way.") in page
    items = client.get(f"/api/v1/requests/{request_id}/proposals", headers=headers).json["items"]
    assert {p["acceptable"] for p in items} == {False}
    response = client.post(f"/api/v1/proposals/{determination}/accept", headers=headers, json={})
    assert response.status_code == 409 and response.json["error"]["code"] == "action_not_allowed"
    with app.app_context():
        assert db.session.get(RecordsRequest, request_id).outcome == "denied"  # nothing changed


def test_the_determination_form_hint_fits_its_checkboxes(app, frozen, users, auth, client):
    frozen.move_to(MARCH_4)
    request_id = _request(app, users)
    _letter(app, request_id, "ice_determination_partial", date(2027, 3, 3))
    auth.login("reporter")
    page = client.get(f"/requests/{request_id}/proposals/{_ids(app, request_id)['determination'][0]}"
                      ).get_data(as_text=True)
    assert 'type="checkbox"' in page and 'value="b7C" checked' in page
    assert "Ctrl" not in page and "Tick every exemption the letter cites." in page
