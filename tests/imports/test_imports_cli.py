"""`tracker import-csv FILE --mapping M.json --user EMAIL [--dry-run]`."""

from __future__ import annotations

import json

from sqlalchemy import func, select

from tests.helpers import make_agency
from tracker.extensions import db
from tracker.requests.models import RecordsRequest

MAPPING = {"columns": {"title": "Title", "agency": "Office", "sent_on": "Filed", "tracking_number": "Number"},
           "agencies": {"Immigration and Customs Enforcement": "ICE FOIA Office"}, "dates": "day_first"}


def _count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(RecordsRequest))


def test_dry_run_then_import_from_the_command_line(app, users, frozen, tmp_path):
    with app.app_context():
        make_agency()
        db.session.commit()
    (tmp_path / "mapping.json").write_text(json.dumps(MAPPING))
    rows = ["Title,Office,Filed,Number"] + [f"Request {n},ICE,0{1 + n % 9}/10/2026,N-{n}" for n in range(40)]
    rows.append("Broken,Immigration and Customs Enforcement,31/02/2026,N-X")
    sheet = tmp_path / "sheet.csv"
    sheet.write_text("\n".join(rows) + "\n")
    runner = app.test_cli_runner()
    args = ["import-csv", str(sheet), "--mapping", str(tmp_path / "mapping.json"), "--user", "reporter@test.example"]

    result = runner.invoke(args=[*args, "--dry-run"])
    assert result.exit_code == 1
    assert "Row 42, column “Filed” (“31/02/2026”): There is no such date." in result.output
    assert "41 rows read; 1 with problems. Nothing was imported." in result.output
    assert "Checking" in result.output  # the progress bar
    assert _count(app) == 0

    result = runner.invoke(args=args)  # the real import refuses the same way
    assert result.exit_code == 1 and _count(app) == 0

    sheet.write_text("\n".join(rows[:-1] + ["Fixed,Immigration and Customs Enforcement,28/02/2026,N-X"]) + "\n")
    result = runner.invoke(args=[*args, "--dry-run"])
    assert result.exit_code == 0 and "all can be imported" in result.output and _count(app) == 0
    result = runner.invoke(args=args)
    assert result.exit_code == 0, result.output
    assert "Imported 41 requests for reporter@test.example." in result.output
    assert _count(app) == 41
    with app.app_context():
        fixed = db.session.scalar(select(RecordsRequest).where(RecordsRequest.title == "Fixed"))
        assert fixed.sent_on.isoformat() == "2026-02-28" and fixed.agency.name == "ICE FOIA Office"


def test_command_line_mistakes_are_explained(app, users, tmp_path):
    sheet = tmp_path / "sheet.csv"
    sheet.write_text("Title,Office\nx,y\n")
    (tmp_path / "bad.json").write_text("{not json")
    (tmp_path / "wrong.json").write_text(json.dumps({"columns": {"title": "Headline", "agency": "Office"}}))
    runner = app.test_cli_runner()
    base = ["import-csv", str(sheet), "--user", "reporter@test.example", "--mapping"]
    result = runner.invoke(args=[*base, str(tmp_path / "bad.json")])
    assert result.exit_code == 1 and "is not valid JSON" in result.output
    result = runner.invoke(args=[*base, str(tmp_path / "wrong.json")])
    assert result.exit_code == 1 and "The file has no column “Headline”." in result.output
    (tmp_path / "ok.json").write_text(json.dumps({"columns": {"title": "Title", "agency": "Office"}}))
    result = runner.invoke(args=["import-csv", str(sheet), "--mapping", str(tmp_path / "ok.json"), "--user",
                                 "inactive@test.example"])
    assert result.exit_code == 1 and "no active user" in result.output
