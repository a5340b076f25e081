"""Uploaded spreadsheets and saved mappings: store, read, record what a run found. The run itself is in
runner.py; views and the CLI call `execute` and commit once at the end."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import date, datetime
from typing import BinaryIO

from sqlalchemy import func, select

from tracker.auth.models import User
from tracker.core.converters import MAX_ID
from tracker.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from tracker.core.storage import Storage
from tracker.core.validation import text_errors
from tracker.extensions import db
from tracker.imports.mapping import Mapping, guess
from tracker.imports.models import ImportMapping, ImportUpload
from tracker.imports.reader import Table, read_table
from tracker.imports.runner import ImportRun
from tracker.requests.services import safe_filename

MAX_BYTES = 20 * 1024 * 1024
# A run takes about 10 ms a row (every row goes through the lifecycle services): 2,000 rows fit well inside
# a web worker's timeout. Larger files: split them, or use `tracker import-csv`, which has no such limit.
WEB_MAX_ROWS = 2_000
TOO_MANY = "Split it into files of at most 2,000 rows, or ask an administrator to run `tracker import-csv`."


def _table(data: bytes) -> Table:
    return read_table(data, WEB_MAX_ROWS, too_many=TOO_MANY)


def _read(stream: BinaryIO) -> bytes:
    data = stream.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise ValidationFailed("The file is too large.", {"file": "The file is larger than 20 MB: split it."})
    return data


def store_upload(user: User, filename: str, stream: BinaryIO, *, now: datetime, storage: Storage,
                 saved: ImportMapping | None = None) -> ImportUpload:
    """Keep an uploaded CSV for the steps to come; start from a saved mapping or from a guess."""
    data = _read(stream)
    table = _table(data)
    stored = storage.save(io.BytesIO(data))
    mapping = Mapping.from_json(saved.mapping) if saved is not None else Mapping(columns=guess(table.headers))
    if saved is not None:  # keep only the columns this file has
        mapping.columns = {k: v for k, v in mapping.columns.items() if v in table.headers}
    upload = ImportUpload(user=user, filename=safe_filename(filename), storage_key=stored.key, size=stored.size,
                          encoding=table.encoding, headers=table.headers, row_count=len(table.rows),
                          mapping=mapping.to_json(), report={}, status="uploaded", created_at=now, updated_at=now)
    db.session.add(upload)
    db.session.flush()
    return upload


def replace_file(upload: ImportUpload, filename: str, stream: BinaryIO, *, now: datetime,
                 storage: Storage) -> None:
    """A corrected file for the same import: the mapping stays (columns the new file lacks are dropped)."""
    _check_open(upload)
    data = _read(stream)
    table = _table(data)
    old_key = upload.storage_key
    stored = storage.save(io.BytesIO(data))
    mapping = Mapping.from_json(upload.mapping)
    mapping.columns = {k: v for k, v in mapping.columns.items() if v in table.headers}
    upload.filename, upload.storage_key, upload.size = safe_filename(filename), stored.key, stored.size
    upload.encoding, upload.headers, upload.row_count = table.encoding, table.headers, len(table.rows)
    upload.mapping, upload.report, upload.status, upload.updated_at = mapping.to_json(), {}, "uploaded", now
    db.session.flush()
    storage.delete(old_key)


def get_upload(upload_id: int, user: User) -> ImportUpload:
    """Only its uploader sees an upload: the file may hold private requests."""
    upload = db.session.get(ImportUpload, upload_id) if upload_id <= MAX_ID else None
    if upload is None or upload.user_id != user.id:
        raise NotFound("There is no such import.")
    return upload


def recent_uploads(user: User, limit: int = 10) -> list[ImportUpload]:
    return list(db.session.scalars(select(ImportUpload).where(ImportUpload.user_id == user.id)
                                   .order_by(ImportUpload.created_at.desc(), ImportUpload.id.desc()).limit(limit)))


def load_table(upload: ImportUpload, storage: Storage) -> Table:
    try:
        with storage.open(upload.storage_key) as handle:
            return _table(handle.read())
    except FileNotFoundError:
        raise NotFound("The uploaded file is no longer stored: upload it again.") from None


def _check_open(upload: ImportUpload) -> None:
    if upload.status == "imported":
        raise Conflict("This file has already been imported. Upload a new file to import more requests.")


def set_mapping(upload: ImportUpload, mapping: Mapping, *, now: datetime) -> None:
    _check_open(upload)
    upload.mapping, upload.updated_at = mapping.to_json(), now
    db.session.flush()


# --- a run, from start to its report ----------------------------------------------------------------------

def execute(upload: ImportUpload, *, actor: User, now: datetime, today: date, storage: Storage,
            dry_run: bool) -> tuple[ImportRun, Iterator[int]]:
    """The run and its progress steps. Drain the steps, then call `finish`."""
    if not dry_run:
        # One import at a time per file: the second waits for the first, then sees it imported.
        db.session.execute(select(ImportUpload).where(ImportUpload.id == upload.id).with_for_update()
                           .execution_options(populate_existing=True))
    _check_open(upload)
    run = ImportRun(load_table(upload, storage), Mapping.from_json(upload.mapping), actor=actor, now=now,
                    today=today, storage=storage, dry_run=dry_run)
    return run, run.steps()


def finish(upload_id: int, run: ImportRun, *, now: datetime) -> ImportUpload:
    """Keep the requests of a clean import; undo everything else. Records the report. The caller commits."""
    imported = not run.dry_run and run.clean
    report = run.report
    if not imported:
        db.session.rollback()
    upload = db.session.get(ImportUpload, upload_id)
    upload.report = report
    upload.status = "imported" if imported else "checked"
    upload.updated_at = now
    if imported:
        upload.imported_at = now
    db.session.flush()
    return upload


# --- saved mappings -------------------------------------------------------------------------------

def saved_mappings() -> list[ImportMapping]:
    return list(db.session.scalars(select(ImportMapping).order_by(func.lower(ImportMapping.name))))


def get_saved(mapping_id: int) -> ImportMapping:
    saved = db.session.get(ImportMapping, mapping_id) if mapping_id <= MAX_ID else None
    if saved is None:
        raise NotFound("There is no such saved mapping.")
    return saved


def save_mapping(name: str, mapping: Mapping, *, actor: User, now: datetime) -> ImportMapping:
    """Save under a name; saving again under the same name updates it (its author or an editor only)."""
    name = (name or "").strip()
    errors = text_errors(ImportMapping, {"name": name})
    if not name:
        errors["save_as"] = "Give the mapping a name."
    if errors:
        raise ValidationFailed("The name has errors.", {"save_as": next(iter(errors.values()))})
    saved = db.session.scalar(select(ImportMapping).where(func.lower(ImportMapping.name) == name.lower()))
    if saved is None:
        saved = ImportMapping(name=name, created_by=actor)
        db.session.add(saved)
    elif saved.created_by_id != actor.id and not actor.is_editor:
        raise Conflict("A mapping with this name exists.",
                       {"save_as": "Another person saved a mapping with this name; choose another name."})
    saved.mapping, saved.updated_at = mapping.to_json(), now
    db.session.flush()
    return saved


def delete_mapping(saved: ImportMapping, *, actor: User) -> None:
    if saved.created_by_id != actor.id and not actor.is_editor:
        raise Forbidden("Only the person who saved this mapping, or an editor, can delete it.")
    db.session.delete(saved)
    db.session.flush()
