"""The import pages: upload, map, dry run listing every row's problems, fix, import all or nothing."""

from __future__ import annotations

import csv
import io
import json
import re

from sqlalchemy import func, select

from tests.helpers import csrf_token, make_agency
from tracker.agencies.models import Agency
from tracker.extensions import db
from tracker.imports.models import ImportMapping, ImportUpload
from tracker.requests.models import Event, RecordsRequest

HEADER = ["Request", "Agency", "Date filed", "How", "FOIA #", "Status", "Acknowledged", "Decided", "Result", "Notes"]
GOOD = [
    ["OPR report, Denver", "ICE", "10/01/2026", "portal", "2026-ICFO-1", "Acknowledged", "10/2/2026", "", "", "x"],
    ["OPR report, Dallas", "ice foia office", "10/02/2026", "email", "", "determined", "", "11/02/2026", "denied", ""],
    ["OPR statistics", "DHS", "", "", "", "", "", "", "", "not sent yet"],
]
BAD = [
    ["Bad date", "ICE", "20/11/2026", "portal", "", "", "", "", "", ""],
    ["Unknown agency", "Texas DPS", "10/03/2026", "mail", "", "", "", "", "", ""],
    ["Closed without a date", "ICE", "10/04/2026", "portal", "", "closed", "", "11/01/2026", "granted in full", ""],
    ["", "ICE", "", "", "", "", "", "", "", ""],
]


def _csv(rows) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows([HEADER, *rows])
    return buffer.getvalue().encode()


def _counts(app) -> tuple[int, int]:
    with app.app_context():
        return (db.session.scalar(select(func.count()).select_from(RecordsRequest)),
                db.session.scalar(select(func.count()).select_from(Event)))


def _upload(client, data: bytes, **extra):
    return client.post("/imports", data={"csrf_token": csrf_token(client, "/imports"),
                                         "file": (io.BytesIO(data), "tracking sheet.csv"), **extra},
                       content_type="multipart/form-data")


def _mapping_form(client, upload_id: int, **changes) -> dict:
    page = client.get(f"/imports/{upload_id}/mapping").get_data(as_text=True)
    form = {"csrf_token": csrf_token(client, f"/imports/{upload_id}/mapping"), "dates": "us",
            "default_channel": "portal"}
    for name, options in re.findall(r'<select id="col-(\w+)"(.*?)</select>', page, re.S):
        chosen = re.search(r'<option value="([^"]*)" selected', options)
        if chosen:
            form[f"col-{name}"] = chosen.group(1)
    form.update(changes)
    return form


