"""`tracker letter REQUEST_ID KIND [-o FILE.pdf] [--text]`."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from tests.helpers import perform
from tests.letters.letters_app_helpers import make_fixed_request, pdf_text
from tracker.extensions import db
from tracker.letters.models import Letter


def fixed_request(app, users, *, filed: bool = False) -> int:
    with app.app_context():
        req = make_fixed_request(users["reporter"])
        if filed:
            perform(req, "file", users["reporter"], on=date(2026, 10, 1), channel="portal")
            perform(req, "acknowledge", users["reporter"], on=date(2026, 10, 2), tracking_number="2026-ICFO-01234")
        db.session.commit()
        return req.id


def test_writes_and_stores_the_pdf(app, users, frozen, tmp_path):
    rid = fixed_request(app, users, filed=True)
    target = tmp_path / "inquiry.pdf"
    result = app.test_cli_runner().invoke(args=["letter", str(rid), "status_inquiry", "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert f"Wrote {target}: Status inquiry, version 1" in result.output
    text = pdf_text(target.read_bytes())
    assert "2026-ICFO-01234" in text and "19 working days overdue" in text and "Reporter" in text
    with app.app_context():
        letter = db.session.scalar(select(Letter))
        assert letter.created_by_id is None and letter.kind == "status_inquiry" and letter.request_id == rid


def test_default_file_name_in_the_current_folder(app, users, frozen, tmp_path, monkeypatch):
    rid = fixed_request(app, users)
    monkeypatch.chdir(tmp_path)
    result = app.test_cli_runner().invoke(args=["letter", str(rid), "foia_request"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "2026-11-30-foia_request.pdf").read_bytes().startswith(b"%PDF-")


def test_text_prints_the_portal_text_without_storing(app, users, frozen):
    rid = fixed_request(app, users)
    result = app.test_cli_runner().invoke(args=["letter", str(rid), "foia_request", "--text"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("November 30, 2026")
    assert "Under the Freedom of Information Act, 5 U.S.C. 552" in result.output
    assert "<" not in result.output and "Submitted through" not in result.output
    with app.app_context():
        assert db.session.scalar(select(Letter)) is None


def test_refusals_say_why(app, users, frozen):
    rid = fixed_request(app, users)
    runner = app.test_cli_runner()
    missing = runner.invoke(args=["letter", str(rid), "appeal"])
    assert missing.exit_code != 0
    assert "cannot be written yet" in missing.output and "What the agency decided" in missing.output
    unknown = runner.invoke(args=["letter", str(rid), "sonnet"])
    assert unknown.exit_code != 0 and "foia_request" in unknown.output and "appeal" in unknown.output
    assert "state_request" not in unknown.output
    nothing = runner.invoke(args=["letter", "999999", "foia_request"])
    assert nothing.exit_code != 0 and "no request 999999" in nothing.output
    with app.app_context():
        assert db.session.scalar(select(Letter)) is None
