"""`tracker backup` and `tracker restore`: a round trip on the test database, and a damaged backup refused."""

from __future__ import annotations

import io
import json
import shutil

from sqlalchemy import func, select

from tests.helpers import d, make_agency, make_request, perform
from tracker.extensions import db
from tracker.requests.models import Attachment, RecordsRequest
from tracker.requests.services import CommunicationInput, Upload


def _snapshot():
    rows = db.session.execute(select(RecordsRequest.id, RecordsRequest.title, RecordsRequest.status,
                                     RecordsRequest.response_due).order_by(RecordsRequest.id)).all()
    return [tuple(r) for r in rows], db.session.scalar(select(func.count()).select_from(Attachment))


def test_backup_restore_round_trip(app, users, frozen, tmp_path):
    with app.app_context():
        req = make_request(users["reporter"], make_agency(), title="Secret OPR request", private=True)
        perform(req, "file", users["reporter"], on=d("2026-11-20"), channel="portal",
                communication=CommunicationInput(channel="portal", subject="Request",
                                                 files=[Upload("letter.pdf", io.BytesIO(b"%PDF-1.4 demo"))]))
        db.session.commit()
        before = _snapshot()
        key = db.session.scalars(select(Attachment.storage_key)).one()

    runner = app.test_cli_runner()
    result = runner.invoke(args=["backup", str(tmp_path / "b1")])
    assert result.exit_code == 0, result.output
    manifest = json.loads((tmp_path / "b1" / "manifest.json").read_text())
    assert any(name.endswith(key) for name in manifest["files"])
    # No file name in the backup says anything about a request.
    assert not any("Secret" in name or "letter" in name for name in manifest["files"])

    with app.app_context():
        db.session.delete(db.session.get(RecordsRequest, before[0][0][0]))
        db.session.commit()
        assert _snapshot() != before
    shutil.rmtree(app.config["TRACKER_UPLOAD_DIR"])

    result = runner.invoke(args=["restore", str(tmp_path / "b1"), "--yes"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert _snapshot() == before
        from tracker.core.storage import DirectoryStorage

        assert DirectoryStorage(app.config["TRACKER_UPLOAD_DIR"]).open(key).read() == b"%PDF-1.4 demo"


def test_damaged_backup_is_refused_before_anything_changes(app, users, tmp_path):
    with app.app_context():
        make_request(users["reporter"], make_agency(), title="Kept")
        db.session.commit()
    runner = app.test_cli_runner()
    assert runner.invoke(args=["backup", str(tmp_path / "b")]).exit_code == 0
    database_file = next(p for p in (tmp_path / "b").iterdir() if p.name.startswith("database"))
    database_file.write_bytes(database_file.read_bytes() + b"tampered")
    with app.app_context():
        make_request(users["reporter"], make_agency(name="Other", abbreviation="O"), title="Added after")
        db.session.commit()
    result = runner.invoke(args=["restore", str(tmp_path / "b"), "--yes"])
    assert result.exit_code != 0 and "Checksum mismatch" in result.output
    with app.app_context():
        titles = set(db.session.scalars(select(RecordsRequest.title)))
        assert titles == {"Kept", "Added after"}
    assert runner.invoke(args=["backup", str(tmp_path / "b")]).exit_code != 0  # never into a used folder