def test_dry_run_lists_every_problem_and_changes_nothing_then_the_fixed_file_imports(app, client, auth, users,
                                                                                     frozen):
    with app.app_context():
        make_agency()
        make_agency("Department of Homeland Security", "DHS", "US-DHS")
        db.session.commit()
    auth.login("reporter")
    response = _upload(client, _csv(GOOD + BAD))
    assert response.status_code == 303
    upload_id = int(response.headers["Location"].split("/")[2])
    page = client.get(f"/imports/{upload_id}/mapping").get_data(as_text=True)
    assert "7 rows" in page and "OPR report, Denver" in page  # the preview

    form = _mapping_form(client, upload_id)
    # Guessed from the headers: the rest is chosen by hand.
    assert form["col-title"] == "Request" and form["col-agency"] == "Agency" and form["col-status"] == "Status"
    assert form["col-acknowledged_on"] == "Acknowledged" and form["col-sent_on"] == "Date filed"
    form.update({"col-sent_on": "Date filed", "col-channel": "How", "col-tracking_number": "FOIA #",
                 "col-determined_on": "Decided", "col-outcome": "Result", "save_as": "Data desk sheet"})
    response = client.post(f"/imports/{upload_id}/mapping", data=form)
    assert response.status_code == 303 and response.headers["Location"] == f"/imports/{upload_id}"
    assert _counts(app) == (0, 0)  # a dry run changes nothing

    report = client.get(f"/imports/{upload_id}").get_data(as_text=True)
    assert "7 rows read" in report and "4 with problems" in report and "Nothing has been imported" in report
    for expected in ("There is no such date (is the day/month order right?", "The title is empty.",
                     "“Texas DPS” is not in the agency directory", "give the closing date"):
        assert expected in report, expected
    assert re.search(r"<td rowspan=\"1\">5</td>", report)  # spreadsheet row numbers: header is row 1
    with app.app_context():
        upload = db.session.get(ImportUpload, upload_id)
        assert [r["row"] for r in upload.report["rows"]] == [5, 6, 7, 8]
        assert db.session.scalar(select(ImportMapping)).name == "Data desk sheet"

    # Importing anyway is refused as a whole: nothing of the good rows goes in either.
    response = client.post(f"/imports/{upload_id}/import", data={"csrf_token": csrf_token(client, "/imports")})
    assert response.status_code == 303
    assert _counts(app) == (0, 0)

    # Texas DPS is an agency the directory knows by another name: say so, and check again.
    with app.app_context():
        make_agency("Texas Department of Public Safety", "TXDPS", "US-TX")
        db.session.commit()
    response = client.post(f"/imports/{upload_id}/agencies", data={
        "csrf_token": csrf_token(client, f"/imports/{upload_id}"), "agency-0": "Texas Department of Public Safety"})
    assert response.status_code == 303
    report = client.get(f"/imports/{upload_id}").get_data(as_text=True)
    assert "3 with problems" in report and "Texas DPS" not in report.split("Rows with problems")[1]

    # The reporter fixes the spreadsheet and uploads it again; the column choices are kept.
    fixed = [row[:] for row in BAD]
    fixed[0][2] = "12/01/2025"
    fixed[2][5] = "determined"
    fixed[3][0] = "Found the title"
    response = client.post(f"/imports/{upload_id}/file", data={
        "csrf_token": csrf_token(client, f"/imports/{upload_id}"),
        "file": (io.BytesIO(_csv(GOOD + fixed)), "tracking sheet (fixed).csv")}, content_type="multipart/form-data")
    assert response.status_code == 303
    report = client.get(f"/imports/{upload_id}").get_data(as_text=True)
    assert "every row can be imported" in report and "Import 7 requests" in report
    assert _counts(app) == (0, 0)

    response = client.post(f"/imports/{upload_id}/import", data={"csrf_token": csrf_token(client, "/imports")})
    assert response.status_code == 303
    with app.app_context():
        requests_ = {r.title: r for r in db.session.scalars(select(RecordsRequest))}
        assert len(requests_) == 7 and {r.owner_id for r in requests_.values()} == {users["reporter"]}
        assert requests_["OPR report, Denver"].status == "acknowledged"
        assert requests_["OPR report, Denver"].primary_tracking_number == "2026-ICFO-1"
        assert requests_["OPR report, Dallas"].status == "determined" and requests_["OPR report, Dallas"].appeal_due
        assert requests_["OPR statistics"].status == "draft"
        assert requests_["Unknown agency"].agency.abbreviation == "TXDPS"
        assert requests_["Unknown agency"].received_on is None  # mailed: not received until the agency says so
    assert "Imported 7 requests" in client.get(f"/imports/{upload_id}").get_data(as_text=True)
    # Once imported, the same file cannot be imported twice.
    again = client.post(f"/imports/{upload_id}/import", data={"csrf_token": csrf_token(client, "/imports")})
    assert again.status_code == 409
    assert _counts(app)[0] == 7

    # The same spreadsheet uploaded again is caught as duplicates.
    response = _upload(client, _csv(GOOD))
    second = int(response.headers["Location"].split("/")[2])
    client.post(f"/imports/{second}/mapping", data=_mapping_form(client, second, **{
        "col-sent_on": "Date filed", "col-tracking_number": "FOIA #"}))
    assert "seems to be in the tracker already" in client.get(f"/imports/{second}").get_data(as_text=True)


