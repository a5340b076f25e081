"""Import pages: upload a spreadsheet, map its columns, dry run (every row's problems), import all or nothing.

A run posts a form; with JavaScript (imports.js) it asks for a stream of progress lines and draws a progress
bar, without it the page waits and then shows the report. Both end on the report page.
"""

from __future__ import annotations

import json

from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    stream_with_context,
    url_for,
)
from flask_login import current_user, login_required

from tracker import deadlines
from tracker.agencies.services import all_agencies
from tracker.core.clock import now_utc, today
from tracker.core.errors import TrackerError, ValidationFailed
from tracker.core.forms import BaseForm
from tracker.core.storage import storage
from tracker.extensions import db
from tracker.imports import export, services
from tracker.imports.columns import BY_NAME, IMPORTABLE, REQUIRED
from tracker.imports.mapping import DATE_ORDERS, Mapping
from tracker.requests.queries import RequestFilters
from tracker.requests.status import CHANNELS, STATUSES

bp = Blueprint("imports", __name__)
ID = "int"  # ids past 2**31 - 1 are refused as "not found" where they are loaded
PREVIEW_ROWS = 5


class CsrfForm(BaseForm):
    """Only the CSRF token (CSRFProtect checks every POST); the fields are read from request.form."""



def _file():
    file = request.files.get("file")
    if file is None or not file.filename:
        raise ValidationFailed("Choose a file.", {"file": "Choose the CSV file to upload."})
    return file


def _start_page(errors: dict):
    return render_template("imports/start.html", form=CsrfForm(formdata=None), saved=services.saved_mappings(),
                           uploads=services.recent_uploads(current_user), columns=IMPORTABLE, errors=errors,
                           statuses=STATUSES, agencies=all_agencies())


@bp.get("/imports")
@login_required
def start():
    return _start_page({})


@bp.post("/imports")
@login_required
def upload():
    try:
        saved_id = request.form.get("saved_mapping", "")
        saved = services.get_saved(int(saved_id)) if saved_id.isdigit() else None
        file = _file()
        upload = services.store_upload(current_user, file.filename, file.stream, now=now_utc(), storage=storage(),
                                       saved=saved)
        db.session.commit()
    except TrackerError as exc:
        db.session.rollback()
        return _start_page(exc.fields or {"file": exc.message}), 422
    return redirect(url_for("imports.mapping", upload_id=upload.id), 303)


def _mapping_page(upload, mapping: Mapping, errors: dict, status: int = 200):
    table = services.load_table(upload, storage())
    return render_template(
        "imports/mapping.html", upload=upload, mapping=mapping, errors=errors, columns=IMPORTABLE,
        required=REQUIRED, preview=table.rows[:PREVIEW_ROWS], headers=table.headers, date_orders=DATE_ORDERS,
        channels=CHANNELS, saved=services.saved_mappings(), form=CsrfForm(formdata=None),
    ), status


@bp.get(f"/imports/<{ID}:upload_id>/mapping")
@login_required
def mapping(upload_id: int):
    upload = services.get_upload(upload_id, current_user)
    mapping = Mapping.from_json(upload.mapping)
    if request.args.get("saved", "").isdigit():
        saved = Mapping.from_json(services.get_saved(int(request.args["saved"])).mapping)
        saved.columns = {k: v for k, v in saved.columns.items() if v in upload.headers}
        mapping = saved
    return _mapping_page(upload, mapping, {})


@bp.get(f"/imports/<{ID}:upload_id>/mapping.json")
@login_required
def mapping_json(upload_id: int):
    upload = services.get_upload(upload_id, current_user)
    body = json.dumps(Mapping.from_json(upload.mapping).to_json(), indent=2, ensure_ascii=False)
    return Response(body + "\n", mimetype="application/json",
                    headers={"Content-Disposition": f'attachment; filename="mapping-{upload.id}.json"'})


def _mapping_from_form(upload) -> Mapping:
    current = Mapping.from_json(upload.mapping)
    columns = {c.name: request.form.get(f"col-{c.name}", "") for c in IMPORTABLE}
    mapping = Mapping.from_json({**current.to_json(), "columns": {k: v for k, v in columns.items() if v},
                                 "dates": request.form.get("dates", "us"),
                                 "default_channel": request.form.get("default_channel", "portal")})
    if errors := mapping.problems(upload.headers):
        raise ValidationFailed("The mapping has errors.", errors)
    return mapping


@bp.post(f"/imports/<{ID}:upload_id>/mapping")
@login_required
def save_mapping(upload_id: int):
    upload = services.get_upload(upload_id, current_user)
    try:
        mapping = _mapping_from_form(upload)
        services.set_mapping(upload, mapping, now=now_utc())
        if request.form.get("save_as", "").strip():
            services.save_mapping(request.form["save_as"], mapping, actor=current_user, now=now_utc())
        db.session.commit()
    except TrackerError as exc:
        db.session.rollback()
        upload = services.get_upload(upload_id, current_user)
        draft = Mapping.from_json(upload.mapping)
        draft.columns = {c.name: request.form.get(f"col-{c.name}", "") for c in IMPORTABLE
                         if request.form.get(f"col-{c.name}")}
        return _mapping_page(upload, draft, exc.fields or {"mapping": exc.message}, 422)
    return _run(upload_id, dry_run=True)


