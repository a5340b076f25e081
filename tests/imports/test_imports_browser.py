"""The issue's walk-through in Chromium: a data reporter imports a 300-row spreadsheet with a few broken rows,
fixes them from the dry-run report, imports with a progress bar, and pulls the requests and the ledger as JSON
with a token."""

from __future__ import annotations

import csv
import io
import json
import re
import urllib.request
from pathlib import Path

from playwright.sync_api import expect
from sqlalchemy import func, select

from tests.helpers import make_agency
from tracker.extensions import db
from tracker.requests.models import RecordsRequest

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
HEADER = ["Request name", "Agency", "Date filed", "Sent via", "Tracking #", "Status", "Date closed", "Outcome",
          "Decided", "Exemptions", "Reporter notes"]


def _sheet(broken: bool) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADER)
    for n in range(300):
        month, day = 1 + n % 9, 1 + n % 27
        row = [f"OPR records, case {n:03d}", "ICE" if n % 3 else "DHS", f"{month}/{day}/2026", "portal",
               f"2026-ICFO-{n:05d}", "", "", "", "", "", "from the old sheet"]
        if n % 10 == 0:
            row[5:10] = ["Determined", "", "Granted in part", f"{month + 1}/{day}/2026", "(b)(6), (b)(7)(C)"]
        writer.writerow(row)
    text = buffer.getvalue()
    if broken:  # what old spreadsheets hold: a typo in a date, an agency nobody entered, an unknown outcome
        text = text.replace('case 007",ICE,8/8/2026', 'case 007",ICE,8/38/2026')
        text = text.replace('case 011",ICE', 'case 011",Immigration & Customs Enforcement')
        text = text.replace("Determined,,Granted in part,2/1/2026", "Determined,,Partial,2/1/2026", 1)
        text = text.replace("2026-ICFO-00020,Determined,,", "2026-ICFO-00020,Closed,,")
    return text.encode()


def test_data_reporter_imports_300_rows_in_the_browser(app, users, page, live_server):
    with app.app_context():
        make_agency("ICE FOIA Office", "ICE", "US-DHS")
        make_agency("Department of Homeland Security", "DHS", "US-DHS")
        db.session.commit()
    page.login("reporter")
    page.click("nav >> text=Import & export")
    page.set_input_files("#file", files=[{"name": "old requests.csv", "mimeType": "text/csv",
                                          "buffer": _sheet(broken=True)}])
    page.click("button:has-text('Upload and map the columns')")
    expect(page.locator(".lead")).to_contain_text("300 rows")
    # The guesses for the usual names; the rest chosen by hand.
    assert page.input_value("#col-title") == "Request name"
    assert page.input_value("#col-sent_on") == "Date filed"
    page.select_option("#col-tracking_number", "Tracking #")
    page.select_option("#col-channel", "Sent via")
    page.select_option("#col-closed_on", "Date closed")
    page.select_option("#col-determined_on", "Decided")
    page.select_option("#col-exemptions", "Exemptions")
    page.fill("#save_as", "Old tracking sheet")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "import-mapping.png"), full_page=True)
    page.click("button:has-text('Check every row')")
    page.wait_for_url(re.compile(r".*/imports/\d+$"), timeout=120_000)  # 300 rows checked: slow on a busy machine
    report = page.locator("main").inner_text()
    assert "300 rows read" in report and "4 with problems" in report
    problems = page.locator("table.problems").inner_text()
    assert "There is no such date" in problems
    assert "“Immigration & Customs Enforcement” is not in the agency" in problems
    assert "Not one of: granted_in_full" in problems and "give the closing date" in problems
    page.screenshot(path=str(ARTIFACTS / "import-dry-run.png"), full_page=True)

    # The agency is ICE under its full name: say so on the page (kept in the mapping), then fix the file.
    page.select_option("select[name=agency-0]", "ICE FOIA Office")
    with page.expect_navigation():
        page.click("button:has-text('Use these choices and check again')")
    assert "3 with problems" in page.locator("main").inner_text()
    fixed = _sheet(broken=True).replace(b"8/38/2026", b"8/28/2026").replace(b"Partial", b"granted_in_part")
    fixed = fixed.replace(b"2026-ICFO-00020,Closed,,", b"2026-ICFO-00020,Closed,4/30/2026,")
    page.set_input_files("#file", files=[{"name": "old requests (fixed).csv", "mimeType": "text/csv",
                                          "buffer": fixed}])
    page.click("button:has-text('Upload and check again')")
    page.wait_for_selector("text=every row can be imported")
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(RecordsRequest)) == 0

    page.click("button:has-text('Import 300 requests')")
    # Three hundred requests, each with its deadlines, reminder plan and board tallies: on a busy machine this
    # takes longer than Playwright's 30 s default.
    page.wait_for_selector("text=Imported 300 requests", timeout=120_000)
    page.screenshot(path=str(ARTIFACTS / "import-done.png"), full_page=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(RecordsRequest)) == 300
        case_20 = db.session.scalar(select(RecordsRequest).where(RecordsRequest.title == "OPR records, case 020"))
        assert case_20.status == "closed" and case_20.closed_on.isoformat() == "2026-04-30"
        case_11 = db.session.scalar(select(RecordsRequest).where(RecordsRequest.title == "OPR records, case 011"))
        assert case_11.agency.abbreviation == "ICE"

    # A personal token, then the data as JSON from a script.
    page.click("text=API tokens")
    page.fill("#name", "data desk notebook")
    page.click("button:has-text('Create token')")
    secret = page.input_value(".token-value")
    call = urllib.request.Request(f"{live_server}/api/v1/export/requests?format=json",
                                  headers={"Authorization": f"Bearer {secret}"})
    with urllib.request.urlopen(call) as response:  # noqa: S310 (the test's own server)
        rows = json.load(response)
    assert len(rows) == 300 and rows[0]["tracking_number"] == "2026-ICFO-00000"
    call = urllib.request.Request(f"{live_server}/api/v1/ledger", headers={"Authorization": f"Bearer {secret}"})
    with urllib.request.urlopen(call) as response:  # noqa: S310
        ledger = json.load(response)
    assert ledger["count"] == len(ledger["matters"]) and "withheld" in ledger["states"]
