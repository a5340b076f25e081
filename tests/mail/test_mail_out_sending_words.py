# ruff: noqa: F811  (pytest fixtures imported from mail_out_support, then named as arguments)
"""What the letter page and the API say when a letter cannot go by email, or goes to too many addresses: the
portal-only refusal points where the portal text is on each page (and nowhere in the API), a portal-only agency
is pointed to its portal with or without a mailbox, and "To" takes one address, said in words."""

from __future__ import annotations

import re

from tests.letters.letters_app_helpers import make_fixed_request, make_ice
from tests.mail.mail_out_support import api_headers, generate_letter, mailbox  # noqa: F401  (fixture)
from tests.mail.test_mail_out_upload import _csrf
from tracker.extensions import db


def _portal_only_letter(app, users) -> int:
    with app.app_context():
        req = make_fixed_request(users["reporter"], make_ice(portal_only=True))
        letter = generate_letter(app, req, "foia_request", users["reporter"])
        db.session.commit()
        return letter.id


def test_the_portal_only_refusal_points_where_the_text_is(app, frozen, users, auth, client, mailbox):
    letter_id = _portal_only_letter(app, users)
    auth.login("reporter")
    page = client.get(f"/letters/{letter_id}").get_data(as_text=True)
    refusal = re.search(r'data-testid="email-refusal">(.*?)</p>', page, re.S).group(1)
    assert "below" not in refusal
    assert '<a href="#portal-text">The text to paste is above, under “Text for the agency portal”.</a>' in refusal
    assert page.index('id="portal-text"') < page.index('data-testid="email-refusal"')  # above, truly
    response = client.post(f"/api/v1/letters/{letter_id}/send", json={}, headers=api_headers(app, users["reporter"]))
    assert response.status_code == 409
    message = response.json["error"]["message"]
    assert "below" not in message and "above" not in message
    assert message.endswith("Paste the letter's text into the portal, then record the letter as sent.")


def test_a_portal_only_agency_is_pointed_to_its_portal_even_without_a_mailbox(app, frozen, users, auth, client):
    letter_id = _portal_only_letter(app, users)
    auth.login("reporter")
    page = client.get(f"/letters/{letter_id}").get_data(as_text=True)
    assert "takes requests only through its online portal" in page and "send it yourself" not in page


def test_one_address_in_to_is_said_in_words(app, frozen, users, auth, client, mailbox):
    with app.app_context():
        req = make_fixed_request(users["reporter"], make_ice())
        letter_id = generate_letter(app, req, "foia_request", users["reporter"]).id
        db.session.commit()
    response = client.post(f"/api/v1/letters/{letter_id}/send", json={"to": "a@x.example, b@x.example"},
                           headers=api_headers(app, users["reporter"]))
    assert response.status_code == 422
    assert response.json["error"]["fields"]["to"] == "Give one address only."
    auth.login("reporter")
    page = client.post(f"/letters/{letter_id}/email", data={
        "csrf_token": _csrf(client, f"/letters/{letter_id}"), "to": "a@x.example, b@x.example"})
    assert page.status_code == 422 and "Give one address only." in page.get_data(as_text=True)
    assert "At most 1 " not in page.get_data(as_text=True)


def test_the_dhs_rule_is_given_as_the_reason_only_for_a_dhs_component(app, frozen, users, auth, client, mailbox):
    with app.app_context():
        ice = make_fixed_request(users["reporter"], make_ice(portal_only=True))
        fbi = make_fixed_request(users["reporter"], make_ice(
            name="Federal Bureau of Investigation", abbreviation="FBI", jurisdiction="US", portal_only=True,
            portal_url="https://efoia.fbi.gov/"))
        ids = [generate_letter(app, req, "foia_request", users["reporter"]).id for req in (ice, fbi)]
        db.session.commit()
    headers = api_headers(app, users["reporter"])
    ice_says, fbi_says = (client.post(f"/api/v1/letters/{i}/send", json={}, headers=headers).json["error"]["message"]
                            for i in ids)
    assert "(DHS has required this of ICE and every DHS component since January 2026)" in ice_says
    assert fbi_says == ("Federal Bureau of Investigation (FBI) takes requests only through its online portal at "
                        "https://efoia.fbi.gov/, not by email. Paste the letter's text into the portal, then record "
                        "the letter as sent.")
