"""Letters through the web client: the issue's walk-through on the demo newsroom, the preview, the
missing-data list, broken templates, and who may see and do what."""

from __future__ import annotations

import html
import re
from datetime import date

import pytest
from sqlalchemy import select

from tests.helpers import csrf_token, perform
from tests.letters.letters_app_helpers import make_fixed_request, pdf_pages, pdf_text
from tracker.extensions import db
from tracker.letters.models import Letter
from tracker.requests.models import AuditEntry, Communication, RecordsRequest

CERTIFICATION = "I certify that the statements above are true and correct to the best of my knowledge and belief."


def field_value(page: str, name: str) -> str:
    match = re.search(rf'<textarea[^>]*name="{name}"[^>]*>\n?(.*?)</textarea>', page, re.S)
    if match:
        return html.unescape(match.group(1))
    match = re.search(rf'<input[^>]*name="{name}"[^>]*value="([^"]*)"', page)
    return html.unescape(match.group(1)) if match else ""


def form_data(page: str, **changes) -> dict:
    """What the browser would send back for the letter form, with some fields changed."""
    data = {"csrf_token": re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)}
    for name in ("requester_name", "requester_title", "requester_email", "requester_phone", "records_description",
                 "delivery_format", "fee_limit", "custom_text", "enclosures", "history"):
        if f'name="{name}"' in page:
            data[name] = field_value(page, name)
    selected = re.search(r'<select id="channel" name="channel">.*?<option selected value="(\w+)"', page, re.S)
    data["channel"] = selected.group(1) if selected else "portal"
    data.update(changes)
    return data


def demo_login(client, email="reporter@newsroom.example", password="demo-reporter-2026"):
    token = csrf_token(client, "/login")
    response = client.post("/login", data={"email": email, "password": password, "csrf_token": token})
    assert response.status_code == 302


def test_new_user_writes_files_and_appeals_from_a_demo_request(app, client, frozen):
    """The issue's "Done when": request with fee waiver and expedited processing, PDF, portal text, sent,
    then an appeal citing the determination's exemptions."""
    with app.app_context():
        from tracker.demo import seed_demo

        seed_demo()
        db.session.commit()
        req = db.session.scalar(select(RecordsRequest).where(RecordsRequest.status == "draft"))
        request_id, agency = req.id, req.agency.name
    assert agency == "ICE FOIA Office"
    demo_login(client)

    page = client.get(f"/requests/{request_id}").get_data(as_text=True)
    assert "Write a letter" in page and f"/requests/{request_id}/letters" in page
    page = client.get(f"/requests/{request_id}/letters").get_data(as_text=True)
    assert "FOIA request (federal)" in page and "Administrative appeal" in page
    assert "Public records request (state)" not in page  # ICE is federal

    url = f"/requests/{request_id}/letters/new/foia_request"
    page = client.get(url).get_data(as_text=True)
    assert '<iframe class="letter-frame" sandbox srcdoc="' in page
    assert "Records sufficient to show the number of OPR investigations" in field_value(page, "records_description")
    response = client.post(url, data=form_data(
        page, do="generate", fee_waiver_requested="y", expedited_requested="y", expedited_category="ii",
        requester_title="Investigative Reporter",
        expedited_justification="Congress is weighing OPR's record this month; the numbers matter now."))
    assert response.status_code == 302, response.get_data(as_text=True)
    letter_url = response.headers["Location"]

    page = client.get(letter_url).get_data(as_text=True)
    assert "Copy text for the agency portal" in page and "letters.js" in page
    portal_text = html.unescape(re.search(r'<textarea id="letter-text"[^>]*>\n?(.*?)</textarea>', page, re.S)[1])
    assert "<" not in portal_text and CERTIFICATION in portal_text and "6 C.F.R. 5.5(e)(1)(ii)" in portal_text
    download = re.search(r'href="(/letters/\d+/pdf)"', page)[1]
    pdf = client.get(download)
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    assert "attachment" in pdf.headers["Content-Disposition"]
    text = pdf_text(pdf.data)
    for phrase in ("Sam Reporter", "Investigative Reporter", "ICE FOIA Office", "November 30, 2026",
                   "5 U.S.C. 552(a)(4)(A)(ii)", "5 U.S.C. 552(a)(4)(A)(iii)", "6 C.F.R. 5.5(e)(1)(ii)",
                   CERTIFICATION, "Congress is weighing OPR's record this month"):
        assert phrase in text, phrase
    assert pdf_pages(pdf.data) <= 3 and len(pdf.data) < 100_000

    response = client.post(f"{letter_url}/sent", data={
        "csrf_token": csrf_token(client, letter_url), "on": "2026-11-30", "channel": "portal",
        "tracking_number": "2026-ICFO-04321"})
    assert response.status_code == 302, response.get_data(as_text=True)
    page = client.get(f"/requests/{request_id}").get_data(as_text=True)
    assert "Filed, awaiting acknowledgment" in page and "2026-ICFO-04321" in page
    assert re.search(r"FOIA request \(federal\).*?version 1", page, re.S)

    # Later: a partial grant citing (b)(6) and (b)(7)(C), then the appeal.
    with app.app_context():
        sam = db.session.scalar(select(RecordsRequest).where(RecordsRequest.id == request_id)).owner_id
        req = db.session.get(RecordsRequest, request_id)
        perform(req, "determine", sam, on=date(2026, 11, 30), outcome="granted_in_part", exemptions=["b6", "b7C"],
                pages_released=3, pages_withheld=9)
        db.session.commit()
    url = f"/requests/{request_id}/letters/new/appeal"
    page = client.get(url).get_data(as_text=True)
    assert 'data-testid="missing"' not in page
    response = client.post(url, data=form_data(page, do="generate", determination_kind="partial",
                                                contested=["b6", "b7C"]))
    assert response.status_code == 302, response.get_data(as_text=True)
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    appeal_pdf = client.get(re.search(r'href="(/letters/\d+/pdf)"', page)[1]).data
    text = pdf_text(appeal_pdf)
    for phrase in ("Freedom of Information Act Appeal", "partial denial dated November 30, 2026",
                   "2026-ICFO-04321", "Exemptions 6 and 7(C)", "5 U.S.C. 552(b)(6)", "5 U.S.C. 552(b)(7)(C)",
                   "the last day to appeal is", "6 C.F.R. 5.8(a)(1)"):
        assert phrase in text, phrase


