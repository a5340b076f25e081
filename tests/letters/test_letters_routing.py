"""Where a letter goes and what the agency is told: category (iv) to the office the regulations name, appeals to
the appeal authority (the determination letter's instructions win), the agency-facing subject instead of the working
title, and the letters index offering only the letters that fit the request's stage (issue 14)."""

from __future__ import annotations

from datetime import date

from tests.helpers import csrf_token, perform
from tests.letters.stage_helpers import letter_text, make_fbi, make_ice, request_at
from tracker.auth.models import User
from tracker.core.clock import now_utc, today
from tracker.extensions import db
from tracker.letters import services, sources


def test_category_iv_goes_to_the_senior_director_of_foia_operations(app, db, users, frozen):
    req = request_at("pending", make_ice(), users["reporter"], frozen)
    text, missing, _pdf = letter_text(app, req, "expedite_request", users["reporter"], expedited_category="iv",
                                      expedited_justification="The cards drew national coverage for weeks.")
    assert missing == []
    head = text.split("Re:")[0]
    assert "Senior Director of FOIA Operations DHS Privacy Office Mail Stop 0655" in " ".join(head.split())
    assert "ICE FOIA Office 500 12th St" not in head
    for phrase in ("Dear Senior Director of FOIA Operations:", "6 C.F.R. 5.5(e)(1)(iv)",
                   "Under 6 C.F.R. 5.5(e)(2), a request for expedited processing on this ground is decided by the "
                   "Senior Director of FOIA Operations, DHS Privacy Office, to whom I address it; I am sending a copy "
                   "to ICE", "cc: ICE FOIA Office (request 2026-ICFO-01234)",
                   "I certify that the statements above are true and correct"):
        assert phrase in text, phrase
    # Without that office in the directory, the letter lists what is missing instead of going to ICE.
    req.agency.expedited_iv_office = None
    text, missing, _pdf = letter_text(app, req, "expedite_request", users["reporter"], expedited_category="iv",
                                      expedited_justification="National coverage.")
    assert text is None
    assert [m.label for m in missing] == ["The office of the Senior Director of FOIA Operations that decides "
                                          "category (iv) requests, in the agency directory"]


def test_category_ii_always_says_the_requester_disseminates_information(app, db, users, frozen):
    req = request_at("pending", make_fbi(), users["reporter"], frozen)
    text, _missing, _pdf = letter_text(app, req, "foia_request", users["reporter"],
                                       expedited_public_need="the jury heard only part of the evidence",
                                       expedited_why_now="the Senate votes on the bill next week")
    for phrase in ("I am primarily engaged in disseminating information: I am a journalist with The Mountain "
                   "Dispatch", "The Mountain Dispatch publishes news daily online to about 200,000 readers a month.",
                   "The public needs this information because the jury heard only part of the evidence.",
                   "It is urgent now because the Senate votes on the bill next week.", "28 C.F.R. 16.5(e)(1)(ii)"):
        assert phrase in text, phrase


def test_the_determination_letters_appeal_instructions_win_over_the_directory(app, db, users, frozen):
    req = request_at("determined", make_fbi(), users["reporter"], frozen)
    req.determinations[0].appeal_office = "Office of Information Policy, FOIA Appeals"
    req.determinations[0].appeal_email = "oip.appeals@example.gov"
    req.determinations[0].appeal_deadline_stated = "within 90 days of the date of my response"
    text, missing, _pdf = letter_text(app, req, "appeal", users["reporter"], channel="email")
    assert missing == []
    assert "Office of Information Policy, FOIA Appeals" in text and "By email to oip.appeals@example.gov" in text
    assert "441 G St NW" not in text  # the directory's address is not mixed in
    assert "the agency's letter allows an appeal within 90 days of the date of my response" in text
    # Mailed: the letter names no address, so the appeal lists it as missing (never falls back to the portal).
    _text, missing, _pdf = letter_text(app, req, "appeal", users["reporter"], channel="mail")
    assert [m.label for m in missing] == ["The appeal mailing address (for a mailed appeal)"]


def test_the_agency_sees_the_subject_never_the_working_title(app, db, users, frozen, storage):
    req = request_at("pending", make_ice(), users["reporter"], frozen)
    req.subject = "Records of the investigation of the Denver Field Office cards"
    reporter = db.session.get(User, users["reporter"])
    options = services.default_options(req, "status_inquiry", reporter)
    letter = services.generate_letter(req, "status_inquiry", options, actor=reporter, now=now_utc(), today=today(),
                                      storage=storage, search=sources.roots(app.config), letterhead={})
    assert "Records of the investigation of the Denver Field Office cards" in letter.text
    assert "Working title" not in letter.text
    comm = services.record_as_sent(letter, services.SendInput(on=date(2026, 11, 30), channel="portal"),
                                   actor=reporter, now=now_utc(), today=today(), storage=storage)
    assert comm.subject == "Status inquiry: Records of the investigation of the Denver Field Office cards"


def test_the_letters_page_offers_what_fits_the_stage(app, client, auth, users, frozen):
    with app.app_context():
        req = request_at("pending", make_ice(), users["reporter"], frozen)
        db.session.commit()
        request_id = req.id
    auth.login("reporter")
    page = client.get(f"/requests/{request_id}/letters").get_data(as_text=True)
    ogis = page.split('data-kind="ogis_mediation"')[1].split("</li>")[0]
    assert 'class="not-offered"' in page.split('data-kind="ogis_mediation"')[0][-40:] or "aria-disabled" in ogis
    assert "Not now: OGIS mediates a dispute, and none is recorded" in ogis
    assert "/letters/new/ogis_mediation" not in ogis
    compose = client.get(f"/requests/{request_id}/letters/new/ogis_mediation").get_data(as_text=True)
    assert "OGIS mediates a dispute, and none is recorded" in compose  # listed as what the letter lacks

    with app.app_context():
        req = db.session.get(type(req), request_id)
        perform(req, "determine", users["reporter"], on=date(2026, 11, 25), outcome="denied")
        perform(req, "appeal", users["reporter"], on=date(2026, 11, 26), tracking_number="2026-ICAP-00042")
        db.session.commit()
    page = client.get(f"/requests/{request_id}/letters").get_data(as_text=True)
    assert "An appeal filed on November 26, 2026 (2026-ICAP-00042) is still pending." in page
    url = f"/requests/{request_id}/letters/new/appeal"
    compose = client.get(url).get_data(as_text=True)
    assert 'name="confirm_second_appeal"' in compose and 'data-testid="appeal-check"' in compose
    data = {"csrf_token": csrf_token(client, url), "do": "preview", "channel": "mail", "requester_name": "Reporter",
            "determination_kind": "full_denial"}
    preview = client.post(url, data=data).get_data(as_text=True)
    assert 'data-testid="missing"' in preview and "Confirm that you mean to file another appeal" in preview
    preview = client.post(url, data={**data, "confirm_second_appeal": "y"}).get_data(as_text=True)
    assert 'data-testid="missing"' not in preview
    assert "This is a separate appeal" in preview and "is still pending" in preview
