"""Exemptions named in a determination letter's text, proposed for that determination's Vaughn index."""

from __future__ import annotations

import io

import pytest

from tests.documents import makers
from tests.documents.support import extract
from tests.helpers import d, make_agency, make_request, perform
from tracker.documents.exemptions import find_exemptions
from tracker.extensions import db
from tracker.requests.services import CommunicationInput, Upload


@pytest.mark.parametrize("text, codes", [
    ("withheld under (b)(6) and (b)(7)(C)", ["b6", "b7C"]),
    ("b7c, b6", ["b7C", "b6"]),
    ("pursuant to Exemption 5 of the FOIA", ["b5"]),
    ("Exemptions 6 and 7(C) apply", ["b6", "b7C"]),
    ("FOIA Exemption (b)(7)(E)", ["b7E"]),
    ("b(6) and b7(c)", ["b6", "b7C"]),
    ("see 5 U.S.C. § 552(b)(3)", ["b3"]),
    ("Exemption 7 alone names no subsection", []),
    ("table 6b, web2, b52, job7c", []),
    ("", []),
])
def test_find_exemptions(text, codes):
    assert find_exemptions(text) == codes


def test_vaughn_index_page_proposes_the_letters_exemptions(app, client, auth, users, frozen):
    with app.app_context():
        req = make_request(users["reporter"], make_agency())
        perform(req, "file", users["reporter"], on=d("2026-10-01"), channel="portal")
        letter = makers.text_pdf(["Determination. Records are withheld in part pursuant to Exemption 5."])
        perform(req, "determine", users["reporter"], on=d("2026-11-20"), outcome="granted_in_part",
                communication=CommunicationInput(channel="email", subject="Final response",
                                                 body="Names of officers are withheld under (b)(6) and (b)(7)(C).",
                                                 files=[Upload("determination.pdf", io.BytesIO(letter))]))
        db.session.commit()
        extract(ocr=False)
        determination_id, req_id = req.determinations[0].id, req.id
    auth.login("reporter")
    page = client.get(f"/requests/{req_id}/determinations/{determination_id}/documents").get_data(as_text=True)
    assert "The determination letter names" in page
    assert 'data-exemptions="(b)(6), (b)(7)(C), (b)(5)"' in page
    auth.logout()
    auth.login("other_reporter")  # reads the index, cannot add to it: no proposal
    page = client.get(f"/requests/{req_id}/determinations/{determination_id}/documents").get_data(as_text=True)
    assert "The determination letter names" not in page