@pytest.fixture
def private_letter(app, users, frozen):
    """A private request of `reporter` with one stored request letter."""
    from tracker.auth.models import User
    from tracker.core.clock import now_utc, today
    from tracker.core.storage import DirectoryStorage
    from tracker.letters import services, sources

    with app.app_context():
        req = make_fixed_request(users["reporter"], private=True)
        actor = db.session.get(User, users["reporter"])
        letter = services.generate_letter(
            req, "foia_request", services.default_options(req, "foia_request", actor), actor=actor,
            now=now_utc(), today=today(), storage=DirectoryStorage(app.config["TRACKER_UPLOAD_DIR"]),
            search=sources.roots(app.config), letterhead={})
        db.session.commit()
        return {"request": req.id, "letter": letter.id}


def test_private_letters_never_reach_other_reporters(app, client, auth, private_letter):
    rid, lid = private_letter["request"], private_letter["letter"]
    auth.login("other_reporter")
    for url in (f"/requests/{rid}/letters", f"/requests/{rid}/letters/new/foia_request", f"/letters/{lid}",
                f"/letters/{lid}/pdf"):
        response = client.get(url)
        assert response.status_code == 404, url  # as if it did not exist
        assert b"OPR report" not in response.data and b"%PDF" not in response.data
    token = csrf_token(client, "/requests")
    assert client.post(f"/letters/{lid}/sent", data={"csrf_token": token, "on": "2026-11-30",
                                                     "channel": "portal"}).status_code == 404
    assert client.post(f"/requests/{rid}/letters/new/foia_request",
                       data={"csrf_token": token, "do": "generate"}).status_code == 404
    assert client.get("/letters/999999/pdf").status_code == 404
    auth.logout()
    assert client.get(f"/letters/{lid}/pdf").status_code == 302  # to the login page

    auth.login("editor")
    assert client.get(f"/letters/{lid}/pdf").status_code == 200
    with app.app_context():
        audit = db.session.scalars(select(AuditEntry).where(AuditEntry.request_id == rid)).all()
        assert [a.action for a in audit] == ["change", "download"]  # generated (by the fixture), downloaded


