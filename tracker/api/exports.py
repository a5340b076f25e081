"""Exports over the API: the requests you can see, as JSON or as the CSV the import reads."""

from __future__ import annotations

from flask import Response, current_app, stream_with_context

from tracker.api import bp, schemas
from tracker.api.auth import api_user
from tracker.api.requests import filters_from
from tracker.core.clock import today
from tracker.extensions import db
from tracker.imports import export


@bp.get("/export/requests")
def export_requests():
    args = schemas.query(schemas.EXPORT_QUERY)
    filters = filters_from(args)
    export.record_export(api_user(), filters, detail=f"API requests export ({args['format'].upper()})")
    db.session.commit()
    requests_ = export.visible_requests(api_user(), filters)
    if args["format"] == "json":
        return current_app.json.response(export.json_rows(requests_, api_user()))
    response = Response(stream_with_context(export.csv_lines(requests_, api_user())), mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="requests-{today().isoformat()}.csv"'
    return response
