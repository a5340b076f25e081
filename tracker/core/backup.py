"""Backups: a consistent copy of the database and the attachments, with a manifest of checksums.

SQLite is copied with its online backup API (safe while the app runs); PostgreSQL with pg_dump.
Restore checks every checksum in the manifest before it touches anything.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
import subprocess
from datetime import datetime
from pathlib import Path

from sqlalchemy.engine import Engine, make_url

MANIFEST = "manifest.json"
SQLITE_FILE = "database.sqlite"
PG_FILE = "database.pgdump"
UPLOADS = "uploads"


class BackupError(RuntimeError):
    """The backup or the restore cannot go on; the message says why."""


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(1024 * 1024):
            digest.update(chunk)
    return digest.hexdigest()


def _libpq_url(engine: Engine) -> str:
    """pg_dump speaks libpq, which knows postgresql:// but not SQLAlchemy's +psycopg suffix."""
    return engine.url.set(drivername="postgresql").render_as_string(hide_password=False)


def _run(command: list[str]) -> None:
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip() or result.stdout.strip()}")


def backup(engine: Engine, upload_dir: Path, target: Path, *, now: datetime) -> dict:
    """Write the database and the attachments into `target` (new or empty) and return the manifest."""
    target.mkdir(parents=True, exist_ok=True)
    if any(target.iterdir()):
        raise BackupError(f"{target} is not empty; choose a new folder for each backup.")
    dialect = engine.url.get_backend_name()
    if dialect == "sqlite":
        source = sqlite3.connect(make_url(engine.url).database)
        copy = sqlite3.connect(target / SQLITE_FILE)
        with copy:
            source.backup(copy)
        copy.close()
        source.close()
    elif dialect == "postgresql":
        _run(["pg_dump", "--format=custom", "--no-owner", f"--file={target / PG_FILE}", _libpq_url(engine)])
    else:
        raise BackupError(f"Backups of {dialect} databases are not supported.")
    if upload_dir.exists():
        shutil.copytree(upload_dir, target / UPLOADS, ignore=shutil.ignore_patterns("*.part"))
    files = {
        str(path.relative_to(target)): {"sha256": _sha256(path), "size": path.stat().st_size}
        for path in sorted(target.rglob("*")) if path.is_file()
    }
    manifest = {"created_at": now.isoformat(), "database": dialect, "files": files}
    (target / MANIFEST).write_text(json.dumps(manifest, indent=2))
    return manifest


def verify(source: Path) -> dict:
    """The manifest, once every file it lists is present with the right checksum (and nothing else is)."""
    try:
        manifest = json.loads((source / MANIFEST).read_text())
        listed = manifest["files"]
    except (OSError, ValueError, KeyError) as exc:
        raise BackupError(f"{source} has no readable {MANIFEST}.") from exc
    for name, meta in listed.items():
        path = (source / name).resolve()
        if not path.is_relative_to(source.resolve()):
            raise BackupError(f"The manifest names a file outside the backup: {name}")
        if not path.is_file():
            raise BackupError(f"Missing from the backup: {name}")
        if _sha256(path) != meta["sha256"]:
            raise BackupError(f"Checksum mismatch, the backup is damaged: {name}")
    extra = {str(p.relative_to(source)) for p in source.rglob("*") if p.is_file()} - set(listed) - {MANIFEST}
    if extra:
        raise BackupError(f"Files not in the manifest: {', '.join(sorted(extra))}")
    return manifest


def restore(engine: Engine, upload_dir: Path, source: Path) -> dict:
    """Replace the database and the attachments with the backup's, after checking it."""
    manifest = verify(source)
    dialect = engine.url.get_backend_name()
    if manifest["database"] != dialect:
        raise BackupError(f"The backup is of a {manifest['database']} database; this one is {dialect}.")
    engine.dispose()  # no pooled connection may hold the old database open
    if dialect == "sqlite":
        backup_db = sqlite3.connect(source / SQLITE_FILE)
        live = sqlite3.connect(make_url(engine.url).database)
        with live:
            backup_db.backup(live)
        live.close()
        backup_db.close()
    else:
        _run(["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction",
              f"--dbname={_libpq_url(engine)}", str(source / PG_FILE)])
    if upload_dir.exists():
        shutil.rmtree(upload_dir)
    if (source / UPLOADS).exists():
        shutil.copytree(source / UPLOADS, upload_dir)
    else:
        upload_dir.mkdir(parents=True, exist_ok=True)
    return manifest
