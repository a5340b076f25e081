"""`tracker restore` and the schema: a backup records its schema revision and the tracker's version; an older
schema is restored and upgraded, a newer one refused before anything changes; an interrupted restore leaves
the old attachments folder whole. Each test has its own SQLite databases (the schema goes back and forth)."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import text

from tracker import create_app
from tracker.core import backup as backup_module
from tracker.extensions import db

ROOT = Path(__file__).resolve().parents[2]
OLDER = "a3c5e7f9b2d1"  # the revision before this branch's migration


def _app(tmp_path: Path, name: str, revision: str = "head"):
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / name}.sqlite",
                      "SECRET_KEY": "test-secret", "TRACKER_UPLOAD_DIR": str(tmp_path / f"{name}-uploads")})
    with app.app_context():
        from flask_migrate import upgrade

        upgrade(revision=revision)
        db.engine.dispose()
    return app


def _sql(app, statement: str, **params):
    with app.app_context():
        with db.engine.begin() as conn:
            result = conn.execute(text(statement), params)
            rows = result.all() if result.returns_rows else None
        db.engine.dispose()
    return rows


def _add_user(app, email: str) -> None:
    _sql(app, "INSERT INTO users (name, email, password_hash, role, active, session_version, created_at) "
              "VALUES (:email, :email, 'x', 'reporter', 1, 1, '2026-11-30 15:00:00')", email=email)


def _emails(app) -> set[str]:
    return {row[0] for row in _sql(app, "SELECT email FROM users")}


def _revision(app) -> str:
    return _sql(app, "SELECT version_num FROM alembic_version")[0][0]


def _files(app, count: int, size: int = 100, tag: str = "") -> None:
    folder = Path(app.config["TRACKER_UPLOAD_DIR"])
    folder.mkdir(parents=True, exist_ok=True)
    for n in range(count):
        (folder / f"{tag}{n:05d}").write_bytes((f"{tag}{n}".encode() * size)[:size])


def _tree(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def _head(app) -> str:
    with app.app_context():
        from tracker.core.schema import migration_revisions

        [head] = migration_revisions()[1]
        return head


def test_a_backup_records_its_schema_and_the_trackers_version(tmp_path):
    app = _app(tmp_path, "live")
    result = app.test_cli_runner().invoke(args=["backup", str(tmp_path / "b")])
    assert result.exit_code == 0, result.output
    manifest = json.loads((tmp_path / "b" / "manifest.json").read_text())
    assert manifest["schema_revision"] == _head(app)
    assert manifest["tracker_version"] not in ("", None)


def test_an_older_schema_is_restored_and_upgraded(tmp_path):
    old = _app(tmp_path, "old", revision=OLDER)
    _add_user(old, "from-the-old-backup@test.example")
    _files(old, 3, tag="old")
    assert old.test_cli_runner().invoke(args=["backup", str(tmp_path / "b")]).exit_code == 0
    assert json.loads((tmp_path / "b" / "manifest.json").read_text())["schema_revision"] == OLDER

    live = _app(tmp_path, "live")
    result = live.test_cli_runner().invoke(args=["restore", str(tmp_path / "b"), "--yes"])
    assert result.exit_code == 0, result.output
    assert f"Upgraded its schema from {OLDER} to {_head(live)}." in result.output
    assert _revision(live) == _head(live)
    assert _emails(live) == {"from-the-old-backup@test.example"}
    assert _sql(live, "SELECT count(*) FROM user_sessions")[0][0] == 0  # the newer tables are there
    assert _tree(Path(live.config["TRACKER_UPLOAD_DIR"])) == _tree(Path(old.config["TRACKER_UPLOAD_DIR"]))


def test_a_newer_schema_is_refused_before_anything_changes(tmp_path):
    newer = _app(tmp_path, "newer")
    _sql(newer, "UPDATE alembic_version SET version_num = 'f00dfeedbeef'")  # made by a later tracker
    _add_user(newer, "from-the-future@test.example")
    assert newer.test_cli_runner().invoke(args=["backup", str(tmp_path / "b")]).exit_code == 0

    live = _app(tmp_path, "live")
    _add_user(live, "kept@test.example")
    _files(live, 2, tag="kept")
    before = _tree(Path(live.config["TRACKER_UPLOAD_DIR"]))
    result = live.test_cli_runner().invoke(args=["restore", str(tmp_path / "b"), "--yes"])
    assert result.exit_code != 0
    assert "newer tracker" in result.output and "f00dfeedbeef" in result.output
    assert _emails(live) == {"kept@test.example"}
    assert _revision(live) == _head(live)
    assert _tree(Path(live.config["TRACKER_UPLOAD_DIR"])) == before


def test_an_interrupted_copy_leaves_the_old_attachments_whole(tmp_path, monkeypatch):
    source = _app(tmp_path, "source")
    _files(source, 6, tag="new")
    _add_user(source, "backup@test.example")
    assert source.test_cli_runner().invoke(args=["backup", str(tmp_path / "b")]).exit_code == 0
    live = _app(tmp_path, "live")
    _files(live, 4, tag="live")
    _add_user(live, "live@test.example")
    uploads = Path(live.config["TRACKER_UPLOAD_DIR"])
    before = _tree(uploads)

    copied = []
    real_copy = backup_module._copy_file

    def stopped_halfway(src, dst):
        if len(copied) == 3:
            raise KeyboardInterrupt  # Ctrl-C (or a power cut) in the middle of the copy
        copied.append(src)
        return real_copy(src, dst)

    monkeypatch.setattr(backup_module, "_copy_file", stopped_halfway)
    result = live.test_cli_runner().invoke(args=["restore", str(tmp_path / "b"), "--yes"])
    assert result.exit_code != 0  # click reports the interruption as "Aborted!"
    assert _tree(uploads) == before
    assert _emails(live) == {"live@test.example"}

    monkeypatch.setattr(backup_module, "_copy_file", real_copy)
    result = live.test_cli_runner().invoke(args=["restore", str(tmp_path / "b"), "--yes"])
    assert result.exit_code == 0, result.output
    assert _tree(uploads) == _tree(Path(source.config["TRACKER_UPLOAD_DIR"]))
    assert [p.name for p in uploads.parent.iterdir() if p.name.startswith(".")] == []


@pytest.mark.slow
def test_a_restore_killed_during_the_copy_leaves_the_old_attachments_whole(tmp_path):
    """A real process, killed with SIGKILL while it copies the attachments; the next restore tidies up."""
    source = _app(tmp_path, "source")
    _files(source, 1000, size=8192, tag="new")
    assert source.test_cli_runner().invoke(args=["backup", str(tmp_path / "b")]).exit_code == 0
    live = _app(tmp_path, "live")
    _files(live, 20, tag="live")
    _add_user(live, "live@test.example")
    uploads = Path(live.config["TRACKER_UPLOAD_DIR"])
    before = _tree(uploads)

    env = {**os.environ, "TRACKER_DATABASE_URL": live.config["SQLALCHEMY_DATABASE_URI"],
           "TRACKER_UPLOAD_DIR": str(uploads), "TRACKER_SECRET_KEY": "test-secret"}
    process = subprocess.Popen([sys.executable, "-c", "from tracker.cli import cli; cli()", "restore",
                                str(tmp_path / "b"), "--yes"], cwd=ROOT, env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    staged = []
    while time.monotonic() < deadline and not staged:
        staged = [p for p in uploads.parent.glob(".*restoring-*") if any(p.iterdir())]
        if process.poll() is not None:
            break
        time.sleep(0.002)
    assert staged, "the restore never started copying (or finished before it could be killed)"
    process.send_signal(signal.SIGKILL)
    process.wait(10)

    assert _tree(uploads) == before  # the live folder was never touched
    assert _emails(live) == {"live@test.example"}
    result = live.test_cli_runner().invoke(args=["restore", str(tmp_path / "b"), "--yes"])
    assert result.exit_code == 0, result.output
    assert len(_tree(uploads)) == 1000
    assert [p.name for p in uploads.parent.iterdir() if p.name.startswith(".")] == []
