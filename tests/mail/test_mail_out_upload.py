"""The agency's letter uploaded by hand (a PDF made here with WeasyPrint, read back by the tracker): filed on the
timeline, read, and proposing the determination with its exemptions and page counts; on the web and the API.
A scan without text, a non-PDF, an empty file: kept or refused with a plain note, never a 500."""

from __future__ import annotations

import io
import re
from datetime import UTC, date, datetime

from sqlalchemy import select

from tests.helpers import make_agency, make_request, perform
from tests.mail.mail_out_support import api_headers
from tracker.extensions import db
from tracker.mail.proposal_models import Proposal
from tracker.requests.models import Communication, RecordsRequest

MARCH_4 = datetime(2027, 3, 4, 15, 0, tzinfo=UTC)

DETERMINATION_HTML = """<html><head><style>body { font-family: serif; font-size: 11pt; }</style></head><body>
<p>U.S. Department of Homeland Security<br>U.S. Immigration and Customs Enforcement<br>Freedom of Information Act
Office</p>
<p>March 3, 2027</p>
<p>RE: ICE FOIA Case Number 2026-ICFO-01234</p>
<p>Dear Jordan Reyes:</p>
<p>This letter is the final response to your Freedom of Information Act (FOIA) request to U.S. Immigration and
Customs Enforcement (ICE), dated November 30, 2026.</p>
<p>ICE conducted a search of the ICE Office of Professional Responsibility for records responsive to your request,
and 18 pages were found to be responsive. Of those pages, ICE has determined that 10 pages will be released in
full, 4 pages will be released in part, and 4 pages are withheld in full pursuant to Title 5 U.S.C. &sect; 552
(b)(6), (b)(7)(C), and (b)(7)(E) of the FOIA.</p>
<p>You have the right to appeal this determination within 90 working days of the date of this letter.</p>
<p>Sincerely,<br>ICE FOIA Office</p>
</body></html>"""


def determination_pdf() -> bytes:
    from weasyprint import HTML

    return HTML(string=DETERMINATION_HTML).write_pdf()