def test_progress_is_streamed_to_the_page(app, client, auth, users, frozen):
    with app.app_context():
        make_agency()
        db.session.commit()
    auth.login("reporter")
    rows = [[f"Request {n}", "ICE", "", "", "", "", "", "", "", ""] for n in range(250)]
    upload_id = int(_upload(client, _csv(rows)).headers["Location"].split("/")[2])
    response = client.post(f"/imports/{upload_id}/mapping", data=_mapping_form(client, upload_id),
                           headers={"Accept": "application/x-ndjson"})
    assert response.mimetype == "application/x-ndjson"
    lines = [json.loads(line) for line in response.get_data(as_text=True).splitlines()]
    assert lines[0] == {"done": 2, "total": 250} and len(lines) == 126
    assert lines[-1] == {"done": 250, "total": 250, "redirect": f"/imports/{upload_id}"}
    response = client.post(f"/imports/{upload_id}/import", data={"csrf_token": csrf_token(client, "/imports")},
                           headers={"Accept": "application/x-ndjson"})
    assert json.loads(response.get_data(as_text=True).splitlines()[-1])["redirect"] == f"/imports/{upload_id}"
    assert _counts(app)[0] == 250


def test_who_may_see_imports_and_add_agencies(app, client, auth, users, frozen):
    with app.app_context():
        make_agency()
        db.session.commit()
    auth.login("reporter")
    data = _csv([["New agency request", "Cook County Sheriff", "", "", "", "", "", "", "", ""]])
    upload_id = int(_upload(client, data).headers["Location"].split("/")[2])
    client.post(f"/imports/{upload_id}/mapping", data=_mapping_form(client, upload_id))
    page = client.get(f"/imports/{upload_id}").get_data(as_text=True)
    assert "Only administrators can add agencies" in page and "__new__" not in page
    # A reporter cannot slip a new agency in through the form either.
    client.post(f"/imports/{upload_id}/agencies", data={"csrf_token": csrf_token(client, "/imports"),
                                                        "agency-0": "__new__", "jurisdiction-0": "US-IL"})
    with app.app_context():
        assert db.session.get(ImportUpload, upload_id).report["problems"]  # refused: only administrators
        assert db.session.scalar(select(Agency).where(Agency.name == "Cook County Sheriff")) is None
    auth.logout()

    auth.login("other_reporter")
    assert client.get(f"/imports/{upload_id}").status_code == 404
    assert client.get(f"/imports/{upload_id}/mapping.json").status_code == 404
    auth.logout()

    auth.login("admin")
    admin_upload = int(_upload(client, data).headers["Location"].split("/")[2])
    client.post(f"/imports/{admin_upload}/mapping", data=_mapping_form(client, admin_upload))
    assert "__new__" in client.get(f"/imports/{admin_upload}").get_data(as_text=True)
    client.post(f"/imports/{admin_upload}/agencies", data={"csrf_token": csrf_token(client, "/imports"),
                                                           "agency-0": "__new__", "jurisdiction-0": "US-IL"})
    with app.app_context():
        assert db.session.get(ImportUpload, admin_upload).report["rows"] == []
        # The dry run added the agency only for the check: it is not in the directory yet.
        assert db.session.scalar(select(Agency).where(Agency.name == "Cook County Sheriff")) is None
    client.post(f"/imports/{admin_upload}/import", data={"csrf_token": csrf_token(client, "/imports")})
    with app.app_context():
        agency = db.session.scalar(select(Agency).where(Agency.name == "Cook County Sheriff"))
        assert agency.jurisdiction == "US-IL"
        mapping = db.session.get(ImportUpload, admin_upload).mapping
        assert mapping["new_agencies"] == {"Cook County Sheriff": "US-IL"}
    download = client.get(f"/imports/{admin_upload}/mapping.json")
    assert download.json["new_agencies"] == {"Cook County Sheriff": "US-IL"}


def test_bad_uploads_and_mappings_are_explained(app, client, auth, users):
    auth.login("reporter")
    response = _upload(client, b"PK\x03\x04 a workbook")
    assert response.status_code == 422 and "Save As" in response.get_data(as_text=True)
    upload_id = int(_upload(client, _csv(GOOD)).headers["Location"].split("/")[2])
    form = _mapping_form(client, upload_id, **{"col-title": "", "col-agency": "No such column"})
    response = client.post(f"/imports/{upload_id}/mapping", data=form)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Choose the column that holds the title." in page and "The file has no column “No such column”." in page
