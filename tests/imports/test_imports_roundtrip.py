"""Export -> import reproduces the requests: status, dates, numbers, outcome, pauses, deadlines."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

from sqlalchemy import select

from tests.helpers import d, make_agency, make_matter, make_request, perform
from tracker.auth.models import User
from tracker.core.clock import now_utc, today
from tracker.core.storage import DirectoryStorage
from tracker.extensions import db
from tracker.imports.mapping import Mapping, guess
from tracker.imports.reader import read_table
from tracker.imports.runner import ImportRun
from tracker.requests.models import Event, RecordsRequest

# (title, actions after creation): every status of the lifecycle, and the dates that make it.
HISTORIES = {
    "Draft only": [],
    "Mailed, received later": [("file", dict(on="2026-10-01", channel="mail", received_on="2026-10-05"))],
    "Acknowledged with a number": [("file", dict(on="2026-10-01", channel="portal")),
                                   ("acknowledge", dict(on="2026-10-02", tracking_number="2026-ICFO-1"))],
    "Waiting on our clarification": [("file", dict(on="2026-10-01", channel="email")),
                                     ("request_clarification", dict(on="2026-10-08", our_answer_due_on="2026-12-10"))],
    "Paused twice, extended": [
        ("file", dict(on="2026-09-01", channel="portal", tracking_number="2026-ICFO-2")),
        ("fee_estimate", dict(on="2026-09-10", amount=Decimal("120.00"))),
        ("fee_agreed", dict(on="2026-09-15", amount=Decimal("100.00"))),
        ("extend", dict(on="2026-09-20")),
        ("request_clarification", dict(on="2026-09-25")),
    ],
    "Partly granted, appealed, decided, closed": [
        ("file", dict(on="2026-06-01", channel="portal")),
        ("acknowledge", dict(on="2026-06-02", tracking_number="2026-ICFO-3")),
        ("request_clarification", dict(on="2026-06-10")),
        ("determine", dict(on="2026-06-10", outcome="granted_in_part", exemptions=["b6", "b7C"], pages_released=12,
                           pages_withheld=40)),
        ("appeal", dict(on="2026-07-01", tracking_number="2026-APP-9")),
        ("appeal_extend", dict(on="2026-07-20")),
        ("decide_appeal", dict(on="2026-08-10", outcome="affirmed")),
        ("close", dict(on="2026-08-12")),
    ],
    "In mediation after a denial": [("file", dict(on="2026-05-01", channel="fax")),
                                    ("determine", dict(on="2026-06-01", outcome="denied", exemptions=["b5"])),
                                    ("mediate", dict(on="2026-06-15", tracking_number="OGIS-77"))],
    "Mediated, then appealed": [("file", dict(on="2026-05-01", channel="portal")),
                                ("mediate", dict(on="2026-05-20")),
                                ("end_mediation", dict(on="2026-05-25")),
                                ("determine", dict(on="2026-06-01", outcome="no_records")),
                                ("appeal", dict(on="2026-06-20"))],
    "In court": [("file", dict(on="2026-03-01", channel="portal")),
                 ("sue", dict(on="2026-06-01", tracking_number="1:26-cv-00123"))],
    "Withdrawn": [("file", dict(on="2026-03-01", channel="in_person")), ("withdraw", dict(on="2026-03-05"))],
}


def _dates(fields: dict) -> dict:
    return {k: d(v) if k in ("on", "received_on", "our_answer_due_on") else v for k, v in fields.items()}


def _build(users) -> None:
    agency = make_agency()
    state = make_agency("Texas Department of Public Safety", "DPS", "US-TX")
    matter = make_matter()
    for title, history in HISTORIES.items():
        req = make_request(users["reporter"], state if title == "In court" else agency, title=title,
                           private=title == "Withdrawn",
                           records_description="=SUM(A1:A2) all records, \"quoted\", and a line\nbreak",
                           fee_limit=Decimal("25.00"), fee_waiver_requested=True, expedited_requested=True,
                           expedited_category="ii", follow_up_on=d("2027-01-15"))
        req.matters = [matter]
        for action, fields in history:
            perform(req, action, users["reporter"], **_dates(fields))


def _export(client) -> list[dict]:
    response = client.get("/export/requests.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))


def test_export_then_import_reproduces_the_requests(app, client, auth, users, frozen):
    with app.app_context():
        _build(users)
        db.session.commit()
    auth.login("reporter")
    before = _export(client)
    assert {row["status"] for row in before} == {
        "draft", "filed", "acknowledged", "awaiting_clarification", "closed", "in_mediation", "appealed",
        "in_litigation", "withdrawn"}
    assert before[0]["records_description"].startswith("'=SUM")  # a spreadsheet will not run it
    assert {row["matters"] for row in before} == {"Denver death card inquiry"}
    json_rows = client.get("/export/requests.json").json
    assert [r["title"] for r in json_rows] == [r["title"] for r in before]

    with app.app_context():
        events_before = {r.title: [e.action for e in r.events if e.action != "end_mediation"]
                         for r in db.session.scalars(select(RecordsRequest))}
        for req in db.session.scalars(select(RecordsRequest)):
            db.session.delete(req)
        db.session.commit()
        data = client.get("/export/requests.csv").data  # only the header is left
        assert data.count(b"\n") == 1

        csv_bytes = ("\ufeff" + ",".join(before[0]) + "\r\n").encode()
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=list(before[0]), lineterminator="\r\n")
        writer.writerows(before)
        csv_bytes += buffer.getvalue().encode()
        table = read_table(csv_bytes)
        reporter = db.session.get(User, users["reporter"])
        run = ImportRun(table, Mapping(columns=guess(table.headers)), actor=reporter, now=now_utc(), today=today(),
                        storage=DirectoryStorage(app.config["TRACKER_UPLOAD_DIR"]), dry_run=False)
        assert list(run.steps())[-1] == len(HISTORIES)
        assert run.clean, run.report
        db.session.commit()
        events_after = {r.title: [e.action for e in r.events] for r in db.session.scalars(select(RecordsRequest))}

    after = _export(client)
    assert len(after) == len(before)
    for old, new in zip(before, after, strict=True):
        changed = {k: (old[k], new[k]) for k in old if old[k] != new[k] and k not in ("id", "updated_at", "link")}
        assert changed == {}, old["title"]
    # The timelines are rebuilt from the same actions (pauses and their ends replayed one by one).
    assert events_after["Withdrawn"] == events_before["Withdrawn"]
    assert events_after["Acknowledged with a number"] == events_before["Acknowledged with a number"]
    with app.app_context():
        assert db.session.scalar(select(Event).where(Event.action == "end_mediation")) is not None


def test_web_export_keeps_the_filters_and_the_privacy(app, client, auth, users, frozen):
    with app.app_context():
        agency = make_agency()
        other = make_agency("Department of Homeland Security", "DHS", "US-DHS")
        make_request(users["reporter"], agency, title="Mine, draft")
        filed = make_request(users["reporter"], other, title="Mine, filed")
        perform(filed, "file", users["reporter"], on=d("2026-11-02"), channel="portal")
        make_request(users["other_reporter"], agency, title="Theirs, private", private=True)
        make_request(users["other_reporter"], agency, title="Theirs, public")
        db.session.commit()
        other_id = other.id
    auth.login("reporter")
    titles = lambda query: {r["title"] for r in client.get(f"/export/requests.json{query}").json}  # noqa: E731
    assert titles("") == {"Mine, draft", "Mine, filed", "Theirs, public"}
    assert titles("?status=filed") == {"Mine, filed"}
    assert titles(f"?agency_id={other_id}") == {"Mine, filed"}
    assert titles("?mine=1") == {"Mine, draft", "Mine, filed"}
    assert titles("?status=nonsense&agency_id=99999999999999") == {"Mine, draft", "Mine, filed", "Theirs, public"}
    response = client.get("/export/requests.csv?status=draft")
    assert response.headers["Content-Disposition"].startswith('attachment; filename="requests-2026-11-30.csv"')
    text = response.get_data(as_text=True)
    assert "Mine, draft" in text and "Theirs, public" in text and "Theirs, private" not in text
    auth.logout()
    assert client.get("/export/requests.csv").status_code == 302  # to the login page