def test_colleagues_read_public_letters_but_cannot_write_or_send(app, client, auth, users, frozen):
    with app.app_context():
        rid = make_fixed_request(users["reporter"]).id
        db.session.commit()
    auth.login("reporter")
    page = client.get(f"/requests/{rid}/letters/new/foia_request").get_data(as_text=True)
    response = client.post(f"/requests/{rid}/letters/new/foia_request", data=form_data(page, do="generate"))
    assert response.status_code == 302
    lid = int(response.headers["Location"].rsplit("/", 1)[1])
    auth.logout()

    auth.login("other_reporter")
    assert client.get(f"/letters/{lid}/pdf").status_code == 200
    page = client.get(f"/letters/{lid}").get_data(as_text=True)
    assert "Copy text for the agency portal" in page and "Record as sent" not in page
    assert "Write a letter" not in client.get(f"/requests/{rid}/letters").get_data(as_text=True)
    assert "Write a letter" not in client.get(f"/requests/{rid}").get_data(as_text=True)
    assert client.get(f"/requests/{rid}/letters/new/foia_request").status_code == 403
    token = csrf_token(client, f"/letters/{lid}")
    response = client.post(f"/letters/{lid}/sent", data={"csrf_token": token, "on": "2026-11-30",
                                                         "channel": "portal"})
    assert response.status_code == 403
    with app.app_context():
        assert db.session.scalar(select(Communication)) is None


def test_the_preview_is_sandboxed_and_escaped(app, client, auth, users, frozen):
    with app.app_context():
        rid = make_fixed_request(users["reporter"], records_description='<script>alert("x")</script> OPR files').id
        db.session.commit()
    auth.login("reporter")
    response = client.get(f"/requests/{rid}/letters/new/foia_request")
    page = response.get_data(as_text=True)
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    frame = re.search(r'<iframe class="letter-frame" sandbox srcdoc="([^"]*)"', page)
    assert frame, "the preview is a sandboxed srcdoc frame"
    srcdoc = html.unescape(frame[1])
    assert srcdoc.startswith("<!DOCTYPE html>") and "<script>" not in srcdoc
    assert "&lt;script&gt;alert" in srcdoc  # the description shows as text inside the letter
    assert "<script" not in page.replace('<script src="/static/', "")


def test_missing_data_is_listed_instead_of_a_letter(app, client, auth, users, frozen):
    with app.app_context():
        req = make_fixed_request(users["reporter"])
        perform(req, "file", users["reporter"], on=date(2026, 11, 2), channel="portal")
        rid = req.id
        db.session.commit()
    auth.login("reporter")
    url = f"/requests/{rid}/letters/new/appeal"
    page = client.get(url).get_data(as_text=True)
    assert 'data-testid="missing"' in page and "letter-frame" not in page
    assert "What the agency decided" in page and "Date of the determination letter" in page
    assert f"/requests/{rid}/actions/determine" in page
    response = client.post(url, data=form_data(page, do="generate", channel="mail"))
    assert response.status_code == 422
    assert "cannot be written yet" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(Letter)) is None


def test_a_broken_template_is_a_message_with_its_line(app, client, auth, users, frozen, monkeypatch, tmp_path):
    own = tmp_path / "own" / "foia_request"
    own.mkdir(parents=True)
    (own / "template.html").write_text('{% extends "_partials/layout.html" %}\n{% block body %}\n'
                                       "<p>{{ request.title }</p>\n{% endblock %}\n")
    (own / "meta.toml").write_text('title = "Ours"\njurisdictions = ["US-???*"]\n')
    monkeypatch.setitem(app.config, "TRACKER_LETTER_TEMPLATES_EXTRA", str(own.parent))
    with app.app_context():
        rid = make_fixed_request(users["reporter"]).id
        db.session.commit()
    auth.login("reporter")
    url = f"/requests/{rid}/letters/new/foia_request"
    response = client.get(url)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "The letter template is broken" in page and "line 3" in page
    response = client.post(url, data=form_data(page, do="generate"))
    assert response.status_code == 422 and "line 3" in response.get_data(as_text=True)
    assert client.get(f"/requests/{rid}/letters/new/no_such_kind").status_code == 404
    assert client.get(f"/requests/{rid}/letters/new/state_request").status_code == 404