@bp.post(f"/imports/<{ID}:upload_id>/agencies")
@login_required
def choose_agencies(upload_id: int):
    """The dry run's unknown agency names: use an agency of the directory, or (administrators) add one."""
    upload = services.get_upload(upload_id, current_user)
    mapping = Mapping.from_json(upload.mapping)
    names = {a.name for a in all_agencies()}
    codes = {j.code for j in deadlines.jurisdictions()}
    for index, entry in enumerate((upload.report or {}).get("unknown_agencies", [])):
        choice = request.form.get(f"agency-{index}", "")
        value = entry["name"]
        if choice in names:
            mapping.agencies[value] = choice
            mapping.new_agencies.pop(value, None)
        elif choice == "__new__" and request.form.get(f"jurisdiction-{index}") in codes:
            mapping.new_agencies[value] = request.form[f"jurisdiction-{index}"]
            mapping.agencies.pop(value, None)
    services.set_mapping(upload, mapping, now=now_utc())
    db.session.commit()
    return _run(upload_id, dry_run=True)


@bp.post(f"/imports/<{ID}:upload_id>/file")
@login_required
def replace_file(upload_id: int):
    upload = services.get_upload(upload_id, current_user)
    try:
        file = _file()
        services.replace_file(upload, file.filename, file.stream, now=now_utc(), storage=storage())
        db.session.commit()
    except TrackerError as exc:
        db.session.rollback()
        flash(" ".join(exc.fields.values()) or exc.message, "error")
        return redirect(url_for("imports.show", upload_id=upload_id), 303)
    return _run(upload_id, dry_run=True)


@bp.post(f"/imports/<{ID}:upload_id>/import")
@login_required
def run_import(upload_id: int):
    services.get_upload(upload_id, current_user)
    return _run(upload_id, dry_run=False)


def _run(upload_id: int, *, dry_run: bool):
    """Run (dry or real) and end on the report page; as a stream of progress lines if the page asked."""
    upload = services.get_upload(upload_id, current_user)
    run, steps = services.execute(upload, actor=current_user, now=now_utc(), today=today(), storage=storage(),
                                  dry_run=dry_run)
    total = upload.row_count
    target = url_for("imports.show", upload_id=upload_id)

    def finish() -> None:
        services.finish(upload_id, run, now=now_utc())
        db.session.commit()

    if "application/x-ndjson" not in request.headers.get("Accept", ""):
        for _ in steps:
            pass
        finish()
        return redirect(target, 303)

    def stream():
        every = max(1, total // 100)
        try:
            for done in steps:
                if done % every == 0:
                    yield json.dumps({"done": done, "total": total}) + "\n"
            finish()
            yield json.dumps({"done": total, "total": total, "redirect": target}) + "\n"
        except Exception:  # the response has started: say so in the stream, change nothing
            db.session.rollback()
            current_app.logger.exception("import %s failed", upload_id)
            yield json.dumps({"error": "The import stopped on an unexpected error; nothing was imported."}) + "\n"

    return Response(stream_with_context(stream()), mimetype="application/x-ndjson",
                    headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"})


@bp.get(f"/imports/<{ID}:upload_id>")
@login_required
def show(upload_id: int):
    upload = services.get_upload(upload_id, current_user)
    mapping = Mapping.from_json(upload.mapping)
    return render_template("imports/report.html", upload=upload, report=upload.report or {}, mapping=mapping,
                           columns=BY_NAME, agencies=all_agencies(), jurisdictions=deadlines.jurisdictions(),
                           form=CsrfForm(formdata=None))


@bp.post(f"/imports/mappings/<{ID}:mapping_id>/delete")
@login_required
def delete_mapping(mapping_id: int):
    saved = services.get_saved(mapping_id)
    services.delete_mapping(saved, actor=current_user)
    db.session.commit()
    flash(f"Deleted the saved mapping “{saved.name}”.")
    return redirect(url_for("imports.start"), 303)


# --- export ---------------------------------------------------------------------------------------

def _filters() -> RequestFilters:
    """The requests list's own filters, so its current view can be exported as it is."""
    args = request.args

    def number(name: str) -> int | None:
        value = args.get(name, "")
        return int(value) if value.isdigit() and len(value) < 10 else None

    return RequestFilters(q=args.get("q", "")[:200].replace("\x00", ""),
                          status=args.get("status", "") if args.get("status") in STATUSES else "",
                          agency_id=number("agency_id"), owner_id=number("owner_id"), matter_id=number("matter_id"),
                          mine=args.get("mine") in ("1", "true"))


@bp.get("/export/requests.<any(csv, json):fmt>")
@login_required
def export_requests(fmt: str):
    filters = _filters()
    export.record_export(current_user, filters, detail=f"requests export ({fmt.upper()})")
    db.session.commit()
    requests_ = export.visible_requests(current_user, filters)
    stamp = today().isoformat()
    if fmt == "json":
        response = current_app.json.response(export.json_rows(requests_, current_user))
    else:
        response = Response(stream_with_context(export.csv_lines(requests_, current_user)), mimetype="text/csv")
        response.charset = "utf-8"
    response.headers["Content-Disposition"] = f'attachment; filename="requests-{stamp}.{fmt}"'
    response.headers["Cache-Control"] = "no-store"
    return response