def blank_pdf() -> bytes:
    """A PDF page with no text layer, as a scanner makes."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(612, 792)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _request(app, users) -> int:
    with app.app_context():
        req = make_request(users["reporter"], make_agency(), title="OPR report, Denver")
        perform(req, "file", users["reporter"], on=date(2026, 11, 30), channel="portal")
        db.session.commit()
        return req.id


def _csrf(client, url: str) -> str:
    html = client.get(url).get_data(as_text=True)
    return re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', html).group(1)


def test_uploaded_determination_pdf_proposes_the_determination(app, frozen, users, auth, client):
    frozen.move_to(MARCH_4)
    request_id = _request(app, users)
    pdf = determination_pdf()
    auth.login("reporter")
    response = client.post(f"/requests/{request_id}/agency-letter", content_type="multipart/form-data", data={
        "csrf_token": _csrf(client, f"/requests/{request_id}"), "channel": "portal", "occurred_on": "2027-03-03",
        "file": (io.BytesIO(pdf), "ICE final response.pdf")})
    assert response.status_code == 302
    page = client.get(f"/requests/{request_id}").get_data(as_text=True)
    assert "The tracker read it: 1 proposal to review below." in page
    assert ("Determination: granted in part, withheld in part, 14 pages released, 4 withheld in full, "
            "exemptions (b)(6), (b)(7)(C), (b)(7)(E)") in page
    with app.app_context():
        comm = db.session.scalars(select(Communication).where(Communication.kind == "letter")).one()
        assert (comm.direction, comm.channel, comm.occurred_on) == ("in", "portal", date(2027, 3, 3))
        [attachment] = comm.attachments
        assert attachment.content_type == "application/pdf" and attachment.original_name == "ICE final response.pdf"
        proposal = db.session.scalars(select(Proposal)).one()
        assert proposal.fields == {"on": "2027-03-03", "outcome": "granted_in_part",
                                   "exemptions": ["b6", "b7C", "b7E"], "pages_released": 14, "pages_withheld": 4}
        assert "10 pages will be released in full" in proposal.sentence
        assert db.session.get(RecordsRequest, request_id).status == "filed"  # nothing changed yet
        proposal_id = proposal.id
    url = f"/requests/{request_id}/proposals/{proposal_id}"
    form = client.get(url).get_data(as_text=True)
    assert '<option selected value="granted_in_part">' in form and 'value="14"' in form
    assert 'value="b7C" checked' in form
    response = client.post(url, data={"csrf_token": _csrf(client, url), "on": "2027-03-03",
                                      "outcome": "granted_in_part", "exemptions": ["b6", "b7C", "b7E"],
                                      "pages_released": "14", "pages_withheld": "4"})
    assert response.status_code == 302
    with app.app_context():
        req = db.session.get(RecordsRequest, request_id)
        assert req.status == "determined" and req.outcome == "granted_in_part"
        assert (req.pages_released, req.pages_withheld) == (14, 4)
        assert req.determinations[0].exemptions == ["b6", "b7C", "b7E"]
        assert req.appeal_due is not None  # the appeal window opened


def test_a_scan_a_text_file_and_bad_files(app, frozen, users, auth, client):
    frozen.move_to(MARCH_4)
    request_id = _request(app, users)
    auth.login("reporter")
    url = f"/requests/{request_id}/agency-letter"

    def post(data: bytes, name: str):
        return client.post(url, content_type="multipart/form-data", follow_redirects=True, data={
            "csrf_token": _csrf(client, f"/requests/{request_id}"), "channel": "mail",
            "file": (io.BytesIO(data), name)})

    page = post(blank_pdf(), "scan.pdf").get_data(as_text=True)
    assert "it has no text layer (a scan?)" in page
    page = post(b"%PDF-1.4 broken", "broken.pdf").get_data(as_text=True)
    assert response_ok(page) and "could not read it" in page
    page = post(b"Just a note from the agency about lunch.", "note.txt").get_data(as_text=True)
    assert "The tracker found no next step in it." in page
    page = post(b"", "empty.pdf").get_data(as_text=True)
    assert "Choose the PDF." in page or "The file is empty." in page
    with app.app_context():
        assert db.session.scalars(select(Proposal)).all() == []
        assert len(db.session.scalars(select(Communication).where(Communication.kind == "letter")).all()) == 3


def response_ok(page: str) -> bool:
    return "Internal Server Error" not in page


def test_who_may_upload(app, frozen, users, auth, client):
    frozen.move_to(MARCH_4)
    request_id = _request(app, users)
    auth.login("other_reporter")
    response = client.post(f"/requests/{request_id}/agency-letter", content_type="multipart/form-data", data={
        "csrf_token": _csrf(client, f"/requests/{request_id}"), "file": (io.BytesIO(b"x"), "x.txt")})
    assert response.status_code == 403
    assert client.post("/requests/999999/agency-letter", data={}).status_code in (400, 404)


def test_api_upload_list_accept_and_dismiss(app, frozen, users, client):
    frozen.move_to(MARCH_4)
    request_id = _request(app, users)
    headers = api_headers(app, users["reporter"])
    response = client.post(f"/api/v1/requests/{request_id}/agency-letter", headers=headers,
                           content_type="multipart/form-data",
                           data={"file": (io.BytesIO(determination_pdf()), "final.pdf"), "occurred_on": "2027-03-03"})
    assert response.status_code == 201, response.json
    [made] = response.json["proposals"]
    assert made["kind"] == "determination" and made["action"] == "determine"
    assert made["fields"]["exemptions"] == ["b6", "b7C", "b7E"] and response.json["readable"] is True

    listed = client.get(f"/api/v1/requests/{request_id}/proposals", headers=headers).json["items"]
    assert [p["id"] for p in listed] == [made["id"]]
    assert client.get(f"/api/v1/requests/{request_id}/proposals?status=nope", headers=headers).status_code == 422

    # Sent fields win over what was read: the reporter counts one more page withheld.
    accepted = client.post(f"/api/v1/proposals/{made['id']}/accept", headers=headers, json={"pages_withheld": 5})
    assert accepted.status_code == 200, accepted.json
    assert accepted.json["status"] == "accepted" and accepted.json["event_id"]
    with app.app_context():
        req = db.session.get(RecordsRequest, request_id)
        assert (req.status, req.pages_released, req.pages_withheld) == ("determined", 14, 5)
    assert client.post(f"/api/v1/proposals/{made['id']}/accept", headers=headers, json={}).status_code == 409
    assert client.post(f"/api/v1/proposals/{made['id']}/dismiss", headers=headers).status_code == 409
    assert client.post("/api/v1/proposals/999999/dismiss", headers=headers).status_code == 404
    other = api_headers(app, users["other_reporter"])
    assert client.get(f"/api/v1/requests/{request_id}/proposals", headers=other).status_code == 200
    assert client.post(f"/api/v1/proposals/{made['id']}/accept", headers=other, json={}).status_code == 403
    listed = client.get(f"/api/v1/requests/{request_id}/proposals?status=all", headers=headers).json["items"]
    assert [p["status"] for p in listed] == ["accepted"]
