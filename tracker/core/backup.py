"""Backups: a consistent copy of the database and the attachments, with a manifest of checksums.

SQLite is copied with its online backup API (safe while the app runs); PostgreSQL with pg_dump. The manifest
records the schema revision (Alembic) and the tracker's version.

Restore checks every checksum in the manifest, and the schema, before it touches anything: a backup from a newer
tracker is refused; one from an older schema is restored and then upgraded (the CLI runs the upgrade). The
attachments are copied beside the live folder first and swapped in by renaming, so an interrupted restore
leaves the old folder whole.
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import shutil
import sqlite3
import subprocess
from collections.abc import Collection
from datetime import datetime
from pathlib import Path

from sqlalchemy import text
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
    manifest = {"created_at": now.isoformat(), "database": dialect, "schema_revision": live_revision(engine),
                "tracker_version": tracker_version(), "files": files}
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
    """Replace the database and the attachments with the backup's, after checking it. The attachments are
    staged beside the live folder before anything is replaced, and swapped in by renaming."""
    manifest = verify(source)
    dialect = engine.url.get_backend_name()
    if manifest["database"] != dialect:
        raise BackupError(f"The backup is of a {manifest['database']} database; this one is {dialect}.")
    recover_uploads(upload_dir)
    staged = _stage_uploads(source, upload_dir)
    try:
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
    except BaseException:
        shutil.rmtree(staged, ignore_errors=True)
        raise
    _swap(staged, upload_dir)
    return manifest


# --- the attachments folder, swapped whole -------------------------------------------------------------

def _beside(upload_dir: Path, kind: str) -> Path:
    return upload_dir.parent / f".{upload_dir.name}.{kind}-{secrets.token_hex(4)}"


def _copy_file(src: str, dst: str) -> str:
    return shutil.copy2(src, dst)


def _stage_uploads(source: Path, upload_dir: Path) -> Path:
    """The backup's attachments, copied into a new folder beside the live one (same file system)."""
    staged = _beside(upload_dir, "restoring")
    upload_dir.parent.mkdir(parents=True, exist_ok=True)
    try:
        if (source / UPLOADS).exists():
            shutil.copytree(source / UPLOADS, staged, copy_function=_copy_file)
        else:
            staged.mkdir()
    except BaseException:
        shutil.rmtree(staged, ignore_errors=True)
        raise
    return staged


def _swap(staged: Path, upload_dir: Path) -> None:
    """Two renames: the live folder aside, the staged one in; then the old one is deleted."""
    old = _beside(upload_dir, "replaced")
    if upload_dir.exists():
        os.rename(upload_dir, old)
    os.rename(staged, upload_dir)
    shutil.rmtree(old, ignore_errors=True)


def recover_uploads(upload_dir: Path) -> None:
    """After an interrupted restore: staged copies are removed, and a live folder left aside between the two
    renames of a swap is put back."""
    parent = upload_dir.parent
    if not parent.exists():
        return
    for leftover in parent.glob(f".{upload_dir.name}.restoring-*"):
        shutil.rmtree(leftover, ignore_errors=True)
    aside = sorted(parent.glob(f".{upload_dir.name}.replaced-*"))
    if aside and not upload_dir.exists():
        os.rename(aside[0], upload_dir)
        aside = aside[1:]
    for leftover in aside:
        shutil.rmtree(leftover, ignore_errors=True)


# --- the schema the backup was made with -------------------------------------------------------------------

def live_revision(engine: Engine) -> str | None:
    """The Alembic revision of the live database."""
    with engine.connect() as conn:
        try:
            return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
        except Exception:  # noqa: BLE001  (no alembic_version table: a database never upgraded)
            return None


def tracker_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("tracker")
    except PackageNotFoundError:
        return "unknown"


def backup_revision(source: Path, manifest: dict) -> str | None:
    """The schema revision of the backup: from its manifest, or (older backups) read from the copy itself."""
    if manifest.get("schema_revision"):
        return manifest["schema_revision"]
    if manifest.get("database") == "sqlite":
        conn = sqlite3.connect(f"file:{source / SQLITE_FILE}?mode=ro", uri=True)
        try:
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        except sqlite3.Error:
            row = None
        finally:
            conn.close()
        return row[0] if row else None
    result = subprocess.run(["pg_restore", "--data-only", "--table=alembic_version", "--file=-",
                             str(source / PG_FILE)], capture_output=True, text=True, check=False)
    lines = result.stdout.splitlines()
    for index, line in enumerate(lines):
        if line.startswith("COPY ") and "alembic_version" in line and index + 1 < len(lines):
            value = lines[index + 1].strip()
            return value if value and value != "\\." else None
    return None


def schema_plan(revision: str | None, known: Collection[str], head: str) -> str:
    """"same", or "older" (restore, then upgrade); a BackupError for a backup this tracker cannot run.
    `known` holds every revision this tracker's migrations know."""
    if revision == head:
        return "same"
    if revision is None:
        raise BackupError("The backup does not say which schema it has, and its database does not either; "
                          "it was not made by `tracker backup`.")
    if revision in known:
        return "older"
    raise BackupError(f"The backup was made by a newer tracker: its schema is {revision}, and this tracker's "
                      f"migrations end at {head}. Nothing was changed. Install the tracker version the backup "
                      "was made with (see tracker_version in its manifest.json), or newer, and restore with it.")
